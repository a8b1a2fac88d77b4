/**
 * model-size — bigger networks do better, given enough data: accuracy over a grid of network widths
 * (parameter counts over two orders of magnitude) × training-set sizes.
 */
import type { ModelSizeConfig } from '../configs.ts';
import type { Experiment } from '../lib/experiment.ts';
import { meanAccuracy } from '../summaries/curves.ts';
import { trialsOf, type Row } from '../lib/schema.ts';
import { separatedOverSeeds } from '../summaries/sweep.ts';
import { stoppingSensitivity, tuningSummary } from '../summaries/tuning.ts';
import { protocolSummary } from '../summaries/protocol.ts';
import type { ModelSpec, OptimizerSpec } from '../lib/models.ts';
import { meanOf, trialGrid, type TrialGridConfig, type TrialGridUnit } from '../lib/trial.ts';
import { SMOKE_TUNING, STOPPING, TUNING, type NamedModel } from '../lib/zoo.ts';


type ModelSizeUnit = TrialGridUnit;

const spec = (width: number): ModelSpec => ({ kind: 'mlp', hidden: [width], activation: 'relu' });
const network = (width: number): NamedModel => ({ name: `width-${width}`, label: `${width} hidden units`, spec: spec(width) });
const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };
// Every trial by the protocol's stopping rule (zoo.ts), batches of 64, each width at the learning
// rate and weight decay its own validation run chose (TUNING): no width is favoured by a setting.
const training = { batchSize: 64, stopping: STOPPING };

/** The trial grid of a model-size config: one network per width. */
const asGrid = (config: ModelSizeConfig): TrialGridConfig => ({ ...config, models: config.widths.map(network) });

