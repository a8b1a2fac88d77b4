/**
 * The runner behind a "Run it yourself" form (src/components/RunItYourself.astro), loaded when the
 * reader first presses Run (or opens a link that carries finished runs): it fetches what the chart
 * offers (/run/<experiment>.json), starts the training worker (src/run/worker.ts), shows its progress,
 * lets the reader cancel, and draws the result on the chart (the spec's `results` dataset) with a
 * sentence in the chart's text alternative.
 *
 * On the trial and fixed-epoch charts (scale, small-data, model-size; activations, saturation,
 * optimizers) a reader runs one of our precomputed configurations (on WebAssembly it matches our
 * committed row to the last digit; on a GPU backend it is compared within a stated tolerance) or their
 * own configuration (checked at each field before anything trains; drawn as "your configuration", with
 * the nearest precomputed one named). Runs accumulate on the chart, up to MAX_RUNS, each removable; the
 * finished ones live in the address (src/run/share.ts), so that a link draws them without training and
 * can retrain them to check. After a run, "Try the model" (src/run/try-model.ts) classifies a digit
 * the reader draws, or one of the test images.
 *
 * On the compute chart it measures this device twice: on the CPU (WebAssembly) and then on the GPU
 * (WebGPU, else WebGL), each in its own worker, and draws both beside our measured backends. The CPU
 * result lands first, so a GPU that is missing, fails its first kernel, is lost mid-run or stops
 * answering costs one sentence, never the result.
 *
 * Test hooks, read from the page's address, for the browser tests only (a reader never has them; at
 * worst they make a run shorter or make its GPU part fail on purpose):
 *   run-test-steps=N         time at most N steady steps per model (a short measurement)
 *   run-test-epochs=N        stop a fixed-epoch run after N epochs (compared with our rows for those epochs)
 *   run-test-fail=B[,B]      backend B (webgpu, webgl) fails its first kernel
 *   run-test-lose=B:N        backend B loses its device after N timed steps
 *   run-test-gpu=none        behave as a browser with no GPU backend at all
 */
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { RoundRecord, TrialOutcome } from '../../experiments/lib/protocol.ts';
import { CHART_DATASET, chartView } from '../charts/interactive.ts';
import { projectFromThroughput } from '../../experiments/summaries/compute.ts';
import type { ComputeOffer, CurveOffer, TrialOffer } from './offers.ts';
import { compareRows, compareWithin, GPU_TOLERANCE, type Comparison } from './compare.ts';
import type { AdapterReport, EpochRecord, ErrorKind, GpuBackend, RunBackend, RunMessage, RunRequest, TestHooks } from './messages.ts';
import { mlpParams, nearestPrecomputed, paramsOf, planRun, precomputedConfig, readCustom, type FieldErrors, type Plan, type RunConfig } from './plan.ts';
import { decodeRuns, encodeRuns, savedParam, type SavedResult, type SavedRun } from './share.ts';
import { formatRatio, significant } from './steady.ts';
import type { SteadyState } from './steady.ts';
import { attachTryModel, ensureRunStyles, type TryModel } from './try-model.ts';

const WASM_PATHS = {
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

type Offer = TrialOffer | CurveOffer | ComputeOffer;

/** Runs one chart holds at once: each is its own series, and the palette has eight colours for ours and yours. */
export const MAX_RUNS = 4;

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

const percent = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '—');
const count = (n: number) => n.toLocaleString('en-US');
const short = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

/** A run on the chart: ours repeated, or the reader's own configuration; trained here or read from a link. */
interface Run {
  n: number;
  config: RunConfig;
  plan: Plan;
  result: SavedResult;
  label: string;
  /** Read from the address: drawn, not trained on this page (until retrained). */
  fromLink: boolean;
  item?: HTMLLIElement;
}

