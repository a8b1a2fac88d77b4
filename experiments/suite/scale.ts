/**
 * scale — the lecture's central chart, drawn with real data: test accuracy against the number of
 * labelled training images, for traditional algorithms (logistic regression, a linear SVM, an RBF
 * kernel SVM: exact where libsvm can afford it, by random Fourier features everywhere) and neural
 * networks of growing size, a CNN included, several seeds per cell, each trained by the protocol.
 */
import type { ScaleConfig } from '../configs.ts';
import type { Experiment } from '../lib/experiment.ts';
import type { OptimizerSpec } from '../lib/models.ts';
import type { Reference } from '../lib/schema.ts';
import { practitionerUnit, trialGrid, type TrialGridUnit } from '../lib/trial.ts';
import { MODELS, PRACTITIONER, SMOKE_PRACTITIONER, SMOKE_TUNING, STOPPING, TUNING } from '../lib/zoo.ts';
import { summarizeScale } from '../summaries/scale.ts';

type ScaleUnit = TrialGridUnit & { practitioner?: boolean };

const adam: OptimizerSpec = { name: 'adam', learningRate: 1e-3 };
// Every trial by the protocol's stopping rule (zoo.ts), batches of 64.
const training = { batchSize: 64, stopping: STOPPING };

const references: Reference[] = [
  { subject: 'linear-classifier', measure: 'test error', value: 0.12, unit: 'fraction', citation: 'LeCun et al. 1998, Fig. 9 (linear classifier, 1-layer NN)', year: 1998, note: 'a linear classifier, like our logistic regression and linear SVM, but trained differently: not the same model' },
  { subject: 'logistic', measure: 'test accuracy', value: 0.917, unit: 'fraction', citation: 'Xiao et al. 2017, Table 3 (scikit-learn LogisticRegression, mean of 5 runs)', year: 2017 },
  { subject: 'svm-linear', measure: 'test accuracy', value: 0.917, unit: 'fraction', citation: 'Xiao et al. 2017, Table 3 (scikit-learn LinearSVC)', year: 2017 },
  { subject: 'svm-rbf', measure: 'test accuracy', value: 0.973, unit: 'fraction', citation: 'Xiao et al. 2017, Table 3 (scikit-learn SVC, RBF kernel, C=10)', year: 2017, note: 'exact, on all 60,000 training images; ours is exact up to 3,000 and approximated by random features beyond' },
  { subject: 'svm-rbf', measure: 'test error', value: 0.011, unit: 'fraction', citation: 'LeCun et al. 1998, Fig. 9 (SVM, degree-4 polynomial kernel, deskewed)', year: 1998, note: 'a polynomial kernel on deskewed images: level with LeNet-4' },
  { subject: 'svm-rbf', measure: 'test error', value: 0.0056, unit: 'fraction', citation: 'DeCoste & Schölkopf 2002 (virtual SVM)', year: 2002, note: 'trained on distorted copies of the images as well' },
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
      models: [MODELS.logistic, MODELS.svm, MODELS.small, { ...MODELS.svmRbf, maxM: 200 }],
      fitFrom: 100,
      floorFitFrom: 100,
      optimizer: adam,
      ...training,
      stopping: { ...STOPPING, roundSteps: 10, patience: 2, maxRounds: 4 },
      tuning: { ...SMOKE_TUNING, sensitivity: { sizes: [400], patience: 4 } },
      practitioner: { sizes: [100], plan: SMOKE_PRACTITIONER },
    },
    quick: {
      sizes: [100, 1000, 10000, 55000],
      seeds: [1, 2],
      testSize: 10000,
      models: [MODELS.logistic, MODELS.svm, { ...MODELS.svmRbf, maxM: 1000 }, MODELS.svmFourier, MODELS.small, MODELS.medium, MODELS.large, MODELS.cnn],
      fitFrom: 100,
      optimizer: adam,
      ...training,
      stopping: { ...STOPPING, patience: 2 },
    },
    full: {
      sizes: [100, 300, 1000, 3000, 10000, 55000],
      seeds: [1, 2, 3, 4, 5],
      testSize: 10000,
      models: [MODELS.logistic, MODELS.svm, MODELS.svmRbf, MODELS.svmFourier, MODELS.small, MODELS.medium, MODELS.large, MODELS.cnn],
      // One range for both fits: from 300 images, five sizes.
      fitFrom: 300,
      floorFitFrom: 300,
      optimizer: adam,
      ...training,
      tuning: { ...TUNING, sensitivity: { sizes: [55000], patience: 2 * STOPPING.patience } },
      practitioner: { sizes: [100, 300], plan: PRACTITIONER },
    },
  },

  gridFields: trialGrid.gridFields,

  units(config) {
    const own = (config.practitioner?.sizes ?? []).flatMap((m) =>
      trialGrid
        .units({ ...config, sizes: [m], tuning: undefined })
        .map((unit) => ({ ...unit, key: `${unit.key}/own-labels`, practitioner: true })),
    );
    return [...trialGrid.units(config), ...own];
  },

  cost(unit, config) {
    return (unit.practitioner ? 4 : 1) * trialGrid.cost(unit, config);
  },

  runUnit(unit, config, context) {
    return unit.practitioner && config.practitioner ? practitionerUnit(unit, config, config.practitioner.plan, 'practitioner') : trialGrid.runUnit(unit, config, context);
  },

  summarize: (config, rows) => summarizeScale(config, rows),
};
