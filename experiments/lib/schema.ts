/**
 * The one description of a result file (`generated/<id>.json`).
 * The runner validates before it writes; the site validates before it charts.
 * A stale or hand-edited file therefore fails loudly, naming the file and the field.
 */
import { z } from 'zod';

/** Bump when the shape of a result file changes; older files are then reported as stale, newer ones as needing newer code. */
export const SCHEMA_VERSION = 1;

export const PROFILES = ['smoke', 'quick', 'full'] as const;
export type Profile = (typeof PROFILES)[number];

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const provenanceSchema = z.object({
  backend: z.enum(BACKENDS),
  backendReason: z.string(),
  tfjsVersion: z.string(),
  nodeVersion: z.string(),
  platform: z.string(),
  cpu: z.string(),
  cpuCount: z.number().int().positive(),
  gpu: z.string().nullable(),
  gitCommit: z.string(),
  gitDirty: z.boolean(),
  startedAt: z.iso.datetime(),
  durationSeconds: z.number().nonnegative(),
  seeds: z.array(z.number().int()),
  /** Worker processes the run was given (1: units one at a time). Absent from files made before it was recorded. */
  workers: z.number().int().positive().optional(),
  /**
   * A merged file's shards: each one's wall time and start, in shard order (durationSeconds is then
   * their sum: compute time, not wall time). Absent from a file made in one run.
   */
  shards: z.array(z.object({ index: z.number().int().positive(), count: z.number().int().positive(), startedAt: z.iso.datetime(), durationSeconds: z.number().nonnegative(), gitCommit: z.string() })).optional(),
  /**
   * The data the rows were made from: each MNIST file's SHA-256 and how many images it holds. Absent
   * from files made before it was recorded.
   */
  data: z
    .object({
      source: z.string(),
      files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
      trainImages: z.number().int().nonnegative(),
      testImages: z.number().int().nonnegative(),
    })
    .optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

/** A figure from the literature (or a curated fact) to set beside ours, with where it comes from. */
export const referenceSchema = z.object({
  /** What the figure is about, e.g. a model or a dataset: joins it to our rows in charts. */
  subject: z.string().min(1),
  measure: z.string().min(1),
  value: z.number(),
  unit: z.string(),
  /** e.g. "LeCun et al. 1998, Fig. 9" */
  citation: z.string().min(1),
  url: z.url().optional(),
  year: z.number().int().optional(),
  note: z.string().optional(),
});
export type Reference = z.infer<typeof referenceSchema>;

export const resultFileSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  claim: z.string().min(1),
  profile: z.enum(PROFILES),
  config: z.record(z.string(), z.unknown()),
  /** Tidy rows: one row per measurement, deterministic for a given profile, seed and backend. */
  rows: z.array(z.record(z.string(), cell)).min(1),
  /** Wall-clock timings, kept apart from `rows` because they differ from run to run. */
  timings: z.array(z.record(z.string(), cell)),
  /** Named numbers that lessons quote; prose never types a figure in. */
  summary: z.record(z.string(), z.number()),
  /** Findings in words, for honest notes where a result does not match the lecture. */
  notes: z.array(z.string()),
  /** Literature figures and curated facts, each with its citation. */
  references: z.array(referenceSchema).default([]),
  provenance: provenanceSchema,
});
export type ResultFile = z.infer<typeof resultFileSchema>;
export type Row = ResultFile['rows'][number];

/**
 * A trial grid's trial rows (scale, model-size, small-data): not its tuning rungs (kind 'tuning'), its
 * stopping checks ('stopping') or its practitioner's reruns ('practitioner'), which repeat a trial's
 * cell under another rule and would double-count it in any mean, range or chart.
 */
export function trialsOf<R extends { kind?: unknown }>(rows: R[]): R[] {
  return rows.filter((r) => r.kind === undefined);
}

/**
 * A shard: the finished units of one slice (`--shard K/N`) of an experiment's work, to be merged with
 * the other slices into a result file. It records the versions of code and data it was made with, so
 * that shards from different commits cannot be mixed.
 */
export const shardFileSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  kind: z.literal('shard'),
  id: z.string(),
  profile: z.enum(PROFILES),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }),
  codeVersion: z.string(),
  dataVersion: z.string(),
  /** Hash of the experiment's config at the shard's profile, as this checkout's code states it. */
  configVersion: z.string(),
  units: z.array(
    z.object({
      key: z.string(),
      rows: z.array(z.record(z.string(), cell)),
      timings: z.array(z.record(z.string(), cell)),
    }),
  ),
  provenance: provenanceSchema,
});
export type ShardFile = z.infer<typeof shardFileSchema>;

/** Thrown for any unreadable, malformed or stale result file. The message is meant for a person. */
export class ResultFileError extends Error {
  override name = 'ResultFileError';
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(the whole file)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/**
 * Validates parsed JSON as a result file. `file` is only used in messages.
 * The message names the file, each bad field, what was wrong, and how to fix it.
 */
export function parseResultFile(data: unknown, file: string): ResultFile {
  return parseWith(resultFileSchema, data, file, 'result file');
}

export function parseShardFile(data: unknown, file: string): ShardFile {
  return parseWith(shardFileSchema, data, file, 'shard file');
}

function parseWith<T>(schema: z.ZodType<T>, data: unknown, file: string, what: string): T {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    throw new ResultFileError(
      `${file} was written by newer code (schema version ${version}; this checkout reads version ${SCHEMA_VERSION}).\n` +
        'Fix: update this checkout (git pull) rather than re-running the experiment, which would overwrite newer results.',
    );
  }
  if (typeof version === 'number' && version !== SCHEMA_VERSION) {
    throw new ResultFileError(
      `${file} is stale: it was written with schema version ${version}, this code reads version ${SCHEMA_VERSION}.\n` +
        `Fix: re-run the experiment (npm run experiments -- ${idHint(data, file)}).`,
    );
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues
    .slice(0, 8)
    .map((issue) => `  - field ${formatPath(issue.path)}: ${issue.message}`);
  const more = parsed.error.issues.length > 8 ? `\n  … and ${parsed.error.issues.length - 8} more` : '';
  throw new ResultFileError(
    `${file} is not a valid ${what}:\n${lines.join('\n')}${more}\n` +
      `Fix: re-run the experiment (npm run experiments -- ${idHint(data, file)}) rather than editing the file by hand.`,
  );
}

/** Parses the text of a result file, turning a JSON syntax error into a message that names the file. */
export function parseResultText(text: string, file: string): ResultFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ResultFileError(`${file} is not valid JSON (${(error as Error).message}).\nFix: re-run the experiment that writes it.`);
  }
  return parseResultFile(data, file);
}

function idHint(data: unknown, file: string): string {
  const id = (data as { id?: unknown } | null)?.id;
  if (typeof id === 'string') return id;
  return file.replace(/^.*\//, '').replace(/\.json$/, '');
}
