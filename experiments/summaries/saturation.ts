/**
 * The numbers the sigmoid lesson quotes about the long run: when (if) the deep sigmoid network escapes
 * chance, against the same network with tanh on the same data, depth, width and epochs.
 *
 * Protocol v3: runs are compared on each seed's best-so-far validation accuracy (its peak over the
 * epochs run), never the last epoch's; a difference between activations is called one only when the
 * ranges over seeds do not overlap (separatedOverSeeds), with the paired count of seeds on which one
 * beats the other beside it. Escape epochs are per seed: the mean is given only when every seed escaped.
 */
import type { Row } from '../lib/schema.ts';
import { meanOf } from '../lib/trial.ts';
import type { SaturationConfig } from '../configs.ts';
import { bestRate, finalValidation, overSeeds, pairedWins, peakValidationPerSeed, separatedOverSeeds } from './sweep.ts';

/** Accuracy above which a run has clearly left chance (10% for ten classes). */
const ESCAPED = 0.5;

/**
 * The top hidden layer's mean output per probed epoch, averaged over seeds (rows of kind 'activation'),
 * in epoch order: what the saturation figure draws and the summary's topActivation keys read.
 */
export function topLayerMeans(rows: Row[], activation: string, rate: number, depth: number): { epoch: number; meanActivation: number }[] {
  const probes = rows.filter((r) => r.kind === 'activation' && r.activation === activation && r.rate === rate && r.layer === depth);
  const epochs = [...new Set(probes.map((r) => r.epoch as number))].sort((a, b) => a - b);
  return epochs.map((epoch) => {
    const values = probes.filter((r) => r.epoch === epoch).map((r) => r.meanActivation as number);
    return { epoch, meanActivation: values.reduce((a, b) => a + b, 0) / values.length };
  });
}

