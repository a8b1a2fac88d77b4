/** The pages workflow builds with the site's published address, so the published site has a sitemap. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const text = readFileSync('.github/workflows/pages.yml', 'utf8');

describe('the pages workflow', () => {
  it('asks GitHub Pages for the address (actions/configure-pages) before building', () => {
    const configure = text.search(/- id: pages\n\s+uses: actions\/configure-pages@v\d+/);
    const build = text.indexOf('npm run build');
    expect(configure).toBeGreaterThan(-1);
    expect(configure).toBeLessThan(build);
  });

  it('builds with SITE_URL and BASE_PATH from it, unless the repository variables say otherwise', () => {
    expect(text).toMatch(/SITE_URL: \$\{\{ vars\.SITE_URL \|\| steps\.pages\.outputs\.origin \}\}/);
    expect(text).toMatch(/BASE_PATH: \$\{\{ vars\.BASE_PATH \|\| format\('\{0\}\/', steps\.pages\.outputs\.base_path\) \}\}/);
  });
});
