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

/**
 * The rate with the best mean over seeds of the best-so-far validation accuracy (each seed's peak over
 * its epochs, as early stopping would keep it; never its last epoch's): the contender "at its best".
 * Ties go to the first rate listed.
 */
export function bestRate(rows: Row[], rates: number[], where: (r: Row, rate: number) => boolean, seeds: number[]): number {
  return rates.reduce((best, rate) =>
    bestSoFarValidation(rows, (r) => where(r, rate), seeds) > bestSoFarValidation(rows, (r) => where(r, best), seeds) ? rate : best,
  );
}

/** Mean over seeds of each seed's best-so-far validation accuracy (peakValidationPerSeed). */
export function bestSoFarValidation(rows: Row[], where: (r: Row) => boolean, seeds: number[]): number {
  const peaks = peakValidationPerSeed(rows, where, seeds);
  return peaks.reduce((a, b) => a + b, 0) / peaks.length;
}

/** Mean, lowest and highest of a contender's per-seed values: "mean, range over seeds". */
export function overSeeds(values: number[]): { mean: number; low: number; high: number } {
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, low: Math.min(...values), high: Math.max(...values) };
}

/**
 * On how many seeds `a` is above `b`, paired by seed (same training images, same initial seed): the
 * count a sign test reads. With 5 seeds, 5 of 5 has a one-sided p of 1/32; it is reported beside the
 * range test (separatedOverSeeds), which is the one that decides.
 */
export function pairedWins(a: number[], b: number[]): number {
  return a.filter((value, i) => value > b[i]!).length;
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
 * seed of one above every seed of the other. This is stricter than a paired sign test over the same
 * seeds (which 5 of 5 paired wins would pass one-sided at p = 1/32, and a non-overlap implies); anything
 * else is "within noise".
 */
export function separatedOverSeeds(a: number[], b: number[]): boolean {
  return Math.min(...a) > Math.max(...b) || Math.min(...b) > Math.max(...a);
}
