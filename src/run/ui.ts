/**
 * The runner behind a "Run it yourself" form (src/components/RunItYourself.astro), loaded when the
 * reader first presses Run: it fetches what the chart offers (/run/<experiment>.json), starts the
 * training worker (src/run/worker.ts), shows its progress, lets the reader cancel, and draws the result
 * on the chart (the spec's `reader` dataset) with a sentence in the chart's text alternative.
 */
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { RoundRecord, TrialOutcome, TrialSpec } from '../../experiments/lib/protocol.ts';
import { CHART_DATASET, chartView } from '../charts/interactive.ts';
import type { ActivationsOffer, ComputeOffer, ScaleOffer } from './offers.ts';
import { compareRows, type Comparison } from './compare.ts';
import type { EpochRecord, RunBackend, RunMessage, RunRequest } from './messages.ts';


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
  const backend = (choice.backend === 'webgpu' ? 'webgpu' : 'wasm') as RunBackend;
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
  const request = requestFor(offer, choice, backend, base);
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `run-${experiment}` });
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
      default: {
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
  const model = offer.models.find((m) => m.name === choice.model) ?? offer.models[0]!;
  const trial = {
    model: model.name,
    spec: model.spec,
    optimizer: offer.optimizer,
    m: offer.m,
    seed: offer.seed,
    batchSize: offer.batchSize,
    stopping: { roundSteps: 1, patience: 1, maxRounds: 1, minDelta: 0 },
    testSize: 0,
    steps: offer.steps,
  };
  return { type: 'throughput', trial, packs: { train: packUrl(base, `train-m${offer.m}-seed${offer.seed}-head${offer.batchSize}`) }, ...common };
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
  const backendNote = choice.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly';
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
  if (offer.kind === 'compute' && message.type === 'throughput-done') {
    const model = offer.models.find((m) => m.name === choice.model) ?? offer.models[0]!;
    c.section.dataset.result = JSON.stringify({ samplesPerSecond: message.samplesPerSecond });
    c.result.append(paragraph(`This device: ${model.label} trains at ${count(Math.round(message.samplesPerSecond))} images per second on ${message.backend} (${message.steps} steps of ${offer.batchSize} images).`));
    const backend = `This device (your browser, ${choice.backend === 'webgpu' ? 'WebGPU' : 'wasm'})`;
    await drawOnChart(offer.chart, [{ backend, model: model.label, samplesPerSecond: message.samplesPerSecond, params: message.params, how: 'measured' }]);
    describeOnChart(offer.chart, `Your device is added as "${backend}": ${model.label} at ${count(Math.round(message.samplesPerSecond))} images per second.`);
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
    backend === 'webgpu' || committed.backend !== 'wasm'
      ? `Your run differs from ours, as expected across backends (yours ${backend}, ours ${committed.backend}): ${listed}.`
      : `Your run differs from our committed row in ${differing.length} of ${comparison.fields.length} fields: ${listed}.`;
  return p;
}
