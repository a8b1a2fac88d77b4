/** What a cached unit's key covers: the code its rows depend on, and not the summary code that reads them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../experiments/lib/backend.ts';
import { codeFiles, unitHash } from '../../experiments/lib/cache.ts';
import { experiments, findExperiment } from '../../experiments/suite/index.ts';
import { scale } from '../../experiments/suite/scale.ts';

describe('unit cache key', () => {
  it.each(experiments.map((e) => e.id))('%s: hashes its own module, the backend and the engine files it loads, not the summaries', (id) => {
    const files = codeFiles(id).map((f) => f.replaceAll('\\', '/'));
    expect(files.some((f) => f.endsWith(`experiments/suite/${id}.ts`))).toBe(true);
    expect(files.some((f) => f.endsWith('experiments/lib/backend.ts'))).toBe(true);
    expect(files.some((f) => f.endsWith('experiments/lib/wasm-kernels.ts'))).toBe(true);
    expect(files.filter((f) => f.includes('/experiments/summaries/'))).toEqual([]);
  });

  it('follows imports: scale hashes the protocol, tuning and the models it trains, not the runner or the row schemas', () => {
    const files = codeFiles('scale').map((f) => f.replaceAll('\\', '/').replace(/.*experiments\//, ''));
    for (const file of ['lib/protocol.ts', 'lib/tuning.ts', 'lib/setting.ts', 'lib/practitioner.ts', 'lib/models.ts', 'lib/train.ts', 'lib/kernel-svm.ts', 'lib/zoo.ts']) expect(files).toContain(file);
    for (const file of ['lib/runner.ts', 'lib/rows.ts', 'lib/progress.ts', 'lib/cache.ts']) expect(files).not.toContain(file);
  });

  it('keeps summary code out of the engine: nothing in experiments/lib imports experiments/summaries', () => {
    for (const file of codeFiles('scale').filter((f) => f.includes('/experiments/lib/'))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"]\.\.\/summaries\//);
    }
  });
});

describe('per-unit keys', () => {
  it.each(experiments.filter((e) => e.gridFields).map((e) => e.id))('%s: a unit runs without reading the fields left out of its key', async (id) => {
    const experiment = findExperiment(id)!;
    const config = experiment.configs.smoke;
    const units = experiment.units(config);
    const cheapest = units.reduce((best, unit) => ((experiment.cost?.(unit, config) ?? 1) < (experiment.cost?.(best, config) ?? 1) ? unit : best));
    const read: string[] = [];
    const guarded = new Proxy(config, {
      get(target, field, receiver) {
        if (typeof field === 'string' && experiment.gridFields!.includes(field)) read.push(field);
        return Reflect.get(target, field, receiver);
      },
    });
    const backend = await selectBackend('wasm');
    // A unit that needs another gets that one's result, as the runner would hand it over.
    const needed = cheapest.needs === undefined ? undefined : await experiment.runUnit(units.find((u) => u.key === cheapest.needs)!, guarded, { backend });
    await experiment.runUnit(cheapest, guarded, { backend, ...(needed ? { needed } : {}) });
    expect(read, `runUnit read ${read.join(', ')}: a unit's rows would not follow a change there`).toEqual([]);
  }, 300_000);

  it('widening the grid (one more seed) keeps every existing unit’s key', () => {
    const config = scale.configs.smoke;
    const wider = { ...config, seeds: [...config.seeds, 99], sizes: [...config.sizes, 800] };
    const key = (c: typeof config, unit: ReturnType<typeof scale.units>[number]) =>
      unitHash({ experiment: 'scale', config: c, gridFields: scale.gridFields, unit, backend: 'wasm' });
    for (const unit of scale.units(config)) expect(key(wider, unit)).toBe(key(config, unit));
    // A field a unit does read changes every key.
    const unit = scale.units(config)[0]!;
    expect(key({ ...config, testSize: config.testSize + 1 }, unit)).not.toBe(key(config, unit));
  });
});