interface Controls {
  form: HTMLFormElement;
  section: HTMLElement;
  status: HTMLElement;
  result: HTMLElement;
  list: HTMLElement;
  start: HTMLButtonElement;
  cancel: HTMLButtonElement;
  /** The section's key in the address (`run=<key>`, `saved-<key>=…`). */
  key: string;
  chart: string;
  worker?: Worker;
  /** The worker that holds the last finished run's model, for "Try the model". */
  modelWorker?: { worker: Worker; run: Run };
  tryModel?: TryModel;
  /** Called when the run is stopped (cancel), so that a waiting measurement settles. */
  onStop?: () => void;
  /** Counts started runs (a later start makes an earlier one stale). */
  runs: number;
  /** The runs on the chart, oldest first. */
  history: Run[];
  /** Series numbers are never reused, so that a label always names one run. */
  nextN: number;
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
      list: section.querySelector('.run-list')!,
      start: form.querySelector('.run-start')!,
      cancel: form.querySelector('.run-cancel')!,
      key: form.dataset.key ?? form.dataset.run!,
      chart: form.dataset.chart!,
      runs: 0,
      history: [],
      nextN: 1,
    };
    const own = c;
    c.cancel.addEventListener('click', () => stop(own, 'Cancelled: training stopped.'));
    controls.set(form, c);
  }
  return c;
}

function setBusy(c: Controls, busy: boolean): void {
  for (const button of c.form.querySelectorAll<HTMLButtonElement>('button[type=submit]')) button.disabled = busy;
  for (const field of c.form.querySelectorAll<HTMLSelectElement | HTMLInputElement>('select, input:not([type=hidden])')) field.disabled = busy;
  for (const button of c.list.querySelectorAll<HTMLButtonElement>('button')) button.disabled = busy;
  c.cancel.hidden = !busy;
}

function stop(c: Controls, message: string): void {
  c.worker?.terminate();
  c.worker = undefined;
  const onStop = c.onStop;
  c.onStop = undefined;
  onStop?.();
  c.section.dataset.state = 'idle';
  c.status.textContent = message;
  setBusy(c, false);
}

/** The form's choices, also written into the address so that a link repeats the same run. */
function readForm(form: HTMLFormElement, key: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of form.querySelectorAll<HTMLSelectElement | HTMLInputElement>('select, input:not([type=hidden])')) values[field.name] = field.value;
  const url = new URL(location.href);
  for (const name of ['run', ...Object.keys(values)]) url.searchParams.delete(name);
  url.searchParams.set('run', key);
  for (const [name, value] of Object.entries(values)) url.searchParams.set(name, value);
  url.hash = form.closest('section')!.id;
  history.replaceState(history.state, '', url);
  return values;
}

function packUrl(base: string, name: string): string {
  return new URL(`${base}/run/mnist/${name}.bin`, location.href).href;
}

/** Shows each field's problem at the field (aria-invalid, and the message its aria-describedby names); clears the rest. */
function showFieldErrors(form: HTMLFormElement, errors: FieldErrors): void {
  for (const field of form.querySelectorAll<HTMLSelectElement | HTMLInputElement>('select, input:not([type=hidden])')) {
    const name = field.name.replace(/^c-/, '');
    const custom = field.name.startsWith('c-');
    const error = errors[custom ? `c-${name}` : name] ?? (custom ? errors[name] : undefined);
    const slot = form.querySelector<HTMLElement>(`#${CSS.escape(field.id)}-error`);
    if (error) {
      field.setAttribute('aria-invalid', 'true');
      if (slot) slot.textContent = error;
    } else {
      field.removeAttribute('aria-invalid');
      if (slot) slot.textContent = '';
    }
  }
  const first = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  first?.focus();
}

