import { defineCollection } from 'astro:content';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { z } from 'astro/zod';
import { chartIds } from './charts/index.ts';

/**
 * Lesson frontmatter. Starlight's own fields (title, description, sidebar…) plus ours; a wrong value
 * fails the build, and Astro's message names the file and the field.
 */
export const lessonFields = z.object({
  /** The lecture question this page answers, in the lecture's order (1–10). */
  question: z
    .object({
      number: z.number().int().min(1).max(10),
      text: z.string().min(10),
    })
    .optional(),
  /** Every chart the page embeds with <Chart id="…"/>; each must exist in src/charts/index.ts. */
  charts: z
    .array(
      z.enum(chartIds, {
        error: (issue) => `unknown chart "${String(issue.input)}"; known charts: ${chartIds.join(', ')} (src/charts/index.ts)`,
      }),
    )
    .default([]),
});

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema({ extend: lessonFields }) }),
  // Starlight reads its UI strings' overrides from here (src/content/i18n/<lang>.json; none yet, so its
  // built-in English). Declared so that Astro does not warn on every build and reload that it is missing.
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
};
