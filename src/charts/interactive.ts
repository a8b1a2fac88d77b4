/**
 * Interactive charts, on demand. A page carries only each chart's static SVG; the first time a reader
 * points at a chart, touches it or focuses it, its Vega-Lite spec (with its data) is fetched from
 * /charts/<id>.json and drawn by vega-embed (~300 kB, also fetched only then) in place of the SVG.
 *
 * The interactive view
 * - takes the width of its box and lays out again when the box changes (window resize, phone rotation);
 * - follows the light/dark theme, also when it is switched later: its text and axes are drawn in
 *   `currentColor` and its tooltip is styled with Starlight's theme colours (src/styles/charts.css);
 * - stays reachable from the keyboard: the chart box is in the tab order, and focusing it loads the view.
 *
 * For code that adds to a chart (for example a reader's own training run drawn over ours):
 *
 *   import { chartView } from '../charts/interactive.ts';
 *   const view = await chartView('scale-learning-curves');   // loads the view if no one has yet
 *   await view.insert(CHART_DATASET, rows).runAsync();        // rows shaped like the chart's own data
 *
 * and every figure fires `chart:interactive` (bubbling, `event.detail` is {@link ChartInteractiveDetail})
 * once its view is drawn, whoever asked for it.
 */
import type { View } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { fittedPlotWidth, MIN_PLOT_WIDTH, withWidth, wrapLegendLabels } from './size.ts';
import { chartConfig } from './theme.ts';

/**
 * The name of the dataset that holds a chart's rows in its interactive view (the published spec names
 * its inline data so): `view.data(CHART_DATASET)` reads them, `view.insert(CHART_DATASET, rows)` adds.
 */
export const CHART_DATASET = 'results';

/** The detail of the `chart:interactive` event. */
export interface ChartInteractiveDetail {
  id: string;
  view: View;
}

declare global {
  interface HTMLElementEventMap {
    'chart:interactive': CustomEvent<ChartInteractiveDetail>;
  }
}

const views = new Map<string, Promise<View>>();

function figureOf(id: string): HTMLElement {
  const figure = document.querySelector<HTMLElement>(`figure.chart[data-chart="${CSS.escape(id)}"]`);
  if (!figure) throw new Error(`chartView("${id}"): this page has no <Chart id="${id}">.`);
  return figure;
}

/**
 * The interactive Vega view of the chart `id` on this page, loaded now if it is not yet. Rejects when the
 * page has no such chart or the view cannot load (the static chart then stays).
 */
export function chartView(id: string): Promise<View> {
  let view = views.get(id);
  if (!view) {
    view = Promise.resolve().then(() => upgrade(figureOf(id)));
    views.set(id, view);
    // A later call may try again (say, after a network failure).
    view.catch(() => views.delete(id));
  }
  return view;
}

/**
 * The signal that holds a view's plot width: a faceted view's panels share `child_width`.
 * Every view is laid out at a fixed plot width and corrected by measurement (see followWidth), rather than
 * Vega-Lite's `width: 'container'`, which fits the plot to its container but not the axis titles and
 * legends around it (they were cut off at the box's edge on a phone).
 */
function widthSignal(spec: TopLevelSpec): 'width' | 'child_width' {
  return 'facet' in spec && 'spec' in spec ? 'child_width' : 'width';
}

async function fetchSpec(url: string): Promise<TopLevelSpec> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as TopLevelSpec;
}

