/** Every chart a lesson may embed, by id. Lesson frontmatter and <Chart id> are checked against this. */
import { learningCurves } from './scale.ts';
import type { ChartDefinition } from './types.ts';

export const charts = {
  'scale-learning-curves': {
    experiment: 'scale',
    title: 'Test accuracy against the amount of labelled data',
    caption:
      'Each line is the mean over seeds; the shaded band spans the worst and best seed. Every point is a model trained from scratch on a random subset of the MNIST training images and scored on the MNIST test images.',
    build: learningCurves,
  },
} satisfies Record<string, ChartDefinition>;

export type ChartId = keyof typeof charts;
export const chartIds = Object.keys(charts) as [ChartId, ...ChartId[]];

export class UnknownChartError extends Error {
  override name = 'UnknownChartError';
}

export function getChart(id: string, where: string): ChartDefinition {
  if (id in charts) return charts[id as ChartId];
  throw new UnknownChartError(
    `${where} refers to chart "${id}", which does not exist. Known charts: ${chartIds.join(', ')} (see src/charts/index.ts).`,
  );
}
