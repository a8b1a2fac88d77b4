/**
 * What each experiment's rows look like: one zod schema per experiment id, derived from the code that
 * writes them (experiments/suite/*.ts, trial.ts, protocol.ts, sweep.ts). The result-file schema
 * (schema.ts) only knows that a row is a record of cells; these know that `testAccuracy` is a number
 * in [0, 1], that it may be null only for a diverged trial, and which fields a row has, so a null, a
 * string "0.9" or a misspelled field fails loudly instead of dropping a point from a chart.
 *
 * Rows are checked as they are stored (JSON): a non-finite number has become null by then.
 * Change a schema here whenever an experiment starts writing its rows differently.
 */
import { z } from 'zod';
import { BACKENDS, ResultFileError, type Row } from './schema.ts';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
/** An accuracy or an error rate: a fraction of images. */
const fraction = z.number().min(0).max(1);
const count = z.number().int().nonnegative();
const positiveCount = z.number().int().positive();
const loss = z.number().nonnegative();
const rate = z.number().positive();
/** A penalty's strength: 0 is a setting of its own (no penalty), tried beside the positive ones. */
const penalty = z.number().nonnegative();
const text = z.string().min(1);
const activation = z.enum(['sigmoid', 'tanh', 'relu']);

/**
 * One trial of the protocol (trial.ts runTrial → protocol.ts trainTrial): a diverged trial has no
 * scores (null); an exact kernel SVM, trained without gradient steps, has no losses.
 */
const trialOutcome = {
  seed: z.number().int(),
  m: positiveCount,
  architecture: text,
  /** Weights, or an exact kernel SVM's support vectors. */
  params: count,
  trainAccuracy: fraction.nullable(),
  valAccuracy: fraction.nullable(),
  testAccuracy: fraction.nullable(),
  testError: fraction.nullable(),
  trainLoss: loss.nullable(),
  valLoss: loss.nullable(),
  keptEpoch: count,
  epochsRun: count,
  steps: count,
  hitCap: z.boolean(),
  diverged: z.boolean(),
};

type TrialRow = { [K in keyof typeof trialOutcome]: z.infer<(typeof trialOutcome)[K]> };

function checkTrial(row: TrialRow, ctx: z.RefinementCtx): void {
  const scores = ['trainAccuracy', 'valAccuracy', 'testAccuracy', 'testError'] as const;
  for (const field of scores) {
    if (!row.diverged && row[field] === null) ctx.addIssue({ code: 'custom', path: [field], message: 'is null, but the trial did not diverge (only a diverged trial has no scores)' });
    if (row.diverged && row[field] !== null) ctx.addIssue({ code: 'custom', path: [field], message: 'is a number, but the trial diverged (a diverged trial has null scores)' });
  }
  for (const field of ['trainLoss', 'valLoss'] as const) {
    if (row[field] === null && !row.diverged && row.steps > 0) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'is null, but the trial took gradient steps and did not diverge (only a diverged trial or an exact kernel SVM has no loss)' });
    }
  }
  if (row.testAccuracy !== null && row.testError !== null && Math.abs(row.testError - (1 - row.testAccuracy)) > 1e-9) {
    ctx.addIssue({ code: 'custom', path: ['testError'], message: `is ${row.testError}, but testAccuracy is ${row.testAccuracy} (testError must be 1 − testAccuracy)` });
  }
  if (row.keptEpoch > row.epochsRun) ctx.addIssue({ code: 'custom', path: ['keptEpoch'], message: `is ${row.keptEpoch}, after epochsRun ${row.epochsRun}` });
}

/** A tuned trial's setting (trial.ts trialRows); the unit that tuned it also says whether it lies at a grid edge. */
const tunedSetting = {
  learningRate: rate.optional(),
  l2: penalty.nullable().optional(),
  learningRateAtEdge: z.boolean().optional(),
  l2AtEdge: z.boolean().optional(),
  /** The exact kernel SVM's own choice (kernel-svm.ts), seed by seed. */
  gamma: rate.optional(),
  C: rate.optional(),
  gammaAtEdge: z.boolean().optional(),
  CAtEdge: z.boolean().optional(),
};

