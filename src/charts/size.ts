/**
 * Layout of a published spec for the width a renderer has: a concrete plot width (the specs state none;
 * src/charts/render.ts and interactive.ts then fit the whole picture to their width), and long legend
 * labels on two lines.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Room for the row headers and axis of a faceted chart, taken from the inner width. */
const FACET_GUTTER = 70;

/** The narrowest plot a chart is given, however little room its box leaves. */
export const MIN_PLOT_WIDTH = 120;

export function withWidth(spec: TopLevelSpec, width: number): TopLevelSpec {
  if ('facet' in spec && 'spec' in spec) {
    return { ...spec, spec: { ...spec.spec, width: Math.max(MIN_PLOT_WIDTH, width - FACET_GUTTER) } } as TopLevelSpec;
  }
  return { ...spec, width } as TopLevelSpec;
}

/**
 * One step of fitting a drawn chart to `target` pixels: its plot loses what the whole picture has too
 * much (or gains what it lacks). Both renderers repeat it a few times, since the axes change with the width.
 */
export function fittedPlotWidth(plotWidth: number, pictureWidth: number, target: number): number {
  return Math.max(MIN_PLOT_WIDTH, plotWidth - Math.ceil(pictureWidth - target));
}

/** Labels longer than this break before their bracket. */
const WRAP_LONGER_THAN = 24;

/**
 * A label expression that puts a long label's bracket on a second line ("Kernel SVM (RBF, 4,000 random
 * features)" becomes "Kernel SVM" over "(RBF, 4,000 random features)"), or, with no bracket, what follows
 * its " + ". On a phone a one-line label that long is wider than the space beside the plot's axis,
 * whatever the plot's width.
 */
export const WRAP_LABEL_EXPR =
  `length(datum.label) > ${WRAP_LONGER_THAN} ? split(indexof(datum.label, ' (') > 0 ? ` +
  `replace(datum.label, ' (', '\\n(') : replace(datum.label, ' + ', ' +\\n'), '\\n') : datum.label`;

/** Encoding channels that draw a legend. */
const LEGEND_CHANNELS = ['color', 'fill', 'stroke', 'shape', 'strokeDash', 'size', 'opacity'];

/** The spec with WRAP_LABEL_EXPR on every legend that has no label expression of its own (and is not turned off). */
export function wrapLegendLabels(spec: TopLevelSpec): TopLevelSpec {
  return wrap(spec) as TopLevelSpec;
}

function wrap(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(wrap);
  if (!node || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
  for (const key of ['layer', 'spec', 'hconcat', 'vconcat', 'concat']) if (key in copy) copy[key] = wrap(copy[key]);
  const encoding = copy.encoding as Record<string, { field?: unknown; legend?: Record<string, unknown> | null }> | undefined;
  if (encoding) {
    copy.encoding = Object.fromEntries(
      Object.entries(encoding).map(([channel, def]) =>
        LEGEND_CHANNELS.includes(channel) && def?.field !== undefined && def.legend !== null && !def.legend?.labelExpr
          ? [channel, { ...def, legend: { ...def.legend, labelExpr: WRAP_LABEL_EXPR } }]
          : [channel, def],
      ),
    );
  }
  return copy;
}
