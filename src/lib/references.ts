/**
 * The bibliography and everything that cites it.
 *
 * One list of works, `src/content/bibliography.json` (CSL-JSON), rendered by citation-js in APA style.
 * Three things point into it:
 * - lessons, by key (`<Cite key="lecun1998"/>`); an unknown key fails the build naming the lesson;
 * - the literature figures stored with each experiment (`references` in generated/<id>.json), whose
 *   free-text `citation` ("LeCun et al. 1998, Fig. 9 (LeNet-5)") is matched to one entry by its first
 *   author's surname and year (or, for vendor datasheets, by the product it names);
 * - the curated rows of `history`, whose `source` is matched the same way.
 * A citation that matches no entry, or several, fails the build naming the experiment and the string.
 */
import { Cite as CitationJs } from '@citation-js/core';
import '@citation-js/plugin-csl';
import type { Reference } from '../../experiments/lib/schema.ts';
import bibliography from '../content/bibliography.json' with { type: 'json' };
import { listResultIds, loadResult } from './results.ts';

/** One CSL-JSON entry, as far as this site reads it. */
export interface BibEntry {
  id: string;
  type: string;
  title: string;
  author: ({ family: string; given?: string } | { literal: string })[];
  issued: { 'date-parts': number[][] };
  DOI?: string;
  URL?: string;
  [field: string]: unknown;
}

export const BIBLIOGRAPHY_FILE = 'src/content/bibliography.json';
const entries = bibliography as BibEntry[];
const byKey = new Map(entries.map((e) => [e.id, e]));

export class UnknownCitationError extends Error {
  override name = 'UnknownCitationError';
}

export function bibliographyKeys(): string[] {
  return entries.map((e) => e.id);
}

/** The entry for `key`; an unknown key is an error naming the page and the key. */
export function bibEntry(key: string, where: string): BibEntry {
  const entry = byKey.get(key);
  if (!entry) {
    throw new UnknownCitationError(
      `${where} cites "${key}", which is not in ${BIBLIOGRAPHY_FILE}. Known keys: ${bibliographyKeys().join(', ')}.`,
    );
  }
  return entry;
}

// ---------------------------------------------------------------------------------------------
// Rendering (citation-js, APA). One processor for all entries, so disambiguation is consistent.

let processor: InstanceType<typeof CitationJs> | undefined;
function cite(): InstanceType<typeof CitationJs> {
  processor ??= new CitationJs(entries);
  return processor;
}
const STYLE = { template: 'apa', lang: 'en-US' } as const;

const labels = new Map<string, string>();
/** "LeCun et al. 1998": APA's in-text citation without its brackets and comma. */
export function citationLabel(key: string, where = 'The bibliography'): string {
  bibEntry(key, where);
  let label = labels.get(key);
  if (!label) {
    // citation-js's CitationOptions type requires the cited-before/after lists; empty ones change nothing.
    const options = { ...STYLE, format: 'text' as const, entry: key, citationsPre: [], citationsPost: [] };
    const text = String(cite().format('citation', options));
    label = text.replace(/^\(|\)$/g, '').replace(/, (\d{4}[a-z]?)$/, ' $1');
    labels.set(key, label);
  }
  return label;
}