/** One setting's standing at the end of one rung of successive halving (tuning.ts). */
const tuningRung = {
  kind: z.literal('tuning'),
  seed: z.number().int(),
  m: positiveCount,
  learningRate: rate,
  l2: penalty.nullable(),
  rung: count,
  epochs: count,
  /** Null when the setting diverged. */
  valAccuracy: fraction.nullable(),
  valLoss: loss.nullable(),
  advanced: z.boolean(),
};

/** What a longer patience kept, beside what the rule kept (protocol.ts extendedPatience). */
const stoppingCheck = {
  kind: z.literal('stopping'),
  seed: z.number().int(),
  m: positiveCount,
  patience: positiveCount,
  keptEpoch: count,
  epochsRun: count,
  valAccuracy: fraction,
  testAccuracy: fraction,
  ruleKeptEpoch: count,
  ruleValAccuracy: fraction,
  ruleTestAccuracy: fraction,
};

/** A row schema per `kind` (a trial row has none), so an error names the fields of the right one. */
function byKind(schemas: Record<string, z.ZodType>) {
  return z.unknown().superRefine((row, ctx) => {
    const kind = row && typeof row === 'object' ? (row as { kind?: unknown }).kind : undefined;
    const schema = schemas[kind === undefined ? 'trial' : String(kind)];
    if (!schema) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `is ${JSON.stringify(kind)}, expected none (a trial) or one of ${Object.keys(schemas).filter((k) => k !== 'trial').join(', ')}` });
      return;
    }
    const parsed = schema.safeParse(row);
    // The kind's own issues, as they are: `describe` below words them like any other.
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
  });
}

/** scale and small-data: trialGrid (trial.ts) writes { model, label, m, seed, ...outcome }, plus tuning and stopping rows. */
const gridBase = { model: text, label: text };
/** A trial by the practitioner's rule (practitioner.ts): its own m images decided everything. */
const practitionerFields = { heldOut: positiveCount.optional(), labelledImages: positiveCount.optional() };
function checkPractitioner(row: TrialRow & { labelledImages?: number; heldOut?: number }, ctx: z.RefinementCtx): void {
  checkTrial(row, ctx);
  if (row.labelledImages !== undefined && row.labelledImages !== row.m) ctx.addIssue({ code: 'custom', path: ['labelledImages'], message: `is ${row.labelledImages}, but the trial's m is ${row.m} (a practitioner has only m labels)` });
  if (row.heldOut !== undefined && row.heldOut >= row.m) ctx.addIssue({ code: 'custom', path: ['heldOut'], message: `is ${row.heldOut}, not fewer than m = ${row.m}` });
}

const trialGridRow = byKind({
  trial: z.strictObject({ ...gridBase, ...trialOutcome, ...tunedSetting }).superRefine(checkTrial),
  tuning: z.strictObject({ ...gridBase, ...tuningRung }),
  stopping: z.strictObject({ ...gridBase, ...stoppingCheck }),
  practitioner: z.strictObject({ kind: z.literal('practitioner'), ...gridBase, ...trialOutcome, ...tunedSetting, ...practitionerFields }).superRefine(checkPractitioner),
});

/**
 * small-data since v3 (practitioner.ts): each trial chose from its own m images, so its valAccuracy is
 * the held-out part's; it records the part's size, the images the whole trial used, and its choice.
 */
const smallDataRow = byKind({
  trial: z.strictObject({ ...gridBase, ...trialOutcome, ...tunedSetting, ...practitionerFields }).superRefine(checkPractitioner),
});

/** model-size writes { model: "width-<w>", label, width, m, seed, ...outcome }, plus tuning and stopping rows. */
const widthBase = { model: z.string().regex(/^width-\d+$/), label: text.optional(), width: positiveCount };
const sameWidth = (row: { model: string; width: number }, ctx: z.RefinementCtx) => {
  if (row.model !== `width-${row.width}`) ctx.addIssue({ code: 'custom', path: ['model'], message: `is "${row.model}", but width is ${row.width}` });
};
const modelSizeRow = byKind({
  trial: z.strictObject({ ...widthBase, ...trialOutcome, ...tunedSetting }).superRefine((row, ctx) => {
    sameWidth(row, ctx);
    checkTrial(row, ctx);
  }),
  tuning: z.strictObject({ ...widthBase, ...tuningRung }).superRefine(sameWidth),
  stopping: z.strictObject({ ...widthBase, ...stoppingCheck }).superRefine(sameWidth),
});

