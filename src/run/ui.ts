/**
 * The runner behind a "Run it yourself" form (src/components/RunItYourself.astro), loaded when the
 * reader first presses Run: it fetches what the chart offers (/run/<experiment>.json), starts the
 * training worker (src/run/worker.ts), shows its progress, lets the reader cancel, and draws the result
 * on the chart (the spec's `reader` dataset) with a sentence in the chart's text alternative.
 *
 * On the compute chart it measures this device twice: on the CPU (WebAssembly) and then on the GPU
 * (WebGPU, else WebGL), each in its own worker, and draws both beside our measured backends. The CPU
 * result lands first, so a GPU that is missing, fails its first kernel, is lost mid-run or stops
 * answering costs one sentence, never the result.
 *
 * Test hooks, read from the page's address, for the browser tests only (a reader never has them; at
 * worst they make a run shorter or make its GPU part fail on purpose):
 *   run-test-steps=N         time at most N steady steps per model (a short measurement)
 *   run-test-fail=B[,B]      backend B (webgpu, webgl) fails its first kernel
 *   run-test-lose=B:N        backend B loses its device after N timed steps
 *   run-test-gpu=none        behave as a browser with no GPU backend at all
 */
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { RoundRecord, TrialOutcome, TrialSpec } from '../../experiments/lib/protocol.ts';
import { CHART_DATASET, chartView } from '../charts/interactive.ts';
import { projectFromThroughput } from '../../experiments/summaries/compute.ts';
import type { ActivationsOffer, ComputeOffer, ScaleOffer } from './offers.ts';
import { compareRows, type Comparison } from './compare.ts';
import type { AdapterReport, EpochRecord, ErrorKind, GpuBackend, RunBackend, RunMessage, RunRequest, TestHooks } from './messages.ts';
import { formatRatio, significant } from './steady.ts';
import type { SteadyState } from './steady.ts';


const WASM_PATHS = {
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

type Offer = ScaleOffer | ActivationsOffer | ComputeOffer;

const offers = new Map<string, Promise<Offer>>();
function offerOf(base: string, experiment: string): Promise<Offer> {
  let offer = offers.get(experiment);
  if (!offer) {
    offer = fetch(`${base}/run/${experiment}.json`).then((response) => {
      if (!response.ok) throw new Error(`${base}/run/${experiment}.json: HTTP ${response.status}`);
      return response.json() as Promise<Offer>;
    });
    offers.set(experiment, offer);
    offer.catch(() => offers.delete(experiment));
  }
  return offer;
}

const percent = (x: number | null | undefined) => (typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : '—');
const count = (n: number) => n.toLocaleString('en-US');
const short = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

interface Controls {
  form: HTMLFormElement;
  section: HTMLElement;
  status: HTMLElement;
  result: HTMLElement;
  start: HTMLButtonElement;
  cancel: HTMLButtonElement;
  worker?: Worker;
  /** Called when the run is stopped (cancel), so that a waiting measurement settles. */
  onStop?: () => void;
  runs: number;
}

const controls = new WeakMap<HTMLFormElement, Controls>();

function controlsOf(form: HTMLFormElement): Controls {
  let c = controls.get(form);
  if (!c) {
    const section = form.closest<HTMLElement>('.run-it-yourself')!;
    c = {
      form,
      section,
      status: section.querySelector('.run-status')!,
      result: section.querySelector('.run-result')!,
      start: form.querySelector('.run-start')!,
      cancel: form.querySelector('.run-cancel')!,
      runs: 0,
    };
    const own = c;
    c.cancel.addEventListener('click', () => stop(own, 'Cancelled: training stopped.'));
    controls.set(form, c);
  }
  return c;
}

function stop(c: Controls, message: string): void {
  c.worker?.terminate();
  c.worker = undefined;
  const onStop = c.onStop;
  c.onStop = undefined;
  onStop?.();
  c.section.dataset.state = 'idle';
  c.status.textContent = message;
  c.start.disabled = false;
  c.cancel.hidden = true;
  for (const select of c.form.querySelectorAll('select')) select.disabled = false;
}

/** The form's choices, also written into the address so that a link repeats the same run. */
function readForm(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const select of form.querySelectorAll('select')) values[select.name] = select.value;
  const url = new URL(location.href);
  for (const key of ['run', ...Object.keys(values)]) url.searchParams.delete(key);
  url.searchParams.set('run', form.dataset.run!);
  for (const [key, value] of Object.entries(values)) url.searchParams.set(key, value);
  url.hash = form.closest('section')!.id;
  history.replaceState(history.state, '', url);
  return values;
}