/** "LeCun et al. (1998)", for a sentence that names the authors. */
export function narrativeLabel(key: string, where?: string): string {
  return citationLabel(key, where).replace(/ (\d{4}[a-z]?)$/, ' ($1)');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Each entry's reference as HTML (DOI or link made clickable), in the style's order. */
export function renderedBibliography(): { key: string; html: string }[] {
  const html = String(cite().format('bibliography', { ...STYLE, format: 'html' }));
  const out: { key: string; html: string }[] = [];
  for (const match of html.matchAll(/<div data-csl-entry-id="([^"]+)" class="csl-entry">([\s\S]*?)<\/div>/g)) {
    const body = match[2]!.replace(/(https?:\/\/[^\s<]+?)(?=[.,;]?(\s|$|<))/g, (url) => {
      const href = url.replace(/&#38;/g, '&');
      return `<a href="${escapeHtml(href)}">${url}</a>`;
    });
    out.push({ key: match[1]!, html: body });
  }
  return out;
}

/** The link target of an entry on the references page. */
export function referenceHref(base: string, key: string): string {
  return `${base}/references/#${key}`;
}

// ---------------------------------------------------------------------------------------------
// Free-text citations in the result files → bibliography keys.

/** Vendor documents cite a product, not an author and year. */
const PRODUCTS: [RegExp, string][] = [
  [/\bGTX 580\b/, 'nvidia-gtx580'],
  [/\bP100\b/, 'nvidia-p100'],
  [/\bV100\b/, 'nvidia-v100'],
  [/\bA100\b/, 'nvidia-a100'],
  [/\bH100\b/, 'nvidia-h100'],
];

const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const firstAuthor = (e: BibEntry) => {
  const a = e.author[0];
  return a ? fold('literal' in a ? a.literal : a.family) : '';
};
const yearOf = (e: BibEntry) => e.issued['date-parts'][0]?.[0];

/**
 * The key of the work a citation string names: "LeCun et al. 1998, Fig. 9 (…)" → "lecun1998",
 * "Krizhevsky, Sutskever, Hinton 2012, Fig. 1" → "krizhevsky2012", "NVIDIA A100 datasheet" → "nvidia-a100".
 */
export function keyOfCitation(citation: string, where: string): string {
  for (const [pattern, key] of PRODUCTS) if (pattern.test(citation)) return key;
  const surname = /^\s*([\p{L}'-]+)/u.exec(citation)?.[1];
  const year = Number(/\b(1[89]\d\d|20\d\d)\b/.exec(citation)?.[1]);
  const matches = surname && year ? entries.filter((e) => firstAuthor(e) === fold(surname) && yearOf(e) === year) : [];
  if (matches.length !== 1) {
    throw new UnknownCitationError(
      `${where} cites "${citation}", which matches ${matches.length === 0 ? 'no entry' : `${matches.length} entries`} of ${BIBLIOGRAPHY_FILE} ` +
        `(matched by the first author's surname and the year${surname ? `: ${surname} ${year || '(no year)'}` : ''}). ` +
        `Fix: add the work to ${BIBLIOGRAPHY_FILE}, or start the citation with its first author's surname and year.`,
    );
  }
  return matches[0]!.id;
}

/** The part of a citation after the work: "LeCun et al. 1998, Fig. 9 (LeNet-5)" → "Fig. 9 (LeNet-5)". */
export function locatorOf(citation: string): string {
  const year = /\b(1[89]\d\d|20\d\d)\b/.exec(citation);
  if (!year) return '';
  return citation
    .slice(year.index + 4)
    .replace(/^[\s,]+/, '')
    .replace(/^(arXiv:\S+|"[^"]*")\s*,?\s*/, '')
    .trim();
}

/** What a published figure is about, in its source's words: the bracket of "…, Fig. 9 (LeNet-5)". */
export function describedAs(citation: string): string | undefined {
  return /\(([^()]+)\)\s*$/.exec(citation)?.[1];
}

// ---------------------------------------------------------------------------------------------
// What the site takes from each work.

export interface Citation {
  /** Bibliography key, also the anchor on the references page. */
  slug: string;
  /** "LeCun et al. 1998". */
  work: string;
  /** Every figure taken from it, with the experiment that shows it. */
  figures: (Reference & { experiment: string })[];
}

/** Every work the result files cite (figures and curated rows), with what is taken from each. */
export function allCitations(): Citation[] {
  const byWork = new Map<string, Citation>();
  const add = (citation: string, figure: Reference & { experiment: string }) => {
    const key = keyOfCitation(citation, `generated/${figure.experiment}.json`);
    const entry = byWork.get(key) ?? { slug: key, work: citationLabel(key), figures: [] };
    entry.figures.push(figure);
    byWork.set(key, entry);
  };
  for (const id of listResultIds()) {
    const result = loadResult(id);
    for (const reference of result.references) add(reference.citation, { ...reference, experiment: id });
    // Curated rows name their source per row (history): cite those too.
    for (const row of result.rows) {
      if (typeof row.source !== 'string') continue;
      const tflops = typeof row.tflops === 'number';
      add(row.source, {
        experiment: id,
        subject: String(row.name),
        // A dataset's `what` says what its examples are (captions rather than labels, a private set).
        measure: tflops ? `peak throughput, ${row.precision}` : `training examples${typeof row.what === 'string' ? ` (${row.what})` : ''}`,
        value: Number(tflops ? row.tflops : row.examples),
        unit: tflops ? 'TFLOPS' : 'examples',
        citation: row.source,
        year: typeof row.year === 'number' ? row.year : undefined,
      });
    }
  }
  return [...byWork.values()].sort((a, b) => a.work.localeCompare(b.work));
}

/** The one reference of `experiment` about `subject` (and `measure`, when given); anything else is an error naming the page. */
export function findReference(experiment: string, subject: string, measure: string | undefined, where: string): Reference {
  const matches = loadResult(experiment).references.filter((r) => r.subject === subject && (!measure || r.measure.includes(measure)));
  if (matches.length !== 1) {
    throw new Error(
      `${where} cites subject "${subject}"${measure ? ` (measure containing "${measure}")` : ''} from generated/${experiment}.json, which has ${matches.length} such references; it needs exactly one.`,
    );
  }
  return matches[0]!;
}

// ---------------------------------------------------------------------------------------------
// Published figures that no experiment stores, quoted in prose with <Cited source figure/>.
// Each was checked in the primary source (see the project's LITERATURE.md); `where` says where.

export interface PublishedFigure {
  value: number;
  unit: 'fraction' | 'times' | 'exponent' | 'count';
  what: string;
  /** Where in the work, when it helps a reader find it. */
  where?: string;
}

export const PUBLISHED_FIGURES: Record<string, Record<string, PublishedFigure>> = {
  krizhevsky2012: {
    'ilsvrc2012.top5': { value: 0.153, unit: 'fraction', what: 'top-5 test error of the deep CNN entry, ILSVRC-2012', where: 'abstract' },
    'ilsvrc2012.secondTop5': { value: 0.262, unit: 'fraction', what: 'top-5 test error of the second-best entry, ILSVRC-2012', where: 'abstract' },
    'ilsvrc2010.top1': { value: 0.375, unit: 'fraction', what: 'top-1 test error on ILSVRC-2010', where: 'abstract' },
    'ilsvrc2010.top5': { value: 0.17, unit: 'fraction', what: 'top-5 test error on ILSVRC-2010', where: 'abstract' },
  },
  lecun1998: {
    'lenet4.error': { value: 0.011, unit: 'fraction', what: 'LeNet-4 test error on MNIST', where: 'Fig. 9' },
    'svmPoly4.error': { value: 0.011, unit: 'fraction', what: 'degree-4 polynomial SVM (deskewed) test error on MNIST', where: 'Fig. 9' },
    'lenet5.error': { value: 0.0095, unit: 'fraction', what: 'LeNet-5 test error on MNIST', where: 'Fig. 9' },
    'boostedLenet4.error': { value: 0.007, unit: 'fraction', what: 'boosted LeNet-4 test error on MNIST, trained with distorted copies of the images', where: 'Fig. 9' },
  },
  decoste2002: {
    'virtualSvm.error': { value: 0.0056, unit: 'fraction', what: 'virtual SVM test error on MNIST (trained on distorted copies too)' },
  },
  hestness2017: {
    'exponent.theory': { value: -0.5, unit: 'exponent', what: 'learning-curve exponent that theory suggests' },
  },
  amodei2018: {
    'growth.since2012': { value: 300000, unit: 'times', what: 'growth of compute in the largest training runs since 2012', where: 'the post' },
    'growth.twoYearDoubling': { value: 7, unit: 'times', what: 'growth a two-year doubling would have given over the same period', where: 'the post' },
  },
};

export function publishedFigure(key: string, name: string, where: string): PublishedFigure {
  bibEntry(key, where);
  const figure = PUBLISHED_FIGURES[key]?.[name];
  if (!figure) {
    const known = Object.keys(PUBLISHED_FIGURES[key] ?? {});
    throw new UnknownCitationError(
      `${where} quotes figure "${name}" of "${key}", which src/lib/references.ts does not hold. Known for ${key}: ${known.length ? known.join(', ') : 'none'}.`,
    );
  }
  return figure;
}
