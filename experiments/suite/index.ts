/** Every experiment the runner knows, by id. */
import type { AnyExperiment } from '../lib/experiment.ts';
import { activations } from './activations.ts';
import { compute } from './compute.ts';
import { history } from './history.ts';
import { modelSize } from './model-size.ts';
import { optimizers } from './optimizers.ts';
import { saturation } from './saturation.ts';
import { scale } from './scale.ts';
import { smallData } from './small-data.ts';

export const experiments: AnyExperiment[] = [scale, smallData, modelSize, history, activations, saturation, optimizers, compute];

export function findExperiment(id: string): AnyExperiment | undefined {
  return experiments.find((e) => e.id === id);
}
