/** The numbers the data-scale lessons quote, computed from the scale experiment's rows. */
import type { ScaleConfig } from '../configs.ts';
import { errorPoints, errorPowerLaw, flattensAt, meanAccuracy, meanField, POWER_LAW_FROM } from './curves.ts';
import { trialsOf, type Row } from '../lib/schema.ts';
import { overSeeds, separatedOverSeeds } from './sweep.ts';
import { stoppingSensitivity, tuningSummary } from './tuning.ts';
import { exponentIntervalOverSeeds, fitPowerLaw, fitPowerLawWithFloor } from './fit.ts';
import { protocolSummary } from './protocol.ts';

export function summarizeScale(config: ScaleConfig, allRows: Row[]): { summary: Record<string, number>; notes: string[] } {
  const summary: Record<string, number> = {};
  const notes: string[] = [];
  const rows = trialsOf(allRows);
  const sizes = [...config.sizes].sort((a, b) => a - b);
  const from = config.fitFrom ?? POWER_LAW_FROM;
  const smallest = sizes[0]!;
  const largest = sizes.at(-1)!;
  // The size nearest to a tenth of the largest: "what did the last tenfold increase in data buy?"
  const reference = sizes.filter((m) => m <= largest / 10).at(-1) ?? smallest;
  // v2 fitted the floor form on every size; since v3 both forms share one range, stated in the file.
  const floorFrom = config.floorFitFrom ?? 0;
  Object.assign(summary, { 'm.smallest': smallest, 'm.largest': largest, 'm.reference': reference, 'fit.from': from });
  if (config.floorFitFrom !== undefined) summary['fitFloor.from'] = floorFrom;
  summary['seeds'] = config.seeds.length;
  summary['testImages'] = config.testSize;
  Object.assign(summary, protocolSummary(rows, notes, config.stopping));
  const acc = (model: string, m: number) => meanAccuracy(rows, model, m);
  const sizesOf = (model: string) => sizes.filter((m) => rows.some((r) => r.model === model && r.m === m));
  for (const { name, label } of config.models) {
    const own = sizesOf(name);
    const [low, high] = [own[0]!, own.at(-1)!];
    const params = rows.find((r) => r.model === name)?.params;
    if (typeof params === 'number' && name !== 'svm-rbf') summary[`params.${name}`] = params;
    summary[`m.${name}.largest`] = high;
    summary[`accuracy.${name}.smallest`] = acc(name, low);
    summary[`accuracy.${name}.largest`] = acc(name, high);
    // Capacity: a model that fits its training set no better than the test set has nothing left to gain from more data of the same kind.
    for (const [at, m] of [['smallest', low], ['largest', high]] as const) {
      summary[`trainAccuracy.${name}.${at}`] = meanField(rows, name, m, 'trainAccuracy');
      summary[`gap.${name}.${at}`] = meanField(rows, name, m, 'trainAccuracy') - acc(name, m);
    }
    summary[`gain.${name}`] = acc(name, high) - acc(name, low);
    // The seed range beside the mean: a page quoting a mean quotes its spread too.
    const seedsAtHigh = seedAccuracies(rows, name, high);
    if (seedsAtHigh.length) {
      const spread = overSeeds(seedsAtHigh);
      summary[`accuracyLow.${name}.largest`] = spread.low;
      summary[`accuracyHigh.${name}.largest`] = spread.high;
    }
    if (high === largest) {
      summary[`gainSinceReference.${name}`] = acc(name, largest) - acc(name, reference);
      // Near 100% accuracy, points gained understate progress; the share of errors removed does not.
      summary[`errorCutSinceReference.${name}`] = 1 - (1 - acc(name, largest)) / (1 - acc(name, reference));
      if (name !== 'logistic') {
        summary[`marginOverLogistic.${name}.smallest`] = acc(name, smallest) - acc('logistic', smallest);
        summary[`marginOverLogistic.${name}.largest`] = acc(name, largest) - acc('logistic', largest);
      }
      // The last step in data (the second-largest size to the largest): the share of errors it removed,
      // from the means and per seed (paired by seed: the same seed's error at both sizes). Read straight
      // from the rows, so it holds whatever form the curve takes there, levelling off included.
      const previous = sizes.at(-2);
      if (previous !== undefined && own.includes(previous)) {
        summary['m.lastStepFrom'] = previous;
        summary[`errorCutLastStep.${name}`] = 1 - (1 - acc(name, largest)) / (1 - acc(name, previous));
        const before = new Map(rows.filter((r) => r.model === name && r.m === previous && typeof r.testError === 'number').map((r) => [r.seed, r.testError as number]));
        const cuts = rows
          .filter((r) => r.model === name && r.m === largest && typeof r.testError === 'number' && (before.get(r.seed) ?? 0) > 0)
          .map((r) => 1 - (r.testError as number) / before.get(r.seed)!);
        if (cuts.length) Object.assign(summary, { [`errorCutLastStepLow.${name}`]: Math.min(...cuts), [`errorCutLastStepHigh.${name}`]: Math.max(...cuts) });
      }
      const flat = flattensAt(rows, name, sizes);
      if (flat !== undefined) summary[`flattensAt.${name}`] = flat;
      notes.push(
        flat === undefined
          ? `${label}: still gaining at least 0.5 accuracy points per doubling of the data at m = ${largest}.`
          : `${label}: gains less than 0.5 points per doubling of the data from m = ${flat} on.`,
      );
    }
    const fit = errorPowerLaw(rows, name, from);
    if (fit) {
      summary[`fit.${name}.exponent`] = fit.exponent;
      summary[`fit.${name}.exponentStderr`] = fit.exponentStderr;
      summary[`fit.${name}.r2`] = fit.r2;
    } else {
      notes.push(`${label}: too few training-set sizes from m = ${from} for a power-law fit.`);
    }
    const floorFit = fitPowerLawWithFloor(errorPoints(rows, name, floorFrom));
    if (floorFit) {
      summary[`fitFloor.${name}.exponent`] = floorFit.exponent;
      summary[`fitFloor.${name}.floor`] = floorFit.floor;
      summary[`fitFloor.${name}.r2`] = floorFit.r2;
    }
    // Honest uncertainty: 95% intervals from resampling whole seeds (the standard error above treats
    // every point as independent, which a seed's points are not), for both fit forms, so a page can
    // say only what survives both.
    const plainInterval = fit && exponentIntervalOverSeeds(errorPoints(rows, name, from), fitPowerLaw);
    const floorInterval = floorFit && exponentIntervalOverSeeds(errorPoints(rows, name, floorFrom), fitPowerLawWithFloor);
    if (plainInterval) Object.assign(summary, { [`fit.${name}.exponentLow`]: plainInterval.low, [`fit.${name}.exponentHigh`]: plainInterval.high, 'fit.seedResamples': plainInterval.resamples });
    if (floorInterval) Object.assign(summary, { [`fitFloor.${name}.exponentLow`]: floorInterval.low, [`fitFloor.${name}.exponentHigh`]: floorInterval.high });
    if (plainInterval && floorInterval && (plainInterval.high < floorInterval.low || floorInterval.high < plainInterval.low)) {
      notes.push(`${label}: the exponent depends on the fit's form (plain ${fit!.exponent.toFixed(2)}, with a floor ${floorFit!.exponent.toFixed(2)}; the seed intervals do not overlap).`);
    }
  }
  // The exact kernel SVM against its random-feature approximation, where both ran.
  const shared = sizes.filter((m) => rows.some((r) => r.model === 'svm-rbf' && r.m === m) && rows.some((r) => r.model === 'svm-rff' && r.m === m));
  for (const m of shared) summary[`kernelGap.${m}`] = acc('svm-rbf', m) - acc('svm-rff', m);
  if (shared.length) {
    summary['kernelGap.m'] = shared.at(-1)!;
    summary['kernelGap.largestShared'] = summary[`kernelGap.${shared.at(-1)}`]!;
    notes.push(`Random Fourier features trail the exact kernel SVM by ${(100 * summary['kernelGap.largestShared']).toFixed(2)} points at m = ${shared.at(-1)}.`);
  }
  // The exact kernel SVM against every fully connected network at the largest size it ran: does the
  // kernel machine keep pace where it can afford to run? Separated: its lowest seed above every seed of every network.
  const exact = config.models.find((m) => m.spec.kind === 'rbf-svm');
  const networks = config.models.filter((m) => m.spec.kind === 'mlp');
  const exactAt = exact && sizesOf(exact.name).at(-1);
  const networksAt = exactAt === undefined ? [] : networks.filter((m) => sizesOf(m.name).includes(exactAt));
  const kernel = exact && exactAt !== undefined ? seedAccuracies(rows, exact.name, exactAt) : [];
  if (exact && exactAt !== undefined && networksAt.length && kernel.length) {
    const bestNetwork = networksAt.reduce((a, b) => (acc(b.name, exactAt) > acc(a.name, exactAt) ? b : a));
    const every = networksAt.flatMap((m) => seedAccuracies(rows, m.name, exactAt));
    const network = overSeeds(seedAccuracies(rows, bestNetwork.name, exactAt));
    Object.assign(summary, {
      'exactKernel.m': exactAt,
      'exactKernel.bestNetwork.accuracy': acc(bestNetwork.name, exactAt),
      'exactKernelLow.bestNetwork': network.low,
      'exactKernelHigh.bestNetwork': network.high,
      'exactKernel.marginOverNetworks': acc(exact.name, exactAt) - acc(bestNetwork.name, exactAt),
      'exactKernel.separated': Math.min(...kernel) > Math.max(...every) ? 1 : 0,
    });
    notes.push(
      `At m = ${exactAt}, ${exact.label} ${(100 * acc(exact.name, exactAt)).toFixed(1)}% against the best fully connected network, ${bestNetwork.label}, ` +
        `${(100 * acc(bestNetwork.name, exactAt)).toFixed(1)}%: ${summary['exactKernel.separated'] ? 'every seed of the kernel SVM above every seed of every fully connected network' : 'within the seed spread of some fully connected network'}.`,
    );
  }
  // Which model is best at the smallest and at the largest m: the lecture predicts a change of leader.
  const full = config.models.filter((m) => sizesOf(m.name).includes(largest));
  const best = (m: number, among = config.models) => among.reduce((a, b) => (acc(b.name, m) > acc(a.name, m) ? b : a));
  summary['best.largest.accuracy'] = acc(best(largest, full).name, largest);
  const leader = best(largest, full);
  const perSeed = (model: string) => rows.filter((r) => r.model === model && r.m === largest && typeof r.testAccuracy === 'number').map((r) => r.testAccuracy as number);
  if (perSeed(leader.name).length > 1 && full.length > 1) {
    const second = best(largest, full.filter((m) => m !== leader));
    // A lead only when it exceeds the seed spread: non-overlapping per-seed ranges.
    summary['best.largest.separated'] = separatedOverSeeds(perSeed(leader.name), perSeed(second.name)) ? 1 : 0;
    summary['best.largest.marginOverSecond'] = acc(leader.name, largest) - acc(second.name, largest);
    if (!summary['best.largest.separated']) notes.push(`At m = ${largest}, ${leader.label} and ${second.label} are within the seed spread of each other.`);
  }
  summary['best.largest.marginOverLogistic'] = acc(best(largest, full).name, largest) - acc('logistic', largest);
  summary['best.smallest.accuracy'] = acc(best(smallest).name, smallest);
  notes.push(`Best at m = ${smallest}: ${best(smallest).label}; best at m = ${largest}: ${best(largest, full).label}.`);
  const names = config.models.map((m) => m.name);
  Object.assign(summary, tuningSummary(allRows, names, sizes, notes), stoppingSensitivity(allRows, names, notes), ownLabelsSummary(allRows, rows, names, notes));
  // Hestness et al. 2017 report exponents between about -0.07 and -0.35 in the power-law region.
  const exponents = config.models.map((m) => summary[`fit.${m.name}.exponent`]).filter((e): e is number => e !== undefined);
  if (exponents.length) {
    summary['fit.steepestExponent'] = Math.min(...exponents);
    summary['fit.shallowestExponent'] = Math.max(...exponents);
  }
  return { summary, notes };
}

