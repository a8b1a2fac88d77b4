/**
 * What "Run it yourself" offers under a chart (src/run/offers.ts), with the committed rows a reader's run
 * is compared with: fetched only when the reader presses Run (or opens a link carrying finished runs).
 * One file per experiment (the two data-scale charts share scale's).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { activationsOffer, computeOffer, modelSizeOffer, optimizersOffer, saturationOffer, scaleOffer, smallDataOffer } from '../../run/offers.ts';

const offers = {
  scale: scaleOffer,
  'small-data': smallDataOffer,
  'model-size': modelSizeOffer,
  activations: activationsOffer,
  saturation: saturationOffer,
  optimizers: optimizersOffer,
  compute: computeOffer,
};

export const getStaticPaths: GetStaticPaths = () => Object.keys(offers).map((chart) => ({ params: { chart } }));

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(offers[params.chart as keyof typeof offers]()), {
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
