import type { TopLevelSpec } from 'vega-lite';
import type { ResultFile } from '../../experiments/lib/schema.ts';

export interface ChartBuild {
  spec: TopLevelSpec;
  /** Text alternative, written from the data. */
  description: string;
}

export interface ChartDefinition {
  /** The experiment whose result file (`generated/<experiment>.json`) drives the chart. */
  experiment: string;
  title: string;
  caption: string;
  build(result: ResultFile): ChartBuild;
}