export const modelSize: Experiment<ModelSizeConfig, ModelSizeUnit> = {
  id: 'model-size',
  claim: 'Bigger networks do better when there is enough data to train them, and gain little or nothing when there is not.',
  configs: {
    smoke: { widths: [8, 32], sizes: [100, 300], seeds: [1], testSize: 500, optimizer: adam, ...training, stopping: { ...STOPPING, roundSteps: 10, patience: 2, maxRounds: 4 }, tuning: { ...SMOKE_TUNING, sensitivity: { sizes: [300], patience: 4 } } },
    quick: { widths: [8, 32, 128, 512], sizes: [300, 3000, 55000], seeds: [1], testSize: 10000, optimizer: adam, ...training, stopping: { ...STOPPING, patience: 2 } },
    full: { widths: [8, 32, 128, 512], sizes: [300, 1000, 3000, 10000], seeds: [1, 2, 3, 4, 5], testSize: 10000, optimizer: adam, ...training, tuning: { ...TUNING, sensitivity: { sizes: [10000], patience: 2 * STOPPING.patience } } },
  },

  gridFields: ['widths', 'sizes', 'seeds'],

  units(config) {
    return trialGrid.units(asGrid(config), (model) => model.name.replace('width-', 'width=')).map((unit) => ({ ...unit, rowFields: { width: (unit.model.spec as { hidden: number[] }).hidden[0]! } }));
  },

  cost(unit, config) {
    return trialGrid.cost(unit, { ...config, models: [] });
  },

  runUnit(unit, config, context) {
    return trialGrid.runUnit(unit, config as unknown as TrialGridConfig, context);
  },

  summarize(config, allRows) {
    const summary: Record<string, number> = {};
    const notes: string[] = [];
    const rows = trialsOf(allRows);
    const widths = [...config.widths].sort((a, b) => a - b);
    const sizes = [...config.sizes].sort((a, b) => a - b);
    const acc = (width: number, m: number) => meanAccuracy(rows, `width-${width}`, m);
    const params = (width: number) => rows.find((r) => r.width === width)?.params as number;
    summary['params.smallest'] = params(widths[0]!);
    summary['params.largest'] = params(widths.at(-1)!);
    summary['m.smallest'] = sizes[0]!;
    summary['m.largest'] = sizes.at(-1)!;
    summary['seeds'] = config.seeds.length;
    Object.assign(summary, protocolSummary(rows, notes, config.stopping));
    for (const m of sizes) {
      const best = widths.reduce((a, b) => (acc(b, m) > acc(a, m) ? b : a));
      summary[`bestWidth.${m}`] = best;
      summary[`bestAccuracy.${m}`] = acc(best, m);
      // A difference only when it exceeds the seed spread: the best width's per-seed accuracies all above
      // the runner-up's (or all below), i.e. non-overlapping ranges.
      const runnerUp = widths.filter((w) => w !== best).reduce((a, b) => (acc(b, m) > acc(a, m) ? b : a));
      summary[`runnerUpWidth.${m}`] = runnerUp;
      summary[`runnerUpAccuracy.${m}`] = acc(runnerUp, m);
      // Paired by seed (a seed fixes the images drawn, so the two trials of one seed share their data):
      // on how many seeds the best width beat the runner-up, and the smallest and largest margin.
      const paired = pairedMargins(rows, best, runnerUp, m);
      if (paired.length > 0) {
        summary[`bestOverRunnerUp.${m}.wins`] = paired.filter((d) => d > 0).length;
        summary[`bestOverRunnerUp.${m}.pairs`] = paired.length;
        summary[`bestOverRunnerUpLow.${m}`] = Math.min(...paired);
        summary[`bestOverRunnerUpHigh.${m}`] = Math.max(...paired);
      }
      const perSeed = (width: number) => rows.filter((r) => r.width === width && r.m === m && typeof r.testAccuracy === 'number').map((r) => r.testAccuracy as number);
      if (perSeed(best).length > 1) {
        summary[`bestSeparated.${m}`] = separatedOverSeeds(perSeed(best), perSeed(runnerUp)) ? 1 : 0;
        if (!summary[`bestSeparated.${m}`]) notes.push(`m = ${m}: width ${best} and width ${runnerUp} are within the seed spread of each other.`);
      }
      // What going from the narrowest to the widest network buys at this amount of data.
      summary[`widthGain.${m}`] = acc(widths.at(-1)!, m) - acc(widths[0]!, m);
      // What the last doubling of width buys: near zero or negative means size no longer helps.
      summary[`lastDoublingGain.${m}`] = acc(widths.at(-1)!, m) - acc(widths.at(-2) ?? widths[0]!, m);
      // The same comparison counted in errors: the share of the narrowest network's mistakes that the
      // widest avoids. Near 100% accuracy, points understate what width buys; this does not.
      summary[`narrowestAccuracy.${m}`] = acc(widths[0]!, m);
      summary[`widestAccuracy.${m}`] = acc(widths.at(-1)!, m);
      summary[`widthErrorCut.${m}`] = 1 - (1 - acc(widths.at(-1)!, m)) / (1 - acc(widths[0]!, m));
      // The same share seed by seed (each seed's widest against its own narrowest): its spread.
      const cuts = seedsOf(rows, m).flatMap((seed) => {
        const [wide, narrow] = [widths.at(-1)!, widths[0]!].map((w) => rows.find((r) => r.width === w && r.m === m && r.seed === seed)?.testAccuracy);
        return typeof wide === 'number' && typeof narrow === 'number' ? [1 - (1 - wide) / (1 - narrow)] : [];
      });
      if (cuts.length > 0) {
        summary[`widthErrorCutLow.${m}`] = Math.min(...cuts);
        summary[`widthErrorCutHigh.${m}`] = Math.max(...cuts);
      }
      // Memorisation: the narrowest width that fits every training image (mean training accuracy ≥ 99.9%).
      const memorising = widths.find((w) => meanOf(rows, 'trainAccuracy', (r) => r.width === w && r.m === m) >= 0.999);
      if (memorising !== undefined) summary[`memorisingWidth.${m}`] = memorising;
      summary[`memorisingShare.${m}`] = widths.filter((w) => meanOf(rows, 'trainAccuracy', (r) => r.width === w && r.m === m) >= 0.999).length / widths.length;
      notes.push(`m = ${m}: best width ${best} (${(100 * acc(best, m)).toFixed(1)}%); widest vs narrowest ${(100 * summary[`widthGain.${m}`]!).toFixed(1)} points.`);
    }
    summary['widthGain.smallestM'] = summary[`widthGain.${sizes[0]}`]!;
    summary['widthGain.largestM'] = summary[`widthGain.${sizes.at(-1)}`]!;
    // Paired wins of the best width over the runner-up, over every size.
    summary['bestOverRunnerUp.wins'] = sizes.reduce((n, m) => n + (summary[`bestOverRunnerUp.${m}.wins`] ?? 0), 0);
    summary['bestOverRunnerUp.pairs'] = sizes.reduce((n, m) => n + (summary[`bestOverRunnerUp.${m}.pairs`] ?? 0), 0);
    summary['widthErrorCut.smallestM'] = summary[`widthErrorCut.${sizes[0]}`]!;
    summary['widthErrorCut.largestM'] = summary[`widthErrorCut.${sizes.at(-1)}`]!;
    if (summary['widthGain.largestM'] <= summary['widthGain.smallestM']) {
      notes.push('Finding: in accuracy points, width helped no more with much data than with little.');
    }
    if (summary['widthErrorCut.largestM'] > summary['widthErrorCut.smallestM']) {
      notes.push('Counted as the share of errors removed, width helped more with more data.');
    }
    const widestWins = sizes.filter((m) => summary[`bestWidth.${m}`] === widths.at(-1)).length;
    summary['widestBestAtSizes'] = widestWins / sizes.length;
    const names = widths.map((w) => `width-${w}`);
    Object.assign(summary, tuningSummary(allRows, names, sizes, notes), stoppingSensitivity(allRows, names, notes));
    if (widestWins === sizes.length) notes.push('Finding: the widest network was the best at every amount of data, the smallest included.');
    return { summary, notes };
  },
};

/** The seeds with a trial at size m. */
function seedsOf(rows: Row[], m: number): number[] {
  return [...new Set(rows.filter((r) => r.m === m).map((r) => r.seed as number))].sort((a, b) => a - b);
}

/** Width a's test accuracy minus width b's, seed by seed, where both trials have one. */
function pairedMargins(rows: Row[], a: number, b: number, m: number): number[] {
  return seedsOf(rows, m).flatMap((seed) => {
    const [x, y] = [a, b].map((w) => rows.find((r) => r.width === w && r.m === m && r.seed === seed)?.testAccuracy);
    return typeof x === 'number' && typeof y === 'number' ? [x - y] : [];
  });
}
