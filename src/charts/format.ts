/** Number formats shared by chart text alternatives and prose values, so both read the same. */
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export function formatPercent(x: number): string {
  return percent.format(x);
}

export function formatCount(x: number): string {
  return count.format(x);
}

/** A difference of two proportions in percentage points, e.g. "4.2 points". */
export function formatPoints(x: number): string {
  return `${(x * 100).toFixed(1)} points`;
}

export function formatNumber(x: number, digits = 2): string {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
}

export const FORMATS = {
  percent: formatPercent,
  count: formatCount,
  points: formatPoints,
  number: (x: number) => formatNumber(x, 2),
} as const;
export type FormatName = keyof typeof FORMATS;
