/**
 * Kernel support vector machines with the RBF kernel k(x, y) = exp(−γ‖x − y‖²), two ways:
 *
 * - exact (here): libsvm (Chang & Lin 2011) compiled to WebAssembly (the `libsvm-js` package), C-SVC,
 *   one-vs-one. Training costs between O(m²) and O(m³) and the kernel rows O(m) memory each, so it
 *   runs only at the sizes it can afford;
 * - approximate (fourier.ts, which the browser can load too): random Fourier features (Rahimi & Recht 2007). z(x) = √(2/D) cos(Wx + b) with
 *   W ~ N(0, 2γI) and b ~ U[0, 2π) makes z(x)·z(y) ≈ k(x, y), so a linear SVM on the D features
 *   stands in for the kernel machine at any m. The scale experiment measures the gap between the two
 *   where both run.
 */
import type { TrialOutcome } from './protocol.ts';
import { PIXELS, type Split } from './split.ts';


/** The part of libsvm-js we use (the package ships no types). */
interface LibSvm {
  train(samples: number[][], labels: number[]): void;
  predict(samples: number[][]): number[];
  getSVIndices(): number[];
  free(): void;
}
interface LibSvmModule {
  new (options: { kernel: number; type: number; gamma: number; cost: number; quiet: boolean; cacheSize: number }): LibSvm;
  KERNEL_TYPES: { RBF: number };
  SVM_TYPES: { C_SVC: number };
}

let libsvm: Promise<LibSvmModule> | undefined;
async function loadLibSvm(): Promise<LibSvmModule> {
  // The package's entry is a promise of the class, resolved once its WebAssembly is compiled. Its
  // loader logs a harmless fallback from streaming compilation in Node; keep that off the progress display.
  libsvm ??= (async () => {
    const warn = console.warn;
    const log = console.log;
    console.warn = console.log = () => {};
    try {
      // A CommonJS package whose export is a promise: require it as such (ES-module interop would wrap it).
      const { createRequire } = await import('node:module');
      return await (createRequire(import.meta.url)('libsvm-js') as Promise<LibSvmModule>);
    } finally {
      console.warn = warn;
      console.log = log;
    }
  })();
  return libsvm;
}

function rows(split: Split): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < split.count; i++) out.push(Array.from(split.images.subarray(i * PIXELS, (i + 1) * PIXELS), (v) => v / 255));
  return out;
}

function accuracyOf(predicted: number[], labels: Uint8Array): number {
  let correct = 0;
  predicted.forEach((p, i) => (correct += p === labels[i] ? 1 : 0));
  return correct / labels.length;
}

export interface ExactSvmOutcome {
  /** The γ and C chosen on the validation set, and the validation accuracy of each pair tried. */
  gamma: number;
  cost: number;
  sweep: { gamma: number; cost: number; valAccuracy: number }[];
  supportVectors: number;
  trainAccuracy: number;
  valAccuracy: number;
  testAccuracy: number;
  trainSeconds: number;
}

/**
 * An exact RBF SVM (C-SVC) for each γ of `gammas` and each C of `costs` (a number: that C alone); the
 * one with the best validation accuracy (the first listed on a tie) is kept and only it is scored on
 * the test set.
 */
export async function exactRbfSvm(train: Split, validation: Split, test: Split, gammas: number[], costs: number | number[]): Promise<ExactSvmOutcome> {
  const SVM = await loadLibSvm();
  const x = rows(train);
  const labels = Array.from(train.labels);
  const xVal = rows(validation);
  let best: { gamma: number; cost: number; svm: LibSvm; valAccuracy: number } | undefined;
  const sweep: ExactSvmOutcome['sweep'] = [];
  let trainSeconds = 0;
  for (const gamma of gammas)
    for (const cost of typeof costs === 'number' ? [costs] : costs) {
      const svm = new SVM({ kernel: SVM.KERNEL_TYPES.RBF, type: SVM.SVM_TYPES.C_SVC, gamma, cost, quiet: true, cacheSize: 512 });
      const started = performance.now();
      svm.train(x, labels);
      trainSeconds += (performance.now() - started) / 1000;
      const valAccuracy = accuracyOf(svm.predict(xVal), validation.labels);
      sweep.push({ gamma, cost, valAccuracy });
      if (!best || valAccuracy > best.valAccuracy) {
        best?.svm.free();
        best = { gamma, cost, svm, valAccuracy };
      } else {
        svm.free();
      }
    }
  const { svm, gamma, cost, valAccuracy } = best!;
  const outcome: ExactSvmOutcome = {
    gamma,
    cost,
    sweep,
    supportVectors: svm.getSVIndices().length,
    trainAccuracy: accuracyOf(svm.predict(x), train.labels),
    valAccuracy,
    testAccuracy: accuracyOf(svm.predict(rows(test)), test.labels),
    trainSeconds,
  };
  svm.free();
  return outcome;
}

/**
 * A trial's outcome for an exact kernel SVM: `final` is the model scored, `valAccuracy` what chose its
 * γ and C. A kernel machine has no fixed parameter count: it keeps its support vectors (as params),
 * and takes no gradient steps (no losses, epochs or steps).
 */
export function svmTrialOutcome(architecture: string, final: ExactSvmOutcome, valAccuracy: number, trainSeconds: number): TrialOutcome {
  return {
    architecture,
    params: final.supportVectors,
    trainAccuracy: final.trainAccuracy,
    valAccuracy,
    testAccuracy: final.testAccuracy,
    testError: 1 - final.testAccuracy,
    trainLoss: null,
    valLoss: null,
    keptEpoch: 0,
    epochsRun: 0,
    steps: 0,
    hitCap: false,
    diverged: false,
    trainSeconds,
  };
}
