/** The numbers the sigmoid-to-ReLU lesson quotes, from the activations experiment's rows. */
import type { Row } from '../lib/schema.ts';
import { meanOf } from '../lib/trial.ts';
import type { ActivationsConfig } from '../configs.ts';
import { bestRate, finalValidation, peakValidationPerSeed, separatedOverSeeds, toTarget } from './sweep.ts';

export function summarizeActivations(config: ActivationsConfig, rows: Row[], timings: Row[]): { summary: Record<string, number>; notes: string[] } {
  const summary: Record<string, number> = {
    targetAccuracy: config.targetAccuracy,
    epochs: config.epochs,
    m: config.m,
    width: config.width,
    sharedRate: config.sharedRate,
    rates: config.rates.length,
    seeds: config.seeds.length,
  };
  const notes: string[] = [];
  const { seeds, epochs } = config;
  for (const depth of config.depths) {
    // The chain rule multiplies one σ′ ≤ 1/4 per sigmoid layer: the most a gradient can keep.
    summary[`sigmoidBound.${depth}`] = 0.25 ** depth;
    for (const activation of config.activations) {
      const of = (r: Row, rate: number) => r.activation === activation && r.depth === depth && r.rate === rate;
      for (const rate of config.rates) summary[`sweep.${activation}.${depth}.${rate}`] = finalValidation(rows, (r) => of(r, rate), epochs, seeds);
      const best = bestRate(rows, config.rates, of, epochs, seeds);
      summary[`bestRate.${activation}.${depth}`] = best;
      // Where every rate left the network at chance there is no best rate, only the first of equals.
      const atChance = config.rates.every((rate) => summary[`sweep.${activation}.${depth}.${rate}`]! < 0.2);
      summary[`untrainedAtEveryRate.${activation}.${depth}`] = atChance ? 1 : 0;
      if (atChance) notes.push(`${activation}, ${depth} hidden layers: at chance after ${epochs} epochs at every rate of the sweep.`);
      else if (best === config.rates.at(-1) || best === config.rates[0]) notes.push(`${activation}, ${depth} hidden layers: the best rate, ${best}, is at the edge of the sweep.`);
      for (const [setting, rate] of [['best', best], ['shared', config.sharedRate]] as const) {
        const where = (r: Row) => of(r, rate);
        const key = `${setting}.${activation}.${depth}`;
        summary[`valAccuracy.${key}`] = finalValidation(rows, where, epochs, seeds);
        summary[`testAccuracy.${key}`] = meanOf(rows, 'testAccuracy', (r) => r.kind === 'final' && where(r));
        const target = toTarget(rows, timings, where, config.targetAccuracy, seeds);
        summary[`reachedTarget.${key}`] = target.reached;
        if (target.epochs !== undefined) {
          summary[`epochsToTarget.${key}`] = target.epochs;
          summary[`secondsToTarget.${key}`] = target.seconds!;
        } else {
          notes.push(
            `${activation}, ${depth} hidden layers, ${setting} rate (${rate}): reached ${(100 * config.targetAccuracy).toFixed(0)}% validation accuracy in ${target.reached * seeds.length} of ${seeds.length} seeds within ${epochs} epochs.`,
          );
        }
      }
      // Signal per weight reaching the first layer relative to the last: ≪ 1 is a vanishing gradient.
      // At initialisation the rate plays no part (same weights at every rate).
      const rms = (epoch: number, layer: number, rate: number) =>
        meanOf(rows, 'gradientRms', (r) => r.kind === 'gradient' && of(r, rate) && r.epoch === epoch && r.layer === layer);
      summary[`gradientRatioAtInit.${activation}.${depth}`] = rms(0, 1, config.sharedRate) / rms(0, depth + 1, config.sharedRate);
      summary[`gradientRatioAfterEpoch1.${activation}.${depth}`] = rms(1, 1, best) / rms(1, depth + 1, best);
    }
    // Read at each seed's best epoch, not its last, and compared against the spread over seeds.
    const peaks = new Map<string, number[]>();
    for (const activation of config.activations) {
      const rate = summary[`bestRate.${activation}.${depth}`]!;
      const perSeed = peakValidationPerSeed(rows, (r) => r.activation === activation && r.depth === depth && r.rate === rate, seeds);
      peaks.set(activation, perSeed);
      summary[`peakValAccuracy.best.${activation}.${depth}`] = perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
      summary[`peakValSpread.best.${activation}.${depth}`] = Math.max(...perSeed) - Math.min(...perSeed);
      summary[`lastEpochDrop.best.${activation}.${depth}`] = summary[`peakValAccuracy.best.${activation}.${depth}`]! - summary[`valAccuracy.best.${activation}.${depth}`]!;
    }
    for (const other of ['sigmoid', 'tanh'] as const) {
      if (!peaks.has('relu') || !peaks.has(other)) continue;
      const separated = separatedOverSeeds(peaks.get('relu')!, peaks.get(other)!);
      summary[`separated.best.relu-vs-${other}.${depth}`] = separated ? 1 : 0;
      if (!separated) notes.push(`${depth} hidden layers: ReLU and ${other} at their best rates are within seed noise (their best-epoch validation accuracies overlap across the ${seeds.length} seeds).`);
    }
    // Speed-ups in epochs, ReLU against the others, at each one's best rate and at the shared rate.
    // Where the slower one never reached the target the ratio is at least epochs / ReLU's epochs.
    for (const setting of ['best', 'shared'] as const) {
      const relu = summary[`epochsToTarget.${setting}.relu.${depth}`];
      for (const other of ['sigmoid', 'tanh'] as const) {
        if (relu === undefined || !config.activations.includes(other)) continue;
        const slower = summary[`epochsToTarget.${setting}.${other}.${depth}`];
        if (slower !== undefined) {
          summary[`speedup.${setting}.relu-vs-${other}.${depth}`] = slower / relu;
          summary[`secondsSpeedup.${setting}.relu-vs-${other}.${depth}`] =
            summary[`secondsToTarget.${setting}.${other}.${depth}`]! / summary[`secondsToTarget.${setting}.relu.${depth}`]!;
        } else summary[`speedupAtLeast.${setting}.relu-vs-${other}.${depth}`] = epochs / relu;
      }
    }
  }
  // Seconds per epoch of each activation at the shared rate, deepest network: is max(0, x) cheaper than an exponential?
  const deepest = Math.max(...config.depths);
  for (const activation of config.activations) {
    const perEpoch = timings
      .filter((t) => t.activation === activation && t.depth === deepest && t.rate === config.sharedRate && t.epoch === epochs)
      .map((t) => (t.seconds as number) / epochs);
    if (perEpoch.length) summary[`secondsPerEpoch.${activation}.${deepest}`] = perEpoch.reduce((a, b) => a + b, 0) / perEpoch.length;
  }
  const diverged = rows.filter((r) => r.kind === 'final' && r.diverged === true).length;
  summary['diverged'] = diverged;
  if (diverged) notes.push(`${diverged} run(s) of the sweep diverged (too large a rate); they count as chance when rates are compared.`);
  return { summary, notes };
}
