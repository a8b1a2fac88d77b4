/**
 * Publishes each chart's Vega-Lite spec, data included, at /charts/<id>.json. The page carries only the
 * static SVG; src/charts/interactive.ts fetches this when a reader first interacts with the chart.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { chartIds, getChart } from '../../charts/index.ts';
import { CHART_DATASET } from '../../charts/interactive.ts';
import { loadResult } from '../../lib/results.ts';

export const getStaticPaths: GetStaticPaths = () => chartIds.map((id) => ({ params: { id } }));

export const GET: APIRoute = ({ params }) => {
  const chart = getChart(params.id!, `src/pages/charts/[id].json.ts`);
  const { spec } = chart.build(loadResult(chart.experiment));
  // The inline rows get a name, so that code adding to the view can address them (see interactive.ts).
  const named = 'data' in spec && spec.data && 'values' in spec.data ? { ...spec, data: { ...spec.data, name: CHART_DATASET } } : spec;
  return new Response(JSON.stringify(named), { headers: { 'content-type': 'application/json; charset=utf-8' } });
};
