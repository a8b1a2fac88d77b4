/**
 * The numbers the sigmoid-to-ReLU lesson quotes, from the activations experiment's rows.
 *
 * How contenders are compared (protocol v3): every comparison reads each seed's best-so-far validation
 * accuracy (its peak over the epochs run, as early stopping would keep it), never the last epoch's; the
 * best rate of each contender is chosen on that, per depth. A difference between two contenders is
 * called a difference only when it exceeds the seed spread, judged as non-overlapping ranges over the
 * seeds (separatedOverSeeds: every seed of one above every seed of the other); the paired count of
 * seeds on which one beats the other (a sign test's statistic) is reported beside it. Epochs to the
 * target are judged the same way, a seed that never reached it counting as one epoch past the budget.
 */
import type { Row } from '../lib/schema.ts';
import { meanOf } from '../lib/trial.ts';
import type { ActivationsConfig } from '../configs.ts';
import {
  bestRate,
  bestSoFarValidation,
  epochsToTargetPerSeed,
  finalValidation,
  overSeeds,
  pairedWins,
  peakValidationPerSeed,
  separatedOverSeeds,
  toTarget,
} from './sweep.ts';

/** The pairs whose difference the lesson may state: [the one expected faster, the other]. */
const PAIRS: [string, string][] = [
  ['relu', 'sigmoid'],
  ['relu', 'tanh'],
  ['tanh', 'sigmoid'],
  ['relu-he', 'relu'],
  ['relu-he', 'tanh'],
  ['relu-he', 'sigmoid'],
];

