/**
 * Gives a spec a concrete width. Single-view specs say `width: 'container'`, which Vega-Lite cannot
 * resolve without a page (build-time rendering) nor apply to faceted specs; both renderers call this
 * with the width they have.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Room for the row headers and axis of a faceted chart, taken from the inner width. */
const FACET_GUTTER = 70;

export function withWidth(spec: TopLevelSpec, width: number): TopLevelSpec {
  if ('facet' in spec && 'spec' in spec) {
    return { ...spec, spec: { ...spec.spec, width: Math.max(120, width - FACET_GUTTER) } } as TopLevelSpec;
  }
  return { ...spec, width } as TopLevelSpec;
}
