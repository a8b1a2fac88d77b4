/**
 * One chart theme for light and dark mode. Text, axes and grid use `currentColor`, so they take the
 * page's text colour whichever theme the reader picked; series colours are mid-tones chosen to keep
 * at least 3:1 contrast (WCAG 1.4.11, graphical objects) on both Starlight backgrounds.
 */
import type { Config } from 'vega-lite';

/** Okabe–Ito-inspired, darkened/lightened into the band that reads on white and on near-black. */
// Eight, because the learning curves compare eight models: with fewer, two of them shared a colour.
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#A0569C', '#8A7400', '#D03A63', '#808080', '#1F9AB0'] as const;

/** Starlight's page backgrounds: white in light mode, hsl(224 10% 10%) in dark mode. */
export const BACKGROUNDS = { light: '#ffffff', dark: '#17181c' } as const;

const font = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export const chartConfig: Config = {
  background: 'transparent',
  font,
  padding: 4,
  view: { stroke: null },
  axis: {
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    domainColor: 'currentColor',
    tickColor: 'currentColor',
    gridColor: 'currentColor',
    gridOpacity: 0.12,
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: 600,
  },
  legend: {
    labelColor: 'currentColor',
    titleColor: 'currentColor',
    labelFontSize: 12,
    titleFontSize: 12,
    orient: 'bottom',
    direction: 'vertical',
    // One column: two columns of long model names are wider than a phone, and a live chart that turns
    // from a phone's portrait to landscape (or back) keeps the legend it was drawn with.
    columns: 1,
    symbolStrokeWidth: 3,
    // The band layer is translucent; the legend should show the line colour at full strength.
    symbolOpacity: 1,
    labelLimit: 320,
  },
  title: { color: 'currentColor' },
  // A series past the palette (a reader's own run added to the eight-model chart) takes the page's text
  // colour rather than wrapping round to the first model's.
  range: { category: [...SERIES_COLORS, 'currentColor'] },
  line: { strokeWidth: 2.5 },
  point: { size: 45, filled: true },
};

/** Relative luminance (WCAG 2) of a #rrggbb colour. */
export function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