function packUrl(base: string, name: string): string {
  return new URL(`${base}/run/mnist/${name}.bin`, location.href).href;
}

/** Starts a run with the form's choices (called by the component's script on submit). */
export async function runFromForm(form: HTMLFormElement): Promise<void> {
  const c = controlsOf(form);
  if (c.worker) return;
  const choice = readForm(form);
  const base = form.dataset.base ?? '';
  const experiment = form.dataset.run!;
  const backend: RunBackend = choice.backend === 'webgpu' || choice.backend === 'webgl' ? choice.backend : 'wasm';
  c.section.dataset.state = 'running';
  c.start.disabled = true;
  c.cancel.hidden = false;
  for (const select of form.querySelectorAll('select')) select.disabled = true;
  c.status.textContent = 'Loading the training code and the MNIST images…';
  c.result.textContent = '';
  const run = ++c.runs;
  let offer: Offer;
  try {
    offer = await offerOf(base, experiment);
  } catch (error) {
    stop(c, `Could not load this chart's configurations: ${String(error)}`);
    return;
  }
  if (run !== c.runs || c.section.dataset.state !== 'running') return;
  if (offer.kind === 'compute') {
    await runCompute(c, offer, choice, base, run);
    return;
  }
  const request = requestFor(offer, choice, backend, base);
  const worker = createWorker(backend, `run-${experiment}`);
  c.worker = worker;
  const startedAt = performance.now();
  const elapsed = () => `${Math.round((performance.now() - startedAt) / 1000)} s`;
  const epochs: EpochRecord[] = [];
  worker.onerror = (event) => {
    stop(c, `The training worker failed: ${event.message || 'could not start'}.`);
  };
  worker.onmessage = async ({ data: message }: MessageEvent<RunMessage>) => {
    if (c.worker !== worker) return;
    switch (message.type) {
      case 'phase':
        c.status.textContent = `${capitalise(message.phase)}… (${elapsed()})`;
        break;
      case 'round':
        c.status.textContent = roundText(message.round) + ` (${elapsed()}${document.hidden ? ', still training in this background tab' : ''})`;
        break;
      case 'epoch':
        epochs.push(message.record);
        c.status.textContent = Number.isNaN(message.record.valAccuracy)
          ? `Timing step ${message.record.epoch}… (${elapsed()})`
          : `Epoch ${message.record.epoch}: validation accuracy ${percent(message.record.valAccuracy)}, loss ${short(message.record.valLoss)} (${elapsed()})`;
        break;
      case 'error':
        stop(c, message.message);
        c.section.dataset.error = message.kind;
        break;
      case 'trial-done':
      case 'curve-done': {
        const seconds = (performance.now() - startedAt) / 1000;
        c.worker = undefined;
        worker.terminate();
        stop(c, `Done in ${seconds.toFixed(1)} s on ${'backend' in message ? message.backend : backend}.`);
        c.section.dataset.seconds = seconds.toFixed(1);
        await finish(c, offer, choice, message, epochs).catch((error: unknown) => {
          c.result.append(paragraph(`Your result could not be drawn on the chart: ${String(error)}`));
        });
        c.section.dataset.state = 'done';
      }
    }
  };
  worker.postMessage(request);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function roundText(round: RoundRecord): string {
  return `Training: epoch ${count(round.epoch)}, validation accuracy ${percent(round.valAccuracy)}, validation loss ${short(round.valLoss)}`;
}

function requestFor(offer: Offer, choice: Record<string, string>, backend: RunBackend, base: string): RunRequest {
  const common = { backend, wasmPaths: WASM_PATHS };
  if (offer.kind === 'scale') {
    const model = offer.models.find((m) => m.name === choice.model) ?? offer.models[0]!;
    const m = Number(choice.m);
    const seed = Number(choice.seed);
    const trial: TrialSpec = { model: model.name, spec: model.spec, optimizer: offer.optimizer, m, seed, batchSize: offer.batchSize, stopping: offer.stopping, testSize: offer.testSize };
    return { type: 'trial', trial, packs: { train: packUrl(base, `train-m${m}-seed${seed}`), validation: packUrl(base, 'validation'), test: packUrl(base, `test-${offer.testSize}`) }, ...common };
  }
  if (offer.kind === 'activations') {
    const depth = Number(choice.depth);
    const seed = Number(choice.seed);
    const activation = choice.activation as 'relu' | 'sigmoid' | 'tanh';
    // As the activations experiment builds its networks: the init seed is named by depth, plain SGD at the chosen rate.
    const trial = {
      model: `depth-${depth}`,
      spec: { kind: 'mlp' as const, hidden: new Array<number>(depth).fill(offer.width), activation },
      optimizer: { name: 'sgd' as const, learningRate: Number(choice.rate) },
      m: offer.m,
      seed,
      batchSize: offer.batchSize,
      stopping: { roundSteps: 1, patience: 1, maxRounds: 1, minDelta: 0 },
      testSize: offer.testSize,
      epochs: offer.epochs,
    };
    return { type: 'curve', trial, packs: { train: packUrl(base, `train-m${offer.m}-seed${seed}`), validation: packUrl(base, 'validation'), test: packUrl(base, `test-${offer.testSize}`) }, ...common };
  }
  throw new Error(`No single run for the ${offer.kind} chart.`);
}

function paragraph(text: string, className?: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

/** Adds a sentence about the reader's run to the chart's text alternative (replacing an earlier one). */
function describeOnChart(chart: string, text: string): void {
  const description = document.querySelector(`figure.chart[data-chart="${CSS.escape(chart)}"] .chart-description`);
  if (!description) return;
  let span = description.querySelector<HTMLElement>('.run-description');
  if (!span) {
    span = document.createElement('span');
    span.className = 'run-description';
    description.append(' ', span);
  }
  span.textContent = text;
}

/**
 * Adds the reader's run to the chart's own rows, shaped like them, under a series name of its own
 * ("Your run …"): it gets its own colour and legend entry, and the chart's spec needs no change.
 * A new run replaces the previous one.
 */
async function drawOnChart(chart: string, rows: Record<string, unknown>[]): Promise<void> {
  const view = await chartView(chart);
  const marked = rows.map((row) => ({ ...row, reader: true }));
  await view.change(CHART_DATASET, view.changeset().remove((row: { reader?: boolean }) => row.reader === true).insert(marked)).runAsync();
  // A faceted view lays out again for the new series' legend entry.
  await view.resize().runAsync();
}

async function finish(c: Controls, offer: Offer, choice: Record<string, string>, message: RunMessage, epochs: EpochRecord[]): Promise<void> {
  const backendNote = BACKEND_WORDS[(choice.backend as RunBackend) ?? 'wasm'] ?? 'WebAssembly';
  if (offer.kind === 'scale' && message.type === 'trial-done') {
    const model = offer.models.find((m) => m.name === choice.model) ?? offer.models[0]!;
    const m = Number(choice.m);
    const seed = Number(choice.seed);
    const outcome: TrialOutcome = message.outcome;
    c.section.dataset.result = JSON.stringify(outcome);
    c.result.append(
      paragraph(
        `Your run: ${model.label}, ${count(m)} images, seed ${seed}: test accuracy ${percent(outcome.testAccuracy)} ` +
          `(validation ${percent(outcome.valAccuracy)}, training ${percent(outcome.trainAccuracy)}); ` +
          `kept the weights of epoch ${outcome.keptEpoch} of ${outcome.epochsRun}, ${count(Math.round(message.samplesPerSecond))} images per second.`,
      ),
    );
    const ours = offer.committed.rows.find((row) => row.model === model.name && row.m === m && row.seed === seed);
    c.result.append(matchParagraph(c, ours, outcome as unknown as Record<string, unknown>, offer.committed, choice.backend));
    const label = `Your run: ${model.label}, seed ${seed} (${backendNote})`;
    await drawOnChart(offer.chart, [{ model: model.name, label, m, seed, testAccuracy: outcome.testAccuracy }]);
    describeOnChart(offer.chart, `Also drawn, as its own series "${label}": your run on ${count(m)} images, test accuracy ${percent(outcome.testAccuracy)}.`);
    return;
  }
  if (offer.kind === 'activations' && message.type === 'curve-done') {
    const depth = Number(choice.depth);
    const seed = Number(choice.seed);
    const rate = Number(choice.rate);
    const last = epochs.at(-1);
    c.section.dataset.result = JSON.stringify({ epochs, testAccuracy: message.testAccuracy });
    c.result.append(
      paragraph(
        `Your run: ${choice.activation}, ${depth} hidden layers, rate ${rate}, seed ${seed}: validation accuracy ${percent(last?.valAccuracy)} after ${epochs.length} epochs` +
          (message.diverged ? ' (diverged)' : `, test accuracy ${percent(message.testAccuracy)}`) + '.',
      ),
    );
    const ours = offer.committed.rows.filter((r) => r.activation === choice.activation && r.depth === depth && r.rate === rate && r.seed === seed);
    const oursFinal = ours.find((r) => r.kind === 'final');
    const oursEpochs = ours.filter((r) => r.kind === 'epoch');
    let comparison: Comparison | undefined;
    if (oursFinal && oursEpochs.length) {
      const yours: Record<string, unknown> = { testAccuracy: message.testAccuracy, diverged: message.diverged };
      const theirs: Record<string, unknown> = { testAccuracy: oursFinal.testAccuracy, diverged: oursFinal.diverged };
      for (const row of oursEpochs) {
        const mine = epochs.find((e) => e.epoch === row.epoch);
        if (!mine) continue;
        theirs[`valAccuracy@${row.epoch}`] = row.valAccuracy;
        yours[`valAccuracy@${row.epoch}`] = mine.valAccuracy;
      }
      comparison = compareRows(theirs, yours, Object.keys(theirs));
    }
    c.result.append(matchText(c, comparison, offer.committed, choice.backend));
    const label = `Your run: ${choice.activation}, lr ${rate} (${backendNote})`;
    const depthLabel = `${depth} hidden layer${depth === 1 ? '' : 's'}`;
    await drawOnChart(offer.chart, epochs.map((e) => ({ activation: label, curve: label, depth, depthLabel, seed, epoch: e.epoch, valAccuracy: e.valAccuracy })));
    describeOnChart(offer.chart, `Also drawn, as its own line "${label}" in the ${depthLabel} panel: your run, validation accuracy ${percent(last?.valAccuracy)} after ${epochs.length} epochs.`);
    return;
  }
}

function matchParagraph(c: Controls, ours: Record<string, unknown> | undefined, yours: Record<string, unknown>, committed: ScaleOffer['committed'], backend = 'wasm'): HTMLElement {
  return matchText(c, ours ? compareRows(ours, yours) : undefined, committed, backend);
}

function matchText(c: Controls, comparison: Comparison | undefined, committed: { backend: string; sameSettings: boolean }, backend = 'wasm'): HTMLElement {
  const p = paragraph('', 'run-match');
  if (!comparison || !committed.sameSettings) {
    c.section.dataset.match = 'none';
    p.textContent = committed.sameSettings
      ? 'We have no committed run of exactly this configuration to compare with.'
      : 'Our committed results were made with other settings than this page offers (they are being regenerated): nothing to compare with yet.';
    return p;
  }
  if (comparison.identical) {
    c.section.dataset.match = 'identical';
    p.textContent = `Your run matches ours: ${comparison.fields.map((f) => f.field).join(', ')} are identical, to the last digit, to our committed row (made on ${committed.backend}).`;
    return p;
  }
  c.section.dataset.match = 'different';
  const differing = comparison.fields.filter((f) => !f.equal);
  const listed = differing.slice(0, 4).map((f) => `${f.field} ${String(f.yours)} (ours ${String(f.ours)})`).join('; ');
  p.textContent =
    backend !== 'wasm' || committed.backend !== 'wasm'
      ? `Your run differs from ours, as expected across backends (yours ${backend}, ours ${committed.backend}): ${listed}.`
      : `Your run differs from our committed row in ${differing.length} of ${comparison.fields.length} fields: ${listed}.`;
  return p;
}

const BACKEND_WORDS: Record<RunBackend, string> = { wasm: 'WebAssembly', webgpu: 'WebGPU', webgl: 'WebGL' };

/** One worker per backend, each its own bundle: a run fetches only its backend's code (worker-core.ts). */
function createWorker(backend: RunBackend, name: string): Worker {
  if (backend === 'webgpu') return new Worker(new URL('./worker-webgpu.ts', import.meta.url), { type: 'module', name });
  if (backend === 'webgl') return new Worker(new URL('./worker-webgl.ts', import.meta.url), { type: 'module', name });
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name });
}

