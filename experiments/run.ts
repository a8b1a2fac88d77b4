/**
 * The experiment CLI.
 *   npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|webgpu|tensorflow|wasm|cpu]
 *                          [--out DIR] [--jobs N] [--force] [--cache DIR] [--shard K/N] [--verbose]
 *   npm run experiments -- merge DIR [--out DIR]
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { createCli } from './cli.ts';
import { BackendError, selectBackend, type BackendChoice, type BackendRequest } from './lib/backend.ts';
import { createProgress, type Progress } from './lib/progress.ts';
import { MergeError, mergeShards, RunFailure, RunInterrupted, runExperiment, runShard, shardFileName, stopAllWorkers, writeJsonFilesAtomically, type Shard, type UnitEvent } from './lib/runner.ts';
import { BACKENDS, parseShardFile, PROFILES, ResultFileError, type Profile, type ResultFile, type ShardFile } from './lib/schema.ts';
import { experiments, findExperiment } from './suite/index.ts';

const usage = `Usage: npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|${BACKENDS.join('|')}]
                              [--out DIR] [--jobs N] [--force] [--cache DIR] [--shard K/N] [--verbose]
       npm run experiments -- merge DIR [--out DIR]
Experiments: ${experiments.map((e) => e.id).join(', ')} (default: all)
  --profile  smoke (seconds) | quick (minutes, default) | full (what the site publishes)
  --out      where <id>.json goes: default generated/ for --profile full, else ${defaultOut('<profile>')}
             (only a full profile writes into generated/ unless --out generated is given)
  --jobs     worker processes (default: one per core, ${availableParallelism()} here)
  --force    re-run units even when their results are cached
  --cache    unit cache directory (default .cache/experiments); an interrupted run resumes from it
  --shard    run only the K-th of N slices of the work and write <id>.shard-K-of-N.json to --out
  --verbose  on a failure, print each failing unit's full stack, not only its one line
  merge      combine the shard files found in DIR into <id>.json files in --out (default: as for a run
             of the shards' profile); all experiments are written, or none`;

/** Where a run writes when --out is not given: the site's generated/ only for the profile it publishes. */
function defaultOut(profile: string, shard = false): string {
  if (shard) return '.cache/shards';
  return profile === 'full' ? 'generated' : `.cache/results/${profile}`;
}

