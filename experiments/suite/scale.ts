/**
 * scale — the lecture's central chart, drawn with real data: test accuracy against the number of
 * labelled training images, for traditional algorithms (logistic regression, a linear SVM) and
 * neural networks of growing size, a CNN included, several seeds per cell.
 */
import { errorPowerLaw, flattensAt, meanAccuracy } from '../lib/curves.ts';
import type { Experiment } from '../lib/experiment.ts';
import type { OptimizerSpec } from '../lib/models.ts';
import type { Reference } from '../lib/schema.ts';
import { trialGrid, type TrialGridConfig, type TrialGridUnit } from '../lib/trial.ts';
import { MODELS } from '../lib/zoo.ts';

export type ScaleConfig = TrialGridConfig;
type ScaleUnit = TrialGridUnit;

const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };

const references: Reference[] = [
  { subject: 'logistic', measure: 'test error', value: 0.12, unit: 'fraction', citation: 'LeCun et al. 1998, Fig. 9 (linear classifier, 1-layer NN)', year: 1998 },
  { subject: 'logistic', measure: 'test accuracy', value: 0.917, unit: 'fraction', citation: 'Xiao et al. 2017, Table 3 (scikit-learn LogisticRegression, mean of 5 runs)', year: 2017 },
  { subject: 'svm-linear', measure: 'test accuracy', value: 0.917, unit: 'fraction', citation: 'Xiao et al. 2017, Table 3 (scikit-learn LinearSVC)', year: 2017 },
  { subject: 'svm-rbf', measure: 'test accuracy', value: 0.973, unit: 'fraction', citation: 'Xiao et al. 2017, Table 3 (scikit-learn SVC, RBF kernel, C=10)', year: 2017, note: 'a kernel SVM, which we do not train: its cost grows with the square of m' },
  { subject: 'nn-medium', measure: 'test error', value: 0.047, unit: 'fraction', citation: 'LeCun et al. 1998, Fig. 9 (2-layer NN, 300 hidden units)', year: 1998 },
  { subject: 'nn-large', measure: 'test error', value: 0.0305, unit: 'fraction', citation: 'LeCun et al. 1998, Fig. 9 (3-layer NN, 300+100 hidden units)', year: 1998 },
  { subject: 'cnn', measure: 'test error', value: 0.0095, unit: 'fraction', citation: 'LeCun et al. 1998, Fig. 9 (LeNet-5)', year: 1998 },
  { subject: 'power-law exponent', measure: 'exponent of error against m, lower end', value: -0.35, unit: 'exponent', citation: 'Hestness et al. 2017, arXiv:1712.00409', year: 2017, note: 'real tasks span about -0.07 to -0.35; theory suggests -0.5' },
  { subject: 'power-law exponent', measure: 'exponent of error against m, upper end', value: -0.07, unit: 'exponent', citation: 'Hestness et al. 2017, arXiv:1712.00409', year: 2017 },
];

