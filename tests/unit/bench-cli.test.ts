/**
 * `npm run bench` refuses a wrong argument before any work (TensorFlow.js is not even loaded): one line
 * naming the flag and what it accepts, then the usage, exit 2, and nothing on stdout.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function bench(args: string[]) {
  // The timeout only stops a run that has started measuring (what a missed check leads to); no test
  // asserts how long anything took.
  const run = spawnSync('node_modules/.bin/tsx', ['experiments/bench.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, first: run.stderr.split('\n')[0] };
}

describe('bench arguments', () => {
  it.each([
    [['--bogus'], 'bench: unknown option "--bogus"'],
    [['--backend', 'gpu'], 'bench: --backend must be one of auto, tensorflow, webgpu, wasm, cpu, not "gpu"'],
    [['--backend='], 'bench: --backend must be one of auto, tensorflow, webgpu, wasm, cpu, not ""'],
    [['--steps', 'abc'], 'bench: --steps must be a whole number ≥ 1, not "abc"'],
    [['--steps', '0'], 'bench: --steps must be a whole number ≥ 1, not "0"'],
    [['--steps', '2.5'], 'bench: --steps must be a whole number ≥ 1, not "2.5"'],
    [['--steps=-3'], 'bench: --steps must be a whole number ≥ 1, not "-3"'],
    [['--steps', '1e3'], 'bench: --steps must be a whole number ≥ 1, not "1e3"'],
    [['--steps'], 'bench: --steps needs a value'],
    [['--jobs', 'abc'], 'bench: --jobs must be a whole number ≥ 1, not "abc"'],
    [['--jobs', '0'], 'bench: --jobs must be a whole number ≥ 1, not "0"'],
    [['--json=yes'], 'bench: --json takes no value'],
    [['extra'], 'bench: unexpected argument "extra" (this command takes options only)'],
    [['--worker', 'resnet'], 'bench: --worker must be one of matmul, mlp, lenet, not "resnet"'],
  ])('%j: one line naming the flag, the usage, exit 2', (args, line) => {
    const run = bench(args);
    expect(run.first).toBe(line);
    expect(run.stderr).toContain('\n\nUsage: npm run bench -- ');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });

  it('checks every flag before any work, even when a valid one comes first', () => {
    const run = bench(['--steps', '5', '--jobs', '1', '--backend', 'wasm', '--steps', 'x']);
    expect(run.first).toBe('bench: --steps must be a whole number ≥ 1, not "x"');
    expect(run.status).toBe(2);
  });

  it('--help prints the usage and exits 0', () => {
    const run = bench(['--help']);
    expect(run.stdout).toMatch(/^Usage: npm run bench -- \[--steps N\] \[--jobs N\] \[--backend auto\|tensorflow\|webgpu\|wasm\|cpu\] \[--json\]/);
    expect(run.status).toBe(0);
  });
});
