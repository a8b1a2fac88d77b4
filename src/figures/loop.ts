/**
 * The idea → code → experiment loop, drawn as a cycle (plain SVG: a diagram, not a plot), with the compute
 * experiment's measured time for one experiment on each backend and the turns of the loop a day that
 * gives. Every number is read from generated/compute.json's summary when the site is built.
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
  perDay: number;
  projected: boolean;
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
  const lines = timings.map(
    (t, i) => `<text x="300" y="${244 + 17 * i}" text-anchor="middle" font-size="12" fill="${colors[i]}" font-weight="600">${escape(`${formatDuration(t.seconds)} on ${t.backend}${t.projected ? '*' : ''}`)}</text>`,
  );
  const centre = timings.map(
    (t, i) => `<text x="200" y="${128 + 18 * i}" text-anchor="middle" font-size="12" fill="${colors[i]}" font-weight="600">${escape(`${t.backend}: ${perDay(t.perDay)} a day`)}</text>`,
  );
  const projectedNote = timings.some((t) => t.projected) ? `<text x="4" y="${244 + 17 * timings.length + 12}" font-size="11" fill="currentColor">* projected from its measured speed</text>` : '';
  const height = 244 + 17 * timings.length + (projectedNote ? 18 : 0);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 ${height}" font-family="${escape(String(chartConfig.font)).replaceAll('"', '&quot;')}">` +
    node(200, 30, 'Idea') +
    node(90, 190, 'Code') +
    node(300, 190, 'Experiment') +
    arrow('M148,30C105,30 86,90 90,165', [90, 165], 88) +
    arrow('M142,190L240,190', [246, 190], 0) +
    arrow('M314,168C318,90 295,30 258,30', [252, 30], 180) +
    `<text x="200" y="106" text-anchor="middle" font-size="12" fill="currentColor">turns of the loop:</text>` +
    centre.join('') +
    `<text x="300" y="${244 - 18}" text-anchor="middle" font-size="12" fill="currentColor">one run to ${target}:</text>` +
    lines.join('') +
    projectedNote +
    '</svg>';
  const description =
    `A cycle of three steps: an idea, the code that tests it, and the experiment whose result suggests the next idea. ` +
    `The experiment step is one training run of a LeNet-style network on MNIST until it reaches ${target} validation accuracy, timed by this project on one processor core: ` +
    timings.map((t) => `${formatDuration(t.seconds)} on ${t.backend}${t.projected ? ' (projected from its measured speed)' : ''}, ${perDay(t.perDay)} turns of the loop a day`).join('; ') +
    '.';
  return { svg, description };
}
