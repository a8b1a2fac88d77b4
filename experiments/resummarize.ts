/**
 * Recomputes the summary and notes of committed result files from their own rows, timings and
 * config, with the current summary code (experiments/summaries): a change to what a lesson quotes
 * needs no training. Rows, timings and provenance are kept as they are; the file is validated and
 * replaced atomically.
 *
 *   npm run resummarize -- [ids…] [--dir generated]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeJsonAtomically } from './lib/runner.ts';
import { parseResultFile, parseResultText } from './lib/schema.ts';
import { experiments, findExperiment } from './suite/index.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dir: { type: 'string', default: 'generated' } } });
const ids = positionals.length ? positionals : experiments.map((e) => e.id);
let failed = false;
for (const id of ids) {
  const experiment = findExperiment(id);
  if (!experiment) {
    console.error(`resummarize: no experiment "${id}" (known: ${experiments.map((e) => e.id).join(', ')})`);
    failed = true;
    continue;
  }
  const file = join(values.dir, `${id}.json`);
  try {
    const result = parseResultText(readFileSync(file, 'utf8'), file);
    const { summary, notes } = experiment.summarize(result.config, result.rows, result.timings);
    writeJsonAtomically(file, parseResultFile({ ...result, summary, notes }, file));
    console.log(`resummarize: ${file}: ${Object.keys(summary).length} summary values, ${notes.length} notes`);
  } catch (error) {
    console.error(`resummarize: ${file}: ${(error as Error).message.split('\n')[0]}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
