import { describe, expect, it } from 'vitest';
import { charts, chartIds, getChart } from '../../src/charts/index.ts';
import { renderSvg } from '../../src/charts/render.ts';
import { BACKGROUNDS, contrastRatio, SERIES_COLORS } from '../../src/charts/theme.ts';
import { loadResult } from '../../src/lib/results.ts';

describe('chart registry', () => {
  it('names the page and lists the known charts for an unknown id', () => {
    expect(() => getChart('scale-learning-curve', 'Lesson src/content/docs/lessons/x.mdx')).toThrow(
      /^Lesson src\/content\/docs\/lessons\/x\.mdx refers to chart "scale-learning-curve", which does not exist\. Known charts: scale-learning-curves, .* \(see src\/charts\/index\.ts\)\.$/,
    );
  });
});

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
      const svg = await renderSvg(spec, width);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
      expect(svg).not.toMatch(/^<svg[^>]* width="/);
      expect((svg.match(/<path[^>]*d="M[^"]+"/g) ?? []).length).toBeGreaterThan(2);
    }
  });
});

describe('the learning-curve chart', () => {
  const result = loadResult('scale');
  const { spec, description } = charts['scale-learning-curves'].build(result);

  it('embeds one point per valid row and quotes the largest training set', () => {
    const values = (spec.data as { values: unknown[] }).values;
    expect(values.length).toBe(result.rows.filter((r) => typeof r.testAccuracy === 'number').length);
    expect(description).toContain(new Intl.NumberFormat('en-GB').format(result.summary['m.largest']!));
  });
});

describe('chart theme', () => {
  it.each(SERIES_COLORS)('series colour %s keeps 3:1 contrast on light and dark backgrounds', (color) => {
    expect(contrastRatio(color, BACKGROUNDS.light)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(color, BACKGROUNDS.dark)).toBeGreaterThanOrEqual(3);
  });
});