export const scale: Experiment<ScaleConfig, ScaleUnit> = {
  id: 'scale',
  claim:
    'As labelled data grows, traditional algorithms (logistic regression, a linear SVM) level off while larger neural networks keep improving.',
  references,
  configs: {
    smoke: {
      sizes: [100, 200, 400],
      seeds: [1, 2],
      testSize: 1000,
      models: [MODELS.logistic, MODELS.svm, MODELS.small],
      optimizer: adam,
      batchSize: 64,
      minSteps: 30,
      maxEpochs: 5,
      minEpochs: 1,
    },
    quick: {
      sizes: [100, 1000, 10000, 60000],
      seeds: [1, 2],
      testSize: 10000,
      models: [MODELS.logistic, MODELS.svm, MODELS.small, MODELS.medium, MODELS.large, MODELS.cnn],
      optimizer: adam,
      batchSize: 64,
      minSteps: 300,
      maxEpochs: 100,
      minEpochs: 1,
    },
    full: {
      sizes: [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000],
      seeds: [1, 2, 3],
      testSize: 10000,
      models: [MODELS.logistic, MODELS.svm, MODELS.small, MODELS.medium, MODELS.large, MODELS.cnn],
      optimizer: adam,
      batchSize: 64,
      minSteps: 1500,
      maxEpochs: 300,
      minEpochs: 5,
    },
  },

  ...trialGrid,

  summarize(config, rows) {
    const summary: Record<string, number> = {};
    const notes: string[] = [];
    const sizes = [...config.sizes].sort((a, b) => a - b);
    const smallest = sizes[0]!;
    const largest = sizes.at(-1)!;
    // The size nearest to a tenth of the largest: "what did the last tenfold increase in data buy?"
    const reference = sizes.filter((m) => m <= largest / 10).at(-1) ?? smallest;
    Object.assign(summary, { 'm.smallest': smallest, 'm.largest': largest, 'm.reference': reference });
    summary['seeds'] = config.seeds.length;
    summary['testImages'] = config.testSize;
    const diverged = rows.filter((r) => r.diverged === true).length;
    summary['diverged'] = diverged;
    if (diverged) notes.push(`${diverged} run(s) diverged (non-finite loss or weights); they are kept in the rows and left out of the means.`);
    const acc = (model: string, m: number) => meanAccuracy(rows, model, m);
    for (const { name, label } of config.models) {
      const params = rows.find((r) => r.model === name)?.params;
      if (typeof params === 'number') summary[`params.${name}`] = params;
      summary[`accuracy.${name}.smallest`] = acc(name, smallest);
      summary[`accuracy.${name}.largest`] = acc(name, largest);
      summary[`gain.${name}`] = acc(name, largest) - acc(name, smallest);
      summary[`gainSinceReference.${name}`] = acc(name, largest) - acc(name, reference);
      // Near 100% accuracy, points gained understate progress; the share of errors removed does not.
      summary[`errorCutSinceReference.${name}`] = 1 - (1 - acc(name, largest)) / (1 - acc(name, reference));
      if (name !== 'logistic') {
        summary[`marginOverLogistic.${name}.smallest`] = acc(name, smallest) - acc('logistic', smallest);
        summary[`marginOverLogistic.${name}.largest`] = acc(name, largest) - acc('logistic', largest);
      }
      const flat = flattensAt(rows, name, sizes);
      if (flat !== undefined) summary[`flattensAt.${name}`] = flat;
      notes.push(
        flat === undefined
          ? `${label}: still gaining at least 0.5 accuracy points per doubling of the data at m = ${largest}.`
          : `${label}: gains less than 0.5 points per doubling of the data from m = ${flat} on.`,
      );
      const fit = errorPowerLaw(rows, name);
      if (fit) {
        summary[`fit.${name}.exponent`] = fit.exponent;
        summary[`fit.${name}.exponentStderr`] = fit.exponentStderr;
        summary[`fit.${name}.r2`] = fit.r2;
      } else {
        notes.push(`${label}: too few training-set sizes for a power-law fit.`);
      }
    }
    // Which model is best at the smallest and at the largest m: the lecture predicts a change of leader.
    const best = (m: number) => config.models.reduce((a, b) => (acc(b.name, m) > acc(a.name, m) ? b : a));
    summary['best.largest.accuracy'] = acc(best(largest).name, largest);
    summary['best.largest.marginOverLogistic'] = acc(best(largest).name, largest) - acc('logistic', largest);
    notes.push(`Best at m = ${smallest}: ${best(smallest).label}; best at m = ${largest}: ${best(largest).label}.`);
    // Hestness et al. 2017 report exponents between about -0.07 and -0.35 in the power-law region.
    const exponents = config.models.map((m) => summary[`fit.${m.name}.exponent`]).filter((e): e is number => e !== undefined);
    if (exponents.length) {
      summary['fit.steepestExponent'] = Math.min(...exponents);
      summary['fit.shallowestExponent'] = Math.max(...exponents);
    }
    return { summary, notes };
  },
};
