/**
 * "Try the model", under a finished run: the reader draws a digit (mouse, pen or finger: pointer
 * events on a canvas) and sees what the trained model reads, with its ten probabilities. The drawing is
 * made into an MNIST image first (src/run/digit.ts: scaled into a 20×20 box, centred by its centre of
 * mass in 28×28), and that image is shown beside it: what the model sees. Keyboard users (and anyone)
 * can instead pick one of a few test images, each a button.
 */
import { IMAGE_SIZE, PIXELS } from '../../experiments/lib/split.ts';
import { toMnist } from './digit.ts';

const PAD = 280;

/**
 * Styles of what a run adds to the page (the list of runs, "Try the model"): injected with the first
 * run, not carried by every page before the reader acts (the page budget, tests/browser/weigh.ts).
 */
const STYLES = `.run-it-yourself .run-list button, .run-it-yourself .run-try button { font: inherit; min-height: 2rem; padding: 0 0.5rem; margin-left: 0.25rem; color: var(--sl-color-white); background: var(--sl-color-gray-6); border: 1px solid var(--sl-color-gray-4); border-radius: 0.25rem; } .run-try h4 { font-size: var(--sl-text-sm); margin: 0.75rem 0 0; } .run-try-row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; } .run-try-pad { width: 196px; height: 196px; max-width: 100%; touch-action: none; color: var(--sl-color-white); background: var(--sl-color-gray-6); border: 1px solid var(--sl-color-gray-4); border-radius: 0.25rem; cursor: crosshair; } .run-try-side { display: flex; flex-direction: column; gap: 0.25rem; align-items: start; } .run-try-seen, .run-try-sample canvas { width: 56px; height: 56px; image-rendering: pixelated; } .run-try-sample canvas { width: 36px; height: 36px; display: block; } .run-it-yourself .run-try .run-try-sample { padding: 2px; margin: 0.25rem 0.25rem 0 0; } .run-try-probabilities { list-style: none; padding: 0; margin: 0.25rem 0; max-width: 20rem; } .run-try-probabilities li { display: grid; grid-template-columns: 5.5rem 1fr; align-items: center; gap: 0.5rem; margin: 0; } .run-try-bar { display: block; height: 0.6rem; background: var(--sl-color-gray-4); } .run-try-best .run-try-bar { background: var(--sl-color-text-accent); } .run-try-best { font-weight: 600; }`;

export function ensureRunStyles(): void {
  if (document.getElementById('run-it-yourself-styles')) return;
  const style = document.createElement('style');
  style.id = 'run-it-yourself-styles';
  style.textContent = STYLES;
  document.head.append(style);
}
const SAMPLES = 8;

export interface TryModel {
  show(label: string): void;
  hide(): void;
}