export function summarizeSaturation(config: SaturationConfig, rows: Row[]): { summary: Record<string, number>; notes: string[] } {
  const { seeds, epochs, depth } = config;
  const summary: Record<string, number> = { epochs, depth, width: config.width, m: config.m, escapeThreshold: ESCAPED, seeds: seeds.length, batchSize: config.batchSize };
  // SGD steps each run took: a mini-batch per step, the last batch of an epoch the remainder (train.ts).
  summary['updates'] = epochs * Math.ceil(config.m / Math.min(config.batchSize, config.m));
  const notes: string[] = [
    `Every run is read at each seed's best-so-far validation accuracy (its best epoch of ${epochs}), never the last epoch's; ` +
      `activations are compared each at its best rate, and a difference is called one only when the ranges over the ${seeds.length} seeds do not overlap.`,
  ];
  for (const { activation, rates } of config.runs) {
    for (const rate of rates) {
      const where = (r: Row) => r.activation === activation && r.rate === rate;
      const key = `${activation}.${rate}`;
      const peaks = overSeeds(peakValidationPerSeed(rows, where, seeds));
      summary[`bestValAccuracy.${key}`] = peaks.mean;
      summary[`bestValAccuracyLow.${key}`] = peaks.low;
      summary[`bestValAccuracyHigh.${key}`] = peaks.high;
      summary[`lastValAccuracy.${key}`] = finalValidation(rows, where, epochs, seeds);
      summary[`testAccuracy.${key}`] = meanOf(rows, 'testAccuracy', (r) => r.kind === 'final' && where(r));
      // Test accuracy after the last epoch (not at the best one), its spread over the seeds that did not diverge.
      const tests = rows.filter((r) => r.kind === 'final' && where(r) && typeof r.testAccuracy === 'number').map((r) => r.testAccuracy as number);
      if (tests.length) {
        summary[`testAccuracyLow.${key}`] = Math.min(...tests);
        summary[`testAccuracyHigh.${key}`] = Math.max(...tests);
      }
      const escapes = seeds.map((seed) => rows.find((r) => r.kind === 'epoch' && r.seed === seed && where(r) && (r.valAccuracy as number) >= ESCAPED)?.epoch as number | undefined);
      const escaped = escapes.filter((e): e is number => e !== undefined);
      summary[`escapedSeeds.${key}`] = escaped.length;
      if (escaped.length) {
        summary[`escapeEpochMin.${key}`] = Math.min(...escaped);
        summary[`escapeEpochMax.${key}`] = Math.max(...escaped);
      }
      if (escaped.length === seeds.length) summary[`escapeEpoch.${key}`] = escaped.reduce((a, b) => a + b, 0) / escaped.length;
      notes.push(
        escaped.length === seeds.length
          ? `${activation}, lr ${rate}: every seed passes ${ESCAPED * 100}% validation accuracy, at epochs ${escapes.join(', ')}.`
          : `${activation}, lr ${rate}: ${escaped.length} of ${seeds.length} seeds pass ${ESCAPED * 100}% validation accuracy within ${epochs} epochs` +
              (escaped.length ? ` (at epochs ${escaped.join(', ')}).` : '.'),
      );
      const top = topLayerMeans(rows, activation, rate, depth);
      if (top.length) {
        summary[`topActivation.${key}.init`] = top[0]!.meanActivation;
        summary[`topActivation.${key}.lowest`] = Math.min(...top.map((t) => t.meanActivation));
        // The sigmoid's keys as the lesson has quoted them since v2 (topActivation.<rate>.…).
        if (activation === 'sigmoid') {
          summary[`topActivation.${rate}.init`] = summary[`topActivation.${key}.init`]!;
          summary[`topActivation.${rate}.lowest`] = summary[`topActivation.${key}.lowest`]!;
        }
      }
      // Where the mechanism acts (signals.ts), mean over seeds: each hidden layer's backward signal ∂ℓ/∂z
      // and activations, at initialisation and after the last epoch; the first hidden layer's backward
      // signal relative to the top hidden layer's.
      const signal = (field: string, epoch: number, layer: number) => meanOf(rows, field, (r) => r.kind === 'signal' && where(r) && r.epoch === epoch && r.layer === layer);
      for (const [when, epoch] of [['init', 0], ['last', epochs]] as const) {
        for (let layer = 1; layer <= depth; layer++) {
          summary[`backwardRms.${when}.${key}.${layer}`] = signal('backwardRms', epoch, layer);
          summary[`activationRms.${when}.${key}.${layer}`] = signal('activationRms', epoch, layer);
        }
        summary[`backwardRatio.${when}.${key}`] = signal('backwardRms', epoch, 1) / signal('backwardRms', epoch, depth);
        // Per weight (train.ts layerGradientRms): the first weight layer's gradient relative to the output layer's.
        const gradient = (layer: number) => meanOf(rows, 'gradientRms', (r) => r.kind === 'gradient' && where(r) && r.epoch === epoch && r.layer === layer);
        summary[`gradientRatio.${when}.${key}`] = gradient(1) / gradient(depth + 1);
      }
    }
    const best = bestRate(rows, rates, (r, rate) => r.activation === activation && r.rate === rate, seeds);
    summary[`bestRate.${activation}`] = best;
    summary[`bestValAccuracy.${activation}`] = summary[`bestValAccuracy.${activation}.${best}`]!;
  }
  // tanh against the sigmoid, each at its best rate, on the same data, depth, width and epochs.
  const names = config.runs.map((r) => r.activation);
  if (names.includes('sigmoid') && names.includes('tanh')) {
    const peaksOf = (activation: string) => peakValidationPerSeed(rows, (r) => r.activation === activation && r.rate === summary[`bestRate.${activation}`], seeds);
    const [tanh, sigmoid] = [peaksOf('tanh'), peaksOf('sigmoid')];
    const separated = separatedOverSeeds(tanh, sigmoid);
    summary['separated.tanh-vs-sigmoid'] = separated ? 1 : 0;
    summary['pairedWins.tanh-vs-sigmoid'] = pairedWins(tanh, sigmoid);
    notes.push(
      separated
        ? `At their best rates, tanh (lr ${summary['bestRate.tanh']}) and the sigmoid (lr ${summary['bestRate.sigmoid']}) differ beyond seed noise: their best-so-far validation accuracies do not overlap across the ${seeds.length} seeds.`
        : `At their best rates, tanh and the sigmoid are within seed noise of each other (their best-so-far validation accuracies overlap across the ${seeds.length} seeds).`,
    );
  }
  const escapes = Object.entries(summary).filter(([k]) => k.startsWith('escapeEpochMin.sigmoid.')).map(([, v]) => v);
  if (escapes.length) summary['escapeEpoch.earliest'] = Math.min(...escapes);
  return { summary, notes };
}
