/** Lesson sources: the mistakes an author makes that the build would not catch. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The components that sit inside a sentence; a `Derived` may hold an arrow function (`=>`). */
const INLINE_COMPONENTS = /<(Value|Cited|Derived|Cite)\b(?:=>|[^>])*\/>/g;
const INLINE_COMPONENT = new RegExp(INLINE_COMPONENTS.source);

const dir = 'src/content/docs';
const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.mdx')).map((f) => join(dir, f));
const lessons = files.filter((f) => f.includes('/lessons/'));

describe('lesson sources', () => {
  it('has one lesson per lecture question, numbered 1 to 10', () => {
    const numbers = lessons.map((f) => Number(/^\s+number: (\d+)/m.exec(readFileSync(f, 'utf8'))?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each(files)('%s never puts an inline component (a number or a citation) alone on a line (MDX would make it a block)', (file) => {
    const alone = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => INLINE_COMPONENT.test(line) && line.replace(INLINE_COMPONENTS, '').trim() === '');
    expect(alone).toEqual([]);
  });

  it.each(lessons)('%s shows at least one chart and quotes numbers only through components', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/<Chart id="/);
    // Percentages typed into prose would not follow the data; they must come from <Value> or <Cited>.
    const prose = text.replace(INLINE_COMPONENTS, '').replace(/^---[\s\S]*?---/, '');
    expect(prose.match(/\d+(\.\d+)?\s?%/g) ?? []).toEqual([]);
  });
});
