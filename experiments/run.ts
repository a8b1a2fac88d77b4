/**
 * The experiment CLI.
 *   npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|webgpu|tensorflow|wasm|cpu]
 *                          [--out DIR] [--jobs N] [--force] [--cache DIR] [--shard K/N] [--verbose]
 *   npm run experiments -- merge DIR [--out DIR]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BackendError, selectBackend, type BackendChoice, type BackendRequest } from './lib/backend.ts';
import { createProgress, type Progress } from './lib/progress.ts';
import { MergeError, mergeShards, RunFailure, runExperiment, runShard, shardFileName, writeJsonAtomically, type Shard, type UnitEvent } from './lib/runner.ts';
import { BACKENDS, parseShardFile, PROFILES, type Profile, type ShardFile } from './lib/schema.ts';
import { experiments, findExperiment } from './suite/index.ts';

const usage = `Usage: npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|${BACKENDS.join('|')}]
                              [--out DIR] [--jobs N] [--force] [--cache DIR] [--shard K/N] [--verbose]
       npm run experiments -- merge DIR [--out DIR]
Experiments: ${experiments.map((e) => e.id).join(', ')} (default: all)
  --profile  smoke (seconds) | quick (minutes, default) | full (what the site publishes)
  --jobs     worker processes (default: one per core, ${availableParallelism()} here)
  --force    re-run units even when their results are cached
  --cache    unit cache directory (default .cache/experiments); an interrupted run resumes from it
  --shard    run only the K-th of N slices of the work and write <id>.shard-K-of-N.json to --out
  --verbose  on a failure, print each failing unit's full stack, not only its one line
  merge      combine the shard files found in DIR into <id>.json files in --out (default generated)`;

function fail(message: string): never {
  console.error(`experiments: ${message}\n\n${usage}`);
  process.exit(2);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        profile: { type: 'string', default: 'quick' },
        backend: { type: 'string', default: 'auto' },
        out: { type: 'string', default: 'generated' },
        jobs: { type: 'string', default: String(availableParallelism()) },
        force: { type: 'boolean', default: false },
        cache: { type: 'string', default: '.cache/experiments' },
        shard: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return;
  }
  if (positionals[0] === 'merge') {
    if (positionals.length !== 2) fail('merge takes one directory of shard files');
    mergeDirectory(positionals[1]!, values.out);
    return;
  }
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!match || Number(match[1]) < 1 || Number(match[1]) > Number(match[2])) fail(`--shard must be K/N with 1 ≤ K ≤ N, not "${values.shard}"`);
    shard = { index: Number(match[1]), count: Number(match[2]) };
  }
  const profile = values.profile as Profile;
  if (!PROFILES.includes(profile)) fail(`unknown --profile "${values.profile}"`);
  const backendRequest = values.backend as BackendRequest;
  if (backendRequest !== 'auto' && !BACKENDS.includes(backendRequest)) fail(`unknown --backend "${values.backend}"`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) fail(`--jobs must be a positive whole number, not "${values.jobs}"`);
  const selected = positionals.length ? positionals : experiments.map((e) => e.id);
  const unknown = selected.filter((id) => !findExperiment(id));
  if (unknown.length) fail(`unknown experiment id(s): ${unknown.join(', ')}`);

  const backend = await selectBackend(backendRequest).catch((error: unknown) => {
    if (error instanceof BackendError) fail(error.message);
    throw error;
  });
  const progress = createProgress();
  for (const line of backend.skipped) progress.log(`backend: not used: ${line}`);
  progress.log(`backend: ${backend.name} (${backend.reason.replace(/ \(.*\)$/, '')}); ${jobs} worker process(es)`);

  process.once('SIGINT', () => {
    progress.stop();
    console.error(`\nexperiments: interrupted. Finished units are kept in ${values.cache}; run the same command again to resume.`);
    process.exit(130);
  });

  try {
    await runAll(selected, profile, shard, backend, progress, values);
  } catch (error) {
    progress.stop();
    if (!(error instanceof RunFailure)) throw error;
    // One line per failing unit; the stack only when asked for.
    for (const failure of error.failures) {
      console.error(`experiments: ${failure.message}`);
      if (values.verbose) console.error(indent(failure.detail));
    }
    console.error(
      `experiments: stopped; ${error.finished} of ${error.total} units finished and are kept in ${values.cache}: fix the cause and run the same command again to resume` +
        (values.verbose ? '.' : ' (--verbose prints the full stack).'),
    );
    process.exitCode = 1;
  }
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

async function runAll(
  selected: string[],
  profile: Profile,
  shard: Shard | undefined,
  backend: BackendChoice,
  progress: Progress,
  values: { out: string; cache: string; force: boolean; jobs: string },
) {
  const jobs = Number(values.jobs);
  for (const id of selected) {
    const experiment = findExperiment(id)!;
    progress.log(`${id}: profile ${profile} — ${experiment.claim}`);
    const options = {
      profile,
      backend,
      outDir: values.out,
      cacheDir: values.cache,
      force: values.force,
      jobs,
      onUnitStart: ({ experiment: e, key }: { experiment: string; key: string }) => progress.start(e, key),
      onUnit: (event: UnitEvent) => progress.unit(event),
    };
    if (shard) {
      const written = await runShard(experiment, shard, options);
      progress.stop();
      progress.log(`${id}: wrote ${join(values.out, shardFileName(id, shard))} (${written.units.length} units of shard ${shard.index}/${shard.count})`);
      continue;
    }
    const result = await runExperiment(experiment, options);
    progress.stop();
    const diverged = result.rows.filter((r) => r.diverged === true).length;
    progress.log(`${id}: wrote ${values.out}/${id}.json (${result.rows.length} rows, ${result.provenance.durationSeconds.toFixed(1)} s)`);
    if (diverged) progress.log(`${id}: warning: ${diverged} run(s) diverged (non-finite loss or weights); recorded as such in the rows.`);
    for (const note of result.notes) progress.log(`${id}: ${note}`);
  }
}

/** Merges every `<id>.shard-K-of-N.json` in `directory` (searched recursively, as CI artifacts nest). */
function mergeDirectory(directory: string, outDir: string) {
  const files = (readdirSync(directory, { recursive: true }) as string[]).filter((f) => /\.shard-\d+-of-\d+\.json$/.test(f)).sort();
  if (files.length === 0) fail(`no shard files (<id>.shard-K-of-N.json) in ${directory}`);
  const byId = new Map<string, { file: string; shard: ShardFile }[]>();
  for (const name of files) {
    const file = join(directory, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      fail(`${file} is not valid JSON (${(error as Error).message})`);
    }
    const shard = parseShardFile(data, file);
    byId.set(shard.id, [...(byId.get(shard.id) ?? []), { file, shard }]);
  }
  for (const [id, shards] of byId) {
    const experiment = findExperiment(id);
    if (!experiment) fail(`${shards[0]!.file}: unknown experiment "${id}"`);
    try {
      const result = mergeShards(experiment, shards);
      writeJsonAtomically(join(outDir, `${id}.json`), result);
      console.log(`merge: ${id}: ${shards.length} shard(s) → ${join(outDir, `${id}.json`)} (${result.rows.length} rows)`);
    } catch (error) {
      if (error instanceof MergeError) {
        console.error(`merge: ${error.message}`);
        process.exit(1);
      }
      throw error;
    }
  }
}

try {
  await main();
} catch (error) {
  // Anything else that goes wrong: its message, not a dump; the stack with --verbose.
  const verbose = process.argv.includes('--verbose');
  console.error(`experiments: ${verbose && error instanceof Error ? error.stack : error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
