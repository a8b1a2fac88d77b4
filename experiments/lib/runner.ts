/**
 * Runs experiments unit by unit — in parallel worker processes, skipping units already in the cache —
 * and writes validated result files atomically.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Tinypool from 'tinypool';
import type { BackendChoice } from './backend.ts';
import { UnitCache, unitHash } from './cache.ts';
import type { AnyExperiment, UnitResult } from './experiment.ts';
import { machineProvenance } from './provenance.ts';
import { parseResultFile, SCHEMA_VERSION, type Profile, type ResultFile, type Row } from './schema.ts';
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
}

export async function runExperiment(experiment: AnyExperiment, options: RunOptions): Promise<ResultFile> {
  const config = experiment.configs[options.profile];
  const units = experiment.units(config);
  const startedAt = new Date();
  // Read before running: the code version is that of the code that was loaded, not of later edits.
  const machine = machineProvenance(options.backend);
  const cache = options.cacheDir ? new UnitCache(options.cacheDir) : undefined;
  const hashes = units.map((unit) =>
    unitHash({ experiment: experiment.id, config, unit, backend: options.backend.name }),
  );
  const costs = units.map((unit) => experiment.cost?.(unit, config) ?? 1);
  const totalCost = costs.reduce((a, b) => a + b, 0);
  const results: (UnitResult | undefined)[] = units.map((_, i) =>
    options.force ? undefined : cache?.get(experiment.id, hashes[i]!),
  );

  let done = 0;
  let costDone = 0;
  const finish = (index: number, result: UnitResult, cached: boolean, seconds: number) => {
    results[index] = result;
    if (!cached) cache?.set(experiment.id, hashes[index]!, units[index]!.key, result);
    done++;
    costDone += costs[index]!;
    options.onUnit?.({
      experiment: experiment.id,
      key: units[index]!.key,
      done,
      total: units.length,
      workDone: costDone / totalCost,
      cached,
      seconds,
    });
  };
  results.forEach((result, index) => result && finish(index, result, true, 0));

  const pending = units.map((_, i) => i).filter((i) => !results[i]);
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, pending.length));
  const runOne = async (index: number, run: (unit: AnyUnit) => Promise<UnitResult>) => {
    options.onUnitStart?.({ experiment: experiment.id, key: units[index]!.key });
    const started = performance.now();
    const result = await run(units[index]!);
    finish(index, result, false, (performance.now() - started) / 1000);
  };

  if (jobs === 1) {
    for (const index of pending) {
      await runOne(index, (unit) => experiment.runUnit(unit, config, { backend: options.backend }));
    }
  } else {
    const pool = new Tinypool({
      filename: new URL('./unit-worker.ts', import.meta.url).href,
      runtime: 'child_process',
      minThreads: jobs,
      maxThreads: jobs,
      // The children need the same TypeScript loader (tsx) as this process.
      execArgv: process.execArgv,
    });
    try {
      // Costliest first, so the last unit to finish is a short one and the workers end together.
      const order = [...pending].sort((a, b) => costs[b]! - costs[a]!);
      // `jobs` lanes, each handing the pool one unit at a time, so a unit's start is known.
      const lane = async () => {
        for (let index = order.shift(); index !== undefined; index = order.shift()) {
          await runOne(index, (unit) => {
            const task: UnitTask = { experiment: experiment.id, profile: options.profile, key: unit.key, backend: options.backend.name };
            return pool.run(task) as Promise<UnitResult>;
          });
        }
      };
      await Promise.all(Array.from({ length: jobs }, lane));
    } finally {
      await pool.destroy();
    }
  }

  const rows: Row[] = results.flatMap((r) => r!.rows);
  const timings: Row[] = results.flatMap((r) => r!.timings);
  const { summary, notes } = experiment.summarize(config, rows, timings);
  const file = parseResultFile(
    {
      schemaVersion: SCHEMA_VERSION,
      id: experiment.id,
      claim: experiment.claim,
      profile: options.profile,
      config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
      rows,
      timings,
      summary: Object.fromEntries(Object.entries(summary).filter(([, v]) => Number.isFinite(v))),
      notes,
      references: experiment.references ?? [],
      provenance: {
        ...machine,
        startedAt: startedAt.toISOString(),
        durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
        seeds: [...new Set(units.map((u) => u.seed))],
      },
    },
    `result of ${experiment.id}`,
  );
  if (options.outDir) writeResultFile(options.outDir, file);
  return file;
}

type AnyUnit = ReturnType<AnyExperiment['units']>[number];

/** Writes to a temporary file in the same directory, then renames: a reader never sees half a file. */
export function writeResultFile(outDir: string, file: ResultFile): string {
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, `${file.id}.json`);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(temporary, target);
  return target;
}
