/** Charts for `compute`: training throughput per backend and model, and experiments per day. */
import type { ResultFile } from '../../experiments/lib/schema.ts';
import { formatCount } from './format.ts';
import { chartHead, type ChartBuild } from './types.ts';

/**
 * Backends in words a reader knows: "cpu" is tfjs's name for plain JavaScript, which runs on the CPU like
 * WebAssembly does. Both compute on a single thread in Node (tfjs-backend-wasm turns its threads off
 * there), so each uses one core of however many the machine has (the description says how many).
 */
export function backendName(backend: string, hardware?: unknown): string {
  if (backend === 'wasm') return 'WebAssembly (one thread)';
  if (backend === 'cpu') return 'plain JavaScript (one thread)';
  if (backend === 'tensorflow') return 'native TensorFlow';
  // Short enough to sit on two lines beside a phone-sized plot; the lessons say what a software adapter is.
  if (backend === 'webgpu') return hardware === 'software' ? 'WebGPU (software adapter)' : 'WebGPU (GPU)';
  return backend;
}

function measurements(result: ResultFile) {
  const rows = new Map(result.rows.filter((r) => r.status === 'measured').map((r) => [`${r.backend}/${r.model}`, r]));
  return result.timings.map((t) => {
    const row = rows.get(`${t.backend}/${t.model}`);
    const measured = typeof t.experimentsPerDay === 'number' ? t.experimentsPerDay : null;
    const projected = result.summary[`projectedExperimentsPerDay.${t.backend}.${t.model}`] ?? null;
    return {
      backend: backendName(String(t.backend), t.hardware),
      model: String(t.label),
      params: typeof row?.params === 'number' ? row.params : null,
      samplesPerSecond: Number(t.samplesPerSecond),
      secondsToTarget: typeof t.secondsToTarget === 'number' ? t.secondsToTarget : null,
      experimentsPerDay: measured ?? projected,
      how: measured !== null ? 'measured' : 'projected from throughput',
    };
  });
}

/** The machine, as its provenance names it, and what of it each kind of backend used. */
function machine(result: ResultFile): string {
  const { cpu, cpuCount } = result.provenance;
  const software = result.timings.some((t) => t.backend === 'webgpu' && t.hardware === 'software');
  return (
    ` Measured on a ${cpuCount}-core ${cpu} machine: WebAssembly and plain JavaScript compute on one thread, so each used one core` +
    (software ? ', while the software WebGPU adapter may spread its work over every core.' : '.')
  );
}

function absent(result: ResultFile): string {
  const missing = [...new Set(result.rows.filter((r) => r.status === 'not available').map((r) => backendName(String(r.backend))))];
  return missing.length ? ` Not measured, because this machine does not have them: ${missing.join(', ')}.` : '';
}

const MODEL_COLORS = ['#0072B2', '#D55E00', '#009E73'];
/** Every backend's bracket on a line of its own, short or long, so that all labels take two lines' width at most. */
const BRACKET_ON_NEXT_LINE = `split(replace(datum.label, ' (', '\\n('), '\\n')`;

function dots(result: ResultFile, field: 'samplesPerSecond' | 'experimentsPerDay', title: string, description: string): ChartBuild {
  const data = measurements(result).filter((d) => d[field] !== null);
  const models = [...new Set(data.map((d) => d.model))];
  return {
    description,
    spec: {
      ...chartHead(description, data),
      height: { step: 22 },
      // Dots, not bars: on a log scale a bar has no zero to start from. Hollow dots are projections.
      mark: { type: 'point', size: 80, strokeWidth: 2 },
      encoding: {
        // A backend's name on one line and its hardware in brackets on the next: long labels would take
        // half of a phone's width from the plot.
        y: { field: 'backend', type: 'nominal', title: null, sort: '-x', axis: { labelLimit: 240, labelExpr: BRACKET_ON_NEXT_LINE } },
        yOffset: { field: 'model', sort: models },
        // Anchored at the plot's right end, so a title wider than a phone-sized plot reaches under the labels.
        x: { field, type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s', titleAnchor: 'end', labelOverlap: 'greedy', labelSeparation: 4 }, title: [title, '(log scale)'] },
        color: { field: 'model', type: 'nominal', sort: models, title: 'Model', scale: { range: MODEL_COLORS } },
        // The ring that stays when a projected dot's fill is cleared (the theme's points are filled, strokeless).
        stroke: { field: 'model', type: 'nominal', sort: models, title: 'Model', scale: { range: MODEL_COLORS } },
        // Throughput is measured on every backend; only a run to the target can be a projection.
        ...(field === 'experimentsPerDay' && {
          // Sorted, so that Vega-Lite knows the order of the opacities (it warns on an unsorted discrete field).
          fillOpacity: { field: 'how', type: 'ordinal', sort: ['measured', 'projected from throughput'], scale: { domain: ['measured', 'projected from throughput'], range: [1, 0] }, title: null },
        }),
        tooltip: [
          { field: 'backend', title: 'Backend' },
          { field: 'model', title: 'Model' },
          { field: 'params', title: 'Parameters', format: ',' },
          { field: 'samplesPerSecond', title: 'Samples per second', format: ',.0f' },
          { field: 'secondsToTarget', title: 'Seconds to target', format: ',.1f' },
          { field: 'experimentsPerDay', title: 'Experiments per day', format: ',.0f' },
          { field: 'how', title: 'How' },
        ],
      },
    },
  };
}

export function throughput(result: ResultFile): ChartBuild {
  const data = measurements(result);
  const description =
    `Training throughput in samples per second (log scale) for each model on each backend measured on this machine: ` +
    data.map((d) => `${d.backend}, ${d.model}: ${formatCount(d.samplesPerSecond)}`).join('; ') +
    `.${machine(result)}${absent(result)}`;
  return dots(result, 'samplesPerSecond', 'Training samples per second', description);
}

export function experimentsPerDay(result: ResultFile): ChartBuild {
  const data = measurements(result).filter((d) => d.experimentsPerDay !== null);
  const description =
    `How many times a day one full training run — each model trained on ${formatCount(Number(result.config.m))} images to its target validation accuracy — fits on each backend (log scale; hollow dots are projected from throughput, filled ones measured): ` +
    data.map((d) => `${d.backend}, ${d.model}: ${formatCount(d.experimentsPerDay!)} (${d.how})`).join('; ') +
    `.${machine(result)}${absent(result)}`;
  return dots(result, 'experimentsPerDay', 'Experiments per day', description);
}
