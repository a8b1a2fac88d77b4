/**
 * Recomputes the summary and notes of committed result files from their own rows, timings and
 * config, with the current summary code (experiments/summaries): a change to what a lesson quotes
 * needs no training. Rows, timings and provenance are kept as they are; the file is validated and
 * replaced atomically.
 *
 *   npm run resummarize -- [ids…] [--dir generated]
 */
import { summaryOf } from './lib/experiment.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCli } from './cli.ts';
import { validateRows } from './lib/rows.ts';
import { writeJsonAtomically } from './lib/runner.ts';
import { parseResultFile, parseResultText } from './lib/schema.ts';
import { experiments, findExperiment } from './suite/index.ts';

const known = experiments.map((e) => e.id);
const cli = createCli(
  'resummarize',
  `Usage: npm run resummarize -- [ids…] [--dir DIR]\nExperiments: ${known.join(', ')} (default: all)\n  --dir  where the result files are (default generated)`,
);
const { values, positionals } = cli.parse({ allowPositionals: true, options: { dir: { type: 'string', default: 'generated' } } });
const unknown = positionals.filter((id) => !findExperiment(id));
if (unknown.length) cli.fail(`no experiment ${unknown.map((id) => `"${id}"`).join(', ')} (known: ${known.join(', ')})`);
if (values.dir.startsWith('-')) cli.fail(`--dir needs a directory, not "${values.dir}"`);

const ids = positionals.length ? positionals : known;
let failed = false;
for (const id of ids) {
  const experiment = findExperiment(id)!;
  const file = join(values.dir, `${id}.json`);
  try {
    const result = parseResultText(readFileSync(file, 'utf8'), file);
    // A summary of rows with a null or a mistyped cell would quietly leave that measurement out.
    validateRows(id, result.rows, file);
    const { summary, notes } = summaryOf(experiment, result.config, result.rows, result.timings);
    writeJsonAtomically(file, parseResultFile({ ...result, summary, notes }, file));
    console.log(`resummarize: ${file}: ${Object.keys(summary).length} summary values, ${notes.length} notes`);
  } catch (error) {
    console.error(`resummarize: ${(error as Error).message.split('\n')[0]}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
