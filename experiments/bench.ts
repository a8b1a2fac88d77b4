/**
 * Training throughput benchmark: our engine against PyTorch on the same machine, in the same run.
 *   npm run bench -- [--steps N] [--jobs N] [--backend auto|wasm|cpu|tensorflow|webgpu] [--json]
 *
 * Reports samples per second for an MLP 784-1024-1024-10 and a LeNet-sized CNN (Adam, batch 128,
 * MNIST), one process and one process per core, beside PyTorch at its fastest thread setting, with
 * the ratio; plus each side's plain matMul throughput, to show how close training gets to that bound.
 * Where Dawn finds a WebGPU adapter, the same models on WebGPU too (one process), labelled hardware or
 * software (a software adapter such as Mesa's lavapipe is a CPU in disguise, never GPU figures).
 */
import { execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createCli } from './cli.ts';
import type { BackendRequest } from './lib/backend.ts';
import type { ModelSpec } from './lib/models.ts';
import { BACKENDS } from './lib/schema.ts';

const BATCH = 128;
const MODELS: Record<string, { spec: ModelSpec; label: string }> = {
  mlp: { spec: { kind: 'mlp', hidden: [1024, 1024], activation: 'relu' }, label: 'MLP 784-1024-1024-10' },
  lenet: { spec: { kind: 'cnn', filters: [6, 16], dense: [120, 84], activation: 'relu' }, label: 'LeNet-sized CNN' },
};
/** Floating-point operations of one training step per sample (forward 2·MACs, backward 4·MACs). */
const MLP_FLOPS_PER_SAMPLE = 6 * (784 * 1024 + 1024 * 1024 + 1024 * 10);

const usage = `Usage: npm run bench -- [--steps N] [--jobs N] [--backend auto|${BACKENDS.join('|')}] [--json]
  --steps    training steps timed per model, after 3 warm-up steps (default 40)
  --jobs     processes at once for the aggregate figure (default: one per core, ${availableParallelism()} here)
  --backend  where tensors are computed (default auto: the fastest that works here)
  --json     also print the whole report as one line of JSON`;

