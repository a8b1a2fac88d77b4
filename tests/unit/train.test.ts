/** The shared training loop: its clock and its early stop. */
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';
import { headOfSplit, loadMnist } from '../../experiments/lib/mnist.ts';
import { buildModel } from '../../experiments/lib/models.ts';
import { createRng } from '../../experiments/lib/random.ts';
import { train } from '../../experiments/lib/train.ts';

describe('train', () => {
  it('stops when onEpoch says so, and does not count the callback as training time', async () => {
    await selectBackend('wasm');
    const data = headOfSplit(loadMnist().train, 256);
    const model = buildModel({ kind: 'logistic' }, { name: 'sgd', learningRate: 0.1 }, 1);
    const seconds: number[] = [];
    const started = performance.now();
    const outcome = await train(model, data, {
      epochs: 10,
      batchSize: 64,
      rng: createRng(1),
      onEpoch: async (epoch, _loss, trainingSeconds) => {
        seconds.push(trainingSeconds);
        await new Promise((resolve) => setTimeout(resolve, 400)); // a slow measurement
        return epoch === 2 ? 'stop' : undefined;
      },
    });
    const wall = (performance.now() - started) / 1000;
    expect(outcome.steps).toBe(2 * 4);
    expect(seconds).toHaveLength(2);
    expect(seconds[1]!).toBeGreaterThan(seconds[0]!);
    // Two 0.4 s callbacks ran; none of that is training time.
    expect(wall - seconds[1]!).toBeGreaterThan(0.75);
    model.dispose();
  });
});
