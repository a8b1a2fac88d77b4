/** The Vega-Lite transform every chart with several seeds uses: mean, worst and best per group. */
import type { Transform } from 'vega-lite/types_unstable/transform.d.ts';

export function meanAndRange(field: string, groupby: string[]): Transform {
  return {
    aggregate: [
      { op: 'mean', field, as: 'mean' },
      { op: 'min', field, as: 'low' },
      { op: 'max', field, as: 'high' },
    ],
    groupby,
  };
}
