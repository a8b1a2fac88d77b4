/** What a cached unit's key covers: the code its rows depend on, and not the summary code that reads them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeFiles } from '../../experiments/lib/cache.ts';
import { experiments } from '../../experiments/suite/index.ts';

describe('unit cache key', () => {
  it.each(experiments.map((e) => e.id))('%s: hashes the engine and its own module, not the summaries', (id) => {
    const files = codeFiles(id).map((f) => f.replaceAll('\\', '/'));
    expect(files.some((f) => f.endsWith(`experiments/suite/${id}.ts`))).toBe(true);
    expect(files.some((f) => f.endsWith('experiments/lib/protocol.ts'))).toBe(true);
    expect(files.filter((f) => f.includes('/experiments/summaries/'))).toEqual([]);
  });

  it('keeps summary code out of the engine: nothing in experiments/lib imports experiments/summaries', () => {
    for (const file of codeFiles('scale').filter((f) => f.includes('/experiments/lib/'))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"]\.\.\/summaries\//);
    }
  });
});
