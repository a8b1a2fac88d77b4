/**
 * A page's running prose, read from its MDX source: what a reader reads as text, with the exercises,
 * figures, tables, code, display math and block components taken out. Chart titles and captions live in
 * src/charts/index.ts, not in the page, so they never count.
 */

/** Components that stand inside a sentence (a number, or a range of them); a `Derived` may hold an arrow function (`=>`). */
const NUMBER_COMPONENTS = /<(Value|Cited|Derived)\b(?:=>|[^>])*\/>/g;
const CITE = /<Cite\b[^>]*\/>/g;

export function proseOf(source: string): string {
  return (
    source
      // Frontmatter and imports.
      .replace(/^---\n[\s\S]*?\n---\n/, '')
      .replace(/^import .*$/gm, '')
      // Exercises (question and worked answer), code, display math.
      .replace(/<Exercise\b[\s\S]*?<\/Exercise>/g, '')
      .replace(/^```[\s\S]*?^```/gm, '')
      .replace(/\$\$[\s\S]*?\$\$/g, '')
      // A quoted number is one word of its sentence; a citation link is apparatus, not prose.
      .replace(NUMBER_COMPONENTS, ' N ')
      .replace(CITE, '')
      // Block components (charts, tables of published figures, the in-browser runner) and any other tag.
      .replace(/<([A-Z]\w*)\b(?:=>|[^>])*\/>/g, '')
      .replace(/<([A-Z]\w*)\b[^>]*>[\s\S]*?<\/\1>/g, '')
      .replace(/<\/?[a-zA-Z][^>]*>/g, '')
      // Tables, row by row.
      .replace(/^\s*\|.*$/gm, '')
      // Inline math is one word; a link reads as its text.
      .replace(/\$[^$\n]+\$/g, ' x ')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
  );
}

/** Words of running prose: whitespace-separated tokens holding a letter or a digit (headings and lists included). */
export function proseWords(source: string): number {
  return proseOf(source)
    .split(/\s+/)
    .filter((token) => /[\p{L}\p{N}]/u.test(token)).length;
}
