/**
 * The numbers the optimiser lessons quote, from the optimizers experiment's rows.
 *
 * Protocol v3: each optimiser's rate is chosen on its seeds' best-so-far validation accuracy (each
 * seed's peak over the epochs run, never the last epoch's), and the sweep's values are best-so-far too.
 * A speed-up or an accuracy difference is called one only when it exceeds the seed spread: the ranges
 * over seeds do not overlap (separatedOverSeeds); the paired count of seeds on which one beats SGD is
 * reported beside it.
 */
import type { Row } from '../lib/schema.ts';
import { meanOf } from '../lib/trial.ts';
import type { OptimizersConfig } from '../configs.ts';
import { bestRate, bestSoFarValidation, epochsToTargetPerSeed, finalValidation, overSeeds, pairedWins, peakValidationPerSeed, separatedOverSeeds, toTarget } from './sweep.ts';

export function summarizeOptimizers(config: OptimizersConfig, rows: Row[], timings: Row[]): { summary: Record<string, number>; notes: string[] } {
  const summary: Record<string, number> = { targetAccuracy: config.targetAccuracy, epochs: config.epochs, m: config.m, seeds: config.seeds.length };
  const { seeds, epochs } = config;
  const notes: string[] = [
    `Rates are chosen, and optimisers compared, on each seed's best-so-far validation accuracy (its best epoch of ${epochs}), never the last epoch's. ` +
      `A difference is called one only when the ranges over the ${seeds.length} seeds do not overlap; epochs to the target count a seed that never reached it as ${epochs + 1}.`,
  ];
  for (const { name, label, rates } of config.optimizers) {
    const of = (r: Row, rate: number) => r.optimizer === name && r.rate === rate;
    for (const rate of rates) summary[`sweep.${name}.${rate}`] = bestSoFarValidation(rows, (r) => of(r, rate), seeds);
    const best = bestRate(rows, rates, of, seeds);
    summary[`bestRate.${name}`] = best;
    // A best rate at the edge of the sweep means the sweep may not have bracketed the optimum.
    const atEdge = best === rates[0] || best === rates.at(-1);
    summary[`bestRateAtEdge.${name}`] = atEdge ? 1 : 0;
    if (atEdge) notes.push(`${label}: the best rate, ${best}, is at the edge of the sweep (${rates.join(', ')}).`);
    const where = (r: Row) => of(r, best);
    const peaks = overSeeds(peakValidationPerSeed(rows, where, seeds));
    summary[`valAccuracy.${name}`] = peaks.mean;
    summary[`valAccuracyLow.${name}`] = peaks.low;
    summary[`valAccuracyHigh.${name}`] = peaks.high;
    summary[`lastEpochValAccuracy.${name}`] = finalValidation(rows, where, epochs, seeds);
    summary[`finalAccuracy.${name}`] = meanOf(rows, 'testAccuracy', (r) => r.kind === 'final' && where(r));
    const target = toTarget(rows, timings, where, config.targetAccuracy, seeds);
    summary[`reachedTarget.${name}`] = target.reached;
    if (target.epochs !== undefined) {
      summary[`epochsToTarget.${name}`] = target.epochs;
      summary[`secondsToTarget.${name}`] = target.seconds!;
    } else {
      notes.push(`${label}: at its best rate, did not reach ${(100 * config.targetAccuracy).toFixed(0)}% validation accuracy within ${epochs} epochs in every seed.`);
    }
  }
  // A speed-up is called one only when every seed of the faster optimiser beats every seed of SGD.
  // A seed that never reached the target counts as one epoch past the budget.
  const perSeed = (name: string) => {
    const rate = summary[`bestRate.${name}`]!;
    return epochsToTargetPerSeed(rows, (r) => r.optimizer === name && r.rate === rate, config.targetAccuracy, seeds).map((e) => e ?? epochs + 1);
  };
  const peaksOf = (name: string) => peakValidationPerSeed(rows, (r) => r.optimizer === name && r.rate === summary[`bestRate.${name}`], seeds);
  if (config.optimizers.some((o) => o.name === 'sgd')) {
    for (const { name, label } of config.optimizers.filter((o) => o.name !== 'sgd')) {
      const separated = separatedOverSeeds(perSeed(name), perSeed('sgd'));
      summary[`speedupBeyondNoise.${name}`] = separated ? 1 : 0;
      summary[`pairedFewerEpochs.${name}`] = pairedWins(perSeed('sgd'), perSeed(name));
      if (!separated) notes.push(`${label}: its epochs to the target overlap SGD's across the ${seeds.length} seeds: no speed-up beyond seed noise.`);
      const accuracySeparated = separatedOverSeeds(peaksOf(name), peaksOf('sgd'));
      summary[`accuracyBeyondNoise.${name}`] = accuracySeparated ? 1 : 0;
      summary[`pairedWins.${name}`] = pairedWins(peaksOf(name), peaksOf('sgd'));
    }
  }
  const sgd = summary['epochsToTarget.sgd'];
  for (const { name } of config.optimizers) {
    const epochsTo = summary[`epochsToTarget.${name}`];
    if (sgd !== undefined && epochsTo !== undefined && name !== 'sgd') summary[`speedupOverSgd.${name}`] = sgd / epochsTo;
    if (sgd === undefined && epochsTo !== undefined) summary[`speedupOverSgdAtLeast.${name}`] = epochs / epochsTo;
  }
  const diverged = rows.filter((r) => r.kind === 'final' && r.diverged === true).length;
  summary['diverged'] = diverged;
  if (diverged) notes.push(`${diverged} run(s) of the sweep diverged (too large a rate); they count as chance when rates are compared.`);
  return { summary, notes };
}
