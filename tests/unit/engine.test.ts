/** The engine as a maintainer relies on it: backend choice, cache, resume, parallel runs, divergence. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import type { AnyExperiment } from '../../experiments/lib/experiment.ts';
import { runExperiment, type UnitEvent } from '../../experiments/lib/runner.ts';
import { parseResultText, type ResultFile } from '../../experiments/lib/schema.ts';
import { modelSize } from '../../experiments/suite/model-size.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { smokeRun } from '../support/smoke.ts';

let backend: BackendChoice;
const temp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

beforeAll(async () => {
  backend = await selectBackend('auto');
});

describe('backend selection', () => {
  it('falls back to WebAssembly when native TensorFlow and a GPU are absent, saying why in one line each', () => {
    expect(backend.name).toBe('wasm');
    expect(backend.skipped).toContain('@tensorflow/tfjs-node-gpu is not installed');
    expect(backend.skipped).toContain('@tensorflow/tfjs-node is not installed');
    expect(backend.skipped.some((line) => line.startsWith('WebGPU '))).toBe(true);
    for (const line of backend.skipped) expect(line).not.toContain('\n');
    expect(backend.reason).toMatch(/^auto: fastest available/);
  });

  it('refuses a requested backend that is absent with a clear error, not a stack trace', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(BackendError);
    await expect(selectBackend('tensorflow')).rejects.toThrow(/^--backend tensorflow is not available: @tensorflow\/tfjs-node is not installed/);
    await selectBackend('wasm');
  });
});

describe('unit cache', () => {
  // Four untuned units (two models × two sizes, one seed) rather than the smoke profile's tuned grid:
  // the cache's rules do not depend on how many units there are or what they need, and each run here
  // trains them again (tuning and needs have their own tests: tuning, unit-needs, scale-experiment).
  const smoke = scale.configs.smoke;
  const few: AnyExperiment = { ...scale, configs: { ...scale.configs, smoke: { ...smoke, sizes: smoke.sizes.slice(0, 2), seeds: smoke.seeds.slice(0, 1), models: smoke.models.slice(0, 2), tuning: undefined, practitioner: undefined } } };

  it('misses on the first run, hits on the second with identical rows, and misses again when the config changes', async () => {
    const cacheDir = temp('cache');
    const events: UnitEvent[] = [];
    const first = await runExperiment(few, { profile: 'smoke', backend, cacheDir, onUnit: (e) => events.push(e) });
    expect(events).toHaveLength(4);
    expect(events.every((e) => !e.cached)).toBe(true);

    events.length = 0;
    const second = await runExperiment(few, { profile: 'smoke', backend, cacheDir, onUnit: (e) => events.push(e) });
    expect(events.every((e) => e.cached)).toBe(true);
    expect(second.rows).toEqual(first.rows);

    const changed: AnyExperiment = { ...few, configs: { ...few.configs, smoke: { ...few.configs.smoke, maxEpochs: 4 } } };
    events.length = 0;
    await runExperiment(changed, { profile: 'smoke', backend, cacheDir, onUnit: (e) => events.push(e) });
    expect(events.some((e) => e.cached)).toBe(false);

    events.length = 0;
    await runExperiment(few, { profile: 'smoke', backend, cacheDir, force: true, onUnit: (e) => events.push(e) });
    expect(events.some((e) => e.cached)).toBe(false);
    // Four runs of four units: seconds on a quiet machine; the limit is for a hang (a busy one took minutes).
  }, 600_000);

  it('re-runs a unit whose cache entry is damaged instead of failing', async () => {
    const cacheDir = temp('cache');
    const first = await runExperiment(few, { profile: 'smoke', backend, cacheDir });
    const dir = join(cacheDir, 'scale');
    const [victim] = readdirSync(dir);
    writeFileSync(join(dir, victim!), '{"hash": "trunc');
    const events: UnitEvent[] = [];
    const again = await runExperiment(few, { profile: 'smoke', backend, cacheDir, onUnit: (e) => events.push(e) });
    expect(events.filter((e) => !e.cached)).toHaveLength(1);
    expect(again.rows).toEqual(first.rows);
  }, 600_000);
});

describe('worker processes', () => {
  it('train the config the parent was given, not the registry one of the same profile', async () => {
    // Untuned, where the registry's smoke profile tunes: a worker that looked the config up by profile
    // would find tuning, make these units need a tuning unit nobody ran, and fail (as the WebGPU test did).
    const smoke = scale.configs.smoke;
    const changed: AnyExperiment = { ...scale, configs: { ...scale.configs, smoke: { ...smoke, sizes: [100], seeds: [1], models: smoke.models.slice(0, 2), tuning: undefined, practitioner: undefined } } };
    const inProcess = await runExperiment(changed, { profile: 'smoke', backend });
    const inWorkers = await runExperiment(changed, { profile: 'smoke', backend, jobs: 2 });
    expect(inWorkers.rows).toEqual(inProcess.rows);
    expect(inWorkers.rows.every((row) => row.learningRate === undefined)).toBe(true);
  }, 600_000);
});

describe('the CLI, killed and resumed, in parallel', () => {
  // model-size's smoke profile: four units, enough to kill a run part-way and resume it (scale's 22 cost
  // a minute and a half a run, and timed out on a busy machine).
  it('keeps finished units, writes no partial result file, and resumes to the same rows with --jobs 2', async () => {
    const reference = await smokeRun(modelSize, backend);
    const cacheDir = temp('cache');
    const outDir = temp('out');
    const cli = (jobs: number) =>
      spawn('npx', ['tsx', 'experiments/run.ts', 'model-size', '--profile', 'smoke', '--jobs', String(jobs), '--cache', cacheDir, '--out', outDir], {
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    // Kill the first run (the whole process group) after its second unit.
    const first = cli(1);
    await new Promise<void>((resolve) => {
      let out = '';
      first.stdout.on('data', (chunk) => {
        out += chunk;
        if (/\[2\/\d+\]/.test(out)) {
          process.kill(-first.pid!, 'SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => first.on('close', resolve));
    expect(existsSync(join(outDir, 'model-size.json'))).toBe(false);
    const kept = readdirSync(join(cacheDir, 'model-size')).filter((f) => f.endsWith('.json')).length;
    expect(kept).toBeGreaterThanOrEqual(2);

    const second = cli(2);
    let log = '';
    second.stdout.on('data', (chunk) => (log += chunk));
    const code = await new Promise((resolve) => second.on('close', resolve));
    expect(code).toBe(0);
    expect((log.match(/\(cached\)/g) ?? []).length).toBe(kept);
    const resumed = parseResultText(readFileSync(join(outDir, 'model-size.json'), 'utf8'), 'model-size.json');
    expect(resumed.rows).toEqual(reference.rows);
    // Seconds on a quiet machine; the limit is for a hang, not a speed (a busy machine took minutes).
  }, 600_000);
});

describe('divergence', () => {
  it('records a run whose loss becomes non-finite as diverged, and the suite carries on', async () => {
    const exploding: AnyExperiment = {
      ...scale,
      // Untuned, so that the optimiser's learning rate below is the one every unit trains with.
      configs: { ...scale.configs, smoke: { ...scale.configs.smoke, tuning: undefined, practitioner: undefined, sizes: [100, 200], seeds: [1], models: [scale.configs.smoke.models[0]!, scale.configs.smoke.models[2]!, scale.configs.smoke.models[3]!], optimizer: { name: 'sgd', learningRate: 1e30 } } },
    };
    const result = await runExperiment(exploding, { profile: 'smoke', backend });
    const diverged = result.rows.filter((r) => r.diverged === true);
    expect(diverged.length).toBeGreaterThan(0);
    for (const row of diverged) {
      expect(row.testAccuracy).toBeNull();
      expect(row.trainLoss).toBeNull();
      expect(row.valLoss).toBeNull();
    }
    expect(result.summary.diverged).toBe(diverged.length);
    expect(result.notes.join(' ')).toMatch(/diverged/);
  }, 600_000);
});