/** --out must be a directory we can create and write; checked before any work, naming the flag. */
function checkWritableDirectory(flag: string, directory: string): void {
  if (existsSync(directory) && !statSync(directory).isDirectory()) fail(`${flag} ${directory} is a file, not a directory`);
  try {
    mkdirSync(directory, { recursive: true });
    const probe = join(directory, `.write-probe-${process.pid}.tmp`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    fail(`${flag} ${directory} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

const cli = createCli('experiments', usage);
// Annotated, so that TypeScript narrows after a call as it does after a function declared `never`.
const fail: (message: string) => never = cli.fail;

async function main() {
  const parsed = cli.parse({
    allowPositionals: true,
    options: {
      profile: { type: 'string', default: 'quick' },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      jobs: { type: 'string', default: String(availableParallelism()) },
      force: { type: 'boolean', default: false },
      cache: { type: 'string', default: '.cache/experiments' },
      shard: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
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
  const profile = cli.oneOf('--profile', values.profile, PROFILES);
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!match || Number(match[1]) < 1 || Number(match[1]) > Number(match[2])) fail(`--shard must be K/N with 1 ≤ K ≤ N, not "${values.shard}"`);
    shard = { index: Number(match[1]), count: Number(match[2]) };
  }
  const backendRequest: BackendRequest = cli.oneOf('--backend', values.backend, ['auto', ...BACKENDS] as const);
  const jobs = cli.wholeNumber('--jobs', values.jobs);
  const selected = positionals.length ? positionals : experiments.map((e) => e.id);
  const unknown = selected.filter((id) => !findExperiment(id));
  if (unknown.length) fail(`unknown experiment id(s): ${unknown.join(', ')}`);
  const out = values.out ?? defaultOut(profile, shard !== undefined);
  checkWritableDirectory('--out', out);
  checkWritableDirectory('--cache', values.cache);

  const backend = await selectBackend(backendRequest).catch((error: unknown) => {
    if (error instanceof BackendError) fail(error.message);
    throw error;
  });
  const progress = createProgress();
  for (const line of backend.skipped) progress.log(`backend: not used: ${line}`);
  progress.log(`backend: ${backend.name} (${backend.reason.replace(/ \(.*\)$/, '')}); ${jobs} worker process(es)`);

  if (values.out === undefined && out !== 'generated') {
    progress.log(`writing to ${out}/ (${shard ? 'shards go' : `a ${profile} run goes`} there by default, leaving generated/ alone; --out DIR to choose)`);
  }

  // Ctrl-C, a CI cancel or `timeout`: stop at once, keep what finished, leave no worker behind.
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    stop.abort();
    progress.stop();
    console.error(`\nexperiments: ${signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`}. Finished units are kept in ${values.cache}; run the same command again to resume.`);
    const code = 128 + (signal === 'SIGINT' ? 2 : 15);
    // Workers get a second to exit, then SIGKILL (tinypool); never wait on a unit in this process.
    void Promise.race([stopAllWorkers(), new Promise((resolve) => setTimeout(resolve, 3000))]).then(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await runAll(selected, profile, shard, backend, progress, { ...values, out, signal: stop.signal });
  } catch (error) {
    progress.stop();
    // The signal handler reports and exits.
    if (error instanceof RunInterrupted) return new Promise<never>(() => {});
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
  values: { out: string; cache: string; force: boolean; jobs: string; signal: AbortSignal },
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
      signal: values.signal,
      onWarning: (message: string) => progress.log(`${id}: warning: ${message}`),
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

/**
 * Merges every `<id>.shard-K-of-N.json` in `directory` (searched recursively, as CI artifacts nest).
 * All or nothing: every experiment's shards are checked and merged before any file is written.
 */
function mergeDirectory(directory: string, outFlag: string | undefined) {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) fail(`merge: ${directory} is not a directory of shard files`);
  const files = (readdirSync(directory, { recursive: true }) as string[]).filter((f) => /\.shard-\d+-of-\d+\.json$/.test(f)).sort();
  if (files.length === 0) fail(`no shard files (<id>.shard-K-of-N.json) in ${directory}`);
  const byId = new Map<string, { file: string; shard: ShardFile }[]>();
  const problems: string[] = [];
  for (const name of files) {
    const file = join(directory, name);
    try {
      const shard = parseShardFile(JSON.parse(readFileSync(file, 'utf8')), file);
      byId.set(shard.id, [...(byId.get(shard.id) ?? []), { file, shard }]);
    } catch (error) {
      problems.push(error instanceof SyntaxError ? `${file} is not valid JSON (${error.message})` : (error as Error).message);
    }
  }
  const merged: { id: string; result: ResultFile; shards: number }[] = [];
  for (const [id, shards] of byId) {
    const experiment = findExperiment(id);
    if (!experiment) {
      problems.push(`${shards[0]!.file}: unknown experiment "${id}"`);
      continue;
    }
    try {
      merged.push({ id, result: mergeShards(experiment, shards), shards: shards.length });
    } catch (error) {
      if (!(error instanceof MergeError) && !(error instanceof ResultFileError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length) {
    for (const problem of problems) console.error(`merge: ${problem}`);
    console.error(`merge: nothing written (${problems.length} problem(s)); every experiment is merged, or none.`);
    process.exit(1);
  }
  const profiles = new Set(merged.map((m) => m.result.profile));
  const outDir = outFlag ?? (profiles.size === 1 ? defaultOut([...profiles][0]!) : fail('merge: the shards are of several profiles; say where with --out'));
  checkWritableDirectory('--out', outDir);
  writeJsonFilesAtomically(merged.map(({ id, result }) => ({ path: join(outDir, `${id}.json`), data: result })));
  for (const { id, result, shards } of merged) console.log(`merge: ${id}: ${shards} shard(s) → ${join(outDir, `${id}.json`)} (${result.rows.length} rows)`);
}

try {
  await main();
} catch (error) {
  // Anything else that goes wrong: its message, not a dump; the stack with --verbose.
  const verbose = process.argv.includes('--verbose');
  console.error(`experiments: ${verbose && error instanceof Error ? error.stack : error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