/** Each seed's test accuracy of `model` at size `m` (diverged runs, which have none, left out). */
function seedAccuracies(rows: Row[], model: string, m: number): number[] {
  return rows.filter((r) => r.model === model && r.m === m && typeof r.testAccuracy === 'number').map((r) => r.testAccuracy as number);
}

/**
 * What the protocol's 5,000 external validation images are worth at small m: each model's mean test
 * accuracy when its own m images decide everything (kind 'practitioner' rows), minus its protocol one.
 */
function ownLabelsSummary(allRows: Row[], trials: Row[], models: string[], notes: string[]): Record<string, number> {
  const summary: Record<string, number> = {};
  const own = allRows.filter((r) => r.kind === 'practitioner');
  const sizes = [...new Set(own.map((r) => r.m as number))].sort((a, b) => a - b);
  for (const m of sizes) {
    const changes: string[] = [];
    const deltas: number[] = [];
    for (const model of models) {
      const practitioner = meanAccuracy(own, model, m);
      const protocol = meanAccuracy(trials, model, m);
      if (!Number.isFinite(practitioner) || !Number.isFinite(protocol)) continue;
      summary[`ownLabels.${model}.${m}`] = practitioner;
      summary[`ownLabels.${model}.${m}.change`] = practitioner - protocol;
      // Paired by seed (the same draw of images under both rules): how many seeds scored lower.
      summary[`ownLabels.${model}.${m}.seedsLower`] = own
        .filter((r) => r.model === model && r.m === m && typeof r.testAccuracy === 'number')
        .filter((r) => {
          const same = trials.find((t) => t.model === model && t.m === m && t.seed === r.seed);
          return typeof same?.testAccuracy === 'number' && (r.testAccuracy as number) < same.testAccuracy;
        }).length;
      deltas.push(practitioner - protocol);
      changes.push(`${model} ${(100 * (practitioner - protocol)).toFixed(1)}`);
    }
    // The range over models, for a sentence that gives the whole spread at once.
    if (deltas.length) {
      summary[`ownLabels.${m}.changeLow`] = Math.min(...deltas);
      summary[`ownLabels.${m}.changeHigh`] = Math.max(...deltas);
    }
    notes.push(`m = ${m}: deciding on a fifth of the m images instead of 5,000 validation images changes mean test accuracy by (points) ${changes.join(', ')}.`);
  }
  return summary;
}
