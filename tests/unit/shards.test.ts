/** Splitting the work over several CI runners and merging it back. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../experiments/lib/backend.ts';
import { assignShards, MergeError, mergeShards } from '../../experiments/lib/runner.ts';
import type { ResultFile, ShardFile } from '../../experiments/lib/schema.ts';
import { scale } from '../../experiments/suite/scale.ts';
import { smokeRun, smokeShard } from '../support/smoke.ts';

let backend: BackendChoice;
let single: ResultFile;
let shards: { file: string; shard: ShardFile }[];

beforeAll(async () => {
  backend = await selectBackend('wasm');
  // Through the shared cache: what is tested here is how units are split and put back together.
  single = await smokeRun(scale, backend);
  shards = [];
  for (const index of [1, 2, 3]) {
    const shard = await smokeShard(scale, { index, count: 3 }, backend);
    shards.push({ file: `scale.shard-${index}-of-3.json`, shard });
  }
});

describe('assignShards', () => {
  it('gives every unit to exactly one shard, balancing the estimated cost', () => {
    const costs = [9, 1, 8, 2, 7, 3, 6, 4, 5];
    const owner = assignShards(costs, 3);
    expect(owner).toHaveLength(costs.length);
    const loads = [1, 2, 3].map((k) => costs.reduce((sum, c, i) => sum + (owner[i] === k ? c : 0), 0));
    expect(loads.reduce((a, b) => a + b)).toBe(45);
    // Longest first, each to the lightest shard: 16, 15, 14 here, against an ideal of 15 each.
    expect(loads.sort()).toEqual([14, 15, 16]);
    expect(assignShards(costs, 3)).toEqual(owner);
  });
});

describe('shard and merge', () => {
  it('merging the shards gives the same rows and summary as one unsharded run', () => {
    // Every unit in exactly one shard (a tuning unit's rows are many: units are counted, not rows).
    expect(shards.reduce((n, s) => n + s.shard.units.length, 0)).toBe(scale.units(scale.configs.smoke).length);
    const merged = mergeShards(scale, shards);
    expect(merged.rows).toEqual(single.rows);
    expect(merged.summary).toEqual(single.summary);
  });

  it('refuses a missing shard, naming what is missing', () => {
    expect(() => mergeShards(scale, shards.slice(0, 2))).toThrow(MergeError);
    expect(() => mergeShards(scale, shards.slice(0, 2))).toThrow(/unit\(s\) missing \(shards present: 1\/3, 2\/3\)/);
  });

  it('refuses overlapping shards', () => {
    expect(() => mergeShards(scale, [...shards, { ...shards[0]!, file: 'copy.json' }])).toThrow(/appear in more than one shard/);
  });

  it('refuses shards made by different code versions', () => {
    const odd = { file: 'scale.shard-3-of-3.json', shard: { ...shards[2]!.shard, codeVersion: 'f'.repeat(64) } };
    expect(() => mergeShards(scale, [shards[0]!, shards[1]!, odd])).toThrow(/shards disagree on codeVersion/);
  });

  it('refuses shards made by code other than this checkout', () => {
    const stale = shards.map((s) => ({ ...s, shard: { ...s.shard, codeVersion: '0'.repeat(64) } }));
    expect(() => mergeShards(scale, stale)).toThrow(/but this checkout is/);
  });
});

describe('the CLI', () => {
  it('writes shard files with --shard K/N and merges a directory of them into result files', () => {
    const shardDir = mkdtempSync(join(tmpdir(), 'shards-'));
    const outDir = mkdtempSync(join(tmpdir(), 'merged-'));
    const cli = (...args: string[]) => execFileSync('npx', ['tsx', 'experiments/run.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    cli('history', '--profile', 'smoke', '--shard', '1/1', '--out', join(shardDir, 'runner-1'), '--cache', join(shardDir, 'cache'));
    expect(existsSync(join(shardDir, 'runner-1', 'history.shard-1-of-1.json'))).toBe(true);
    const log = cli('merge', shardDir, '--out', outDir);
    expect(log).toMatch(/merge: history: 1 shard\(s\)/);
    expect(existsSync(join(outDir, 'history.json'))).toBe(true);
  });

  it('rejects a malformed --shard', () => {
    expect(() => execFileSync('npx', ['tsx', 'experiments/run.ts', 'history', '--shard', '3/2'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/--shard must be K\/N/);
  });
});
