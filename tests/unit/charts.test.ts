import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { charts, chartIds, getChart } from '../../src/charts/index.ts';
import { compactSvg, PICTURE_WIDTH, pictureWidth, renderSvg, simplify, staticMarks } from '../../src/charts/render.ts';
import { fittedPlotWidth, MIN_PLOT_WIDTH, WRAP_LABEL_EXPR, wrapLegendLabels } from '../../src/charts/size.ts';
import { textWidth } from '../../src/charts/text-width.ts';
import { BACKGROUNDS, contrastRatio, SERIES_COLORS } from '../../src/charts/theme.ts';
import { loadResult } from '../../src/lib/results.ts';
import { trialsOf } from '../../experiments/lib/schema.ts';

describe('chart registry', () => {
  it('names the page and lists the known charts for an unknown id', () => {
    expect(() => getChart('scale-learning-curve', 'Lesson src/content/docs/lessons/x.mdx')).toThrow(
      /^Lesson src\/content\/docs\/lessons\/x\.mdx refers to chart "scale-learning-curve", which does not exist\. Known charts: scale-learning-curves, .* \(see src\/charts\/index\.ts\)\.$/,
    );
  });
});

/** Every colour encoding by a field, in a spec's layers and facets. */
function colorEncodings(node: unknown): { field: string; scale?: { range?: unknown[] } }[] {
  if (!node || typeof node !== 'object') return [];
  const { encoding, layer, spec } = node as { encoding?: { color?: { field?: string; scale?: { range?: unknown[] } } }; layer?: unknown[]; spec?: unknown };
  const own = encoding?.color?.field ? [{ field: encoding.color.field, scale: encoding.color.scale }] : [];
  return [...own, ...(layer ?? []).flatMap(colorEncodings), ...colorEncodings(spec)];
}