/** The test hooks in the page's address (see the top of this file) that apply to `backend`. */
function testHooks(backend: RunBackend): { hooks: TestHooks; maxSteps?: number } {
  const params = new URLSearchParams(location.search);
  const hooks: TestHooks = {};
  if (backend !== 'wasm') {
    if ((params.get('run-test-fail') ?? '').split(',').includes(backend)) hooks.failFirstKernel = true;
    const [lose, after] = (params.get('run-test-lose') ?? '').split(':');
    if (lose === backend && Number(after) > 0) hooks.loseAfterSteps = Number(after);
    if (params.get('run-test-gpu') === 'none') hooks.noGpu = true;
  }
  const steps = Number(params.get('run-test-steps'));
  return { hooks, maxSteps: steps > 0 ? steps : undefined };
}

/** A worker that says nothing for this long is given up (a GPU driver can hang; the page must not). */
const SILENCE_MS = 180_000;

interface ModelMeasurement {
  model: string;
  warmupSeconds: number;
  steady: SteadyState;
  params: number;
}

type Measurement =
  | { ok: true; backend: RunBackend; name: string; adapter: AdapterReport | null; models: ModelMeasurement[] }
  | { ok: false; backend: RunBackend; kind: ErrorKind | 'cancelled'; message: string };

/** Times the chosen models on one backend in its own worker; settles on success, failure, silence or cancel. */
function measureOn(c: Controls, offer: ComputeOffer, models: ComputeOffer['models'], backend: RunBackend, base: string, onStatus: (text: string) => void): Promise<Measurement> {
  return new Promise((resolve) => {
    const { hooks, maxSteps } = testHooks(backend);
    const worker = createWorker(backend, `run-compute-${backend}`);
    c.worker = worker;
    let adapter: AdapterReport | null = null;
    let name: string = BACKEND_WORDS[backend];
    const measured: ModelMeasurement[] = [];
    let silence: ReturnType<typeof setTimeout> | undefined;
    const settle = (result: Measurement) => {
      clearTimeout(silence);
      worker.terminate();
      if (c.worker === worker) c.worker = undefined;
      if (c.onStop === onStop) c.onStop = undefined;
      resolve(result);
    };
    const onStop = () => settle({ ok: false, backend, kind: 'cancelled', message: 'Cancelled.' });
    c.onStop = onStop;
    const listen = () => {
      clearTimeout(silence);
      silence = setTimeout(() => settle({ ok: false, backend, kind: 'failed', message: `${BACKEND_WORDS[backend]} stopped answering for ${SILENCE_MS / 60_000} minutes, so it was stopped.` }), SILENCE_MS);
    };
    listen();
    const label = (model: string) => offer.models.find((m) => m.name === model)?.label ?? model;
    worker.onerror = (event) => settle({ ok: false, backend, kind: 'failed', message: `The ${BACKEND_WORDS[backend]} worker failed: ${event.message || 'it could not start'}.` });
    worker.onmessage = ({ data: message }: MessageEvent<RunMessage>) => {
      listen();
      switch (message.type) {
        case 'phase':
          onStatus(`${BACKEND_WORDS[backend]}: ${message.phase}…`);
          break;
        case 'backend-ready':
          name = message.backend;
          adapter = message.adapter;
          break;
        case 'step':
          onStatus(message.warmup ? `${name}: ${label(message.model)}, first step (compiling, allocating)…` : `${name}: ${label(message.model)}, timing step ${message.step}…`);
          break;
        case 'measured':
          measured.push({ model: message.model, warmupSeconds: message.warmupSeconds, steady: message.steady, params: message.params });
          break;
        case 'measure-done':
          settle({ ok: true, backend, name, adapter, models: measured });
          break;
        case 'error':
          settle({ ok: false, backend, kind: message.kind, message: message.message });
          break;
      }
    };
    const request: RunRequest = {
      type: 'measure',
      models: models.map(({ name: model, spec }) => ({ name: model, spec })),
      optimizer: offer.optimizer,
      batchSize: offer.batchSize,
      seed: offer.seed,
      rule: maxSteps ? { ...offer.rule, maxSteps } : offer.rule,
      packs: { train: packUrl(base, `train-m${offer.m}-seed${offer.seed}-head${offer.batchSize}`) },
      backend,
      wasmPaths: WASM_PATHS,
      hooks,
    };
    worker.postMessage(request);
  });
}

