/** The GitHub Actions workflows, validated against the workflow schema (@action-validator/core). */
import { readdirSync, readFileSync } from 'node:fs';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';

const dir = '.github/workflows';
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

describe('workflows', () => {
  it('has the ci, experiments and pages workflows', () => {
    expect(files.sort()).toEqual(['ci.yml', 'experiments.yml', 'pages.yml']);
  });

  it.each(files)('%s is a valid workflow', (file) => {
    const state = validateWorkflow(readFileSync(`${dir}/${file}`, 'utf8'));
    expect(state.errors).toEqual([]);
  });

  it('the validator does catch a broken workflow', () => {
    const broken = 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n';
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it('the experiments workflow runs shards, merges them and refuses a CPU fallback on the GPU runner', () => {
    const text = readFileSync(`${dir}/experiments.yml`, 'utf8');
    expect(text).toMatch(/--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ inputs\.shards \}\}/);
    expect(text).toMatch(/npm run experiments -- merge shards --out generated/);
    expect(text).toMatch(/--backend webgpu --shard 1\/1/);
  });
});
