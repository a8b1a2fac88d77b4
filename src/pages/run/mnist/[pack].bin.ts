/**
 * The MNIST packs of "Run it yourself", written at build time by the engine's own IDX reader and
 * sampling (experiments/lib/trial.ts): the validation set, the test images the rows are scored on,
 * each offered training subset, exactly as the Node runs drew them, and the head of the training
 * pool that "your configuration" samples its training sets from (src/run/plan.ts: CUSTOM_POOL). Gzipped (src/run/pack.ts);
 * a page fetches them only when a reader presses Run.
 */
import { gzipSync } from 'node:zlib';
import type { APIRoute, GetStaticPaths } from 'astro';
import { headOfSplit, loadMnist } from '../../../../experiments/lib/mnist.ts';
import { protocolSplits, trialSubset } from '../../../../experiments/lib/trial.ts';
import { packName, packSources, type PackSource } from '../../../run/offers.ts';
import { encodePack } from '../../../run/pack.ts';

export const getStaticPaths: GetStaticPaths = () => packSources().map((source) => ({ params: { pack: packName(source) }, props: { source } }));

function split(source: PackSource) {
  if (source.kind === 'validation') return protocolSplits().validation;
  if (source.kind === 'test') return headOfSplit(loadMnist().test, source.size);
  if (source.kind === 'pool') return headOfSplit(protocolSplits().pool, source.size);
  const subset = trialSubset(source.m, source.seed);
  return source.head ? headOfSplit(subset, source.head) : subset;
}

export const GET: APIRoute = ({ props }) =>
  new Response(gzipSync(encodePack(split(props.source as PackSource)), { level: 9 }), {
    headers: { 'content-type': 'application/octet-stream' },
  });