/**
 * The rows of a learning-rate sweep (sweep.ts trainWithCurve) with a contender's fields (`base`):
 * one 'epoch' row per epoch, then one 'final' row. A loss that became non-finite is stored as null.
 */
function sweepRows<B extends z.core.$ZodLooseShape>(base: B) {
  const epoch = z.strictObject({ kind: z.literal('epoch'), ...base, epoch: positiveCount, trainLoss: loss, valAccuracy: fraction, valLoss: loss.nullable() });
  const final = z
    .strictObject({ kind: z.literal('final'), ...base, diverged: z.boolean(), epochsRun: count, testAccuracy: fraction.nullable(), params: count })
    .superRefine((parsed, ctx) => {
      // The shape is generic in `base`; these fields are always there.
      const row = parsed as unknown as { testAccuracy: number | null; diverged: boolean };
      if ((row.testAccuracy === null) !== row.diverged) {
        ctx.addIssue({ code: 'custom', path: ['testAccuracy'], message: row.diverged ? 'is a number, but the run diverged (it has no test accuracy)' : 'is null, but the run did not diverge' });
      }
    });
  return { epoch, final };
}

/** Per-weight gradient size reaching each layer (train.ts layerGradientRms), measured on a fixed batch. */
function gradientRow<B extends z.core.$ZodLooseShape>(base: B) {
  return z
    .strictObject({ kind: z.literal('gradient'), ...base, epoch: count, layer: positiveCount, layers: positiveCount, gradientRms: z.number().nonnegative() })
    .superRefine((parsed, ctx) => {
      const row = parsed as unknown as { layer: number; layers: number };
      if (row.layer > row.layers) ctx.addIssue({ code: 'custom', path: ['layer'], message: `is ${row.layer}, more than layers (${row.layers})` });
    });
}

/**
 * Per hidden layer, the backward signal ∂ℓ/∂z and the activations, apart (signals.ts layerSignals): root
 * mean squares over the probe batch, finite and non-negative.
 */
function signalRow<B extends z.core.$ZodLooseShape>(base: B) {
  const rms = z.number().nonnegative().refine(Number.isFinite, 'expected a finite number');
  return z
    .strictObject({ kind: z.literal('signal'), ...base, epoch: count, layer: positiveCount, layers: positiveCount, backwardRms: rms, activationRms: rms })
    .superRefine((parsed, ctx) => {
      const row = parsed as unknown as { layer: number; layers: number };
      if (row.layer > row.layers) ctx.addIssue({ code: 'custom', path: ['layer'], message: `is ${row.layer}, more than layers (${row.layers})` });
    });
}

/** A contender has a name of its own ('relu-he'), its activation and its hidden layers' initialisation. */
const activationsBase = { contender: text, activation, init: z.enum(['glorot', 'he']), depth: positiveCount, rate, seed: z.number().int() };
const activationsSweep = sweepRows(activationsBase);
const activationsRow = z.discriminatedUnion('kind', [
  activationsSweep.epoch,
  activationsSweep.final,
  gradientRow(activationsBase),
  signalRow(activationsBase),
  // The analytic curves: f(x) and f′(x) on [-6, 6].
  z.strictObject({ kind: z.literal('curve'), activation, x: z.number().min(-6).max(6), value: finite, derivative: finite }),
]);

const saturationBase = { activation, depth: positiveCount, rate, seed: z.number().int() };
const saturationSweep = sweepRows(saturationBase);
const saturationRow = z.discriminatedUnion('kind', [
  saturationSweep.epoch,
  saturationSweep.final,
  // Mean activation of each hidden layer on the probe batch.
  z.strictObject({ kind: z.literal('activation'), ...saturationBase, epoch: count, layer: positiveCount, meanActivation: finite }),
  gradientRow(saturationBase),
  signalRow(saturationBase),
]);

