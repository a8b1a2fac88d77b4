import { describe, expect, it } from 'vitest';
import { charts, chartIds, getChart } from '../../src/charts/index.ts';
import { renderSvg } from '../../src/charts/render.ts';
import { BACKGROUNDS, contrastRatio, SERIES_COLORS } from '../../src/charts/theme.ts';
import { loadResult } from '../../src/lib/results.ts';

describe('chart registry', () => {
  it('names the page and lists the known charts for an unknown id', () => {
    expect(() => getChart('scale-learning-curve', 'Lesson src/content/docs/lessons/x.mdx')).toThrowErrorMatchingInlineSnapshot(
      `[UnknownChartError: Lesson src/content/docs/lessons/x.mdx refers to chart "scale-learning-curve", which does not exist. Known charts: scale-learning-curves (see src/charts/index.ts).]`,
    );
  });
});

describe.each(chartIds)('chart %s built from the committed results', (id) => {
  const chart = charts[id];
  const result = loadResult(chart.experiment);
  const { spec, description } = chart.build(result);

  it('embeds one data point per valid row, and a description written from the data', () => {
    const values = (spec.data as { values: unknown[] }).values;
    expect(values.length).toBe(result.rows.filter((r) => typeof r.testAccuracy === 'number').length);
    // The description quotes numbers that are in the data, not typed in.
    const largest = result.summary['m.largest']!;
    expect(description).toContain(new Intl.NumberFormat('en-GB').format(largest));
    expect(description).toMatch(/\d+\.\d%/);
  });

  it('renders to an SVG with drawn marks and a scalable viewBox', async () => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
    expect(svg).not.toMatch(/^<svg[^>]* width="/);
    // One line per model, each a non-empty path.
    const lines = svg.match(/<path[^>]*d="M[^"]+"/g) ?? [];
    const models = new Set(result.rows.map((r) => r.model)).size;
    expect(lines.length).toBeGreaterThanOrEqual(models);
  });
});

describe('chart theme', () => {
  it.each(SERIES_COLORS)('series colour %s keeps 3:1 contrast on light and dark backgrounds', (color) => {
    expect(contrastRatio(color, BACKGROUNDS.light)).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(color, BACKGROUNDS.dark)).toBeGreaterThanOrEqual(3);
  });
});
