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

/**
 * A count in words past a million, to three significant figures: 60,000 stays "60,000"; 1,281,167 is
 * "1.28 million", 5,850,000,000 "5.85 billion". Dataset sizes a reader compares by their order of magnitude.
 */
export function formatLargeCount(x: number): string {
  if (Math.abs(x) >= 1e9) return `${formatSignificant(x / 1e9, 3)} billion`;
  if (Math.abs(x) >= 1e6) return `${formatSignificant(x / 1e6, 3)} million`;
  return count.format(x);
}

/**
 * A range as prose writes it, "4–7" or "92.1%–92.4%", each end in `format`; where both ends print the
 * same ("3–3", "epochs 1–1"), the one number alone. `unit` follows the range once ("40–60%").
 */
export function formatRange(low: number, high: number, format: (x: number) => string = String, unit = ''): string {
  const [a, b] = [format(Math.min(low, high)), format(Math.max(low, high))];
  return `${a === b ? a : `${a}–${b}`}${unit}`;
}

export function formatNumber(x: number, digits = 2): string {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(x);
}

/** To `digits` significant figures, with thousands separators: 229.4 → "230", 0.05264 → "0.053". */
export function formatSignificant(x: number, digits = 2): string {
  return new Intl.NumberFormat('en-GB', { maximumSignificantDigits: digits }).format(x);
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

export function formatScientific(x: number): string {
  if (x !== 0 && (Math.abs(x) < 0.01 || Math.abs(x) >= 10000)) {
    const [mantissa, exponent] = x.toExponential(1).split('e') as [string, string];
    const power = String(Number(exponent)).replace(/./g, (c) => SUPERSCRIPT[c] ?? c);
    return `${mantissa} × 10${power}`;
  }
  return Number(x.toPrecision(2)).toString();
}

/** Negative numbers with a true minus sign (U+2212), as print sets them, not a hyphen: "−0.115". */
function withMinus(format: (x: number) => string): (x: number) => string {
  return (x) => format(x).replace(/(^|[\s(])-(?=\d)/g, '$1\u2212');
}

const BASE_FORMATS = {
  percent: formatPercent,
  count: formatCount,
  points: formatPoints,
  number: (x: number) => formatNumber(x, 2),
  /**
   * Three decimals, for a fitted exponent that a worked answer raises 2 to the power of ("−0.115"):
   * from two decimals a reader's 2^(−1/b) would not come out as the page's.
   */
  exponent: (x: number) => formatNumber(x, 3),
  /** One decimal: epochs, ratios ("4.5"). */
  decimal: (x: number) => formatNumber(x, 1),
  /** Whole percent without decimals for rates ("42%"). */
  rate: (x: number) => `${Math.round(x * 100)}%`,
  /** Large counts, rounded to 2 significant figures ("12,000"). */
  rounded: (x: number) => count.format(Number(x.toPrecision(2))),
  /**
   * A ratio to two significant figures ("230×", "3.1×", "0.053×"): most ratios on the site divide two
   * timings or two epoch counts, which support no more, and a fixed decimal would print 0.053 as "0.1×".
   */
  times: (x: number) => `${formatSignificant(x, 2)}×`,
  /**
   * A figure resting on a handful of timed steps (fewer than about ten), to one significant figure and
   * saying so: "about 200" for 229.4, "about 3" for 2.59. Two figures would claim a precision that a
   * few steps of one timing cannot give.
   */
  about: (x: number) => `about ${formatSignificant(x, 1)}`,
  /** The same for a ratio: "about 200×" for 229.4. */
  'about-times': (x: number) => `about ${formatSignificant(x, 1)}×`,
  /** Counts in words past a million ("1.28 million", "5.85 billion"). */
  'large-count': formatLargeCount,
  /** A calendar year, without a thousands separator. */
  year: (x: number) => String(Math.round(x)),
  /** Two significant figures, in powers of ten when far from 1 ("2.1 × 10⁻⁶"). */
  scientific: formatScientific,
} as const;
export type FormatName = keyof typeof BASE_FORMATS;
export const FORMATS = Object.fromEntries(Object.entries(BASE_FORMATS).map(([name, format]) => [name, withMinus(format)])) as Record<FormatName, (x: number) => string>;