describe.each(chartIds)('chart %s built from the committed results', (id) => {
  const chart = charts[id];
  const result = loadResult(chart.experiment);
  const { spec, description } = chart.build(result);

  it('has a text alternative written from the data', () => {
    expect(description.length).toBeGreaterThan(80);
    expect(description).toMatch(/\d/);
    expect(spec.description).toBe(description);
  });

  it('renders to an SVG with drawn marks and a scalable viewBox, at desktop and phone widths', async () => {
    for (const width of [560, 280]) {
      const svg = await renderSvg(spec, width, Infinity);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
      expect(svg).not.toMatch(/^<svg[^>]* width="/);
      expect((svg.match(/<path[^>]*d="M[^"]+"/g) ?? []).length).toBeGreaterThan(2);
    }
  });

  it(`draws its static picture at most ${PICTURE_WIDTH} px wide, so its labels stay legible on a phone`, async () => {
    const width = pictureWidth(await renderSvg(spec));
    expect(width).toBeLessThanOrEqual(PICTURE_WIDTH);
    // Fitting narrows the plot; it must not leave a sliver.
    expect(width).toBeGreaterThan(PICTURE_WIDTH / 2);
  });

  it('draws no mark that is invisible (cleared fill and no stroke)', async () => {
    const svg = await renderSvg(spec);
    const invisible = (svg.match(/<path [^>]*>/g) ?? []).filter((p) => /fill-opacity="0"/.test(p) && !/ stroke="(?!none|transparent)/.test(p));
    expect(invisible).toEqual([]);
  });

  it('gives every series a colour of its own', () => {
    const values = ((spec.data as { values?: Record<string, unknown>[] } | undefined)?.values ?? []);
    for (const color of colorEncodings(spec)) {
      const series = new Set(values.map((row) => row[color.field])).size;
      expect(series, `${id}: ${series} values of "${color.field}"`).toBeLessThanOrEqual(color.scale?.range?.length ?? SERIES_COLORS.length);
    }
  });

  it('cuts no label short in its static picture', async () => {
    const svg = await renderSvg(spec);
    const cut = [...svg.matchAll(/>([^<>]*\u2026)</g)].map((m) => m[1]);
    expect(cut).toEqual([]);
  });
});

describe('the learning-curve chart', () => {
  const result = loadResult('scale');
  const { spec, description } = charts['scale-learning-curves'].build(result);

  it('embeds one point per trial row and quotes the largest training set', () => {
    const values = (spec.data as { values: unknown[] }).values;
    expect(values.length).toBe(trialsOf(result.rows).filter((r) => typeof r.testAccuracy === 'number').length);
    expect(description).toContain(new Intl.NumberFormat('en-GB').format(result.summary['m.largest']!));
  });
});

/**
 * A trial grid's file also holds rows that repeat a trial's cell under another rule (tuning rungs,
 * stopping checks, the practitioner's reruns): a chart of the trials must not average them in.
 */
describe.each(['scale-learning-curves', 'scale-generalisation-gap', 'model-size-curves', 'small-data-seeds'] as const)('the trial chart %s', (id) => {
  it('is unchanged by rows of other kinds in its file, however far off their numbers', () => {
    const chart = charts[id];
    const result = loadResult(chart.experiment);
    const trials = trialsOf(result.rows);
    const others = (['stopping', 'practitioner', 'tuning'] as const).flatMap((kind) => trials.map((r) => ({ ...r, kind, testAccuracy: 0.01, testError: 0.99, trainAccuracy: 0.01 })));
    const plain = chart.build({ ...result, rows: trials });
    const mixed = chart.build({ ...result, rows: [...trials, ...others] });
    expect(mixed.description).toBe(plain.description);
    expect(JSON.stringify(mixed.spec)).toBe(JSON.stringify(plain.spec));
  });
});

describe('the dataset-size chart', () => {
  const result = loadResult('history');
  const { spec, description } = charts['history-datasets'].build(result);
  const datasets = result.rows.filter((r) => r.kind === 'dataset');

  it('says on its face that its points are curated, not measured, and names every dataset', async () => {
    const svg = await renderSvg(spec);
    expect(svg).toContain('Curated from each dataset’s paper,');
    expect(svg).toContain('not measured by this project');
    for (const row of datasets) expect(svg).toContain(`>${String(row.name)}<`);
  });

  it('keeps the kinds of label apart, in the picture and in the text alternative', () => {
    expect(description).toMatch(/^Training examples .* curated from each dataset’s paper, not measured by this project\./);
    expect(description).toContain('Labels given or checked by people: MNIST (1998) 60,000');
    expect(description).toContain('Image–text pairs, with no class labels: LAION-5B (2022) 5.85 billion.');
    const values = (spec.data as { values: { labels: string }[] }).values;
    expect(new Set(values.map((v) => v.labels)).size).toBe(3);
    expect(values).toHaveLength(datasets.length);
  });

  it('measures growth against the ILSVRC-2012 training set, whose largest checked superset the digitisation lesson names: the full ImageNet', () => {
    expect(description).toContain('The largest set labelled by people, Full ImageNet, holds 11 times as many images as the training set of ImageNet (ILSVRC-2012)');
    const labels = result.config.labels as Record<string, string>;
    const checked = datasets.filter((r) => labels[String(r.name)] === 'checked');
    const largest = checked.reduce((a, b) => ((a.examples as number) >= (b.examples as number) ? a : b));
    expect(largest.name).toBe('Full ImageNet');
    expect(result.summary['datasets.checked.largestExamples']).toBe(largest.examples);
  });
});

describe('text widths for build-time rendering', () => {
  it('measures sans-serif text near its real width, not at 0.8 em a character', () => {
    const label = 'Convolutional network (LeNet-style)';
    const width = textWidth({ fontSize: 12 }, label);
    expect(width).toBeGreaterThan(0.4 * 12 * label.length);
    expect(width).toBeLessThan(0.6 * 12 * label.length);
  });

  it('grows with size and weight, stops at the limit, and reads empty text as zero', () => {
    expect(textWidth({ fontSize: 24 }, 'Model')).toBeCloseTo(2 * textWidth({ fontSize: 12 }, 'Model'), 5);
    expect(textWidth({ fontSize: 12, fontWeight: 600 }, 'Model')).toBeGreaterThan(textWidth({ fontSize: 12 }, 'Model'));
    expect(textWidth({ fontSize: 12, limit: 50 }, 'Kernel SVM (RBF, 4,000 random features)')).toBe(50);
    expect(textWidth({ fontSize: 12 }, '  ')).toBe(0);
  });
});

describe('fitting a picture to its width', () => {
  it('takes what the picture has too much from the plot, gives back what it lacks, and stops at the narrowest plot', () => {
    expect(fittedPlotWidth(360, 437.5, 400)).toBe(322);
    expect(fittedPlotWidth(300, 250, 288)).toBe(338);
    expect(fittedPlotWidth(150, 600, 288)).toBe(MIN_PLOT_WIDTH);
  });
});

describe('long lines in the static picture', () => {
  it('are written relative to the point before, from rounded positions, so that they land where the absolute ones did', () => {
    // A zig-zag (nothing for the simplification to drop) of 30 points.
    const points = Array.from({ length: 30 }, (_, i) => [3 + i * 2.7333, i % 2 ? 40.26 : 12.04] as [number, number]);
    const d = 'M' + points.map(([x, y]) => `${x},${y}`).join('L');
    const svg = compactSvg(`<svg viewBox="0 0 100 50"><path d="${d}"/></svg>`, 'sans-serif');
    const written = /d="([^"]+)"/.exec(svg)![1]!;
    expect(written).toMatch(/^M3,12l2\.7,28\.3l2\.8-28\.3/);
    // Summed back up, every point is within a twentieth of a pixel of the exact one: no drift.
    const [, x0, y0, rest] = /^M(-?[\d.]+),(-?[\d.]+)(.*)$/.exec(written)!;
    let [x, y] = [Number(x0), Number(y0)];
    const steps = [...rest!.matchAll(/l(-?[\d.]+),?(-?[\d.]+)/g)];
    expect(steps).toHaveLength(points.length - 1);
    steps.forEach(([, dx, dy], i) => {
      [x, y] = [x + Number(dx), y + Number(dy)];
      expect(Math.abs(x - points[i + 1]![0])).toBeLessThan(0.051);
      expect(Math.abs(y - points[i + 1]![1])).toBeLessThan(0.051);
    });
  });

  it("leave a line's points to the live view only where the chart asks (usermeta.staticPoints false)", () => {
    const line = { mark: { type: 'line', point: { size: 20 } }, encoding: {} };
    const asked = { usermeta: { staticPoints: false }, facet: { row: { field: 'f' } }, spec: { layer: [{ mark: { type: 'area' } }, line] } } as unknown as TopLevelSpec;
    const layers = (staticMarks(asked) as unknown as { spec: { layer: { mark: { point?: unknown } }[] } }).spec.layer;
    expect(layers[1]!.mark.point).toBe(false);
    expect(layers[0]!.mark).toEqual({ type: 'area' });
    const unasked = { layer: [line] } as unknown as TopLevelSpec;
    expect(staticMarks(unasked)).toBe(unasked);
  });
});

describe('markup that draws nothing', () => {
  it('is left out of the static picture: groups without attributes once their roles are gone (not what they hold) and backgrounds with neither fill nor stroke', () => {
    const svg = compactSvg(
      '<svg viewBox="0 0 10 10"><g fill="none"><g role="graphics-object" aria-roledescription="group mark container"><g transform="translate(1,1)"><path class="background" aria-hidden="true" d="M0,0h8v8h-8Z"/>' +
        '<path class="background" aria-hidden="true" d="M0,0h8v8h-8Z" fill="#fff"/><g><path d="M0,0L5,5" stroke="red"/></g></g></g></g></svg>',
      'sans-serif',
    );
    expect(svg).toBe('<svg viewBox="0 0 10 10"><g fill="none"><g transform="translate(1,1)"><path d="M0,0h8v8h-8Z" fill="#fff"/><path d="M0,0L5,5" stroke="red"/></g></g></svg>');
  });
});

describe('line simplification', () => {
  it('keeps the two ends of a straight run and every point a curve needs to stay within the tolerance', () => {
    const straight = Array.from({ length: 50 }, (_, i) => [i * 2, 100 - i] as [number, number]);
    expect(simplify(straight, 0.25)).toEqual([straight[0], straight[49]]);
    const curve = Array.from({ length: 200 }, (_, i) => [i, 100 / (1 + Math.exp(-(i - 100) / 15))] as [number, number]);
    const kept = simplify(curve, 0.25);
    expect(kept.length).toBeLessThan(60);
    expect(kept[0]).toEqual(curve[0]);
    expect(kept.at(-1)).toEqual(curve.at(-1));
    // Every dropped point lies within the tolerance of the segment that replaced it.
    for (const [x, y] of curve) {
      const j = kept.findIndex(([kx]) => kx >= x);
      if (kept[j]![0] === x) continue;
      const [[x1, y1], [x2, y2]] = [kept[j - 1]!, kept[j]!];
      expect(Math.abs(y - (y1 + ((y2 - y1) * (x - x1)) / (x2 - x1)))).toBeLessThan(0.5);
    }
  });
});

describe('long legend labels', () => {
  const labels = ['Linear SVM', 'Kernel SVM (RBF, 4,000 random features)', 'Hand-engineered features + logistic regression'];
  const spec = {
    data: { values: labels.map((label, i) => ({ label, x: i, y: i })) },
    layer: [{ mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'label', type: 'nominal' } } }],
  } as unknown as TopLevelSpec;

  it('break before their bracket, or after their " + ", and short ones stay on one line', async () => {
    const svg = await renderSvg(wrapLegendLabels(spec));
    expect(svg).toContain('<tspan>Kernel SVM</tspan><tspan x="0" dy="14">(RBF, 4,000 random features)</tspan>');
    expect(svg).toContain('<tspan>Hand-engineered features +</tspan><tspan x="0" dy="14">logistic regression</tspan>');
    expect(svg).toMatch(/>Linear SVM<\/text>/);
  });

  it('are wrapped in layers and facets, but not where a legend is off or has its own label expression', () => {
    const faceted = {
      facet: { row: { field: 'row' } },
      spec: { layer: [{ mark: 'line', encoding: { color: { field: 'a' }, shape: { field: 'b', legend: null }, strokeDash: { field: 'c', legend: { labelExpr: 'datum.label' } }, x: { field: 'x' } } }] },
    } as unknown as TopLevelSpec;
    const encoding = (wrapLegendLabels(faceted) as unknown as { spec: { layer: { encoding: Record<string, { legend?: { labelExpr?: string } | null }> }[] } }).spec.layer[0]!.encoding;
    expect(encoding.color!.legend!.labelExpr).toBe(WRAP_LABEL_EXPR);
    expect(encoding.shape!.legend).toBeNull();
    expect(encoding.strokeDash!.legend!.labelExpr).toBe('datum.label');
    expect(encoding.x!.legend).toBeUndefined();
  });
});

describe('chart theme', () => {
  it.each(SERIES_COLORS)('series colour %s keeps 3:1 contrast on light and dark backgrounds', (color) => {
    expect(contrastRatio(color, BACKGROUNDS.light)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(color, BACKGROUNDS.dark)).toBeGreaterThanOrEqual(3);
  });
});
