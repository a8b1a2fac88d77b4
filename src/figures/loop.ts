/**
 * The idea → code → experiment loop, drawn as a cycle (plain SVG: a diagram, not a plot), with the compute
 * experiment's measured time for one experiment on each backend and the turns of the loop a day that
 * gives once a stated amount of human time per turn is added. The run times are read from
 * generated/compute.json's summary when the site is built; the human time is an assumption, said as one.
 */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { FORMATS, formatPercent } from '../charts/format.ts';
import { SERIES_COLORS } from '../charts/theme.ts';
import { chartConfig } from '../charts/theme.ts';
import { loadResult } from '../lib/results.ts';
import type { FigureBuild } from './types.ts';

export interface LoopTiming {
  backend: string;
  seconds: number;
  /** Runs a day if the machine did nothing else: the summary's experiments a day. */
  perDay: number;
  projected: boolean;
}

/** Assumed hours of thinking and coding per turn of the loop: an assumption, not a measurement. */
export const HUMAN_HOURS = 1;

/** Turns of the loop a day: 24 h over the human time plus the run. */
export function turnsPerDay(runSeconds: number, humanHours = HUMAN_HOURS): number {
  return 24 / (humanHours + runSeconds / 3600);
}

const BACKENDS = [
  { key: 'wasm', name: 'WebAssembly' },
  { key: 'cpu', name: 'plain JavaScript' },
] as const;

/** One experiment (the CNN trained to its target) on each backend: measured where it finished, else projected. */
export function loopTimings(compute: ResultFile, model = 'cnn'): LoopTiming[] {
  const s = compute.summary;
  return BACKENDS.flatMap(({ key, name }) => {
    const measured = s[`secondsToTarget.${key}.${model}`];
    const projected = s[`projectedSecondsToTarget.${key}.${model}`];
    const seconds = measured ?? projected;
    const perDay = measured !== undefined ? s[`experimentsPerDay.${key}.${model}`] : s[`projectedExperimentsPerDay.${key}.${model}`];
    if (seconds === undefined || perDay === undefined) return [];
    return [{ backend: name, seconds, perDay, projected: measured === undefined }];
  });
}

/** "40 s", "13 min", "2.6 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${FORMATS.decimal(seconds / 3600)} h`;
}

const perDay = (n: number) => (n >= 100 ? FORMATS.rounded(n) : FORMATS.decimal(n));
const hours = (h: number) => `${FORMATS.decimal(h).replace(/\.0$/, '')} h`;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function loopFigure(): Promise<FigureBuild> {
  const compute = loadResult('compute');
  const timings = loopTimings(compute);
  const target = formatPercent(Number(compute.summary['targetAccuracy.cnn']));
  const colors = [SERIES_COLORS[0], SERIES_COLORS[1]];
  const node = (x: number, y: number, label: string) =>
    `<rect x="${x - 52}" y="${y - 17}" width="104" height="34" rx="17" fill="none" stroke="currentColor" stroke-width="1.5"/>` +
    `<text x="${x}" y="${y + 5}" text-anchor="middle" font-size="14" font-weight="600" fill="currentColor">${label}</text>`;
  // Arcs between the nodes, each ending in an arrowhead drawn at its end point along its final direction.
  const arrow = (d: string, [x, y]: [number, number], angle: number) => {
    const r = (a: number) => (a * Math.PI) / 180;
    const head = [angle + 150, angle - 150].map((a) => `${(x + 8 * Math.cos(r(a))).toFixed(1)},${(y + 8 * Math.sin(r(a))).toFixed(1)}`);
    return `<path d="${d}" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M${x},${y}L${head[0]}L${head[1]}Z" fill="currentColor"/>`;
  };
  // Text in the page colour (coloured 12 px text falls under 4.5:1 on one background or the other), with a
  // coloured swatch beside it naming the backend.
  const swatched = (x: number, y: number, i: number, text: string) =>
    `<rect x="${x - 14}" y="${y - 9}" width="9" height="9" fill="${colors[i]}"/>` + `<text x="${x}" y="${y}" font-size="12" fill="currentColor" font-weight="600">${escape(text)}</text>`;
  const centre = timings.map((t, i) => swatched(142, 130 + 17 * i, i, `${t.backend}: ${perDay(turnsPerDay(t.seconds))}`));
  const runsTop = 248;
  const lines = timings.map((t, i) => swatched(112, runsTop + 17 * i, i, `${formatDuration(t.seconds)} on ${t.backend}${t.projected ? ' (projected)' : ''}`));
  const projectedNote = timings.some((t) => t.projected) ? `<text x="200" y="${runsTop + 17 * timings.length + 8}" text-anchor="middle" font-size="11" fill="currentColor">projected: from its measured speed over part of a run</text>` : '';
  const height = runsTop + 17 * timings.length + (projectedNote ? 14 : 0);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 ${height}" font-family="${escape(String(chartConfig.font)).replaceAll('"', '&quot;')}">` +
    node(200, 30, 'Idea') +
    node(90, 190, 'Code') +
    node(300, 190, 'Experiment') +
    arrow('M148,30C105,30 86,90 90,165', [90, 165], 88) +
    arrow('M142,190L240,190', [246, 190], 0) +
    arrow('M314,168C318,90 295,30 258,30', [252, 30], 180) +
    `<text x="200" y="88" text-anchor="middle" font-size="12" fill="currentColor">turns of the loop a day,</text>` +
    `<text x="200" y="104" text-anchor="middle" font-size="12" fill="currentColor">with ${hours(HUMAN_HOURS)} of thinking each:</text>` +
    centre.join('') +
    `<text x="200" y="${runsTop - 18}" text-anchor="middle" font-size="12" fill="currentColor">one run to ${target} validation accuracy:</text>` +
    lines.join('') +
    projectedNote +
    '</svg>';
  const description =
    `A cycle of three steps: an idea, the code that tests it, and the experiment whose result suggests the next idea. ` +
    `The experiment step is one training run of a LeNet-style network on MNIST until it reaches ${target} validation accuracy, timed by this project on one processor core: ` +
    timings.map((t) => `${formatDuration(t.seconds)} on ${t.backend}${t.projected ? ' (projected from its measured speed over part of a run)' : ''}`).join('; ') +
    `. Assuming ${hours(HUMAN_HOURS)} of thinking and coding per turn (an assumption, not a measurement), a day holds 24 h ÷ (${hours(HUMAN_HOURS)} + the run) turns: ` +
    timings.map((t) => `${perDay(turnsPerDay(t.seconds))} with ${t.backend}`).join(', ') +
    `. Counting the runs alone it would be ${timings.map((t) => `${perDay(t.perDay)} with ${t.backend}`).join(' and ')}: once a run is shorter than the thinking, a faster run changes little.`;
  return { svg, description };
}