/** Starts a run with the form's choices (called by the component's script on submit; `mode` is the pressed button's). */
export async function runFromForm(form: HTMLFormElement, mode = 'offered'): Promise<void> {
  const c = controlsOf(form);
  if (c.worker) return;
  const choice = readForm(form, c.key);
  const base = form.dataset.base ?? '';
  const experiment = form.dataset.run!;
  const backend: RunBackend = choice.backend === 'webgpu' || choice.backend === 'webgl' ? choice.backend : 'wasm';
  c.section.dataset.state = 'running';
  setBusy(c, true);
  c.status.textContent = 'Loading the training code and the MNIST images…';
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
    c.result.textContent = '';
    await runCompute(c, offer, choice, base, run);
    return;
  }
  let config: RunConfig;
  if (mode === 'custom') {
    const raw = Object.fromEntries(Object.entries(choice).filter(([k]) => k.startsWith('c-')).map(([k, v]) => [k.slice(2), v]));
    const read = readCustom(offer, raw, backend);
    showFieldErrors(form, Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [`c-${k}`, v])));
    if (!read.config) {
      stop(c, 'Nothing was trained: correct the fields marked above.');
      c.section.dataset.invalid = Object.keys(read.errors).join(' ');
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    config = read.config;
  } else {
    config = precomputedConfig(offer, choice, backend);
    const errors: FieldErrors = {};
    if (offer.kind === 'trial' && !offer.cells[config.model!]?.includes(config.m)) {
      const label = offer.models.find((m) => m.name === config.model)?.label ?? config.model;
      errors.m = `${label} on ${count(config.m)} images takes more than about a minute of training: we offer it on ${offer.cells[config.model!]?.map(count).join(', ')} images. Set your own configuration below to try it anyway.`;
    }
    showFieldErrors(form, errors);
    if (Object.keys(errors).length) {
      stop(c, 'Nothing was trained: see the field marked above.');
      c.section.dataset.invalid = Object.keys(errors).join(' ');
      return;
    }
  }
  delete c.section.dataset.invalid;
  if (c.history.length >= MAX_RUNS) {
    stop(c, `This chart holds at most ${MAX_RUNS} of your runs: remove one (below) to add another.`);
    c.section.dataset.invalid = 'limit';
    return;
  }
  await trainAndDraw(c, offer, config, base, undefined);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function roundText(round: RoundRecord): string {
  return `Training: epoch ${count(round.epoch)}, validation accuracy ${percent(round.valAccuracy)}, validation loss ${short(round.valLoss)}`;
}

function testEpochsHook(): number | undefined {
  const n = Number(new URLSearchParams(location.search).get('run-test-epochs'));
  return n > 0 ? n : undefined;
}

function requestFor(plan: Plan, backend: RunBackend, base: string): RunRequest {
  const common = { backend, wasmPaths: WASM_PATHS, init: plan.init };
  const packs = {
    train: packUrl(base, 'pack' in plan.train ? plan.train.pack : plan.train.pool),
    validation: packUrl(base, 'validation'),
    test: packUrl(base, plan.test),
  };
  const sample = 'pool' in plan.train ? { m: plan.train.m, seed: plan.train.seed } : undefined;
  if (plan.type === 'trial') return { type: 'trial', trial: plan.trial, packs, sample, ...common };
  return { type: 'curve', trial: { ...plan.trial, epochs: plan.trial.epochs! }, packs, sample, testEpochs: testEpochsHook(), ...common };
}

