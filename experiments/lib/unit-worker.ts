/**
 * Runs one unit of an experiment in a pool worker (a child process: each has its own single-threaded
 * wasm instance, so one per core uses the machine).
 */
import { selectBackend, type BackendChoice, type BackendRequest } from './backend.ts';
import type { UnitResult } from './experiment.ts';
import type { Profile } from './schema.ts';
import { findExperiment } from '../suite/index.ts';

export interface UnitTask {
  experiment: string;
  profile: Profile;
  key: string;
  /**
   * The config the parent runs (plain data): a worker must train what the parent was given, not the
   * registry's config of the same profile (a test or a caller may run a changed config).
   */
  config: unknown;
  backend: BackendRequest;
  /** The result of the unit this one needs, when it needs one. */
  needed?: UnitResult;
}

// The parent is gone (killed, or crashed): end now rather than finish a unit nobody will read. The
// training loop yields to the event loop often enough for this to run within a fraction of a second.
process.on('disconnect', () => process.exit(1));

let backend: Promise<BackendChoice> | undefined;

export default async function runUnitTask(task: UnitTask): Promise<UnitResult> {
  backend ??= selectBackend(task.backend);
  const chosen = await backend;
  const experiment = findExperiment(task.experiment);
  if (!experiment) throw new Error(`Unknown experiment ${task.experiment}`);
  const config = task.config as (typeof experiment.configs)[Profile];
  const unit = experiment.units(config).find((u) => u.key === task.key);
  if (!unit) throw new Error(`${task.experiment} has no unit ${task.key} at profile ${task.profile}`);
  return experiment.runUnit(unit, config, { backend: chosen, ...(task.needed ? { needed: task.needed } : {}) });
}
