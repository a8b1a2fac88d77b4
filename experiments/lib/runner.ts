/** Runs experiments unit by unit and writes validated result files atomically. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendChoice } from './backend.ts';
import type { AnyExperiment } from './experiment.ts';
import { machineProvenance } from './provenance.ts';
import { parseResultFile, SCHEMA_VERSION, type Profile, type ResultFile, type Row } from './schema.ts';

export interface RunOptions {
  profile: Profile;
  backend: BackendChoice;
  /** Directory for `<id>.json`; nothing is written when undefined. */
  outDir?: string;
  /** Called after each unit, for the progress display. */
  onUnit?: (event: { experiment: string; key: string; done: number; total: number; seconds: number }) => void;
}

export async function runExperiment(experiment: AnyExperiment, options: RunOptions): Promise<ResultFile> {
  const config = experiment.configs[options.profile];
  const units = experiment.units(config);
  const startedAt = new Date();
  // Read before running: the code version is that of the code that was loaded, not of later edits.
  const machine = machineProvenance(options.backend);
  const rows: Row[] = [];
  const timings: Row[] = [];
  for (const [index, unit] of units.entries()) {
    const started = performance.now();
    const result = await experiment.runUnit(unit, config, { backend: options.backend });
    rows.push(...result.rows);
    timings.push(...result.timings);
    options.onUnit?.({
      experiment: experiment.id,
      key: unit.key,
      done: index + 1,
      total: units.length,
      seconds: (performance.now() - started) / 1000,
    });
  }
  const { summary, notes } = experiment.summarize(config, rows);
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

/** Writes to a temporary file in the same directory, then renames: a reader never sees half a file. */
export function writeResultFile(outDir: string, file: ResultFile): string {
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, `${file.id}.json`);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 1)}\n`);
  renameSync(temporary, target);
  return target;
}