export function summarizeActivations(config: ActivationsConfig, rows: Row[], timings: Row[]): { summary: Record<string, number>; notes: string[] } {
  const names = config.contenders.map((c) => c.name);
  const summary: Record<string, number> = {
    targetAccuracy: config.targetAccuracy,
    epochs: config.epochs,
    m: config.m,
    width: config.width,
    sharedRate: config.sharedRate,
    // The smallest grid any contender has (each contender's own: rates.<name>).
    rates: Math.min(...config.contenders.map((c) => c.rates.length)),
    seeds: config.seeds.length,
    contenders: config.contenders.length,
  };
  for (const c of config.contenders) {
    summary[`rates.${c.name}`] = c.rates.length;
    // The largest step the sweep tried, and how far above the shared rate it reaches.
    summary[`topRate.${c.name}`] = Math.max(...c.rates);
    summary[`topRateOverShared.${c.name}`] = Math.max(...c.rates) / config.sharedRate;
  }
  const notes: string[] = [
    `Every comparison reads each seed's best-so-far validation accuracy (its best epoch of ${config.epochs}), never the last epoch's; ` +
      `each contender's rate is chosen on it, per depth, from its own grid. A difference is called one only when the ranges over the ${config.seeds.length} seeds do not overlap ` +
      '(every seed of one above every seed of the other); pairedWins counts the seeds, paired by seed, on which the first beats the second.',
  ];
  const { seeds, epochs } = config;
  const shared = config.contenders.every((c) => c.rates.includes(config.sharedRate));
  for (const depth of config.depths) {
    // The chain rule multiplies one σ′ ≤ 1/4 per sigmoid layer: the most a gradient can keep.
    summary[`sigmoidBound.${depth}`] = 0.25 ** depth;
    for (const { name, rates } of config.contenders) {
      const of = (r: Row, rate: number) => r.contender === name && r.depth === depth && r.rate === rate;
      for (const rate of rates) summary[`sweep.${name}.${depth}.${rate}`] = bestSoFarValidation(rows, (r) => of(r, rate), seeds);
      const best = bestRate(rows, rates, of, seeds);
      summary[`bestRate.${name}.${depth}`] = best;
      // Where every rate left the network at chance there is no best rate, only the first of equals.
      const atChance = rates.every((rate) => summary[`sweep.${name}.${depth}.${rate}`]! < 0.2);
      summary[`untrainedAtEveryRate.${name}.${depth}`] = atChance ? 1 : 0;
      const atEdge = !atChance && (best === rates.at(-1) || best === rates[0]);
      summary[`bestRateAtEdge.${name}.${depth}`] = atEdge ? 1 : 0;
      if (atChance) notes.push(`${name}, ${depth} hidden layers: at chance within ${epochs} epochs at every rate of its sweep (${rates.join(', ')}).`);
      else if (atEdge) notes.push(`${name}, ${depth} hidden layers: the best rate, ${best}, is at the edge of its sweep (${rates.join(', ')}).`);
      for (const [setting, rate] of [['best', best], ...(shared ? [['shared', config.sharedRate]] : [])] as [string, number][]) {
        const where = (r: Row) => of(r, rate);
        const key = `${setting}.${name}.${depth}`;
        const peaks = overSeeds(peakValidationPerSeed(rows, where, seeds));
        summary[`valAccuracy.${key}`] = peaks.mean;
        summary[`valAccuracyLow.${key}`] = peaks.low;
        summary[`valAccuracyHigh.${key}`] = peaks.high;
        summary[`lastEpochValAccuracy.${key}`] = finalValidation(rows, where, epochs, seeds);
        summary[`testAccuracy.${key}`] = meanOf(rows, 'testAccuracy', (r) => r.kind === 'final' && where(r));
        const target = toTarget(rows, timings, where, config.targetAccuracy, seeds);
        summary[`reachedTarget.${key}`] = target.reached;
        if (target.epochs !== undefined) {
          summary[`epochsToTarget.${key}`] = target.epochs;
          summary[`secondsToTarget.${key}`] = target.seconds!;
          // The spread over seeds of both, where every seed got there.
          const perSeed = epochsToTargetPerSeed(rows, where, config.targetAccuracy, seeds) as number[];
          const seconds = seeds.map((seed, i) => timings.find((t) => t.seed === seed && t.epoch === perSeed[i] && where(t))?.seconds as number);
          summary[`epochsToTargetLow.${key}`] = Math.min(...perSeed);
          summary[`epochsToTargetHigh.${key}`] = Math.max(...perSeed);
          summary[`secondsToTargetLow.${key}`] = Math.min(...seconds);
          summary[`secondsToTargetHigh.${key}`] = Math.max(...seconds);
        } else {
          notes.push(
            `${name}, ${depth} hidden layers, ${setting} rate (${rate}): reached ${(100 * config.targetAccuracy).toFixed(0)}% validation accuracy in ${Math.round(target.reached * seeds.length)} of ${seeds.length} seeds within ${epochs} epochs.`,
          );
        }
      }
      // Best-so-far against last epoch at the best rate: how much a last-epoch reading would lose.
      summary[`peakValAccuracy.best.${name}.${depth}`] = summary[`valAccuracy.best.${name}.${depth}`]!;
      summary[`peakValSpread.best.${name}.${depth}`] = summary[`valAccuracyHigh.best.${name}.${depth}`]! - summary[`valAccuracyLow.best.${name}.${depth}`]!;
      summary[`lastEpochDrop.best.${name}.${depth}`] = summary[`valAccuracy.best.${name}.${depth}`]! - summary[`lastEpochValAccuracy.best.${name}.${depth}`]!;

      // Per weight (train.ts layerGradientRms): the first layer's gradient relative to the last's.
      // At initialisation the rate plays no part (same weights at every rate): the first rate's rows stand for all.
      const rms = (kind: string, field: string, epoch: number, layer: number, rate: number) =>
        meanOf(rows, field, (r) => r.kind === kind && of(r, rate) && r.epoch === epoch && r.layer === layer);
      const initRate = rates.includes(config.sharedRate) ? config.sharedRate : rates[0]!;
      summary[`gradientRatioAtInit.${name}.${depth}`] = rms('gradient', 'gradientRms', 0, 1, initRate) / rms('gradient', 'gradientRms', 0, depth + 1, initRate);
      summary[`gradientRatioAfterEpoch1.${name}.${depth}`] = rms('gradient', 'gradientRms', 1, 1, best) / rms('gradient', 'gradientRms', 1, depth + 1, best);
      // Where the mechanism acts (signals.ts): the backward signal ∂ℓ/∂z and the activations, per hidden
      // layer, mean over seeds, at initialisation and after training (best rate, last epoch).
      for (let layer = 1; layer <= depth; layer++) {
        summary[`backwardRms.init.${name}.${depth}.${layer}`] = rms('signal', 'backwardRms', 0, layer, initRate);
        summary[`activationRms.init.${name}.${depth}.${layer}`] = rms('signal', 'activationRms', 0, layer, initRate);
        summary[`backwardRms.last.${name}.${depth}.${layer}`] = rms('signal', 'backwardRms', epochs, layer, best);
        summary[`activationRms.last.${name}.${depth}.${layer}`] = rms('signal', 'activationRms', epochs, layer, best);
      }
      // The first hidden layer's backward signal relative to the top hidden layer's (≪ 1: vanishing), and
      // its geometric mean per layer; the top layer's activations relative to the first's (forward).
      for (const [when, epoch, rate] of [['AtInit', 0, initRate], ['AfterEpoch1', 1, best], ['Last', epochs, best]] as const) {
        const backward = rms('signal', 'backwardRms', epoch, 1, rate) / rms('signal', 'backwardRms', epoch, depth, rate);
        const forward = rms('signal', 'activationRms', epoch, depth, rate) / rms('signal', 'activationRms', epoch, 1, rate);
        summary[`backwardRatio${when}.${name}.${depth}`] = backward;
        summary[`activationRatio${when}.${name}.${depth}`] = forward;
        if (depth > 1) {
          summary[`backwardPerLayer${when}.${name}.${depth}`] = backward ** (1 / (depth - 1));
          summary[`activationPerLayer${when}.${name}.${depth}`] = forward ** (1 / (depth - 1));
        }
      }
    }
    // Contenders against each other at their best rates, against the spread over seeds.
    const peaks = new Map(names.map((name) => [name, peakValidationPerSeed(rows, (r) => r.contender === name && r.depth === depth && r.rate === summary[`bestRate.${name}.${depth}`], seeds)]));
    const toTargetPerSeed = (setting: string, name: string) => {
      const rate = setting === 'best' ? summary[`bestRate.${name}.${depth}`]! : config.sharedRate;
      return epochsToTargetPerSeed(rows, (r) => r.contender === name && r.depth === depth && r.rate === rate, config.targetAccuracy, seeds).map((e) => e ?? epochs + 1);
    };
    for (const [a, b] of PAIRS) {
      if (!peaks.has(a) || !peaks.has(b)) continue;
      const pair = `${a}-vs-${b}`;
      const separated = separatedOverSeeds(peaks.get(a)!, peaks.get(b)!);
      summary[`separated.best.${pair}.${depth}`] = separated ? 1 : 0;
      summary[`pairedWins.best.${pair}.${depth}`] = pairedWins(peaks.get(a)!, peaks.get(b)!);
      if (!separated) notes.push(`${depth} hidden layers: ${a} and ${b} at their best rates are within seed noise (their best-so-far validation accuracies overlap across the ${seeds.length} seeds).`);
      // Speed-ups in epochs at each one's best rate and at the shared rate. Where the slower one never
      // reached the target the ratio is at least epochs / the faster one's epochs.
      for (const setting of ['best', ...(shared ? ['shared'] : [])]) {
        const fast = summary[`epochsToTarget.${setting}.${a}.${depth}`];
        const slow = summary[`epochsToTarget.${setting}.${b}.${depth}`];
        const beyond = separatedOverSeeds(toTargetPerSeed(setting, a), toTargetPerSeed(setting, b));
        summary[`speedupBeyondNoise.${setting}.${pair}.${depth}`] = beyond ? 1 : 0;
        if (fast === undefined) continue;
        if (slow !== undefined) {
          summary[`speedup.${setting}.${pair}.${depth}`] = slow / fast;
          summary[`secondsSpeedup.${setting}.${pair}.${depth}`] = summary[`secondsToTarget.${setting}.${b}.${depth}`]! / summary[`secondsToTarget.${setting}.${a}.${depth}`]!;
        } else summary[`speedupAtLeast.${setting}.${pair}.${depth}`] = epochs / fast;
      }
    }
  }
  // Seconds per epoch of each contender at the shared rate, deepest network: is max(0, x) cheaper than an exponential?
  const deepest = Math.max(...config.depths);
  for (const { name, rates } of config.contenders) {
    const rate = rates.includes(config.sharedRate) ? config.sharedRate : rates[0];
    const perEpoch = timings.filter((t) => t.contender === name && t.depth === deepest && t.rate === rate && t.epoch === epochs).map((t) => (t.seconds as number) / epochs);
    if (perEpoch.length) {
      summary[`secondsPerEpoch.${name}.${deepest}`] = perEpoch.reduce((a, b) => a + b, 0) / perEpoch.length;
      summary[`secondsPerEpochLow.${name}.${deepest}`] = Math.min(...perEpoch);
      summary[`secondsPerEpochHigh.${name}.${deepest}`] = Math.max(...perEpoch);
    }
  }
  const diverged = rows.filter((r) => r.kind === 'final' && r.diverged === true).length;
  summary['diverged'] = diverged;
  if (diverged) notes.push(`${diverged} run(s) of the sweep diverged (too large a rate); they count as chance when rates are compared.`);
  return { summary, notes };
}
