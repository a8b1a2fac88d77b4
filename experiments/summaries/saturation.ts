/** The numbers the sigmoid lesson quotes about the long run: when (if) the deep sigmoid network escapes chance. */
import type { Row } from '../lib/schema.ts';
import type { SaturationConfig } from '../configs.ts';

/** Accuracy above which a run has clearly left chance (10% for ten classes). */
const ESCAPED = 0.5;

export function summarizeSaturation(config: SaturationConfig, rows: Row[]): { summary: Record<string, number>; notes: string[] } {
  const summary: Record<string, number> = { epochs: config.epochs, depth: config.depth, width: config.width, m: config.m, escapeThreshold: ESCAPED };
  const notes: string[] = [];
  for (const rate of config.rates) {
    const epochs = rows.filter((r) => r.kind === 'epoch' && r.rate === rate && r.seed === config.seeds[0]);
    const escaped = epochs.find((r) => (r.valAccuracy as number) >= ESCAPED);
    const final = rows.find((r) => r.kind === 'final' && r.rate === rate && r.seed === config.seeds[0]);
    if (escaped) summary[`escapeEpoch.${rate}`] = escaped.epoch as number;
    summary[`finalValAccuracy.${rate}`] = (epochs.at(-1)?.valAccuracy as number) ?? Number.NaN;
    if (typeof final?.testAccuracy === 'number') summary[`testAccuracy.${rate}`] = final.testAccuracy;
    const at = (epoch: number, layer: number) => rows.find((r) => r.kind === 'activation' && r.rate === rate && r.epoch === epoch && r.layer === layer)?.meanActivation as number | undefined;
    const top0 = at(0, config.depth);
    if (top0 !== undefined) summary[`topActivation.${rate}.init`] = top0;
    const probed = rows.filter((r) => r.kind === 'activation' && r.rate === rate && r.layer === config.depth).map((r) => r.meanActivation as number);
    if (probed.length) summary[`topActivation.${rate}.lowest`] = Math.min(...probed);
    notes.push(
      escaped
        ? `lr ${rate}: the ${config.depth}-layer sigmoid network passes ${ESCAPED * 100}% validation accuracy at epoch ${escaped.epoch}.`
        : `lr ${rate}: still below ${ESCAPED * 100}% validation accuracy after ${config.epochs} epochs.`,
    );
  }
  const escapes = config.rates.map((r) => summary[`escapeEpoch.${r}`]).filter((e): e is number => e !== undefined);
  if (escapes.length) summary['escapeEpoch.earliest'] = Math.min(...escapes);
  const best = Math.max(...config.rates.map((r) => summary[`finalValAccuracy.${r}`] ?? 0));
  summary['finalValAccuracy.best'] = best;
  return { summary, notes };
}