type Predict = (images: Uint8Array, count: number) => Promise<number[][]>;
type TestImages = (count: number) => Promise<{ images: Uint8Array; labels: number[] }>;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Paints a 28×28 grey image (0–255, ink high) into a canvas, ink in the page's text colour. */
function paint(canvas: HTMLCanvasElement, pixels: Uint8Array): void {
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  for (let i = 0; i < PIXELS; i++) {
    image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = 255 - pixels[i]!;
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

export function attachTryModel(section: HTMLElement, predict: Predict, testImages: TestImages): TryModel {
  const root = element('div', 'run-try');
  const id = `${section.id}-try`;
  root.id = id;
  const heading = element('h4', undefined, 'Try the model');
  const intro = element('p', undefined, 'Draw a digit in the box with a mouse, pen or finger, or pick one of the test images below: the model gives its ten probabilities.');
  const row = element('div', 'run-try-row');
  const pad = element('canvas', 'run-try-pad');
  pad.width = pad.height = PAD;
  pad.setAttribute('role', 'img');
  pad.setAttribute('aria-label', 'Drawing pad for a digit (pointer input; keyboard users can pick a test image below)');
  const side = element('div', 'run-try-side');
  const seen = element('canvas', 'run-try-seen');
  seen.width = seen.height = IMAGE_SIZE;
  seen.setAttribute('role', 'img');
  seen.setAttribute('aria-label', 'What the model sees: your drawing as a 28×28 MNIST image');
  const clear = element('button', 'run-try-clear', 'Clear');
  clear.type = 'button';
  side.append(element('span', 'run-try-caption', 'What the model sees'), seen, clear);
  row.append(pad, side);
  const samples = element('div', 'run-try-samples');
  samples.setAttribute('role', 'group');
  samples.setAttribute('aria-label', 'Test images to classify');
  const prediction = element('p', 'run-try-prediction');
  prediction.setAttribute('aria-live', 'polite');
  const probabilities = element('ol', 'run-try-probabilities');
  probabilities.start = 0;
  probabilities.setAttribute('aria-label', 'Probability of each digit');
  root.append(heading, intro, row, samples, prediction, probabilities);
  root.hidden = true;
  section.append(root);

  let asked = 0;
  const showPrediction = async (image: Uint8Array, truth?: number) => {
    const mine = ++asked;
    paint(seen, image);
    try {
      const [p] = await predict(image, 1);
      if (mine !== asked || !p) return;
      const best = p.indexOf(Math.max(...p));
      prediction.textContent = `The model reads a ${best} (${(100 * p[best]!).toFixed(1)}%)${truth === undefined ? '' : truth === best ? `: right, it is a ${truth}.` : `: wrong, it is a ${truth}.`}`;
      probabilities.textContent = '';
      p.forEach((value, digit) => {
        const li = element('li');
        li.dataset.digit = String(digit);
        if (digit === best) li.className = 'run-try-best';
        const bar = element('span', 'run-try-bar');
        bar.style.width = `${Math.max(0.5, 100 * value).toFixed(1)}%`;
        li.append(element('span', 'run-try-digit', `${digit}: ${(100 * value).toFixed(1)}%`), bar);
        probabilities.append(li);
      });
      root.dataset.predicted = String(best);
    } catch (error) {
      prediction.textContent = `The model could not be asked: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  // Drawing: strokes as thick as MNIST's (about a tenth of the box), round ends; the ink is the alpha channel.
  const context = pad.getContext('2d', { willReadFrequently: true })!;
  const clearPad = () => {
    context.clearRect(0, 0, PAD, PAD);
    prediction.textContent = '';
    probabilities.textContent = '';
  };
  let drawing = false;
  const point = (event: PointerEvent) => {
    const box = pad.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * PAD, y: ((event.clientY - box.top) / box.height) * PAD };
  };
  pad.addEventListener('pointerdown', (event) => {
    drawing = true;
    pad.setPointerCapture(event.pointerId);
    const { x, y } = point(event);
    context.strokeStyle = getComputedStyle(pad).color || '#000';
    context.lineWidth = PAD / 12;
    context.lineCap = context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + 0.01, y);
    context.stroke();
    event.preventDefault();
  });
  pad.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
  });
  const finish = () => {
    if (!drawing) return;
    drawing = false;
    const rgba = context.getImageData(0, 0, PAD, PAD).data;
    const ink = new Float32Array(PAD * PAD);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3]! / 255;
    const image = toMnist(ink, PAD);
    if (image) void showPrediction(image);
  };
  pad.addEventListener('pointerup', finish);
  pad.addEventListener('pointercancel', finish);
  clear.addEventListener('click', clearPad);

  return {
    show(label: string) {
      heading.textContent = `Try the model: ${label}`;
      root.hidden = false;
      clearPad();
      samples.textContent = '';
      void testImages(SAMPLES).then(({ images, labels }) => {
        labels.forEach((truth, i) => {
          const image = images.slice(i * PIXELS, (i + 1) * PIXELS);
          const button = element('button', 'run-try-sample');
          button.type = 'button';
          button.setAttribute('aria-label', `Test image ${i + 1}`);
          const thumb = element('canvas');
          thumb.width = thumb.height = IMAGE_SIZE;
          paint(thumb, image);
          button.append(thumb);
          button.addEventListener('click', () => {
            clearPad();
            void showPrediction(image, truth);
          });
          samples.append(button);
        });
      }).catch(() => {});
    },
    hide() {
      root.hidden = true;
    },
  };
}
