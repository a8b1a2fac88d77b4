/**
 * What an experiment module provides. Work is split into independent units (model × size × seed …)
 * so the runner can report progress per unit, and later cache, parallelise and shard them.
 */
import type { BackendChoice } from './backend.ts';
import type { Profile, Reference, Row } from './schema.ts';

export interface UnitResult {
  /** Deterministic measurements: identical for the same profile, seed and backend. */
  rows: Row[];
  /** Wall-clock measurements, which vary from run to run. */
  timings: Row[];
}

export interface UnitContext {
  backend: BackendChoice;
  /** The result of the unit this one needs (Unit.needs), e.g. the setting a tuning unit chose. */
  needed?: UnitResult;
}

export interface Experiment<Config, Unit extends { key: string; seed: number; needs?: string }> {
  id: string;
  /** The claim of the lecture that this experiment tests, in one sentence. */
  claim: string;
  configs: Record<Profile, Config>;
  /**
   * The units, each with a key unique in the experiment. A unit whose `needs` names another unit's key
   * runs after it and receives its result (context.needed); a shard always holds both.
   */
  units(config: Config): Unit[];
  /**
   * Config fields that only say which units there are (sizes, seeds, models…). They are left out of
   * each unit's cache key, so widening a grid re-runs only the units it adds; runUnit therefore must
   * not read them (tests/unit/cache-key.test.ts holds every experiment to that).
   */
  gridFields?: readonly (keyof Config & string)[];
  runUnit(unit: Unit, config: Config, context: UnitContext): Promise<UnitResult>;
  /**
   * Its units measure wall-clock time (throughput, time to a target): they run one at a time, in one
   * process, whatever --jobs says, so that no unit shares the machine with another.
   */
  exclusive?: boolean;
  /** Relative cost of a unit (any unit of measure), for scheduling and the ETA; 1 when absent. */
  cost?(unit: Unit, config: Config): number;
  /**
   * Derived numbers the lessons quote, and findings in words, computed from all rows (and, for
   * summaries about cost, from the timings).
   */
  summarize(config: Config, rows: Row[], timings: Row[]): { summary: Record<string, number>; notes: string[] };
  /** Literature figures to show beside ours, each with its citation. */
  references?: Reference[];
}

// The registry stores experiments of different config types side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyExperiment = Experiment<any, { key: string; seed: number; needs?: string }>;

/**
 * An experiment's summary and notes from its rows, as result files hold them: a value that is not a
 * finite number (a target never reached, a fit with too few points) is left out. The runner writes
 * this, resummarize rewrites it, and the build checks a file against it.
 */
export function summaryOf(experiment: AnyExperiment, config: unknown, rows: Row[], timings: Row[]): { summary: Record<string, number>; notes: string[] } {
  const { summary, notes } = experiment.summarize(config, rows, timings);
  return { summary: Object.fromEntries(Object.entries(summary).filter(([, v]) => Number.isFinite(v))), notes };
}
