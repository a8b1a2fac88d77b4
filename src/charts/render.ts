/** Build-time rendering: Vega-Lite → Vega → static SVG, no browser and no canvas package needed. */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { withWidth } from './size.ts';
import { chartConfig } from './theme.ts';

/**
 * Widths of the static renderings: one for desktop columns, one for phones (down to 320 px), so text
 * stays legible instead of shrinking with the whole picture. Each SVG keeps its viewBox and scales.
 */
export const STATIC_WIDTHS = { wide: 560, narrow: 280 } as const;

export async function renderSvg(spec: TopLevelSpec, width: number = STATIC_WIDTHS.wide): Promise<string> {
  const staticSpec = withWidth(spec, width);
  const vegaSpec = compile(staticSpec, { config: chartConfig }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Fixed width/height attributes would stop the SVG from shrinking on a phone; the viewBox stays.
    return svg.replace(/^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/, '<svg$1');
  } finally {
    view.finalize();
  }
}