/** The GPU backends to try, in order, for the form's choice: auto takes WebGPU where it starts, else WebGL. */
function gpuOrder(choice: string | undefined): GpuBackend[] {
  if (choice === 'none') return [];
  if (choice === 'webgpu' || choice === 'webgl') return [choice];
  return ['webgpu', 'webgl'];
}

/** What a measured backend is, on the chart and in words: a software adapter never reads as a GPU. */
function deviceWords(m: Extract<Measurement, { ok: true }>): { series: string; who: string } {
  if (m.backend === 'wasm') return { series: 'This device: CPU (WebAssembly)', who: 'your CPU' };
  if (m.adapter?.software) return { series: `This device: software adapter (${m.name}, not a GPU)`, who: `your browser's software adapter (${m.name}, not a GPU)` };
  return { series: `This device: GPU (${m.name})`, who: `your GPU (${m.name})` };
}

const rate = (x: number) => count(Math.round(x));
const secondsText = (s: number) => (s < 60 ? `${significant(s)} s` : s < 3600 ? `${significant(s / 60)} min` : `${significant(s / 3600)} h`);

function steadyText(m: ModelMeasurement): string {
  const { steady } = m;
  const how = steady.settled
    ? `its last ${steady.windowSteps} steps agreed within ${(100 * steady.spread!).toFixed(1)}%`
    : steady.spread === null
      ? `over only ${steady.steps} steps: a rough figure`
      : `over its last ${steady.windowSteps} of ${steady.steps} steps, which still varied by ${(100 * steady.spread).toFixed(0)}%`;
  return `${significant(steady.samplesPerSecond)} images a second (${how}); its first step, which compiles and allocates, took ${secondsText(m.warmupSeconds)}`;
}

