/**
 * Publishes the Vega-Lite spec, data included, of every chart a page embeds (its frontmatter `charts`)
 * at /charts/<id>.json. The page carries only the static SVG; src/charts/interactive.ts fetches this
 * when a reader first interacts with the chart. A chart registered but not yet embedded anywhere is not
 * built here.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getCollection } from 'astro:content';
import { getChart } from '../../charts/index.ts';
import { CHART_DATASET } from '../../charts/interactive.ts';
import { loadResult } from '../../lib/results.ts';

export const getStaticPaths: GetStaticPaths = async () => {
  const embedded = new Set((await getCollection('docs')).flatMap((entry) => entry.data.charts));
  return [...embedded].sort().map((id) => ({ params: { id } }));
};

export const GET: APIRoute = ({ params }) => {
  const chart = getChart(params.id!, 'src/pages/charts/[id].json.ts');
  const { spec } = chart.build(loadResult(chart.experiment));
  // The inline rows get a name, so that code adding to the view can address them (see interactive.ts).
  const named = 'data' in spec && spec.data && 'values' in spec.data ? { ...spec, data: { ...spec.data, name: CHART_DATASET } } : spec;
  return new Response(JSON.stringify(named), { headers: { 'content-type': 'application/json; charset=utf-8' } });
};
