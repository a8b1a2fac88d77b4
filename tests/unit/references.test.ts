/** The bibliography, and how lessons, literature tables and curated charts point into it. */
import { describe, expect, it } from 'vitest';
import { experiments } from '../../experiments/suite/index.ts';
import {
  allCitations,
  bibEntry,
  bibliographyKeys,
  citationLabel,
  describedAs,
  keyOfCitation,
  locatorOf,
  narrativeLabel,
  publishedFigure,
  PUBLISHED_FIGURES,
  renderedBibliography,
} from '../../src/lib/references.ts';
import { listResultIds, loadResult } from '../../src/lib/results.ts';

// The first rendering compiles the APA style (about a second of CPU); on a busy machine that can take minutes.
describe('the bibliography file', { timeout: 600_000 }, () => {
  it('gives every entry authors, a title, a venue or publisher, a year and a DOI or stable link', () => {
    for (const key of bibliographyKeys()) {
      const e = bibEntry(key, 'test');
      expect(e.author.length, key).toBeGreaterThan(0);
      expect(e.title, key).toMatch(/\w/);
      expect(e['container-title'] ?? e.publisher, key).toBeTruthy();
      expect(e.issued['date-parts'][0]![0], key).toBeGreaterThan(1900);
      expect(e.DOI ?? e.URL, key).toBeTruthy();
      if (e.DOI) expect(e.DOI, key).toMatch(/^10\.\d{4,}\//);
    }
  });

  it('holds the lecture and the primary sources the lessons rest on', () => {
    const required = ['ng2017', 'lecun1998', 'xiao2017', 'kingma2014', 'krizhevsky2012', 'glorot2010', 'glorot2011', 'hestness2017', 'amodei2018', 'sevilla2022', 'russakovsky2015', 'deng2009', 'rumelhart1986', 'nair2010', 'he2015', 'kingma2015', 'sutskever2013', 'zhang2017', 'nakkiran2019', 'rahimi2007', 'williams2001', 'decoste2002', 'chang2011'];
    expect(bibliographyKeys()).toEqual(expect.arrayContaining(required));
    expect(new Set(bibliographyKeys()).size).toBe(bibliographyKeys().length);
  });

  it('renders every entry once, in APA style, with its DOI or link clickable', () => {
    const rendered = renderedBibliography();
    expect(rendered.map((r) => r.key).sort()).toEqual([...bibliographyKeys()].sort());
    const lecun = rendered.find((r) => r.key === 'lecun1998')!.html;
    expect(lecun).toContain('LeCun, Y., Bottou, L., Bengio, Y., &#38; Haffner, P. (1998). Gradient-based learning applied to document recognition.');
    expect(lecun).toContain('<a href="https://doi.org/10.1109/5.726791">https://doi.org/10.1109/5.726791</a>');
  });
});

describe('citing by key', { timeout: 600_000 }, () => {
  it('labels a work by author and year', () => {
    expect(citationLabel('lecun1998')).toBe('LeCun et al. 1998');
    expect(citationLabel('glorot2010')).toBe('Glorot & Bengio 2010');
    expect(citationLabel('krizhevsky2012')).toBe('Krizhevsky et al. 2012');
    expect(narrativeLabel('kingma2015')).toBe('Kingma & Ba (2015)');
  });

  it('names the page, the key and the file for an unknown key', () => {
    expect(() => bibEntry('lecun1989', 'Lesson src/content/docs/lessons/x.mdx')).toThrow(
      /^Lesson src\/content\/docs\/lessons\/x\.mdx cites "lecun1989", which is not in src\/content\/bibliography\.json\. Known keys: ng2017, /,
    );
  });

  it('keeps published figures quoted in prose with a work of the bibliography, and names an unknown one', () => {
    for (const key of Object.keys(PUBLISHED_FIGURES)) expect(bibliographyKeys()).toContain(key);
    expect(publishedFigure('krizhevsky2012', 'ilsvrc2012.top5', 'Lesson x.mdx').value).toBe(0.153);
    expect(() => publishedFigure('krizhevsky2012', 'top1', 'Lesson x.mdx')).toThrow(/^Lesson x\.mdx quotes figure "top1" of "krizhevsky2012", .* Known for krizhevsky2012: ilsvrc2012\.top5, /);
  });
});

describe('citation strings in the result files', { timeout: 600_000 }, () => {
  it('maps each to one entry, by first author and year or by the product a datasheet names', () => {
    expect(keyOfCitation('LeCun et al. 1998, Fig. 9 (LeNet-5)', 'x')).toBe('lecun1998');
    expect(keyOfCitation('LeCun, Bottou, Bengio, Haffner 1998, Proc. IEEE 86(11)', 'x')).toBe('lecun1998');
    expect(keyOfCitation('Krizhevsky, Sutskever, Hinton 2012, Fig. 1', 'x')).toBe('krizhevsky2012');
    expect(keyOfCitation('Krizhevsky 2009, Learning Multiple Layers of Features from Tiny Images', 'x')).toBe('krizhevsky2009');
    expect(keyOfCitation('DeCoste & Schölkopf 2002 (virtual SVM)', 'x')).toBe('decoste2002');
    expect(keyOfCitation('NVIDIA H100 datasheet', 'x')).toBe('nvidia-h100');
    expect(() => keyOfCitation('Vapnik 1995, The Nature of Statistical Learning Theory', 'generated/scale.json')).toThrow(
      /^generated\/scale\.json cites "Vapnik 1995, The Nature of Statistical Learning Theory", which matches no entry of src\/content\/bibliography\.json/,
    );
  });

  it('splits a citation into the work, where in it, and what the figure is about', () => {
    expect(locatorOf('LeCun et al. 1998, Fig. 9 (LeNet-5)')).toBe('Fig. 9 (LeNet-5)');
    expect(locatorOf('Hestness et al. 2017, arXiv:1712.00409')).toBe('');
    expect(locatorOf('Amodei & Hernandez 2018, "AI and Compute"')).toBe('');
    expect(describedAs('Xiao et al. 2017, Table 3 (scikit-learn LinearSVC)')).toBe('scikit-learn LinearSVC');
    expect(describedAs('Glorot & Bengio 2010, Table 1')).toBeUndefined();
  });

  it('resolves every citation the experiments carry, in their code and in the committed results', () => {
    const citations = experiments.flatMap((e) => (e.references ?? []).map((r) => [e.id, r.citation] as const));
    for (const id of listResultIds()) {
      const result = loadResult(id);
      for (const r of result.references) citations.push([id, r.citation]);
      for (const row of result.rows) if (typeof row.source === 'string') citations.push([id, row.source]);
    }
    expect(citations.length).toBeGreaterThan(10);
    for (const [id, citation] of citations) expect(bibliographyKeys(), citation).toContain(keyOfCitation(citation, `experiments/suite/${id}.ts`));
  });

  it('gathers the figures under their work, once per work, with no year-less heading', () => {
    const citations = allCitations();
    expect(new Set(citations.map((c) => c.slug)).size).toBe(citations.length);
    for (const c of citations) expect(c.work, c.slug).toMatch(/\d{4}$/);
    expect(citations.find((c) => c.slug === 'krizhevsky2012')?.work).toBe('Krizhevsky et al. 2012');
  });
});
