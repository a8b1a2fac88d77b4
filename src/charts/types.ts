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

/**
 * What every chart's spec starts with: the Vega-Lite version, the text alternative and, for charts drawn
 * from one table, its rows. No width: both renderers give the plot the width they have (size.ts).
 */
const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export function chartHead(description: string): { $schema: string; description: string };
export function chartHead<Row extends object>(description: string, rows: Row[]): { $schema: string; description: string; data: { values: Row[] } };
export function chartHead(description: string, rows?: object[]) {
  return { $schema: VEGA_LITE_SCHEMA, description, ...(rows && { data: { values: rows } }) };
}
