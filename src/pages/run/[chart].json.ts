/**
 * What "Run it yourself" offers under a chart (src/run/offers.ts), with the committed rows a reader's run
 * is compared with: fetched only when the reader presses Run.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { activationsOffer, computeOffer, scaleOffer } from '../../run/offers.ts';

const offers = { scale: scaleOffer, activations: activationsOffer, compute: computeOffer };

export const getStaticPaths: GetStaticPaths = () => Object.keys(offers).map((chart) => ({ params: { chart } }));

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(offers[params.chart as keyof typeof offers]()), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
