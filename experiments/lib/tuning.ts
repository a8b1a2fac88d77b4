/**
 * Tuning is part of the protocol: every contender of a comparison is trained at its best, i.e. with
 * the learning rate and the L2 penalty (weight decay) that the validation set prefers, chosen per
 * training-set size. One method for every experiment: successive halving (Jamieson & Talwalkar 2016;
 * the building block of Hyperband, Li et al. 2018) over a small log-spaced grid.
 *
 * - every setting of the grid trains by the protocol (protocol.ts), from the same initial weights and
 *   on the same batches, for a first rung of `firstRungSteps` optimiser steps (whole rounds);
 * - the best third by validation accuracy (best so far; validation loss breaks ties) trains on to three
 *   times that (resumed, not restarted), the rest are dropped; and so on until one setting is left:
 *   the chosen one. The trials then train it from the start, each on its own seed, as plain trials
 *   (so the browser's "Run it yourself" reproduces any of them from the setting alone), and no trial
 *   a page reports was itself the run that chose the setting.
 *
 * A setting chosen at an edge of its grid is flagged: the grid may not have held the best one.
 * No Node-only imports: the browser could run this too.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { epochsPerRound, trainTrialWithModel, type EvaluationSets, type RoundRecord, type TrialHooks, type TrialOutcome, type TrialSpec } from './protocol.ts';
import { edgesOf, gridFor, settingsOf, withSetting, type Setting, type TuningFamily, type TuningGrid } from './setting.ts';
import type { Split } from './split.ts';

export { atGridEdge, edgesOf, gridFor, settingsOf, withSetting, type Setting, type TuningGrid } from './setting.ts';

export interface TuningPlan {
  /** The settings tried; a trial grid's plan may give a model family its own (`byFamily`, setting.ts gridFor). */
  grid: TuningGrid;
  byFamily?: Partial<Record<TuningFamily, TuningGrid>>;
  /** Optimiser steps every setting trains before the first cut (rounded up to whole rounds). */
  firstRungSteps: number;
  /** One setting in `eta` goes on at each rung, for `eta` times as many rounds. */
  eta: number;
}

/** One setting's standing at the end of one rung. */
export interface RungRecord {
  setting: Setting;
  rung: number;
  /** Epochs trained so far. */
  epochs: number;
  /** The best validation accuracy so far and the loss of that round (NaN when diverged). */
  valAccuracy: number;
  valLoss: number;
  /** Whether the setting trains on past this rung. */
  advanced: boolean;
}

export interface TuningOutcome {
  setting: Setting;
  /** The chosen setting's learning rate or penalty is the smallest or largest of its grid. */
  atEdge: { learningRate: boolean; l2: boolean };
  rungs: RungRecord[];
}

/** The first rung's length in rounds for a training set of `count` images. */
export function firstRungRounds(plan: TuningPlan, trial: TrialSpec, count: number): number {
  const epochs = epochsPerRound(trial.stopping, count, trial.batchSize);
  const stepsPerRound = epochs * Math.ceil(count / Math.min(trial.batchSize, count));
  return Math.max(1, Math.ceil(plan.firstRungSteps / stepsPerRound));
}

/** A candidate's run, paused at the end of each rung until the schedule says go on or drop. */
interface Candidate {
  index: number;
  setting: Setting;
  rounds: RoundRecord[];
  best: { accuracy: number; loss: number };
  /** Rounds it may train before it pauses; Infinity once it is the chosen one. */
  budget: number;
  /** Called when the candidate reaches its budget or finishes. */
  reached: () => void;
  resume?: (verdict: 'go' | 'drop') => void;
  finished?: { outcome: TrialOutcome; model: tfl.LayersModel; abandoned?: boolean };
  failed?: unknown;
}

/** Lets a paused candidate go on (or drop out) and waits until it pauses again or finishes. */
function proceed(candidate: Candidate, decision: 'go' | 'drop'): Promise<void> {
  const next = new Promise<void>((resolve) => (candidate.reached = resolve));
  candidate.resume!(decision);
  return next;
}

/** Better first: higher best-so-far validation accuracy, then lower loss, then grid order. */
function byStanding(a: Candidate, b: Candidate): number {
  const accuracy = (c: Candidate) => (Number.isFinite(c.best.loss) ? c.best.accuracy : -1);
  return accuracy(b) - accuracy(a) || a.best.loss - b.best.loss || a.index - b.index;
}

