/**
 * Smoke-profile runs shared by the test files. Several files need the same experiment at the smoke
 * profile (scale's units took ~40 s at v2, more with v3's tuning, and five files trained it on their own); through one unit
 * cache the first file to need a unit trains it and the others read it. The cache is keyed by code,
 * config, data and backend like any other and every entry is checksummed, so nothing stale is read.
 * Tests of training itself (determinism, resume, the cache's own rules) still train without it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendChoice } from '../../experiments/lib/backend.ts';
import type { AnyExperiment } from '../../experiments/lib/experiment.ts';
import { runExperiment, runShard, type RunOptions, type Shard } from '../../experiments/lib/runner.ts';

export const SHARED_UNIT_CACHE = join(tmpdir(), 'why-dl-tests-unit-cache');

export function smokeRun(experiment: AnyExperiment, backend: BackendChoice, options: Partial<RunOptions> = {}) {
  return runExperiment(experiment, { profile: 'smoke', backend, cacheDir: SHARED_UNIT_CACHE, ...options });
}

export function smokeShard(experiment: AnyExperiment, shard: Shard, backend: BackendChoice) {
  return runShard(experiment, shard, { profile: 'smoke', backend, cacheDir: SHARED_UNIT_CACHE });
}
