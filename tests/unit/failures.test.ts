/**
 * A failure inside a unit of work — a corrupt data file, a unit that throws — reaches the terminal as
 * one line naming the experiment, the unit and the cause (the stack only with --verbose), the run exits
 * non-zero and writes no result file, and every unit that finished stays in the cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import type { AnyExperiment } from '../../experiments/lib/experiment.ts';
import { loadMnist, mnistDirectory } from '../../experiments/lib/mnist.ts';
import { RunFailure, runExperiment, type UnitEvent } from '../../experiments/lib/runner.ts';
import { MODELS } from '../../experiments/lib/zoo.ts';
import { scale } from '../../experiments/suite/scale.ts';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/** Runs the experiments CLI with extra environment variables; resolves with its exit code and output. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npx', ['tsx', 'experiments/run.ts', ...args], { env: { ...process.env, ...env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Dawn prints two lines about its limits whenever it opens Mesa's software Vulkan driver; not ours. */
const ours = (stderr: string) => stderr.split('\n').filter((line) => line.trim() && !/^Warning: maxDynamic\w+ artificially reduced/.test(line));

describe('a corrupt MNIST file (MNIST_DIR pointing at a copy whose test labels are truncated)', () => {
  let data: string;
  beforeAll(() => {
    data = temp('mnist');
    const source = mnistDirectory();
    for (const name of readdirSync(source).filter((n) => n.endsWith('-ubyte'))) {
      if (name === 't10k-labels-idx1-ubyte') writeFileSync(join(data, name), readFileSync(join(source, name)).subarray(0, 5000));
      else symlinkSync(join(source, name), join(data, name));
    }
  });

  it('fails before any unit starts (the data are checked once, in the runner), with one line naming the file, exit code 1, no result file', async () => {
    const outDir = temp('out');
    const { code, stderr } = await cli(['scale', '--profile', 'smoke', '--jobs', '2', '--cache', temp('cache'), '--out', outDir], { MNIST_DIR: data });
    expect(code).toBe(1);
    expect(ours(stderr)).toEqual([
      `experiments: ${join(data, 't10k-labels-idx1-ubyte')}: truncated: the header declares dimensions 10000 (10008 bytes in all) but the file has 5000 bytes.`,
    ]);
    expect(stderr).not.toMatch(/var Module|WasmBackendModule/);
    expect(existsSync(join(outDir, 'scale.json'))).toBe(false);
  }, 300_000);

  it('prints the stack only with --verbose', async () => {
    const { code, stderr } = await cli(['scale', '--profile', 'smoke', '--jobs', '1', '--cache', temp('cache'), '--out', temp('out'), '--verbose'], { MNIST_DIR: data });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^experiments: IdxError: .*truncated/m);
    expect(stderr).toMatch(/^\s+at parseIdx \(/m);
    expect(stderr).not.toMatch(/var Module|WasmBackendModule/);
  }, 300_000);
});

describe('a unit that throws in the middle of a run', () => {
  let backend: BackendChoice;
  beforeAll(async () => {
    backend = await selectBackend('wasm');
  });

  it('stops the run with one line for that unit, and the units finished before it stay cached for the re-run', async () => {
    // A small untuned grid of scale's smoke profile: four units, the third of which fails.
    const small: AnyExperiment = {
      ...scale,
      configs: { ...scale.configs, smoke: { ...scale.configs.smoke, models: [MODELS.logistic, MODELS.small], sizes: [100, 200], seeds: [1], tuning: undefined, practitioner: undefined } },
    };
    const units = small.units(small.configs.smoke);
    expect(units).toHaveLength(4);
    const victim = units[2]!.key;
    const nowhere = temp('no-mnist');
    // The same experiment (same id, code and cache keys), except that one unit reads MNIST from an empty directory.
    const failing: AnyExperiment = {
      ...small,
      runUnit: async (unit, config, context) => {
        if (unit.key === victim) loadMnist(nowhere);
        return small.runUnit(unit, config, context);
      },
    };
    const cacheDir = temp('cache');
    const error: unknown = await runExperiment(failing, { profile: 'smoke', backend, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailure);
    const failure = error as RunFailure;
    expect(failure.failures.map((f) => f.message)).toEqual([`scale: unit ${victim} failed: ${join(nowhere, 'train-images-idx3-ubyte')}: cannot be read (ENOENT).`]);
    expect(failure.failures[0]!.detail).toMatch(/at readIdxFile/);
    expect(failure.finished).toBe(2);
    expect(failure.total).toBe(units.length);
    expect(readdirSync(join(cacheDir, 'scale')).filter((f) => f.endsWith('.json'))).toHaveLength(2);

    const events: UnitEvent[] = [];
    const resumed = await runExperiment(small, { profile: 'smoke', backend, cacheDir, onUnit: (e) => events.push(e) });
    expect(events.filter((e) => e.cached).map((e) => e.key)).toEqual(units.slice(0, 2).map((u) => u.key));
    expect(resumed.rows).toHaveLength(units.length);
  }, 600_000);
});
