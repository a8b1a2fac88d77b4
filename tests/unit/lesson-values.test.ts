/** How lessons read numbers: summary values, published figures, and the errors an author sees. */
import { describe, expect, it } from 'vitest';
import { formatCount, formatPercent, formatRange, formatScientific, FORMATS } from '../../src/charts/format.ts';
import { allCitations, findReference } from '../../src/lib/references.ts';
import { rangeKeys, readSummaryValue } from '../../src/lib/summary.ts';

describe('summary values', () => {
  it('reads a named number from a result file', () => {
    // The training images left once the 5,000-image validation set is carved out.
    expect(readSummaryValue('scale', 'm.largest', 'Lesson x.mdx')).toBe(55000);
  });

  it('names the page, the key, the nearest keys and the file for an unknown key, with or without missing words', () => {
    const message = /^Lesson src\/content\/docs\/lessons\/x\.mdx quotes "accuracy\.nope" from generated\/scale\.json, whose summary has no such value\. Nearest: "[^"]+", "[^"]+", "[^"]+" \(every key: field summary of generated\/scale\.json\)\.$/;
    expect(() => readSummaryValue('scale', 'accuracy.nope', 'Lesson src/content/docs/lessons/x.mdx')).toThrow(message);
    expect(() => readSummaryValue('scale', 'accuracy.nope', 'Lesson src/content/docs/lessons/x.mdx', true)).toThrow(message);
  });
});

describe('ranges over seeds (<Value range>)', () => {
  it('reads the Low and High keys stored after the measure, both present in the summary', () => {
    expect(rangeKeys('epochsToTarget.best.tanh.10')).toEqual(['epochsToTargetLow.best.tanh.10', 'epochsToTargetHigh.best.tanh.10']);
    expect(rangeKeys('testAccuracy.tanh.0.3')).toEqual(['testAccuracyLow.tanh.0.3', 'testAccuracyHigh.tanh.0.3']);
    const [low, high] = rangeKeys('valAccuracy.best.relu.2').map((key) => readSummaryValue('activations', key, 'Lesson x.mdx'));
    expect(low).toBeLessThanOrEqual(high!);
  });
});

describe('published figures', () => {
  it('finds exactly one reference by subject and measure', () => {
    expect(findReference('scale', 'logistic', 'accuracy', 'Lesson x.mdx').value).toBe(0.917);
  });

  it('refuses an ambiguous or unknown citation, naming the page', () => {
    expect(() => findReference('scale', 'svm-rbf', undefined, 'Lesson x.mdx')).toThrow(/^Lesson x\.mdx cites subject "svm-rbf" .* which has 3 such references; it needs exactly one\.$/);
    expect(() => findReference('scale', 'perceptron', undefined, 'Lesson x.mdx')).toThrow(/has 0 such references/);
  });

  it('gathers every cited work once, with an anchor, for the references page', () => {
    const citations = allCitations();
    const slugs = citations.map((c) => c.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(citations.find((c) => c.work === 'LeCun et al. 1998')!.figures.length).toBeGreaterThan(2);
  });
});

describe('formats', () => {
  it('writes tiny and huge numbers in powers of ten, and years without separators', () => {
    expect(formatScientific(2.1e-6)).toBe('2.1 × 10⁻⁶');
    expect(formatScientific(0.25)).toBe('0.25');
    expect(FORMATS.year(2022)).toBe('2022');
    expect(FORMATS.percent(0.9183)).toBe('91.8%');
    expect(FORMATS.exponent(-0.11483572)).toBe('−0.115');
    expect(FORMATS.points(-0.013)).toBe('−1.3 points');
    expect(FORMATS.scientific(2.1e-6)).toBe('2.1 × 10⁻⁶');
  });

  it('writes counts past a million in words, to three significant figures', () => {
    expect(FORMATS['large-count'](60000)).toBe('60,000');
    expect(FORMATS['large-count'](1281167)).toBe('1.28 million');
    expect(FORMATS['large-count'](300000000)).toBe('300 million');
    expect(FORMATS['large-count'](5850000000)).toBe('5.85 billion');
  });

  it('gives a ratio two significant figures, however large or small: never 229.4× or 0.1× for 0.053', () => {
    expect(FORMATS.times(229.4279)).toBe('230×');
    expect(FORMATS.times(18.865)).toBe('19×');
    expect(FORMATS.times(3.078)).toBe('3.1×');
    expect(FORMATS.times(0.05264)).toBe('0.053×');
    expect(FORMATS.times(0.9226)).toBe('0.92×');
  });

  it('writes a range once where its ends print the same: "epoch 1", never "1–1"', () => {
    expect(formatRange(4, 7)).toBe('4–7');
    expect(formatRange(1, 1, formatCount)).toBe('1');
    expect(formatRange(0.92141, 0.92139, formatPercent)).toBe('92.1%');
    expect(formatRange(0.4, 0.6, (x) => formatCount(x * 100), '%')).toBe('40–60%');
  });

  it('gives a figure from a handful of timed steps one significant figure, and says "about"', () => {
    expect(FORMATS['about-times'](229.4279)).toBe('about 200×');
    expect(FORMATS['about-times'](0.05264)).toBe('about 0.05×');
    expect(FORMATS.about(77.7)).toBe('about 80');
    expect(FORMATS.about(9.2634)).toBe('about 9');
    expect(FORMATS.about(982.6)).toBe('about 1,000');
  });
});
