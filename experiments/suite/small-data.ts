/**
 * small-data — with little labelled data, the ordering of algorithms is not well defined: many seeds
 * at small m, to see how often the ranking flips and how much the spreads overlap. A hand-engineered
 * feature pipeline is included: with few examples, what a person knows about images can beat
 * learning everything from pixels.
 */
import type { SmallDataConfig } from '../configs.ts';
import type { Experiment } from '../lib/experiment.ts';
import { meanAccuracy } from '../summaries/curves.ts';
import { protocolSummary } from '../summaries/protocol.ts';
import type { OptimizerSpec } from '../lib/models.ts';
import type { Reference, Row } from '../lib/schema.ts';
import { practitionerUnit, trialGrid, type TrialGridUnit } from '../lib/trial.ts';
import { MODELS, PRACTITIONER, SMOKE_PRACTITIONER, STOPPING } from '../lib/zoo.ts';

type SmallDataUnit = TrialGridUnit;

const models = [MODELS.logistic, MODELS.features, MODELS.svmRbf, MODELS.small, MODELS.large, MODELS.cnn];
const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };
// Every trial by the protocol's stopping rule (zoo.ts), batches of 32, every choice judged on a part of
// its own m images (PRACTITIONER, practitioner.ts).
const training = { batchSize: 32, stopping: STOPPING };

const references: Reference[] = [
  { subject: 'M1+TSVM', measure: 'test error at 100 labels', value: 0.1182, unit: 'fraction', citation: 'Kingma et al. 2014, Table 1', year: 2014, note: 'semi-supervised: it also learns from the 59,900 unlabelled images, which our models do not' },
  { subject: 'M1+TSVM', measure: 'test error at 1,000 labels', value: 0.0424, unit: 'fraction', citation: 'Kingma et al. 2014, Table 1', year: 2014, note: 'semi-supervised' },
];

/** Models in order of mean accuracy at size m, best first. */
function ranking(rows: Row[], names: string[], m: number): string[] {
  return [...names].sort((a, b) => meanAccuracy(rows, b, m) - meanAccuracy(rows, a, m));
}

function accuracyOf(rows: Row[], model: string, m: number, seed: number): number | undefined {
  const value = rows.find((r) => r.model === model && r.m === m && r.seed === seed)?.testAccuracy;
  return typeof value === 'number' ? value : undefined;
}

export const smallData: Experiment<SmallDataConfig, SmallDataUnit> = {
  id: 'small-data',
  claim: 'With little labelled data the ordering of learning algorithms is not well defined: rankings flip from one draw of the data to the next.',
  references,
  configs: {
    smoke: {
      sizes: [50, 100],
      seeds: [1, 2, 3],
      testSize: 500,
      models: [MODELS.logistic, MODELS.features, MODELS.small, { ...MODELS.svmRbf, maxM: 100 }],
      optimizer: adam,
      ...training,
      stopping: { ...STOPPING, roundSteps: 10, patience: 2, maxRounds: 4 },
      practitioner: SMOKE_PRACTITIONER,
    },
    quick: { sizes: [50, 200, 1000], seeds: [1, 2, 3, 4, 5, 6], testSize: 5000, models, optimizer: adam, ...training, stopping: { ...STOPPING, patience: 2 }, practitioner: PRACTITIONER },
    full: { sizes: [50, 100, 200, 500], seeds: [1, 2, 3, 4, 5, 6], testSize: 10000, models, optimizer: adam, ...training, practitioner: PRACTITIONER },
  },

  gridFields: trialGrid.gridFields,
  units: (config) => trialGrid.units(config),
  cost: (unit, config) => (config.practitioner ? 4 : 1) * trialGrid.cost(unit, config),

  runUnit(unit, config, context) {
    return config.practitioner ? practitionerUnit(unit, config, config.practitioner) : trialGrid.runUnit(unit, config, context);
  },

  summarize(config, rows) {
    const summary: Record<string, number> = {};
    const notes: string[] = [];
    const names = config.models.map((m) => m.name);
    const label = (name: string) => config.models.find((m) => m.name === name)!.label;
    summary['seeds'] = config.seeds.length;
    Object.assign(summary, protocolSummary(rows, notes, config.stopping));
    summary['m.smallest'] = Math.min(...config.sizes);
    summary['m.largest'] = Math.max(...config.sizes);
    if (config.practitioner) {
      summary['heldOutShare'] = config.practitioner.heldOutShare;
      for (const m of config.sizes) summary[`heldOut.${m}`] = rows.find((r) => r.m === m && typeof r.heldOut === 'number')?.heldOut as number;
      notes.push(`Every choice (penalty, stopping epoch, the kernel SVM's γ) was made on ${Math.round(100 * config.practitioner.heldOutShare)}% of the trial's own m images, held out; the final model trained on all m. No trial saw another labelled image before its one test score.`);
    }
    let flipsOverall = 0;
    let seedsOverall = 0;
    for (const m of config.sizes) {
      const order = ranking(rows, names, m);
      const leader = order[0]!;
      // How often a seed's winner is not the winner on average.
      let flips = 0;
      for (const seed of config.seeds) {
        const winner = names.reduce((a, b) => ((accuracyOf(rows, b, m, seed) ?? -1) > (accuracyOf(rows, a, m, seed) ?? -1) ? b : a));
        if (winner !== leader) flips++;
      }
      summary[`leaderFlipRate.${m}`] = flips / config.seeds.length;
      flipsOverall += flips;
      seedsOverall += config.seeds.length;
      // How often a pair of models comes out in the opposite order to their means, over seeds.
      let pairs = 0;
      let reversed = 0;
      let overlapping = 0;
      for (let i = 0; i < names.length; i++)
        for (let j = i + 1; j < names.length; j++) {
          // a is the better of the two on average; count the seeds where b beats it.
          const [a, b] = order.indexOf(names[i]!) < order.indexOf(names[j]!) ? [names[i]!, names[j]!] : [names[j]!, names[i]!];
          for (const seed of config.seeds) {
            const x = accuracyOf(rows, a, m, seed);
            const y = accuracyOf(rows, b, m, seed);
            if (x === undefined || y === undefined) continue;
            pairs++;
            if (y > x) reversed++;
          }
          const range = (name: string) => {
            const values = config.seeds.map((s) => accuracyOf(rows, name, m, s)).filter((v): v is number => v !== undefined);
            return [Math.min(...values), Math.max(...values)] as const;
          };
          const [ra, rb] = [range(a), range(b)];
          if (ra[0] <= rb[1] && rb[0] <= ra[1]) overlapping++;
        }
      const pairCount = (names.length * (names.length - 1)) / 2;
      summary[`pairReversalRate.${m}`] = pairs ? reversed / pairs : Number.NaN;
      summary[`overlappingPairs.${m}`] = overlapping / pairCount;
      for (const name of names) {
        const values = config.seeds.map((s) => accuracyOf(rows, name, m, s)).filter((v): v is number => v !== undefined);
        summary[`accuracy.${name}.${m}`] = meanAccuracy(rows, name, m);
        summary[`spread.${name}.${m}`] = Math.max(...values) - Math.min(...values);
      }
      if (names.includes('features')) summary[`featuresOverPixels.${m}`] = meanAccuracy(rows, 'features', m) - meanAccuracy(rows, 'logistic', m);
      notes.push(`m = ${m}: on average ${order.map(label).join(' > ')}; the seed's winner differs from ${label(leader)} in ${flips} of ${config.seeds.length} seeds.`);
    }
    summary['leaderFlipRate.all'] = flipsOverall / seedsOverall;
    return { summary, notes };
  },
};