/** Trains `config` in a worker, then adds it to the chart; `check`: a run from a link being retrained, compared with its saved result. */
async function trainAndDraw(c: Controls, offer: TrialOffer | CurveOffer, config: RunConfig, base: string, check: Run | undefined): Promise<void> {
  const plan = planRun(offer, config);
  const request = requestFor(plan, config.backend, base);
  c.result.textContent = '';
  // The previous model's worker goes: the new run's worker will hold the new model.
  dropModel(c);
  const worker = createWorker(config.backend, `run-${c.key}`);
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
        c.status.textContent = `Epoch ${message.record.epoch}: validation accuracy ${percent(message.record.valAccuracy)}, loss ${short(message.record.valLoss)} (${elapsed()})`;
        break;
      case 'error':
        stop(c, message.message);
        c.section.dataset.error = message.kind;
        break;
      case 'trial-done':
      case 'curve-done': {
        const seconds = (performance.now() - startedAt) / 1000;
        // The worker stays, holding the model, for "Try the model".
        c.worker = undefined;
        worker.onmessage = null;
        stop(c, `Done in ${seconds.toFixed(1)} s on ${message.backend}.`);
        c.section.dataset.seconds = seconds.toFixed(1);
        const result: SavedResult =
          message.type === 'trial-done'
            ? { kind: 'trial', ...pickTrial(message.outcome), backend: config.backend }
            : { kind: 'curve', valAccuracy: epochs.map((e) => e.valAccuracy), testAccuracy: message.testAccuracy, diverged: message.diverged, backend: config.backend, ...(request.type === 'curve' && request.testEpochs ? { testEpochs: request.testEpochs } : {}) };
        c.section.dataset.result = JSON.stringify(message.type === 'trial-done' ? message.outcome : { epochs, testAccuracy: message.testAccuracy });
        let added: Run;
        if (check) {
          added = check;
          check.fromLink = false;
          const same = sameResult(check.result, result);
          c.result.append(paragraph(same ? `Retrained here: identical to the result the link carried, to the last digit.` : `Retrained here: it differs from the result the link carried (${describeResultDifference(check.result, result)}).`, 'run-check'));
          c.section.dataset.check = same ? 'identical' : 'different';
          check.result = result;
          refreshItem(c, offer, check);
        } else {
          added = addRun(c, offer, config, plan, result, false);
        }
        c.result.append(...explain(c, offer, added, message.type === 'trial-done' ? message.samplesPerSecond : undefined));
        c.modelWorker = { worker, run: added };
        c.tryModel ??= attachTryModel(c.section, (images, n) => predictWith(c, images, n), (n) => testImagesFrom(c, n));
        c.tryModel.show(added.label);
        await redraw(c, offer).catch((error: unknown) => {
          c.result.append(paragraph(`Your result could not be drawn on the chart: ${String(error)}`));
        });
        c.section.dataset.state = 'done';
      }
    }
  };
  worker.postMessage(request);
}

function pickTrial(o: TrialOutcome) {
  return { testAccuracy: o.testAccuracy, valAccuracy: o.valAccuracy, trainAccuracy: o.trainAccuracy, keptEpoch: o.keptEpoch, epochsRun: o.epochsRun, steps: o.steps, trainLoss: o.trainLoss, valLoss: o.valLoss, diverged: o.diverged, params: o.params };
}

