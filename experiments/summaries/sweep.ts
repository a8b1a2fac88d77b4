/** Reading a learning-rate sweep (experiments/lib/sweep.ts): each contender's best rate, and its time to a target. */
import type { Row } from '../lib/schema.ts';

/** Mean over seeds of a contender's validation accuracy after its last epoch (diverged seeds count as chance, 0.1). */
export function finalValidation(rows: Row[], where: (r: Row) => boolean, epochs: number, seeds: number[]): number {
  const values = seeds.map((seed) => {
    const final = rows.find((r) => r.kind === 'final' && r.seed === seed && where(r));
    if (!final || final.diverged === true) return 0.1;
    const last = rows.find((r) => r.kind === 'epoch' && r.seed === seed && r.epoch === epochs && where(r));
    return typeof last?.valAccuracy === 'number' ? last.valAccuracy : 0.1;
  });
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The rate with the best mean final validation accuracy: the contender "at its best". */
export function bestRate(rows: Row[], rates: number[], where: (r: Row, rate: number) => boolean, epochs: number, seeds: number[]): number {
  return rates.reduce((best, rate) =>
    finalValidation(rows, (r) => where(r, rate), epochs, seeds) > finalValidation(rows, (r) => where(r, best), epochs, seeds) ? rate : best,
  );
}

/**
 * Epochs and training seconds to a validation-accuracy target, averaged over seeds; undefined
 * when some seed never reached it (then `reached` says in how many).
 */
export function toTarget(rows: Row[], timings: Row[], where: (r: Row) => boolean, target: number, seeds: number[]) {
  const epochs = seeds.map(
    (seed) =>
      rows.find((r) => r.kind === 'epoch' && r.seed === seed && where(r) && typeof r.valAccuracy === 'number' && r.valAccuracy >= target)?.epoch as
        | number
        | undefined,
  );
  const hits = epochs.filter((e): e is number => e !== undefined);
  const reached = hits.length / seeds.length;
  if (hits.length < seeds.length) return { reached };
  const seconds = seeds.map((seed, i) => timings.find((t) => t.seed === seed && t.epoch === epochs[i] && where(t))?.seconds as number);
  return {
    reached,
    epochs: hits.reduce((a, b) => a + b, 0) / hits.length,
    seconds: seconds.reduce((a, b) => a + b, 0) / seconds.length,
  };
}

/**
 * Each seed's best validation accuracy over all its epochs (best-so-far, as early stopping would keep),
 * not its last epoch's: a run that collapses in its final epoch is read at its best, and the collapse
 * is reported apart. A diverged seed counts as chance (0.1).
 */
export function peakValidationPerSeed(rows: Row[], where: (r: Row) => boolean, seeds: number[]): number[] {
  return seeds.map((seed) => {
    const final = rows.find((r) => r.kind === 'final' && r.seed === seed && where(r));
    if (!final || final.diverged === true) return 0.1;
    const values = rows.filter((r) => r.kind === 'epoch' && r.seed === seed && where(r) && typeof r.valAccuracy === 'number').map((r) => r.valAccuracy as number);
    return values.length ? Math.max(...values) : 0.1;
  });
}

/** Each seed's epochs to a validation target; undefined for a seed that never reached it. */
export function epochsToTargetPerSeed(rows: Row[], where: (r: Row) => boolean, target: number, seeds: number[]): (number | undefined)[] {
  return seeds.map(
    (seed) => rows.find((r) => r.kind === 'epoch' && r.seed === seed && where(r) && typeof r.valAccuracy === 'number' && r.valAccuracy >= target)?.epoch as number | undefined,
  );
}

/**
 * Whether two contenders differ beyond seed noise, judged as non-overlapping ranges over seeds: every
 * seed of one above every seed of the other. With 2–3 seeds this is the most the data can say (a
 * paired test needs more); anything else is "within noise".
 */
export function separatedOverSeeds(a: number[], b: number[]): boolean {
  return Math.min(...a) > Math.max(...b) || Math.min(...b) > Math.max(...a);
}
