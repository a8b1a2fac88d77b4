/** What every protocol-trained experiment reports about its own training: caps reached, divergence, epochs. */
import type { StoppingRule } from '../lib/protocol.ts';
import type { Row } from '../lib/schema.ts';

/** Counts of trials that diverged or stopped at the epoch cap, and the spread of kept epochs. */
export function protocolSummary(rows: Row[], notes: string[], rule?: StoppingRule): Record<string, number> {
  // What the rule watches, in the words of the file it was run with (v2 files watched the loss).
  const watched = rule?.monitor === 'error' ? 'validation error' : 'validation loss';
  const trained = rows.filter((r) => typeof r.epochsRun === 'number' && (r.epochsRun as number) > 0);
  const diverged = rows.filter((r) => r.diverged === true).length;
  const capped = rows.filter((r) => r.hitCap === true).length;
  if (diverged) notes.push(`${diverged} trial(s) diverged (non-finite loss or weights); they are kept in the rows and left out of the means.`);
  notes.push(
    capped
      ? `${capped} of ${trained.length} trials reached the epoch cap before the ${watched} stopped improving.`
      : `No trial reached the epoch cap: every one stopped because its ${watched} had stopped improving.`,
  );
  const kept = trained.map((r) => r.keptEpoch as number);
  return {
    diverged,
    cappedTrials: capped,
    trials: trained.length,
    ...(kept.length ? { 'keptEpoch.min': Math.min(...kept), 'keptEpoch.max': Math.max(...kept) } : {}),
  };
}
