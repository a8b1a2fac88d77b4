/** The literature figures and curated facts carried by the result files, gathered for citing. */
import type { Reference } from '../../experiments/lib/schema.ts';
import { listResultIds, loadResult } from './results.ts';

export interface Citation {
  /** Anchor on the references page. */
  slug: string;
  /** The work, without the figure or table: "LeCun et al. 1998". */
  work: string;
  /** Every figure taken from it, with the experiment that shows it. */
  figures: (Reference & { experiment: string })[];
}

/** "LeCun et al. 1998, Fig. 9 (…)" → "LeCun et al. 1998": the part before the first comma. */
export function workOf(citation: string): string {
  return citation.split(',')[0]!.trim();
}

export function slugOf(work: string): string {
  return work
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function allCitations(): Citation[] {
  const byWork = new Map<string, Citation>();
  for (const id of listResultIds()) {
    for (const reference of loadResult(id).references) {
      const work = workOf(reference.citation);
      const entry = byWork.get(work) ?? { slug: slugOf(work), work, figures: [] };
      entry.figures.push({ ...reference, experiment: id });
      byWork.set(work, entry);
    }
    // Curated rows name their source per row (history): cite those too.
    for (const row of loadResult(id).rows) {
      if (typeof row.source !== 'string') continue;
      const work = row.source;
      const entry = byWork.get(work) ?? { slug: slugOf(work), work, figures: [] };
      const tflops = typeof row.tflops === 'number';
      entry.figures.push({
        experiment: id,
        subject: String(row.name),
        measure: tflops ? `peak throughput, ${row.precision}` : 'training examples',
        value: Number(tflops ? row.tflops : row.examples),
        unit: tflops ? 'TFLOPS' : 'examples',
        citation: work,
        year: typeof row.year === 'number' ? row.year : undefined,
      });
      byWork.set(work, entry);
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
