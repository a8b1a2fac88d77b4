/** Build-time rendering: Vega-Lite → Vega → static SVG, no browser and no canvas package needed. */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { fittedPlotWidth, MIN_PLOT_WIDTH, withWidth, wrapLegendLabels } from './size.ts';
import { useFontMetrics } from './text-width.ts';
import { chartConfig } from './theme.ts';

useFontMetrics();

/**
 * Plot width of the one static rendering of each chart, before it is fitted to PICTURE_WIDTH.
 */
export const STATIC_WIDTH = 360;

/**
 * Widest whole picture (plot, axes, legend and labels) of a static chart. The SVG keeps its viewBox and
 * scales to its box, so on a 320 px phone (a 288 px column) its 12 px labels read as at least 8.6 px,
 * and the box is capped on wide screens (see src/styles/charts.css) so they never grow past about 16 px.
 * A chart whose axis titles, long category names or point labels reach past the plot gets a narrower plot.
 */
export const PICTURE_WIDTH = 400;

/** Attribute values Vega writes with every digit a double has; a tenth of a pixel is plenty on screen. */
function roundNumbers(value: string): string {
  return value.replace(/-?\d+\.\d{2,}/g, (n) => String(Math.round(Number(n) * 10) / 10));
}

/** A path this long is a line or an area through many points. */
const LONG_PATH = 120;

/** How far (in drawn pixels) a simplified line may stray from the exact one: under a quarter pixel. */
const LINE_TOLERANCE = 0.25;

/**
 * A long polyline (`M x,y L x,y … [Z]`, what Vega draws for lines and bands) keeps only the points that
 * matter (Ramer–Douglas–Peucker, within LINE_TOLERANCE) at a tenth of a pixel: straight runs cost two
 * points, and curves stay smooth when the picture is drawn larger than its size. After the first point
 * each is written relative to the one before (`l dx,dy`), from the rounded positions, so nothing drifts:
 * the steps of a line drawn at even intervals repeat, and compress. Other long paths are rounded to whole
 * pixels.
 */
function roundPath(d: string): string {
  if (d.length < LONG_PATH) return d;
  const polyline = /^M(-?[\d.]+),(-?[\d.]+)((?:L-?[\d.]+,-?[\d.]+)*)(Z?)$/.exec(d);
  if (!polyline) return d.replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n))));
  const points: [number, number][] = [[Number(polyline[1]), Number(polyline[2])]];
  for (const [, x, y] of polyline[3]!.matchAll(/L(-?[\d.]+),(-?[\d.]+)/g)) points.push([Number(x), Number(y)]);
  // In tenths of a pixel, as integers.
  const kept = simplify(points, LINE_TOLERANCE).map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)] as const);
  const [x0, y0] = kept[0]!;
  let path = `M${tenths(x0)},${tenths(y0)}`;
  for (let i = 1; i < kept.length; i++) {
    const dy = tenths(kept[i]![1] - kept[i - 1]![1]);
    path += `l${tenths(kept[i]![0] - kept[i - 1]![0])}${dy.startsWith('-') ? '' : ','}${dy}`;
  }
  return path + polyline[4];
}

/** An integer number of tenths as the shortest decimal SVG reads: 28 → "2.8", -7 → "-.7", 30 → "3". */
function tenths(n: number): string {
  return String(n / 10).replace(/^(-?)0\./, '$1.');
}

