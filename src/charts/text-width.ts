/**
 * Text widths for build-time chart rendering. Without a canvas, Vega guesses every character at 0.8 em,
 * about 1.7 times the real width of a sans-serif label: static charts came out with legends and axes far
 * wider than their text, drawn small on a phone, and with labels cut short ("WebAssembly (one …").
 * We give Vega the advance widths of Inter instead, a font a little wider than Arial and Roboto and close
 * to Apple's system font, so the layout leaves room for whichever system font a reader's browser picks.
 */
import * as vega from 'vega';
import pixelWidth from 'string-pixel-width';

/** What Vega passes to a text-width function: a text mark's item. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  fontStyle?: string;
  limit?: number;
  text?: unknown;
}

/** Vega's default label size when an item states none. */
const DEFAULT_FONT_SIZE = 11;

function isBold(weight: TextItem['fontWeight']): boolean {
  return weight === 'bold' || weight === 'bolder' || (weight !== undefined && Number(weight) >= 600);
}

/** Width in pixels of one line of a text item, at most its `limit` (Vega truncates text past it). */
export function textWidth(item: TextItem, text?: unknown): number {
  const line = String(text ?? item.text ?? '').trim();
  const size = item.fontSize === undefined ? DEFAULT_FONT_SIZE : Number(item.fontSize);
  if (!line || !(size > 0)) return 0;
  const width = pixelWidth(line, { font: 'inter', size, bold: isBold(item.fontWeight), italic: item.fontStyle === 'italic' });
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
}

/** Makes Vega lay out (and truncate) text by these widths; a user-defined width function is Vega's own hook for this. */
export function useFontMetrics(): void {
  // Exported by vega (from vega-scenegraph) but missing from its type declarations.
  const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } };
  textMetrics.width = textWidth;
}