const optimizersBase = { optimizer: z.enum(['sgd', 'momentum', 'rmsprop', 'adam']), label: text, rate, seed: z.number().int() };
const optimizersSweep = sweepRows(optimizersBase);
const optimizersRow = z.discriminatedUnion('kind', [optimizersSweep.epoch, optimizersSweep.final]);

/** history: curated facts, each with its source. */
const year = z.number().int().min(1900).max(2100);
const historyRow = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dataset'), name: text, year, examples: positiveCount, testExamples: count, what: text, source: text }),
  z.strictObject({ kind: z.literal('accelerator'), name: text, year, tflops: z.number().positive(), precision: text, source: text }),
]);

/** compute: a backend measured, or one this machine does not have (measured nothing, with the reason). */
const computeBase = { backend: z.enum(BACKENDS), model: text, label: text };
const computeRow = z.discriminatedUnion('status', [
  z.strictObject({ ...computeBase, status: z.literal('not available'), reason: text }),
  z
    .strictObject({
      ...computeBase,
      status: z.literal('measured'),
      hardware: z.enum(['software', 'hardware', 'native', 'cpu']),
      params: count,
      epochsToTarget: positiveCount.nullable(),
      epochsRun: count,
      testAccuracy: fraction.nullable(),
    })
    .superRefine((row, ctx) => {
      if ((row.testAccuracy === null) !== (row.epochsToTarget === null)) {
        ctx.addIssue({ code: 'custom', path: ['testAccuracy'], message: 'must be null exactly when epochsToTarget is null (the test set is scored only once the target is reached)' });
      }
      if (row.epochsToTarget !== null && row.epochsToTarget > row.epochsRun) {
        ctx.addIssue({ code: 'custom', path: ['epochsToTarget'], message: `is ${row.epochsToTarget}, after epochsRun ${row.epochsRun}` });
      }
    }),
]);

/** The row schema of every experiment, by id. */
export const ROW_SCHEMAS: Record<string, z.ZodType> = {
  scale: trialGridRow,
  'small-data': smallDataRow,
  'model-size': modelSizeRow,
  history: historyRow,
  activations: activationsRow,
  saturation: saturationRow,
  optimizers: optimizersRow,
  compute: computeRow,
};

/** Problems reported in one message; the rest are counted. */
const SHOWN = 3;

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 37)}…` : json;
}

function describe(issue: z.core.$ZodIssue, row: unknown): string {
  const path = issue.path.map(String);
  const field = path.join('.') || '(the row)';
  const value = path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), row);
  if (issue.code === 'unrecognized_keys') return `has unexpected field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    return `field ${field} is ${show(value)}, expected one of ${(issue as { options?: unknown[] }).options?.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  if (issue.code === 'custom') return `field ${field} ${issue.message}`;
  return `field ${field} is ${show(value)}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

/**
 * Checks every row against its experiment's schema and returns them. Throws a ResultFileError naming
 * `where` (a file), the row index, the field, what was wrong and how to fix it.
 */
export function validateRows(experimentId: string, rows: unknown[], where: string): Row[] {
  const schema = ROW_SCHEMAS[experimentId];
  if (!schema) {
    throw new ResultFileError(
      `${where}: no experiment has the id "${experimentId}", so its rows cannot be checked (known: ${Object.keys(ROW_SCHEMAS).join(', ')}). ` +
        'Fix: remove the file, or add the experiment to experiments/suite and its row schema to experiments/lib/rows.ts.',
    );
  }
  const problems: string[] = [];
  let bad = 0;
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return;
    bad++;
    for (const issue of parsed.error.issues) if (problems.length < SHOWN) problems.push(`rows[${index}] ${describe(issue, row)}`);
  });
  if (bad === 0) return rows as Row[];
  const more = bad > 1 ? ` (${bad} bad rows of ${rows.length})` : '';
  throw new ResultFileError(
    `${where}: ${problems.join('; ')}${more}. ` +
      `Fix: re-run the experiment (npm run experiments -- ${experimentId}) rather than editing rows by hand; ` +
      'if the experiment now writes its rows differently, update its schema in experiments/lib/rows.ts.',
  );
}