async function upgrade(figure: HTMLElement): Promise<View> {
  const id = figure.dataset.chart!;
  const canvas = figure.querySelector<HTMLElement>('.chart-canvas');
  const specUrl = figure.dataset.chartSpec;
  if (!canvas || !specUrl) throw new Error(`Chart "${id}" has no canvas or spec address.`);
  figure.dataset.interactive = 'loading';
  try {
    const [{ default: embed }, published] = await Promise.all([import('vega-embed'), fetchSpec(specUrl)]);
    const spec = withWidth(wrapLegendLabels(openToNewSeries(published)), canvas.clientWidth);
    // Drawn inside the box, over the static chart and hidden, so that it measures the real width; the
    // static chart goes only once the live one has drawn and fits its box, and never disappears early.
    const target = document.createElement('div');
    target.className = 'chart-live chart-live-pending';
    canvas.append(target);
    const { view } = await embed(target, spec, {
      actions: false,
      renderer: 'svg',
      config: chartConfig,
      tooltip: { theme: 'custom' },
    });
    await view.runAsync();
    await followWidth(canvas, target, view, widthSignal(published));
    canvas.querySelector('.chart-static')?.remove();
    target.classList.remove('chart-live-pending');
    figure.dataset.interactive = 'ready';
    figure.dispatchEvent(new CustomEvent<ChartInteractiveDetail>('chart:interactive', { bubbles: true, detail: { id, view } }));
    return view;
  } catch (error) {
    figure.dataset.interactive = 'failed';
    throw error;
  }
}

/**
 * What code adding series to a view needs of its spec (a reader's runs, src/run/ui.ts): rows that
 * live inside the first layer (a chart with a second, constant layer, such as a target line) get the
 * dataset's name too; and a colour scale with a fixed domain (an ordered legend) keeps its order as a
 * sort but lets new series in, each with a colour of its own from the theme's palette.
 */
export function openToNewSeries(spec: TopLevelSpec): TopLevelSpec {
  const copy = structuredClone(spec) as unknown as Record<string, unknown> & { layer?: Record<string, unknown>[] };
  if (!('data' in copy) && Array.isArray(copy.layer)) {
    const first = copy.layer.find((layer) => layer.data && typeof layer.data === 'object' && 'values' in (layer.data as object));
    if (first) first.data = { ...(first.data as object), name: CHART_DATASET };
  }
  const open = (encoding: unknown) => {
    const color = (encoding as { color?: { scale?: { domain?: unknown; range?: unknown }; sort?: unknown } } | undefined)?.color;
    if (color?.scale && Array.isArray(color.scale.domain)) {
      color.sort = color.scale.domain;
      delete color.scale.domain;
      delete color.scale.range;
    }
  };
  open(copy.encoding);
  open((copy.spec as { encoding?: unknown } | undefined)?.encoding);
  for (const layer of copy.layer ?? []) open(layer.encoding);
  return copy as unknown as TopLevelSpec;
}

/**
 * The plot takes the width its box leaves after the axes, their titles and the legends: measured on the
 * drawn SVG (which grows to hold all of them) and corrected, a few times at most since the axes may change
 * with the width; now and on every resize of the box.
 */
function followWidth(canvas: HTMLElement, target: HTMLElement, view: View, signal: 'width' | 'child_width'): Promise<void> {
  let running = Promise.resolve();
  const fit = async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const drawn = target.querySelector('svg')?.width.baseVal.value;
      const excess = (drawn ?? 0) - canvas.clientWidth;
      if (!drawn || !canvas.clientWidth || (excess <= 0 && excess > -2)) return;
      view.signal(signal, fittedPlotWidth(Number(view.signal(signal)), drawn, canvas.clientWidth));
      await view.resize().runAsync();
      if (Number(view.signal(signal)) <= MIN_PLOT_WIDTH) return;
    }
  };
  new ResizeObserver(() => {
    running = running.then(fit);
  }).observe(canvas);
  return (running = running.then(fit));
}

/** Loads each chart's interactive view the first time a reader points at it, touches it or focuses it. */
export function enhanceCharts(): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure.chart:not([data-enhanced])')) {
    figure.dataset.enhanced = '';
    const start = () => {
      if (figure.dataset.interactive) return;
      chartView(figure.dataset.chart!).catch((error: unknown) => {
        // The static chart stays; the reader loses only the tooltips and legend selection.
        console.warn('Interactive chart unavailable:', error);
      });
    };
    for (const type of ['pointerenter', 'touchstart', 'focusin'] as const) {
      figure.addEventListener(type, start, { once: true, passive: true });
    }
  }
}
