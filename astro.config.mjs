// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';

export default defineConfig({
  // BASE_PATH lets the same build be published under a sub-path (e.g. a GitHub Pages project site);
  // SITE_URL, when set, gives absolute URLs (sitemap, canonical links).
  base: process.env.BASE_PATH ?? '/',
  site: process.env.SITE_URL || undefined,
  trailingSlash: 'ignore',
  // Math ($…$, $$…$$) is typeset to HTML at build time: no math JavaScript in the browser.
  markdown: { remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex] },
  integrations: [
    starlight({
      title: 'Why is deep learning taking off?',
      description:
        'A lecture taught with real experiments: data scale, model scale, ReLU and faster computation, each chart re-runnable.',
      favicon: '/favicon.svg',
      // Wrapped code lines: no horizontal scrolling region (an accessibility fault, and awkward on phones).
      expressiveCode: { defaultProps: { wrap: true } },
      customCss: ['katex/dist/katex.min.css', './src/styles/charts.css'],
      components: { PageTitle: './src/components/PageTitle.astro' },
      sidebar: [
        { label: 'Overview', link: '/' },
        { label: 'Lessons', items: [{ autogenerate: { directory: 'lessons' } }] },
        { label: 'Reproduce these results', link: '/reproduce/' },
        { label: 'References', link: '/references/' },
      ],
    }),
  ],
});