async function runCompute(c: Controls, offer: ComputeOffer, choice: Record<string, string>, base: string, run: number): Promise<void> {
  const models = choice.model === 'both' || !offer.models.some((m) => m.name === choice.model) ? offer.models : offer.models.filter((m) => m.name === choice.model);
  const startedAt = performance.now();
  const elapsed = () => `${Math.round((performance.now() - startedAt) / 1000)} s`;
  const status = (text: string) => {
    if (run === c.runs && c.section.dataset.state === 'running') c.status.textContent = `${text} (${elapsed()})`;
  };
  const cpu = await measureOn(c, offer, models, 'wasm', base, status);
  if (run !== c.runs || c.section.dataset.state !== 'running') return;
  if (!cpu.ok) {
    stop(c, cpu.message);
    c.section.dataset.error = cpu.kind;
    return;
  }
  // The CPU's result is on the chart before the GPU is tried: whatever the GPU does, it stays.
  const results: Extract<Measurement, { ok: true }>[] = [cpu];
  await drawMeasurements(offer, models, results).catch(() => {});
  const problems: string[] = [];
  let gpuState = 'none';
  for (const backend of gpuOrder(choice.gpu)) {
    const gpu = await measureOn(c, offer, models, backend, base, status);
    if (run !== c.runs || c.section.dataset.state !== 'running') return;
    if (gpu.ok) {
      results.push(gpu);
      gpuState = gpu.adapter?.software ? 'software' : 'hardware';
      break;
    }
    problems.push(gpu.message);
    gpuState = 'failed';
    c.section.dataset.error = gpu.kind;
    // A device lost mid-run is not retried on the other backend: the reader sees what happened.
    if (gpu.kind === 'lost') break;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const gpuResult = results[1];
  const fallback = gpuOrder(choice.gpu).length === 0 ? '' : gpuResult ? '' : ` ${problems.join(' ')} Showing your CPU's result only.`;
  stop(c, `Done in ${seconds.toFixed(1)} s.${fallback}`);
  c.section.dataset.seconds = seconds.toFixed(1);
  c.section.dataset.gpu = gpuState;
  c.section.dataset.result = JSON.stringify(
    Object.fromEntries(results.map((r) => [r.backend === 'wasm' ? 'cpu' : 'gpu', { backend: r.backend, name: r.name, adapter: r.adapter, models: r.models }])),
  );
  try {
    describeMeasurements(c, offer, models, results, problems);
    await drawMeasurements(offer, models, results);
  } catch (error) {
    c.result.append(paragraph(`Your result could not be drawn on the chart: ${String(error)}`));
  }
  c.section.dataset.state = 'done';
}

function describeMeasurements(c: Controls, offer: ComputeOffer, models: ComputeOffer['models'], results: Extract<Measurement, { ok: true }>[], problems: string[]): void {
  const [cpu, gpu] = results;
  if (gpu?.adapter) {
    c.result.append(
      paragraph(
        gpu.adapter.software
          ? `Your browser's ${gpu.name} adapter is ${gpu.adapter.name}: a software renderer that computes on the CPU, so its figures are not a GPU's.`
          : `Your GPU, as the browser names it through ${gpu.name}: ${gpu.adapter.name}.`,
        'run-adapter',
      ),
    );
  } else if (problems.length) {
    c.result.append(paragraph(`${problems.join(' ')} Showing your CPU's result only.`, 'run-fallback'));
  }
  for (const model of models) {
    const mine = results.map((r) => ({ r, m: r.models.find((x) => x.model === model.name) })).filter((x): x is { r: typeof x.r; m: ModelMeasurement } => !!x.m);
    const lines = mine.map(({ r, m }) => `on ${deviceWords(r).who}, ${steadyText(m)}`);
    c.result.append(paragraph(`${model.label}, batches of ${offer.batchSize}: ${lines.join('; ')}.`));
    const onCpu = cpu?.models.find((x) => x.model === model.name);
    const onGpu = gpu?.models.find((x) => x.model === model.name);
    if (gpu && onCpu && onGpu) {
      const ratio = onGpu.steady.samplesPerSecond / onCpu.steady.samplesPerSecond;
      const settled = onGpu.steady.settled && onCpu.steady.settled;
      const who = deviceWords(gpu).who;
      const text =
        ratio >= 1
          ? `${capitalise(who)} trained the ${model.label} ${formatRatio(ratio, settled)} faster than your CPU.`
          : `${capitalise(who)} trained the ${model.label} ${formatRatio(1 / ratio, settled)} slower than your CPU.`;
      c.result.append(paragraph(text, 'run-ratio'));
    }
    if (model.samplesToTarget !== null && mine.length) {
      const projected = mine.map(({ r, m }) => ({ who: deviceWords(r).who, ...projectFromThroughput(model.samplesToTarget!, m.steady.samplesPerSecond) }));
      c.result.append(
        paragraph(
          `At these rates, training the ${model.label} to ${(100 * model.targetAccuracy).toFixed(1)}% validation accuracy — the ${count(model.samplesToTarget)} images our runs needed — would take ` +
            projected.map((p) => `${secondsText(p.secondsToTarget)} on ${p.who}`).join(' and ') +
            `: ${projected.map((p) => significant(p.experimentsPerDay)).join(' and ')} such experiments a day.`,
          'run-projection',
        ),
      );
    }
  }
}

/** This device's measured backends as rows of the compute chart (its own units: samples a second, with time to target and runs a day). */
async function drawMeasurements(offer: ComputeOffer, models: ComputeOffer['models'], results: Extract<Measurement, { ok: true }>[]): Promise<void> {
  const rows = results.flatMap((r) =>
    models.flatMap((model) => {
      const m = r.models.find((x) => x.model === model.name);
      if (!m) return [];
      const projected = model.samplesToTarget === null ? null : projectFromThroughput(model.samplesToTarget, m.steady.samplesPerSecond);
      return [{ backend: deviceWords(r).series, model: model.label, params: m.params, samplesPerSecond: m.steady.samplesPerSecond, secondsToTarget: projected?.secondsToTarget ?? null, experimentsPerDay: projected?.experimentsPerDay ?? null, how: 'measured' }];
    }),
  );
  await drawOnChart(offer.chart, rows);
  describeOnChart(offer.chart, `Added for this device: ${rows.map((row) => `${row.backend}, ${row.model}: ${rate(row.samplesPerSecond)} images a second`).join('; ')}.`);
}
