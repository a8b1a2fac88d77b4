/**
 * The experiment CLI.
 *   npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|wasm|cpu|tensorflow]
 *                          [--out DIR] [--jobs N] [--force] [--cache DIR]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { BackendError, selectBackend, type BackendRequest } from './lib/backend.ts';
import { createProgress } from './lib/progress.ts';
import { runExperiment } from './lib/runner.ts';
import { BACKENDS, PROFILES, type Profile } from './lib/schema.ts';
import { experiments, findExperiment } from './suite/index.ts';

const usage = `Usage: npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|${BACKENDS.join('|')}]
                              [--out DIR] [--jobs N] [--force] [--cache DIR]
Experiments: ${experiments.map((e) => e.id).join(', ')} (default: all)
  --profile  smoke (seconds) | quick (minutes, default) | full (what the site publishes)
  --jobs     worker processes (default: one per core, ${availableParallelism()} here)
  --force    re-run units even when their results are cached
  --cache    unit cache directory (default .cache/experiments); an interrupted run resumes from it`;

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

  for (const id of selected) {
    const experiment = findExperiment(id)!;
    progress.log(`${id}: profile ${profile} — ${experiment.claim}`);
    const result = await runExperiment(experiment, {
      profile,
      backend,
      outDir: values.out,
      cacheDir: values.cache,
      force: values.force,
      jobs,
      onUnitStart: ({ experiment: e, key }) => progress.start(e, key),
      onUnit: (event) => progress.unit(event),
    });
    progress.stop();
    const diverged = result.rows.filter((r) => r.diverged === true).length;
    progress.log(`${id}: wrote ${values.out}/${id}.json (${result.rows.length} rows, ${result.provenance.durationSeconds.toFixed(1)} s)`);
    if (diverged) progress.log(`${id}: warning: ${diverged} run(s) diverged (non-finite loss or weights); recorded as such in the rows.`);
    for (const note of result.notes) progress.log(`${id}: ${note}`);
  }
}

await main();