/**
 * Chooses a setting for `trial` from its grid (`plan.grid`, or its family's) by successive halving. The candidates run one at a
 * time (each pauses inside its own training loop), so memory holds a few small models and their
 * optimiser state, never more than one training step at a time.
 */
export async function tuneTrial(trial: TrialSpec, trainSet: Split, sets: EvaluationSets, plan: TuningPlan, hooks: Pick<TrialHooks, 'onRound'> = {}): Promise<TuningOutcome> {
  const grid = gridFor(plan, trial.spec);
  const settings = settingsOf(grid);
  if (settings.length === 0) throw new Error(`tuning ${trial.model}: the grid is empty (learning rates ${JSON.stringify(grid.learningRates)}).`);
  const firstRung = firstRungRounds(plan, trial, trainSet.count);
  const records: RungRecord[] = [];

  /** Starts a candidate's trial and resolves once it pauses at its first budget (or finishes). */
  const start = async (setting: Setting, index: number): Promise<Candidate> => {
    const candidate: Candidate = { index, setting, rounds: [], best: { accuracy: -1, loss: Number.POSITIVE_INFINITY }, budget: firstRung, reached: () => {} };
    const first = new Promise<void>((resolve) => (candidate.reached = resolve));
    const onRound = async (round: RoundRecord) => {
      candidate.rounds.push(round);
      if (round.valAccuracy > candidate.best.accuracy || (round.valAccuracy === candidate.best.accuracy && round.valLoss < candidate.best.loss)) {
        candidate.best = { accuracy: round.valAccuracy, loss: round.valLoss };
      }
      const verdict = await hooks.onRound?.(round);
      if (verdict) return verdict;
      if (candidate.rounds.length < candidate.budget) return undefined;
      // Pause here, inside the training loop, until the schedule decides.
      const decision = await new Promise<'go' | 'drop'>((resolve) => {
        candidate.resume = resolve;
        candidate.reached();
      });
      return decision === 'drop' ? 'abandon' : undefined;
    };
    void trainTrialWithModel(withSetting(trial, setting), trainSet, sets, { onRound }).then(
      (finished) => {
        candidate.finished = finished;
        candidate.reached();
      },
      (error: unknown) => {
        candidate.failed = error ?? new Error(`tuning ${trial.model}: a candidate failed`);
        candidate.reached();
      },
    );
    await first;
    rethrow(candidate);
    return candidate;
  };

  let alive: Candidate[] = [];
  // One candidate trains at a time: each is started (or resumed) only once the previous one paused.
  for (const [index, setting] of settings.entries()) alive.push(await start(setting, index));
  for (let rung = 0; ; rung++) {
    const standing = [...alive].sort(byStanding);
    const keep = alive.length === 1 ? 1 : Math.max(1, Math.ceil(alive.length / plan.eta));
    const kept = new Set(standing.slice(0, keep));
    for (const candidate of alive) {
      records.push({
        setting: candidate.setting,
        rung,
        epochs: candidate.rounds.at(-1)?.epoch ?? 0,
        valAccuracy: Number.isFinite(candidate.best.loss) ? candidate.best.accuracy : Number.NaN,
        valLoss: candidate.best.loss,
        advanced: kept.has(candidate),
      });
    }
    // The dropped ones end now (their paused loop returns 'abandon'); a finished one needs nothing.
    for (const candidate of alive.filter((c) => !kept.has(c))) {
      if (!candidate.finished) await proceed(candidate, 'drop');
      rethrow(candidate);
      candidate.finished?.model.dispose();
    }
    alive = standing.slice(0, keep);
    if (alive.length === 1) {
      // Chosen: its training ends here too; the trials that use the setting train it from the start.
      const [chosen] = alive;
      if (!chosen!.finished) await proceed(chosen!, 'drop');
      rethrow(chosen!);
      chosen!.finished?.model.dispose();
      return { setting: chosen!.setting, atEdge: edgesOf(grid, chosen!.setting), rungs: records };
    }
    for (const candidate of alive) {
      if (candidate.finished) continue;
      candidate.budget *= plan.eta;
      await proceed(candidate, 'go');
      rethrow(candidate);
    }
  }
}

function rethrow(candidate: Candidate): void {
  if (candidate.failed !== undefined) throw candidate.failed;
}
