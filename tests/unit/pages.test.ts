/**
 * What the pages are held to, beyond what the build checks: lessons that do not grow past their word
 * budget, a bibliography whose every entry some page cites, and chart descriptions that say a pattern
 * once instead of repeating one sentence for every value.
 */
import { figures, type FigureId } from '../../src/figures/index.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { charts, chartIds, type ChartId } from '../../src/charts/index.ts';
import { bibliographyKeys, citationLabel, findReference, keyOfCitation } from '../../src/lib/references.ts';
import { loadResult } from '../../src/lib/results.ts';
import { proseWords } from '../support/prose.ts';

const dir = 'src/content/docs';
const pages = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.mdx')).map((f) => join(dir, f));
const lessons = pages.filter((f) => f.includes('/lessons/'));

describe('lesson length', () => {
  /**
   * Words of running prose per lesson (tests/support/prose.ts: exercises, charts and their captions,
   * tables, code, display math and block components apart; a quoted number is one word). The target is
   * TARGET words a lesson; each page's allowance is what it holds today, rounded up to the next ten, so
   * a page may shrink but not grow. When a rewrite brings a page down, lower its allowance to match;
   * a page at or under the target needs no entry of its own.
   */
  const TARGET = 1300;
  // A page over the target while it is being cut names its allowance here (none now).
  const ALLOWANCE: Record<string, number> = {};

  it('counts running prose only: a quoted number is one word; exercises, charts, tables, math and citations are not prose', () => {
    const source = [
      '---', 'title: A page', '---', "import Value from '../Value.astro';", '',
      '## The claim', '',
      'Logistic regression reaches <Value experiment="scale" name="accuracy.logistic.largest" format="percent" /> <Cite key="xiao2017" />,',
      'as $\\beta$ says [in the glossary](../glossary/#m).', '',
      '<Chart id="scale-learning-curves" />', '',
      '| Model | Accuracy |', '| --- | --- |', '| Logistic | 0.9 |', '',
      '$$', 'x = y + z', '$$', '',
      '<Exercise title="Why?">', '  <Fragment slot="question">Ten words of a question that a reader may answer here.</Fragment>', 'An answer.', '</Exercise>',
    ].join('\n');
    // "The claim" (2) + "Logistic regression reaches N," (4) + "as x says in the glossary." (6)
    expect(proseWords(source)).toBe(12);
  });

  it.each(lessons)('%s stays within its prose word budget', (file) => {
    const name = basename(file, '.mdx');
    const words = proseWords(readFileSync(file, 'utf8'));
    const allowance = ALLOWANCE[name] ?? TARGET;
    expect(words, `${file}: ${words} words of prose, over its allowance of ${allowance} (target ${TARGET}); cut prose, or move detail into an exercise`).toBeLessThanOrEqual(allowance);
  });

  it('keeps no allowance above the target that a page no longer needs', () => {
    for (const [name, allowance] of Object.entries(ALLOWANCE)) {
      const words = proseWords(readFileSync(join(dir, 'lessons', `${name}.mdx`), 'utf8'));
      expect(allowance, `${name}: allowance ${allowance} but ${words} words; lower it to ${Math.max(TARGET, Math.ceil(words / 10) * 10)}`).toBeLessThanOrEqual(Math.max(TARGET, Math.ceil(words / 10) * 10));
    }
  });
});

/** The attributes of a tag written `name="value"`. */
function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The bibliography keys a page cites, by every route into the bibliography. */
function citedBy(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const keys = new Set<string>();
  // <Cite key="…"/>
  for (const m of text.matchAll(/<Cite\s[^>]*\/>/g)) keys.add(attributes(m[0]).key!);
  // <Cited source="…" figure="…"/> or <Cited experiment="…" subject="…" measure="…"/>
  for (const m of text.matchAll(/<Cited\s[^>]*\/>/g)) {
    const a = attributes(m[0]);
    if (a.source) keys.add(a.source);
    else keys.add(keyOfCitation(findReference(a.experiment!, a.subject!, a.measure, file).citation, file));
  }
  // <Literature experiment="…" subjects={['…']}/>: the table of the experiment's published figures.
  for (const m of text.matchAll(/<Literature\s[^>]*\/>/g)) {
    const subjects = /subjects=\{\[([^\]]*)\]\}/.exec(m[0])?.[1];
    const only = subjects ? [...subjects.matchAll(/'([^']*)'|"([^"]*)"/g)].map((s) => s[1] ?? s[2]) : undefined;
    for (const r of loadResult(attributes(m[0]).experiment!).references) if (!only || only.includes(r.subject)) keys.add(keyOfCitation(r.citation, file));
  }
  // <Figure id="…"/>: a figure built from curated values lists their sources under its caption.
  for (const m of text.matchAll(/<Figure\s[^>]*\/>/g)) {
    const figure = figures[attributes(m[0]).id as FigureId] as { citations?: string[] } | undefined;
    for (const key of figure?.citations ?? []) keys.add(key);
  }
  // <Chart id="…"/>: a chart cites a work when its text alternative names it (curated charts list their sources).
  for (const m of text.matchAll(/<Chart\s[^>]*\/>/g)) {
    const chart = charts[attributes(m[0]).id as ChartId];
    const { description } = chart.build(loadResult(chart.experiment));
    for (const key of bibliographyKeys()) if (description.includes(citationLabel(key))) keys.add(key);
  }
  return keys;
}

// citation-js compiles the APA style on first use (about a second of CPU; minutes on a busy machine).
describe('the bibliography', { timeout: 600_000 }, () => {
  it('holds only works that some page cites (a <Cite>, a <Cited> figure, a <Literature> table, a chart’s or a figure’s sources)', () => {
    const cited = new Set(pages.filter((f) => !f.endsWith('references.mdx')).flatMap((f) => [...citedBy(f)]));
    const uncited = bibliographyKeys().filter((key) => !cited.has(key));
    expect(uncited, 'cite each where the lessons rely on it, or remove it from src/content/bibliography.json').toEqual([]);
  });
});

/**
 * A description's sentences and clauses (split at ". " and "; "), with every number made "#" (not the
 * digits of a name such as "A100"). Items of a list ("Sources: NVIDIA 2010; NVIDIA 2016") are too
 * short to be a sentence: a template needs four words besides its numbers.
 */
function templates(description: string): string[] {
  return description
    .split(/(?<=[.;])\s+/)
    .map((s) => s.replace(/(?<![\p{L}\d.,])[−-]?\d[\d,]*(\.\d+)?(e[−-]?\d+)?/gu, '#').replace(/[.;]$/, '').trim())
    .filter((s) => (s.match(/\p{L}+/gu) ?? []).length >= 4);
}

describe('chart descriptions', () => {
  it('find a sentence repeated with only its numbers changed', () => {
    const repeated = 'Dots per size. At 50 images A wins (70.0%). At 100 images A wins (80.0%). At 200 images A wins (85.5%).';
    expect(templates(repeated).filter((t) => t === 'At # images A wins (#%)')).toHaveLength(3);
  });

  it.each(chartIds)('%s never repeats one sentence template three times or more: it states a pattern once', (id) => {
    const chart = charts[id];
    const { description } = chart.build(loadResult(chart.experiment));
    const counts = new Map<string, number>();
    for (const t of templates(description)) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n >= 3).map(([t]) => t)).toEqual([]);
  });
});