function sameResult(a: SavedResult, b: SavedResult): boolean {
  const strip = ({ backend: _b, ...rest }: SavedResult) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function describeResultDifference(a: SavedResult, b: SavedResult): string {
  return `test accuracy ${percent(b.testAccuracy)} here, ${percent(a.testAccuracy)} in the link`;
}

function dropModel(c: Controls): void {
  c.modelWorker?.worker.terminate();
  c.modelWorker = undefined;
  c.tryModel?.hide();
}

let predictions = 0;
/** Asks the worker that holds the model for each image's ten probabilities. */
function predictWith(c: Controls, images: Uint8Array, n: number): Promise<number[][]> {
  const held = c.modelWorker;
  if (!held) return Promise.reject(new Error('No trained model here: run a configuration first.'));
  const id = ++predictions;
  return new Promise((resolve, reject) => {
    const listener = ({ data }: MessageEvent<RunMessage>) => {
      if (data.type === 'prediction' && data.id === id) {
        held.worker.removeEventListener('message', listener);
        resolve(data.probabilities);
      } else if (data.type === 'error') {
        held.worker.removeEventListener('message', listener);
        reject(new Error(data.message));
      }
    };
    held.worker.addEventListener('message', listener);
    held.worker.postMessage({ type: 'predict', id, images, count: n } satisfies RunRequest);
  });
}

function testImagesFrom(c: Controls, n: number): Promise<{ images: Uint8Array; labels: number[] }> {
  const held = c.modelWorker;
  if (!held) return Promise.reject(new Error('No trained model here.'));
  return new Promise((resolve, reject) => {
    const listener = ({ data }: MessageEvent<RunMessage>) => {
      if (data.type === 'test-images') {
        held.worker.removeEventListener('message', listener);
        resolve({ images: data.images, labels: data.labels });
      } else if (data.type === 'error') {
        held.worker.removeEventListener('message', listener);
        reject(new Error(data.message));
      }
    };
    held.worker.addEventListener('message', listener);
    held.worker.postMessage({ type: 'test-images', count: n } satisfies RunRequest);
  });
}

function paragraph(text: string, className?: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.textContent = text;
  if (className) p.className = className;
  return p;
}

/** Sets the reader's sentence in the chart's text alternative (replacing an earlier one; empty removes it). */
function describeOnChart(chart: string, text: string): void {
  const description = document.querySelector(`figure.chart[data-chart="${CSS.escape(chart)}"] .chart-description`);
  if (!description) return;
  let span = description.querySelector<HTMLElement>('.run-description');
  if (!text) {
    span?.remove();
    return;
  }
  if (!span) {
    span = document.createElement('span');
    span.className = 'run-description';
    description.append(' ', span);
  }
  span.textContent = text;
}

/**
 * Replaces the reader's rows on the chart with `rows`, shaped like the chart's own rows, each run under
 * a series name of its own ("Your run 1: …"): its own colour and legend entry, and no change to the spec.
 */
async function drawOnChart(chart: string, rows: Record<string, unknown>[]): Promise<void> {
  const view = await chartView(chart);
  const marked = rows.map((row) => ({ ...row, reader: true }));
  await view.change(CHART_DATASET, view.changeset().remove((row: { reader?: boolean }) => row.reader === true).insert(marked)).runAsync();
  // A faceted view lays out again for the new series' legend entry.
  await view.resize().runAsync();
}

const BACKEND_WORDS: Record<RunBackend, string> = { wasm: 'WebAssembly', webgpu: 'WebGPU', webgl: 'WebGL' };

function labelFor(offer: TrialOffer | CurveOffer, config: RunConfig, n: number): string {
  const gpu = config.backend === 'wasm' ? '' : ` (${BACKEND_WORDS[config.backend]})`;
  if (!config.custom) {
    if (offer.kind === 'trial') {
      const model = offer.models.find((m) => m.name === config.model)!;
      return `Your run ${n}: ${model.label}, ${count(config.m)} images, seed ${config.seed}${gpu}`;
    }
    if (offer.experiment === 'activations') return `Your run ${n}: ${config.activation}, lr ${config.rate}${gpu}`;
    if (offer.experiment === 'saturation') return `Your run ${n}: lr ${config.rate}, seed ${config.seed}${gpu}`;
    return `Your run ${n}: ${offer.optimizers.find((o) => o.name === config.optimizer)?.label} (lr ${config.rate})${gpu}`;
  }
  const net = config.model === 'logistic' ? 'logistic' : `${(config.widths ?? []).join('-')} ${config.activation}`;
  return `Your configuration ${n}: ${net}, ${config.optimizer} lr ${config.rate}, ${count(config.m)} images${gpu}`;
}

function addRun(c: Controls, offer: TrialOffer | CurveOffer, config: RunConfig, plan: Plan, result: SavedResult, fromLink: boolean): Run {
  const run: Run = { n: c.nextN++, config, plan, result, label: '', fromLink };
  run.label = labelFor(offer, config, run.n);
  c.history.push(run);
  refreshItem(c, offer, run);
  return run;
}

/** The run's entry in the list under the form: what it is, its result, Remove, and Retrain for a run from a link. */
function refreshItem(c: Controls, offer: TrialOffer | CurveOffer, run: Run): void {
  ensureRunStyles();
  const item = run.item ?? document.createElement('li');
  item.textContent = '';
  item.dataset.n = String(run.n);
  item.className = 'run-item';
  const text = document.createElement('span');
  const r = run.result;
  const score = r.kind === 'trial' ? `test accuracy ${percent(r.testAccuracy)}` : r.diverged ? 'diverged' : `validation accuracy ${percent(r.valAccuracy.at(-1))} after ${r.valAccuracy.length} epochs`;
  text.textContent = `${run.label}: ${score}${run.fromLink ? ' (from the link, not trained here)' : ''}.`;
  item.append(text);
  if (run.fromLink) {
    const retrain = document.createElement('button');
    retrain.type = 'button';
    retrain.className = 'run-retrain';
    retrain.textContent = 'Retrain to check';
    retrain.setAttribute('aria-label', `Retrain ${run.label} to check`);
    retrain.addEventListener('click', () => void retrainRun(c, offer, run));
    item.append(' ', retrain);
  }
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'run-remove';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', `Remove ${run.label}`);
  remove.addEventListener('click', () => void removeRun(c, offer, run));
  item.append(' ', remove);
  if (!run.item) c.list.append(item);
  run.item = item;
  c.list.hidden = false;
}

async function removeRun(c: Controls, offer: TrialOffer | CurveOffer, run: Run): Promise<void> {
  if (c.worker) return;
  c.history = c.history.filter((r) => r !== run);
  run.item?.remove();
  if (c.modelWorker?.run === run) dropModel(c);
  c.list.hidden = c.history.length === 0;
  c.status.textContent = `Removed ${run.label}.`;
  await redraw(c, offer);
}

async function retrainRun(c: Controls, offer: TrialOffer | CurveOffer, run: Run): Promise<void> {
  if (c.worker) return;
  c.section.dataset.state = 'running';
  setBusy(c, true);
  c.status.textContent = `Retraining ${run.label}…`;
  await trainAndDraw(c, offer, run.config, c.form.dataset.base ?? '', run);
}

/** The chart's rows for one run, shaped like the chart's own. */
function rowsFor(chart: string, offer: TrialOffer | CurveOffer, run: Run): Record<string, unknown>[] {
  const r = run.result;
  const { config } = run;
  if (r.kind === 'trial') {
    if (r.testAccuracy === null) return [];
    const params = r.params || (config.model === 'logistic' ? mlpParams([]) : offer.kind === 'trial' ? paramsOf(run.plan.trial.spec) : 0);
    if (chart === 'scale-generalisation-gap') {
      if (r.trainAccuracy === null) return [];
      return [{ label: run.label, m: config.m, seed: config.seed, trainAccuracy: r.trainAccuracy, testAccuracy: r.testAccuracy, gap: r.trainAccuracy - r.testAccuracy }];
    }
    if (chart === 'model-size-curves') {
      return [{ width: (config.widths ?? [Number(String(config.model).replace('width-', ''))])[0], params, m: config.m, mLabel: run.label, testAccuracy: r.testAccuracy }];
    }
    return [{ model: run.label, label: run.label, m: config.m, seed: config.seed, testAccuracy: r.testAccuracy }];
  }
  const points = r.valAccuracy.map((valAccuracy, i) => ({ epoch: i + 1, valAccuracy })).filter((p) => typeof p.valAccuracy === 'number' && Number.isFinite(p.valAccuracy));
  if (offer.kind === 'curve' && offer.experiment === 'activations') {
    const depth = (config.widths ?? []).length;
    const depthLabel = `${depth} hidden layer${depth === 1 ? '' : 's'}`;
    return points.map((p) => ({ activation: run.label, curve: run.label, depth, depthLabel, seed: config.seed, ...p }));
  }
  // The long-run chart draws one series per `run` (its mean and range over seeds): the reader's is its own.
  if (chart === 'saturation-long-run') return points.map((p) => ({ run: run.label, seed: config.seed, ...p }));
  return points.map((p) => ({ label: run.label, seed: config.seed, ...p }));
}

function runSentence(chart: string, run: Run): string {
  const r = run.result;
  if (r.kind === 'trial') {
    const gap = chart === 'scale-generalisation-gap' && r.trainAccuracy !== null && r.testAccuracy !== null ? `, training minus test accuracy ${((r.trainAccuracy - r.testAccuracy) * 100).toFixed(1)} points` : '';
    return `${run.label}: test accuracy ${percent(r.testAccuracy)}${gap}`;
  }
  const depth = (run.config.widths ?? []).length;
  const panel = chart === 'activations-training' ? ` in the ${depth} hidden layer${depth === 1 ? '' : 's'} panel` : '';
  return r.diverged && r.valAccuracy.length === 0 ? `${run.label}${panel}: diverged` : `${run.label}${panel}: validation accuracy ${percent(r.valAccuracy.at(-1))} after ${r.valAccuracy.length} epochs`;
}

/** Draws every run of the form on its chart, says them in the text alternative, and writes them into the address. */
async function redraw(c: Controls, offer: TrialOffer | CurveOffer): Promise<void> {
  const url = new URL(location.href);
  if (c.history.length) url.searchParams.set(savedParam(c.key), encodeRuns(c.history.map((r) => ({ config: r.config, result: r.result }))));
  else url.searchParams.delete(savedParam(c.key));
  history.replaceState(history.state, '', url);
  c.section.dataset.runs = String(c.history.length);
  describeOnChart(c.chart, c.history.length ? `Also drawn, each as its own series: ${c.history.map((r) => runSentence(c.chart, r)).join('; ')}.` : '');
  await drawOnChart(c.chart, c.history.flatMap((run) => rowsFor(c.chart, offer, run)));
}

/** What the run gave, and how it compares with ours: one paragraph each. */
function explain(c: Controls, offer: TrialOffer | CurveOffer, run: Run, samplesPerSecond: number | undefined): HTMLElement[] {
  const r = run.result;
  const out: HTMLElement[] = [];
  if (r.kind === 'trial') {
    out.push(
      paragraph(
        `${run.label}: ${run.plan.words}: test accuracy ${percent(r.testAccuracy)} (validation ${percent(r.valAccuracy)}, training ${percent(r.trainAccuracy)}); ` +
          `kept the weights of epoch ${r.keptEpoch} of ${r.epochsRun}` + (samplesPerSecond ? `, ${count(Math.round(samplesPerSecond))} images per second.` : '.'),
      ),
    );
  } else {
    out.push(paragraph(`${run.label}: ${run.plan.words}: validation accuracy ${percent(r.valAccuracy.at(-1))} after ${r.valAccuracy.length} epochs` + (r.diverged ? ' (diverged)' : `, test accuracy ${percent(r.testAccuracy)}`) + '.'));
  }
  out.push(compareParagraph(c, offer, run));
  return out;
}

/** Our committed values for a precomputed run, in the run's own field names; undefined when we have none. */
function committedFor(offer: TrialOffer | CurveOffer, run: Run): Record<string, unknown> | undefined {
  const { config } = run;
  if (offer.kind === 'trial') {
    const row = offer.committed.rows.find((x) => x.model === config.model && x.m === config.m && x.seed === config.seed);
    if (!row) return undefined;
    const { model: _m, m: _mm, seed: _s, ...fields } = row;
    return fields;
  }
  const rows = offer.committed.rows.filter((x) => x.key === run.plan.key);
  const final = rows.find((x) => x.kind === 'final');
  const epochRows = rows.filter((x) => x.kind === 'epoch');
  if (!final || !epochRows.length) return undefined;
  const r = run.result;
  const partial = r.kind === 'curve' && r.testEpochs !== undefined;
  const ours: Record<string, unknown> = partial ? {} : { testAccuracy: final.testAccuracy, diverged: final.diverged };
  for (const row of epochRows) if (!partial || row.epoch! <= r.valAccuracy.length) ours[`valAccuracy@${row.epoch}`] = row.valAccuracy;
  return ours;
}

function yoursFor(run: Run): Record<string, unknown> {
  const r = run.result;
  if (r.kind === 'trial') {
    const { kind: _k, backend: _b, ...fields } = r;
    return fields;
  }
  const yours: Record<string, unknown> = r.testEpochs !== undefined ? {} : { testAccuracy: r.testAccuracy, diverged: r.diverged };
  r.valAccuracy.forEach((v, i) => (yours[`valAccuracy@${i + 1}`] = v));
  return yours;
}

function compareParagraph(c: Controls, offer: TrialOffer | CurveOffer, run: Run): HTMLElement {
  const p = paragraph('', 'run-match');
  const { committed } = offer;
  if (run.config.custom) {
    c.section.dataset.match = 'custom';
    const nearest = nearestPrecomputed(offer, run.config);
    p.textContent = `Your configuration is not one of ours, so it is not compared with our rows. The nearest precomputed configuration: ${nearest.words}.`;
    return p;
  }
  const ours = committedFor(offer, run);
  if (!ours || !committed.sameSettings) {
    c.section.dataset.match = 'none';
    p.textContent = committed.sameSettings
      ? 'We have no committed run of exactly this configuration to compare with.'
      : 'Our committed results were made with other settings than this page offers (they are being regenerated): nothing to compare with yet.';
    return p;
  }
  const yours = yoursFor(run);
  const partial = run.result.kind === 'curve' && run.result.testEpochs !== undefined ? ` (the first ${run.result.valAccuracy.length} epochs only: a shortened run)` : '';
  if (run.config.backend !== 'wasm') {
    // Not bit-identical: compared within GPU_TOLERANCE (src/run/compare.ts says why).
    const within = compareWithin(ours, yours);
    const worst = within.fields.reduce((a, f) => (Math.abs(f.difference) > Math.abs(a.difference) ? f : a), within.fields[0] ?? { field: '', ours: 0, yours: 0, difference: 0 });
    const words = BACKEND_WORDS[run.config.backend];
    c.section.dataset.match = within.within ? 'within-tolerance' : 'outside-tolerance';
    p.textContent =
      `Not bit-identical (${words}): GPU kernels round differently from WebAssembly, on which our rows were made, so the last digits differ and training may take another path. ` +
      `Compared within a tolerance of ${(GPU_TOLERANCE * 100).toFixed(0)} percentage point of accuracy (less than the spread between seeds on this chart)${partial}: ` +
      (within.within ? 'within it' : 'outside it') +
      (worst.field ? ` (largest difference ${(worst.difference * 100).toFixed(2)} points, in ${worst.field}: yours ${percent(worst.yours)}, ours ${percent(worst.ours)}).` : '.');
    return p;
  }
  const comparison: Comparison = compareRows(ours, yours, Object.keys(ours));
  if (comparison.identical) {
    c.section.dataset.match = 'identical';
    p.textContent = `Your run matches ours${partial}: ${comparison.fields.length > 6 ? `all ${comparison.fields.length} compared values` : comparison.fields.map((f) => f.field).join(', ')} are identical, to the last digit, to our committed row (made on ${committed.backend}).`;
    return p;
  }
  c.section.dataset.match = 'different';
  const differing = comparison.fields.filter((f) => !f.equal);
  const listed = differing.slice(0, 4).map((f) => `${f.field} ${String(f.yours)} (ours ${String(f.ours)})`).join('; ');
  p.textContent =
    committed.backend !== 'wasm'
      ? `Your run differs from ours, as expected across backends (yours wasm, ours ${committed.backend}): ${listed}.`
      : `Your run differs from our committed row in ${differing.length} of ${comparison.fields.length} fields: ${listed}.`;
  return p;
}

/**
 * Draws the runs a link carries (`saved-<key>`), without training: the component's script calls this
 * when the address has them. Each can be retrained to check.
 */
export async function restoreFromLink(form: HTMLFormElement): Promise<void> {
  const c = controlsOf(form);
  const saved: SavedRun[] = decodeRuns(new URLSearchParams(location.search).get(savedParam(c.key)), MAX_RUNS);
  if (!saved.length) return;
  let offer: Offer;
  try {
    offer = await offerOf(form.dataset.base ?? '', form.dataset.run!);
  } catch (error) {
    c.status.textContent = `Could not load this chart's configurations to draw the linked runs: ${String(error)}`;
    return;
  }
  if (offer.kind === 'compute') return;
  for (const { config, result } of saved) {
    const plan = planRun(offer, config);
    addRun(c, offer, config, plan, result, true);
  }
  c.status.textContent = `Drawn from the link, not trained here: ${saved.length} run${saved.length === 1 ? '' : 's'}. Retrain one to check it.`;
  c.section.dataset.state = 'restored';
  await redraw(c, offer);
}



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
