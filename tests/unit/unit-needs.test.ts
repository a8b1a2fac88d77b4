/**
 * Units that need another unit (a tuning unit and the seeds that train its choice): the runner runs the
 * needed unit first and hands its result over, and a shard holds a unit together with what it needs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import type { AnyExperiment } from '../../experiments/lib/experiment.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignShardsInOrder, runExperiment, runShard } from '../../experiments/lib/runner.ts';

const order: string[] = [];
const chain: AnyExperiment = {
  // An id of the suite's, so that the unit keys can hash its code; nothing is written under it.
  id: 'history',
  claim: 'A unit receives the result of the unit it needs.',
  configs: { smoke: {}, quick: {}, full: {} },
  // Listed dependents first, so that only the runner's ordering puts the needed units before them.
  units: () => [
    { key: 'b', seed: 2, needs: 'a' },
    { key: 'd', seed: 2, needs: 'c' },
    { key: 'a', seed: 1 },
    { key: 'c', seed: 1 },
    { key: 'e', seed: 3, needs: 'a' },
  ],
  cost: (unit) => (unit.needs ? 1 : 3),
  async runUnit(unit, _config, context) {
    order.push(unit.key);
    return { rows: [{ key: unit.key, from: context.needed ? String(context.needed.rows[0]!.key) : null }], timings: [] };
  },
  summarize: () => ({ summary: {}, notes: [] }),
};

let backend: BackendChoice;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

describe('units that need another unit', () => {
  it('run after the unit they need, with its result', async () => {
    order.length = 0;
    const file = await runExperiment(chain, { profile: 'smoke', backend });
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('c')).toBeLessThan(order.indexOf('d'));
    expect(file.rows).toContainEqual({ key: 'b', from: 'a' });
    expect(file.rows).toContainEqual({ key: 'd', from: 'c' });
    expect(file.rows).toContainEqual({ key: 'e', from: 'a' });
    expect(file.rows).toContainEqual({ key: 'a', from: null });
  });

  it('go to the same shard as the unit they need', async () => {
    const shards = await Promise.all([1, 2].map((index) => runShard(chain, { index, count: 2 }, { profile: 'smoke', backend })));
    const keys = shards.map((s) => s.units.map((u) => u.key).sort().join(''));
    expect(keys.sort()).toEqual(['abe', 'cd']);
  });

  it('spread over later shards when their family is too large for one, reading the need from the earlier shard’s file', async () => {
    const wide = { ...chain, units: () => [{ key: 'a', seed: 1 }, ...['b', 'c', 'd'].map((key) => ({ key, seed: 2, needs: 'a' }))], cost: (unit: { needs?: string }) => (unit.needs ? 5 : 10) };
    expect(assignShardsInOrder(wide.units(), [10, 5, 5, 5], 2)).toEqual([1, 2, 2, 1]);
    const out = mkdtempSync(join(tmpdir(), 'needs-'));
    // Shard 2 first: what it needs is nowhere yet, and it says which order fixes that.
    await expect(runShard(wide, { index: 2, count: 2 }, { profile: 'smoke', backend, outDir: out })).rejects.toThrow(/needs unit a, which another shard runs.*run the shards in order/);
    const first = await runShard(wide, { index: 1, count: 2 }, { profile: 'smoke', backend, outDir: out });
    const second = await runShard(wide, { index: 2, count: 2 }, { profile: 'smoke', backend, outDir: out });
    expect(first.units.map((u) => u.key)).toEqual(['a', 'd']);
    expect(second.units.map((u) => u.key)).toEqual(['b', 'c']);
    expect(second.units.flatMap((u) => u.rows)).toEqual([{ key: 'b', from: 'a' }, { key: 'c', from: 'a' }]);
  });

  it('fail with the unit named when what they need does not exist', async () => {
    const broken = { ...chain, units: () => [{ key: 'x', seed: 1, needs: 'missing' }] };
    await expect(runExperiment(broken, { profile: 'smoke', backend })).rejects.toThrow('unit x needs unit missing, which the experiment does not have');
  });
});
