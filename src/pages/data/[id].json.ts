/** Publishes each validated result file at /data/<id>.json, the link under every chart. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { listResultIds, loadResult } from '../../lib/results.ts';

export const getStaticPaths: GetStaticPaths = () => listResultIds().map((id) => ({ params: { id } }));

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(loadResult(params.id!), null, 1), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
