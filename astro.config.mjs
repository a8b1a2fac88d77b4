// @ts-check
import { defineConfig } from 'astro/config';
import { unified } from '@astrojs/markdown-remark';
import starlight from '@astrojs/starlight';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { guardedPreview } from './src/integrations/guarded-preview.mjs';

const site = process.env.SITE_URL;

/**
 * Starlight adds @astrojs/sitemap unless an integration of that name is present, and the sitemap, whose
 * URLs are absolute, needs `site`: without it, it warns and writes nothing. A build without SITE_URL
 * (a local one) stands this in its place: the same outcome, no sitemap, said as what it is.
 * @returns {import('astro').AstroIntegration}
 */
function noSitemapWithoutSite() {
  return {
    name: '@astrojs/sitemap',
    hooks: {
      'astro:build:done': ({ logger }) => {
        logger.info('no sitemap: SITE_URL is not set (the published build sets it; a sitemap needs absolute URLs)');
      },
    },
  };
}

export default defineConfig({
  // BASE_PATH lets the same build be published under a sub-path (e.g. a GitHub Pages project site).
  base: process.env.BASE_PATH ?? '/',
  // SITE_URL, the published address (the pages workflow takes it from actions/configure-pages), gives
  // the absolute URLs: sitemap, canonical links. A local build has no address it could know, so it has
  // none of them rather than wrong ones (see noSitemapWithoutSite).
  site: site || undefined,
  trailingSlash: 'ignore',
  vite: {
    build: {
      // TensorFlow.js for Run it yourself is one large worker chunk, fetched only when a reader presses
      // Run; the page budget (tests/browser/weigh.ts) guards what a page costs before that.
      chunkSizeWarningLimit: 2500,
      rolldownOptions: {
        onwarn(warning, warn) {
          // Astro's MDX pages carry a "use astro:head-inject" directive for Astro itself; Rolldown warns
          // once per page that it may drop it, which Astro expects (it injects heads another way).
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && String(warning.message).includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
  // Math ($…$, $$…$$) is typeset at build time to MathML, which every current browser lays out natively:
  // no math JavaScript, and neither KaTeX's stylesheet nor its web fonts (26–53 KB a page, measured, and
  // the later first paint of the math lessons). MDX (the lessons) inherits these plugins.
  markdown: { processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [[rehypeKatex, { output: 'mathml' }]] }) },
  integrations: [
    ...(site ? [] : [noSitemapWithoutSite()]),
    // `preview` only: Astro's static preview server, refusing malformed and traversing paths with a 400.
    guardedPreview(),
    starlight({
      title: 'Why is deep learning taking off?',
      description:
        'A lecture taught with real experiments: data scale, model scale, ReLU and faster computation, each chart re-runnable.',
      favicon: '/favicon.svg',
      // Wrapped code lines: no horizontal scrolling region (an accessibility fault, and awkward on phones).
      expressiveCode: { defaultProps: { wrap: true } },
      customCss: ['./src/styles/charts.css'],
      // Search: Starlight's, loading Pagefind's UI when a reader goes to search rather than on every page.
      components: { PageTitle: './src/components/PageTitle.astro', Search: './src/components/Search.astro' },
      sidebar: [
        { label: 'Overview', link: '/' },
        { label: 'Lessons', items: [{ autogenerate: { directory: 'lessons' } }] },
        { label: 'Reproduce these results', link: '/reproduce/' },
        { label: 'Glossary', link: '/glossary/' },
        { label: 'References', link: '/references/' },
      ],
    }),
  ],
});
