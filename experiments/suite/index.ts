/** Every experiment the runner knows, by id. */
import type { AnyExperiment } from '../lib/experiment.ts';
import { scale } from './scale.ts';

export const experiments: AnyExperiment[] = [scale];

export function findExperiment(id: string): AnyExperiment | undefined {
  return experiments.find((e) => e.id === id);
}