// Every argument is checked here, before TensorFlow.js is loaded or anything is measured.
const cli = createCli('bench', usage);
const { values } = cli.parse({
  options: {
    steps: { type: 'string', default: '40' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    backend: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    // Internal: a child process measuring one model (or matMul) and printing its rate.
    worker: { type: 'string' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const steps = cli.wholeNumber('--steps', values.steps);
const jobs = cli.wholeNumber('--jobs', values.jobs);
const backendRequest: BackendRequest = cli.oneOf('--backend', values.backend, ['auto', ...BACKENDS] as const);
const worker = values.worker === undefined ? undefined : cli.oneOf('--worker', values.worker, ['matmul', ...Object.keys(MODELS)]);

const tf = await import('@tensorflow/tfjs-core');
const { BackendError, probeWebgpu, selectBackend } = await import('./lib/backend.ts');
const { loadMnist, mnistDirectory, PIXELS, toFloatPixels, CLASSES } = await import('./lib/mnist.ts');
const { buildModel } = await import('./lib/models.ts');

/** Trains one model for `steps` steps after a warm-up and returns samples per second. */
async function measure(name: string): Promise<number> {
  const { spec } = MODELS[name]!;
  const model = buildModel(spec, { name: 'adam', learningRate: 1e-3 }, 1);
  const train = loadMnist().train;
  const x = toFloatPixels({ images: train.images.subarray(0, 8192 * PIXELS), labels: train.labels, count: 8192 });
  const batches = Array.from({ length: 8 }, (_, b) => {
    const xs = tf.tensor2d(x.subarray(b * BATCH * PIXELS, (b + 1) * BATCH * PIXELS), [BATCH, PIXELS]);
    const ys = tf.oneHot(tf.tensor1d(Array.from(train.labels.subarray(b * BATCH, (b + 1) * BATCH)), 'int32'), CLASSES);
    return [xs, ys] as const;
  });
  for (let i = 0; i < 3; i++) await model.trainOnBatch(...batches[i % batches.length]!);
  const started = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(...batches[i % batches.length]!);
  return (steps * BATCH) / ((performance.now() - started) / 1000);
}

async function matmulGflops(repeats = 50): Promise<number> {
  const a = tf.randomNormal([128, 1024]);
  const b = tf.randomNormal([1024, 1024]);
  // Each product is read back (awaited: a GPU backend has no synchronous read in Node), so the time
  // includes the computation, not only its scheduling.
  const once = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  for (let i = 0; i < 3; i++) await once();
  const started = performance.now();
  for (let i = 0; i < repeats; i++) await once();
  return (2 * 128 * 1024 * 1024 * repeats) / ((performance.now() - started) / 1000) / 1e9;
}

/** Runs `count` worker processes at once, each training `model` (or timing matMul); returns their rates. */
function workers(model: string, count: number, backend: string = backendRequest): Promise<number[]> {
  const self = fileURLToPath(import.meta.url);
  return Promise.all(
    Array.from({ length: count }, () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [...process.execArgv, self, '--worker', model, '--steps', String(steps), '--backend', backend], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        child.on('close', (code) => {
          if (code !== 0) return reject(new Error(`the ${model} worker process (--backend ${backend}) exited with code ${code}`));
          let rate = NaN;
          try {
            rate = Number((JSON.parse(out.trim().split('\n').at(-1) || '{}') as { samplesPerSecond?: unknown }).samplesPerSecond);
          } catch {
            // Not JSON: reported below with what it printed.
          }
          if (Number.isFinite(rate) && rate > 0) resolve(rate);
          else reject(new Error(`the ${model} worker process (--backend ${backend}) reported no rate: ${JSON.stringify(out.trim().slice(-200))}`));
        });
      }),
    ),
  );
}

interface Reference {
  torch_version: string;
  matmul_gflops: number;
  matmul_threads: number;
  models: Record<string, { samples_per_s: number; threads: number }>;
}

function pytorchReference(): Reference | string {
  try {
    const script = fileURLToPath(new URL('./bench/reference.py', import.meta.url));
    const out = execFileSync('/usr/bin/python3', [script, String(steps), String(steps), mnistDirectory()], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as Reference;
  } catch (error) {
    const message = (error as { stderr?: string }).stderr ?? (error as Error).message;
    if (/No module named '(torch|numpy)'|ENOENT/.test(message)) return 'PyTorch is not installed (apt-get install python3-torch libopenblas0-pthread)';
    return `the PyTorch reference failed: ${message.trim().split('\n').at(-1)}`;
  }
}

async function main() {
  const backend = await selectBackend(backendRequest);
  if (worker) {
    const rate = worker === 'matmul' ? await matmulGflops() : await measure(worker);
    console.log(JSON.stringify({ samplesPerSecond: rate }));
    return;
  }
  const log = (line: string) => console.log(line);
  log(`bench: backend ${backend.name}, ${steps} steps of batch ${BATCH}, ${jobs} process(es) for the aggregate`);
  // Measured in a fresh process, like the training runs, so neither gets a warmer heap.
  const [ourMatmul] = (await workers('matmul', 1)) as [number];
  const reference = pytorchReference();
  if (typeof reference === 'string') log(`bench: no reference: ${reference}; reporting our figures only.`);

  const report: Record<string, unknown> = {
    backend: backend.name,
    steps,
    batchSize: BATCH,
    processes: jobs,
    pytorch: typeof reference === 'string' ? null : { version: reference.torch_version },
    matmul128x1024x1024: {
      ours_gflops: ourMatmul,
      pytorch_gflops: typeof reference === 'string' ? null : reference.matmul_gflops,
      pytorch_threads: typeof reference === 'string' ? null : reference.matmul_threads,
    },
    models: {} as Record<string, unknown>,
  };
  const rows: string[][] = [['model', 'ours 1 proc', `ours ${jobs} proc`, 'PyTorch', 'ratio 1 proc', `ratio ${jobs} proc`]];
  const singles: Record<string, number> = {};
  for (const [name, { label }] of Object.entries(MODELS)) {
    const [single] = await workers(name, 1);
    singles[name] = single!;
    const aggregate = (await workers(name, jobs)).reduce((a, b) => a + b, 0);
    const theirs = typeof reference === 'string' ? null : reference.models[name]!;
    const entry: Record<string, unknown> = {
      label,
      ours_samples_per_s: single,
      ours_aggregate_samples_per_s: aggregate,
      pytorch_samples_per_s: theirs?.samples_per_s ?? null,
      pytorch_threads: theirs?.threads ?? null,
      ratio_ours_to_pytorch: theirs ? single! / theirs.samples_per_s : null,
      ratio_aggregate_to_pytorch: theirs ? aggregate / theirs.samples_per_s : null,
    };
    if (name === 'mlp') {
      // Share of each side's own plain matMul rate that training achieves (the physical bound).
      entry.ours_fraction_of_matmul_bound = (single! * MLP_FLOPS_PER_SAMPLE) / (ourMatmul * 1e9);
      entry.pytorch_fraction_of_matmul_bound = theirs && typeof reference !== 'string' ? (theirs.samples_per_s * MLP_FLOPS_PER_SAMPLE) / (reference.matmul_gflops * 1e9) : null;
    }
    (report.models as Record<string, unknown>)[name] = entry;
    const f = (x: number | null | undefined) => (x == null ? '—' : x.toFixed(0));
    const r = (x: unknown) => (typeof x === 'number' ? `${x.toFixed(3)}×` : '—');
    rows.push([label, f(single), f(aggregate), f(theirs?.samples_per_s), r(entry.ratio_ours_to_pytorch), r(entry.ratio_aggregate_to_pytorch)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  const mm = report.matmul128x1024x1024 as Record<string, number | null>;
  log(`matMul 128×1024·1024×1024: ours ${mm.ours_gflops!.toFixed(1)} GFLOP/s, PyTorch ${mm.pytorch_gflops?.toFixed(1) ?? '—'} GFLOP/s`);
  const mlp = (report.models as Record<string, Record<string, number | null>>).mlp!;
  log(`MLP training reaches ${(100 * mlp.ours_fraction_of_matmul_bound!).toFixed(0)}% of our matMul rate (PyTorch: ${mlp.pytorch_fraction_of_matmul_bound == null ? '—' : `${(100 * mlp.pytorch_fraction_of_matmul_bound).toFixed(0)}%`}).`);
  report.webgpu = await measureWebgpu(backend.name, singles, log);
  if (values.json) console.log(JSON.stringify(report));
}

/**
 * WebGPU, where Dawn finds an adapter and it is not already the backend measured above: one process
 * (one device), labelled hardware or software. A software adapter (Mesa's lavapipe on a CPU-only
 * machine) is a correctness path: its figures say how slow it is, never how fast a GPU is.
 */
async function measureWebgpu(measured: string, single: Record<string, number>, log: (line: string) => void): Promise<Record<string, unknown> | null> {
  const probe = await probeWebgpu();
  if (!probe.available) {
    log(`WebGPU: not measured (${probe.description}).`);
    return { available: false, reason: probe.description };
  }
  const kind = probe.software ? 'software' : 'hardware';
  const where = probe.software ? probe.description : `hardware (${probe.description})`;
  if (measured === 'webgpu') {
    log(`WebGPU: measured above, on ${where}.`);
    return { available: true, kind, adapter: probe.description, measuredAbove: true };
  }
  const [matmul] = (await workers('matmul', 1, 'webgpu')) as [number];
  const models: Record<string, number> = {};
  for (const name of Object.keys(MODELS)) models[name] = (await workers(name, 1, 'webgpu'))[0]!;
  const line = Object.entries(models)
    .map(([name, rate]) => `${MODELS[name]!.label} ${rate.toFixed(0)} samples/s (${(rate / single[name]!).toFixed(2)}× ${measured})`)
    .join(', ');
  log(`WebGPU on ${where}, 1 process: ${line}; matMul ${matmul.toFixed(1)} GFLOP/s.`);
  if (probe.software) log('WebGPU: a software adapter computes on the CPU: a correctness path (CI tests), not GPU figures.');
  return {
    available: true,
    kind,
    adapter: probe.description,
    matmul_gflops: matmul,
    samples_per_s: models,
    ratio_to_ours_1_proc: Object.fromEntries(Object.entries(models).map(([name, rate]) => [name, rate / single[name]!])),
  };
}

try {
  await main();
} catch (error) {
  // One line: what went wrong (a backend that is not available here, a worker that failed), no stack.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`bench: ${error instanceof BackendError ? message : message.split('\n')[0]}`);
  process.exitCode = 1;
}
