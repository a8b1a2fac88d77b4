/** The intuition figures (src/figures/): what they compute, and that each draws, themed, with a text alternative. */
import { describe, expect, it } from 'vitest';
import { pictureWidth, PICTURE_WIDTH } from '../../src/charts/render.ts';
import { BACKGROUNDS, contrastRatio, SERIES_COLORS } from '../../src/charts/theme.ts';
import { best, boundaryData, makeMoons, SETUP } from '../../src/figures/boundaries.ts';
import { ringArea, zeroRings, type Grid } from '../../src/figures/contour.ts';
import { attainable, DEVICES, ridge, ROOFS } from '../../src/figures/hardware.ts';
import { figureIds, figures, getFigure } from '../../src/figures/index.ts';
import type { FigureDefinition } from '../../src/figures/types.ts';
import { layerCost, layersOf, matmul, trainingStep } from '../../src/figures/intensity.ts';
import { formatDuration, HUMAN_HOURS, loopTimings, turnsPerDay } from '../../src/figures/loop.ts';
import { workloads } from '../../src/figures/roofline.ts';
import { inWords, saturationFacts } from '../../src/figures/saturation.ts';
import { bibliographyKeys } from '../../src/lib/references.ts';
import { loadResult } from '../../src/lib/results.ts';

describe.each(figureIds)('figure %s', (id) => {
  const figure = figures[id];
  const built = figure.build();

  it('has a title, a caption and a text alternative with numbers in it', async () => {
    const { description } = await built;
    expect(figure.title).toMatch(/\w/);
    expect(figure.caption.length).toBeGreaterThan(40);
    expect(description.length).toBeGreaterThan(120);
    expect(description).toMatch(/\d/);
  });

  it('is one scalable SVG no wider than a chart, with nothing cut short', async () => {
    const { svg } = await built;
    expect(svg).toMatch(/^<svg[^>]* viewBox="0 0 [\d.]+ [\d.]+"/);
    expect(svg).not.toMatch(/^<svg[^>]* (width|height)="/);
    expect(pictureWidth(svg)).toBeLessThanOrEqual(PICTURE_WIDTH);
    expect(svg).not.toMatch(/>[^<>]*\u2026</);
  });

  it('reads in both themes: text and lines in the page colour, marks in palette colours that keep 3:1 on both backgrounds', async () => {
    const { svg } = await built;
    const colours = new Set([...svg.matchAll(/ (?:fill|stroke)="([^"]+)"/g)].map((m) => m[1]!));
    // Text is never drawn in a fixed colour: black text vanishes on the dark theme, white on the light.
    for (const text of svg.match(/<text[^>]*>/g) ?? []) expect(text).toMatch(/fill="(currentColor|#[0-9A-Fa-f]{6})"/);
    for (const colour of colours) {
      if (['currentColor', 'none', 'transparent'].includes(colour)) continue;
      expect(SERIES_COLORS as readonly string[], `${id}: colour ${colour}`).toContain(colour);
      for (const background of Object.values(BACKGROUNDS)) expect(contrastRatio(colour, background)).toBeGreaterThanOrEqual(3);
    }
    expect(colours).toContain('currentColor');
  });

  it('cites only works of the bibliography', () => {
    for (const key of (figure as FigureDefinition).citations ?? []) expect(bibliographyKeys()).toContain(key);
  });
});

describe('the figure registry', () => {
  it('names the page and the known figures for an unknown id', () => {
    expect(() => getFigure('roofline-sketch', 'Lesson x.mdx')).toThrow(/^Lesson x\.mdx refers to figure "roofline-sketch", which does not exist\. Known figures: .*roofline/);
  });
});

describe('decision boundaries', () => {
  it('draws the moons from a seed: the same points every build, others for another seed', () => {
    const a = makeMoons(50, 0.2, 1);
    expect(makeMoons(50, 0.2, 1)).toEqual(a);
    expect(makeMoons(50, 0.2, 2).x).not.toEqual(a.x);
    expect([...a.labels].filter((l) => l === 1).length).toBe(25);
  });

  it('traces the zero line of a field as closed rings, clockwise around the positive side', () => {
    // A disc of radius 1 on a grid from -2 to 2: one ring, near the unit circle, enclosing area ≈ π.
    const n = 41;
    const values = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = 1 - ((i / 10 - 2) ** 2 + (j / 10 - 2) ** 2);
    const grid: Grid = { nx: n, ny: n, x0: -2, y0: -2, dx: 0.1, dy: 0.1, values };
    const rings = zeroRings(grid);
    expect(rings).toHaveLength(1);
    for (const [x, y] of rings[0]!) expect(Math.hypot(x, y)).toBeCloseTo(1, 1);
    expect(Math.abs(ringArea(rings[0]!))).toBeCloseTo(Math.PI, 1);
    expect(ringArea(rings[0]!)).toBeLessThan(0);
  });

  it('shows what the models learned: the linear model far below the SVM and the network on its own training points', async () => {
    const { moons, boundaries } = await boundaryData();
    const by = Object.fromEntries(boundaries.map((b) => [b.model, b]));
    expect(moons.labels.length).toBe(SETUP.points);
    expect(by.logistic!.trainAccuracy).toBeLessThan(0.92);
    expect(by.network!.trainAccuracy).toBeGreaterThan(by.logistic!.trainAccuracy + 0.06);
    expect(by.svm!.trainAccuracy).toBeGreaterThan(by.logistic!.trainAccuracy + 0.05);
    // The drawn line is the model's own: the grid's sign agrees with the side of the boundary it is on,
    // and a linear model's zero line is straight (every crossing within a hair of one line).
    const ring = by.logistic!.rings[0]!;
    const inside = ring.filter(([x, y]) => x > SETUP.x[0] && x < SETUP.x[1] && y > SETUP.y[0] && y < SETUP.y[1]);
    const [[x1, y1], [x2, y2]] = [inside[0]!, inside.at(-1)!];
    for (const [x, y] of inside) expect(Math.abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / Math.hypot(x2 - x1, y2 - y1)).toBeLessThan(0.02);
    for (const b of boundaries) expect(b.rings.length).toBeGreaterThan(0);
  });

  it('bears out the caption: the network fits its training points best, the kernel SVM does best on new points', async () => {
    const { boundaries } = await boundaryData();
    expect(best(boundaries, 'trainAccuracy').model).toBe('network');
    expect(best(boundaries, 'testAccuracy').model).toBe('svm');
    expect(figures['capacity-boundaries'].caption).toMatch(/network fits its training points best, but the kernel SVM generalises best/);
    expect(figures['capacity-boundaries'].caption).toMatch(/one draw of points/);
  });
});

describe('the sigmoid saturation figure', () => {
  const facts = saturationFacts(loadResult('activations'), loadResult('saturation'));

  it('reads the slope bound and the saturated region off the experiment’s own curve', () => {
    expect(facts.maxSlope).toBeCloseTo(0.25, 3);
    // σ′(x) = 0.025 at |x| ≈ 3.64; the curve is sampled every 0.1.
    expect(facts.saturatedBeyond).toBeGreaterThan(3.4);
    expect(facts.saturatedBeyond).toBeLessThan(3.8);
  });

  it('places the top hidden layer by the summary’s measured mean outputs', () => {
    const summary = loadResult('saturation').summary;
    expect(facts.start.output).toBe(summary[`topActivation.${facts.rate}.init`]);
    expect(facts.lowest.output).toBe(summary[`topActivation.${facts.rate}.lowest`]);
    const sigma = (x: number) => 1 / (1 + Math.exp(-x));
    expect(sigma(facts.lowest.x)).toBeCloseTo(facts.lowest.output, 10);
    expect(facts.lowest.x).toBeLessThan(-facts.saturatedBeyond);
  });

  it('marks the last epoch too, and bounds each slope by min(output, ¼) rather than calling it the mean slope', () => {
    const saturation = loadResult('saturation');
    const config = saturation.config as { depth: number; epochs: number };
    expect(facts.last.epoch).toBe(config.epochs);
    expect(facts.last.output).toBeGreaterThan(facts.lowest.output);
    for (const m of [facts.start, facts.lowest, facts.last]) {
      expect(m.slope).toBeLessThanOrEqual(m.bound + 1e-12);
      expect(m.bound).toBe(Math.min(m.output, facts.maxSlope));
    }
    expect(figures['sigmoid-saturation'].caption).toContain(`${inWords(config.depth)}-hidden-layer sigmoid network trained for ${config.epochs} epochs`);
  });
});

describe('the iteration-loop figure', () => {
  it('quotes the compute summary: measured where the run finished, projected where it did not', () => {
    const summary = loadResult('compute').summary;
    const [wasm, cpu] = loopTimings(loadResult('compute'));
    expect(wasm!.seconds).toBe(summary['secondsToTarget.wasm.cnn']);
    expect(wasm!.projected).toBe(false);
    expect(cpu!.seconds).toBe(summary['secondsToTarget.cpu.cnn'] ?? summary['projectedSecondsToTarget.cpu.cnn']);
    expect(cpu!.projected).toBe(summary['secondsToTarget.cpu.cnn'] === undefined);
  });

  it('counts turns a day with the stated human time: 24 h over (that + the run)', () => {
    const [wasm, cpu] = loopTimings(loadResult('compute'));
    expect(turnsPerDay(3600, 1)).toBe(12);
    expect(turnsPerDay(wasm!.seconds)).toBeCloseTo(24 / (HUMAN_HOURS + wasm!.seconds / 3600), 10);
    // A 40 s run leaves the day to the thinking; a run of hours does not.
    expect(turnsPerDay(wasm!.seconds)).toBeGreaterThan(20);
    expect(turnsPerDay(cpu!.seconds)).toBeLessThan(8);
    expect(figures['iteration-loop'].caption).toMatch(/assumption/);
  });

  it('writes durations a reader can take in', () => {
    expect([formatDuration(40.3), formatDuration(772), formatDuration(9327)]).toEqual(['40 s', '13 min', '2.6 h']);
  });
});

describe('arithmetic intensity', () => {
  it('counts a matrix product as 2mkn operations over its three operands', () => {
    expect(matmul(2, 3, 4)).toEqual({ flops: 48, bytes: 4 * (6 + 12 + 8) });
    const big = matmul(4096, 4096, 4096);
    expect(big.flops / big.bytes).toBeCloseTo(4096 / 6, 6);
  });

  it('builds the compute experiment’s models with the parameter counts its rows record', () => {
    const compute = loadResult('compute');
    const config = compute.config as { models: { name: string; spec: Parameters<typeof layersOf>[0] }[]; batchSize: number };
    for (const model of config.models) {
      const recorded = compute.rows.find((r) => r.model === model.name && r.params !== undefined)!.params;
      expect(trainingStep(layersOf(model.spec), config.batchSize).parameters, model.name).toBe(recorded);
    }
  });

  it('puts both models’ training steps at a few operations per byte, and a large product at hundreds', () => {
    const [mlp, cnn, big] = workloads(loadResult('compute'));
    for (const step of [mlp!, cnn!]) {
      expect(step.intensity).toBeGreaterThan(2);
      expect(step.intensity).toBeLessThan(20);
    }
    expect(big!.intensity).toBeGreaterThan(500);
    // A wider batch reuses each weight more: intensity grows with it.
    const layers = layersOf({ kind: 'mlp', hidden: [256] });
    expect(trainingStep(layers, 1024).intensity).toBeGreaterThan(2 * trainingStep(layers, 64).intensity);
  });

  it('leaves out the first layer’s input gradient, which TensorFlow.js does not compute', () => {
    const layers = layersOf({ kind: 'mlp', hidden: [256] });
    const step = trainingStep(layers, 64);
    const all = layers.reduce((c, l) => ({ flops: c.flops + layerCost(l, 64).flops, bytes: c.bytes + layerCost(l, 64).bytes }), step.optimiser);
    const inputGradient = matmul(64, 256, 784);
    expect(all.flops - step.flops).toBe(inputGradient.flops);
    expect(all.bytes - step.bytes).toBe(inputGradient.bytes);
    // Adam moves 7 floats (28 bytes) per parameter: most of this small network's step.
    expect(step.optimiser.bytes).toBe(28 * step.parameters);
    expect(step.optimiser.bytes / step.bytes).toBeGreaterThan(0.5);
  });

  it('draws each roof as min(peak, bandwidth × intensity), flat past its ridge', () => {
    for (const device of ROOFS) {
      const r = ridge(device);
      expect(attainable(device, r / 2)).toBeCloseTo(device.peakFlops.value / 2, -3);
      expect(attainable(device, r * 10)).toBe(device.peakFlops.value);
      for (const v of [device.peakFlops, device.bandwidth]) expect(v.citations.length).toBeGreaterThan(0);
    }
    // The whole socket: 64 cores × 2.45 GHz × 32, and the socket's bandwidth; the A100 on FP32 units and tensor cores.
    expect(DEVICES.cpu.peakFlops.value).toBeCloseTo(64 * 78.4e9, -6);
    expect(DEVICES.cpu.bandwidth.value).toBe(204.8e9);
    expect(ridge(DEVICES.cpu)).toBeCloseTo(24.5, 1);
    expect(ridge(DEVICES.gpu)).toBeCloseTo(9.56, 2);
    expect(ridge(DEVICES.tensor)).toBeCloseTo(76.5, 1);
  });

  it('places both models’ steps left of every ridge: memory-bound on the tensor cores at about a tenth of their peak', () => {
    const [mlp, cnn] = workloads(loadResult('compute'));
    for (const step of [mlp!, cnn!]) {
      for (const device of ROOFS) expect(step.intensity).toBeLessThan(ridge(device));
      expect(attainable(DEVICES.tensor, step.intensity) / DEVICES.tensor.peakFlops.value).toBeLessThan(0.15);
    }
  });
});
