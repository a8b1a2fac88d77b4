/**
 * The experiment CLI.
 *   npm run experiments -- [ids…] --profile smoke|quick|full --backend auto|wasm|cpu|tensorflow --out DIR
 */
import { parseArgs } from 'node:util';
import { BackendError, selectBackend, type BackendRequest } from './lib/backend.ts';
import { runExperiment } from './lib/runner.ts';
import { BACKENDS, PROFILES, type Profile } from './lib/schema.ts';
import { experiments, findExperiment } from './suite/index.ts';

const usage = `Usage: npm run experiments -- [ids…] [--profile smoke|quick|full] [--backend auto|${BACKENDS.join('|')}] [--out DIR]
Experiments: ${experiments.map((e) => e.id).join(', ')} (default: all)`;

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
  const selected = positionals.length ? positionals : experiments.map((e) => e.id);
  const unknown = selected.filter((id) => !findExperiment(id));
  if (unknown.length) fail(`unknown experiment id(s): ${unknown.join(', ')}`);

  const backend = await selectBackend(backendRequest).catch((error: unknown) => {
    if (error instanceof BackendError) fail(error.message);
    throw error;
  });
  for (const line of backend.skipped) console.log(`backend: skipped: ${line}`);
  console.log(`backend: ${backend.name} (${backend.reason.replace(/ \(.*\)$/, '')})`);

  for (const id of selected) {
    const experiment = findExperiment(id)!;
    const started = performance.now();
    console.log(`${id}: profile ${profile} — ${experiment.claim}`);
    const result = await runExperiment(experiment, {
      profile,
      backend,
      outDir: values.out,
      onUnit({ key, done, total }) {
        const elapsed = (performance.now() - started) / 1000;
        const eta = (elapsed / done) * (total - done);
        console.log(`${id}: [${done}/${total}] ${key}  elapsed ${elapsed.toFixed(0)} s, ETA ${eta.toFixed(0)} s`);
      },
    });
    console.log(`${id}: wrote ${values.out}/${id}.json (${result.rows.length} rows, ${result.provenance.durationSeconds.toFixed(1)} s)`);
    for (const note of result.notes) console.log(`${id}: ${note}`);
  }
}

await main();