/** Ramer–Douglas–Peucker: the fewest of `points` whose polyline stays within `tolerance` of all of them. */
export function simplify(points: [number, number][], tolerance: number): [number, number][] {
  if (points.length < 3) return points;
  const keep = new Array<boolean>(points.length).fill(false);
  keep[0] = keep[points.length - 1] = true;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop()!;
    const [x1, y1] = points[first]!;
    const [x2, y2] = points[last]!;
    const length = Math.hypot(x2 - x1, y2 - y1);
    let farthest = -1;
    let distance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const [x, y] = points[i]!;
      const d = length === 0 ? Math.hypot(x - x1, y - y1) : Math.abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length;
      if (d > distance) [farthest, distance] = [i, d];
    }
    if (farthest > 0) {
      keep[farthest] = true;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/**
 * Makes the SVG small enough to inline in the page: numbers rounded (lines and areas to whole units),
 * class names and attributes that state defaults dropped, the font named once on the root rather than
 * on every label, and the per-mark ARIA tree left out (`aria: false` at compile): the static chart is
 * one image whose text alternative is the chart's written description, given by the <Chart> component.
 * The interactive view has Vega's full ARIA tree.
 */
export function compactSvg(svg: string, font: string): string {
  const escapedFont = font.replaceAll('"', '&quot;');
  return svg
    .replace(/="([^"]*)"/g, (_, value: string) => `="${roundNumbers(value)}"`)
    .replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${roundPath(d)}"`)
    .replace(/ (?:opacity|stroke-opacity|fill-opacity)="1"| pointer-events="none"| stroke-miterlimit="4"/g, '')
    .replaceAll(` font-family="${escapedFont}"`, '')
    // A group's background or foreground with neither fill nor stroke draws nothing.
    .replace(/<path class="(?:background|foreground)" aria-hidden="true" d="[^"]*"(?: display="none")?\/>/g, '')
    // Vega's class names serve its own event handling and styles, neither of which a static picture has.
    .replace(/ class="[^"]*"/g, '')
    .replaceAll(' transform="translate(0,0)"', '')
    // Inside one image the marks need no roles of their own (and axe reads a graphics role without a
    // name as an image missing its alternative).
    .replace(/ (?:role|aria-roledescription|aria-hidden)="[^"]*"/g, '')
    .replace(/<g>|<g\s[^>]*>|<\/g>/g, unwrapBareGroup())
    .replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, `<svg$1 font-family="${escapedFont}"`);
}

/**
 * A replacer for a stream of `<g …>` and `</g>` tags that drops each group without attributes, with its
 * closing tag: it neither moves nor styles what it holds.
 */
function unwrapBareGroup(): (tag: string) => string {
  const kept: boolean[] = [];
  return (tag) => {
    if (tag === '</g>') return kept.pop() ? tag : '';
    kept.push(tag !== '<g>');
    return tag === '<g>' ? '' : tag;
  };
}

/** The static rendering's own settings: no per-mark ARIA tree (see compactSvg). */
const STATIC_CONFIG = { ...chartConfig, aria: false };

/** The drawn width of a rendered SVG, from its viewBox. */
export function pictureWidth(svg: string): number {
  const match = /^<svg[^>]* viewBox="0 0 ([\d.]+) [\d.]+"/.exec(svg);
  if (!match) throw new Error('Rendered chart has no viewBox.');
  return Number(match[1]);
}

/**
 * The static rendering of a chart: plotted `width` wide, then narrowed until the whole picture is at
 * most `maxPicture` wide (a few passes at most: the axes may change with the width).
 */
export async function renderSvg(spec: TopLevelSpec, width: number = STATIC_WIDTH, maxPicture = PICTURE_WIDTH): Promise<string> {
  let plotWidth = width;
  let svg = await renderSvgAt(spec, plotWidth);
  for (let attempt = 0; attempt < 4 && pictureWidth(svg) > maxPicture && plotWidth > MIN_PLOT_WIDTH; attempt++) {
    plotWidth = fittedPlotWidth(plotWidth, pictureWidth(svg), maxPicture);
    svg = await renderSvgAt(spec, plotWidth);
  }
  return svg;
}

/**
 * A chart may leave its lines' points out of the static picture with `usermeta: { staticPoints: false }`:
 * where a line has a point at every epoch or layer, they show nothing the line does not, and weigh more
 * than the line. The live view keeps them (they carry its tooltips).
 */
export function staticMarks(spec: TopLevelSpec): TopLevelSpec {
  if ((spec.usermeta as { staticPoints?: boolean } | undefined)?.staticPoints !== false) return spec;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = { ...(node as Record<string, unknown>) };
    for (const key of ['layer', 'spec', 'hconcat', 'vconcat', 'concat']) if (key in copy) copy[key] = strip(copy[key]);
    const mark = copy.mark as { type?: string; point?: unknown } | undefined;
    if (mark && typeof mark === 'object' && mark.type === 'line' && mark.point) copy.mark = { ...mark, point: false };
    return copy;
  };
  return strip(spec) as TopLevelSpec;
}

async function renderSvgAt(spec: TopLevelSpec, width: number): Promise<string> {
  const staticSpec = withWidth(wrapLegendLabels(staticMarks(spec)), width);
  const vegaSpec = compile(staticSpec, { config: STATIC_CONFIG }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    // Fixed width/height attributes would stop the SVG from shrinking on a phone; the viewBox stays.
    return compactSvg(await view.toSVG(), String(chartConfig.font));
  } finally {
    view.finalize();
  }
}
