/** The scale summary's seed ranges, last-step error cuts and exact-kernel comparison, checked against the rows by hand. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScaleConfig } from '../../experiments/configs.ts';
import { parseResultText, trialsOf, type Row } from '../../experiments/lib/schema.ts';
import { summarizeScale } from '../../experiments/summaries/scale.ts';

const file = 'generated/scale.json';
const result = parseResultText(readFileSync(file, 'utf8'), file);
const config = result.config as unknown as ScaleConfig;
const trials = trialsOf(result.rows);
const at = (rows: Row[], model: string, m: number) => rows.filter((r) => r.model === model && r.m === m && typeof r.testAccuracy === 'number');
const accuracies = (rows: Row[], model: string, m: number) => at(rows, model, m).map((r) => r.testAccuracy as number);
const networks = config.models.filter((m) => m.spec.kind === 'mlp').map((m) => m.name);

describe('the scale summary', () => {
  const { summary } = summarizeScale(config, result.rows);
  const largest = summary['m.largest']!;

  it('gives each model the lowest and highest seed beside its mean at its largest size', () => {
    for (const { name } of config.models) {
      const own = accuracies(trials, name, summary[`m.${name}.largest`]!);
      expect(summary[`accuracyLow.${name}.largest`]).toBe(Math.min(...own));
      expect(summary[`accuracyHigh.${name}.largest`]).toBe(Math.max(...own));
    }
  });

  it('pairs each seed with itself for the share of errors the last step in data removed', () => {
    const from = summary['m.lastStepFrom']!;
    expect(from).toBe([...config.sizes].sort((a, b) => a - b).at(-2));
    const cuts = at(trials, 'logistic', largest).map((r) => {
      const before = at(trials, 'logistic', from).find((b) => b.seed === r.seed)!;
      return 1 - (r.testError as number) / (before.testError as number);
    });
    expect(summary['errorCutLastStepLow.logistic']).toBeCloseTo(Math.min(...cuts), 12);
    expect(summary['errorCutLastStepHigh.logistic']).toBeCloseTo(Math.max(...cuts), 12);
  });

  it('calls the exact kernel SVM ahead of the fully connected networks only when its lowest seed beats every seed of every one', () => {
    const m = summary['exactKernel.m']!;
    const kernel = accuracies(trials, 'svm-rbf', m);
    const every = networks.flatMap((name) => accuracies(trials, name, m));
    expect(summary['exactKernel.separated']).toBe(Math.min(...kernel) > Math.max(...every) ? 1 : 0);
    expect(summary['exactKernel.bestNetwork.accuracy']).toBeLessThanOrEqual(Math.max(...every));

    // Pull one seed of the kernel SVM below the best network seed: no longer separated.
    const lowered = result.rows.map((r) =>
      r.kind === undefined && r.model === 'svm-rbf' && r.m === m && r.seed === config.seeds[0] ? { ...r, testAccuracy: Math.max(...every) - 0.01, testError: 1 - Math.max(...every) + 0.01 } : r,
    );
    expect(summarizeScale(config, lowered).summary['exactKernel.separated']).toBe(0);
  });
});

/**
 * The lessons state these of the committed data in words, beside the numbers they quote: when a rerun
 * makes one false, this fails and the sentence must change with the data.
 */
describe('what the lessons say of generated/scale.json in words', () => {
  const s = result.summary;
  const largest = s['m.largest']!;
  const range = (model: string, m: number) => {
    const own = accuracies(trials, model, m);
    return { low: Math.min(...own), high: Math.max(...own) };
  };
  const mean = (model: string, m: number) => accuracies(trials, model, m).reduce((a, b) => a + b, 0) / accuracies(trials, model, m).length;
  const sizes = [...new Set(trials.map((r) => r.m as number))].sort((a, b) => a - b);

  it('overview, larger networks: the large and medium fully connected networks end within each other’s seed ranges', () => {
    const [large, medium] = [range('nn-large', largest), range('nn-medium', largest)];
    expect(large.high).toBeGreaterThanOrEqual(medium.low);
    expect(medium.high).toBeGreaterThanOrEqual(large.low);
  });

  it('role of scale: with the fewest images the large network’s lead over logistic regression is within the seed spread', () => {
    const smallest = s['m.smallest']!;
    const [large, logistic] = [range('nn-large', smallest), range('logistic', smallest)];
    expect(large.low).toBeLessThanOrEqual(logistic.high);
  });

  it('drivers: for the largest fully connected network, more data widens its lead over logistic regression', () => {
    expect(s['marginOverLogistic.nn-large.largest']!).toBeGreaterThan(s['marginOverLogistic.nn-large.smallest']!);
  });

  it('digitisation: the last step in data removed a larger share of the large network’s errors than of logistic regression’s on every seed', () => {
    expect(s['errorCutLastStepLow.nn-large']!).toBeGreaterThan(s['errorCutLastStepHigh.logistic']!);
  });

  it('plateau: both linear models level off from the same size, and the extra data removes a smaller share of their errors than of any other model’s', () => {
    expect(s['flattensAt.logistic']).toBeDefined();
    expect(s['flattensAt.svm-linear']).toBe(s['flattensAt.logistic']);
    const linear = Math.max(s['errorCutSinceReference.logistic']!, s['errorCutSinceReference.svm-linear']!);
    for (const model of ['svm-rff', ...networks, 'cnn']) expect(s[`errorCutSinceReference.${model}`]!).toBeGreaterThan(Math.max(linear, 0.5));
  });

  it('plateau, drivers: up to the exact kernel’s largest size it and random features are level with (inside the seed range of) or ahead of the best fully connected network; past it the best network passes random features on every seed, and they do not level off', () => {
    expect(s['flattensAt.svm-rff']).toBeUndefined();
    const leader = (m: number) => networks.reduce((a, b) => (mean(b, m) > mean(a, m) ? b : a));
    const exactUpTo = s['exactKernel.m']!;
    for (const m of sizes) {
      if (m <= exactUpTo) {
        for (const kernel of ['svm-rbf', 'svm-rff']) expect(mean(kernel, m), `${kernel} at ${m}`).toBeGreaterThanOrEqual(range(leader(m), m).low);
      } else {
        expect(range(leader(m), m).low, `best network over random features at ${m}`).toBeGreaterThan(range('svm-rff', m).high);
      }
    }
    expect(sizes.some((m) => m > exactUpTo)).toBe(true);
  });

  it('role of scale: for the large network at twice the data, the floor fit predicts a lower accuracy than the plain fit', () => {
    const a = s['accuracy.nn-large.largest']!;
    const plain = 1 - (1 - a) * 2 ** s['fit.nn-large.exponent']!;
    const g = s['fitFloor.nn-large.floor']!;
    const floor = 1 - (g + Math.max(0, 1 - a - g) * 2 ** s['fitFloor.nn-large.exponent']!);
    expect(plain - floor).toBeGreaterThan(0);
    // "smaller than the spread of the five seeds with all the images"
    expect(plain - floor).toBeLessThan(s['accuracyHigh.nn-large.largest']! - s['accuracyLow.nn-large.largest']!);
  });

  it('future of compute: the last stretch is shallower than the whole-range fit for both models, and outside the large network’s resampled range', () => {
    const stretch = (model: string) => Math.log(1 - s[`errorCutSinceReference.${model}`]!) / Math.log(s['m.largest']! / s['m.reference']!);
    for (const model of ['nn-large', 'logistic']) expect(stretch(model), model).toBeGreaterThan(s[`fit.${model}.exponent`]!);
    expect(stretch('nn-large')).toBeGreaterThan(s['fit.nn-large.exponentHigh']!);
    expect(stretch('nn-large') - s['fit.nn-large.exponent']!).toBeLessThan(stretch('logistic') - s['fit.logistic.exponent']!);
  });

  it('plateau: with all the images every model trained by steps chose no penalty, and most the CNN’s learning rate', () => {
    const stepped = config.models.filter((x) => s[`tuned.${x.name}.${largest}.learningRate`] !== undefined).map((x) => x.name);
    expect(stepped.length).toBeGreaterThan(1);
    for (const n of stepped) expect(s[`tuned.${n}.${largest}.l2`] ?? 0, n).toBe(0);
    const same = stepped.filter((n) => s[`tuned.${n}.${largest}.learningRate`] === s[`tuned.cnn.${largest}.learningRate`]);
    expect(same.length).toBeGreaterThan(stepped.length / 2);
  });

  it('plateau: the doubled patience moved every mean up or not at all, the two-hidden-layer network’s most', () => {
    const shifts = config.models.map((x) => s[`stopping.${largest}.${x.name}.shift`]).filter((v): v is number => v !== undefined);
    expect(shifts.length).toBeGreaterThan(1);
    for (const v of shifts) expect(v).toBeGreaterThanOrEqual(0);
    expect(s[`stopping.${largest}.nn-large.shift`]).toBe(Math.max(...shifts));
  });

  it('plateau: twice the patience at the largest size moves no mean by as much as the seed spread, and reorders nothing', () => {
    expect(s[`stopping.${largest}.largestShift`]!).toBeLessThan(s[`stopping.${largest}.largestSeedSpread`]!);
    expect(s[`stopping.${largest}.reordered`]).toBe(0);
  });

  it('role of scale: deciding on its own images cost every model accuracy at the smallest size, the CNN most yet still first; less at the next size', () => {
    const smallest = s['m.smallest']!;
    const own = config.models.map((x) => x.name).filter((n) => s[`ownLabels.${n}.${smallest}`] !== undefined);
    expect(own.length).toBe(config.models.length);
    expect(s[`ownLabels.${smallest}.changeHigh`]!).toBeLessThan(0);
    expect(s[`ownLabels.cnn.${smallest}.change`]).toBe(s[`ownLabels.${smallest}.changeLow`]);
    for (const n of own.filter((n) => n !== 'cnn')) expect(s[`ownLabels.cnn.${smallest}`]!).toBeGreaterThan(s[`ownLabels.${n}.${smallest}`]!);
    const next = sizes[1]!;
    // "at its two smallest sizes it trained every model a second time under the same rule"
    expect([...new Set(result.rows.filter((r) => r.kind === 'practitioner').map((r) => r.m))].sort((a, b) => (a as number) - (b as number))).toEqual([smallest, next]);
    expect(-s[`ownLabels.${next}.changeLow`]!).toBeLessThan(-s[`ownLabels.${smallest}.changeLow`]!);
    // "at the next size the changes ran from none to a loss of …"
    expect(Math.abs(s[`ownLabels.${next}.changeHigh`]!)).toBeLessThan(0.001);
  });

  it('plateau: the CNN is ahead of the exact kernel SVM and of random features at every size', () => {
    for (const m of sizes) {
      expect(mean('cnn', m)).toBeGreaterThan(mean('svm-rff', m));
      if (accuracies(trials, 'svm-rbf', m).length) expect(mean('cnn', m)).toBeGreaterThan(mean('svm-rbf', m));
    }
  });

  it('digitisation: the floor fit puts logistic regression’s floor above half its present error', () => {
    expect(s['fitFloor.logistic.floor']!).toBeGreaterThan((1 - s['accuracy.logistic.largest']!) / 2);
  });

  it('plateau: the CNN removes as large a share of its errors as the fully connected networks (at least the smallest share among them)', () => {
    expect(s['errorCutSinceReference.cnn']!).toBeGreaterThanOrEqual(Math.min(...networks.map((n) => s[`errorCutSinceReference.${n}`]!)));
  });

  it('plateau: the CNN’s gap is as small as logistic regression’s (within half a point) with training accuracy near perfect; the other networks and random features keep a larger gap', () => {
    expect(s['gap.cnn.largest']!).toBeLessThanOrEqual(s['gap.logistic.largest']! + 0.005);
    expect(s['trainAccuracy.cnn.largest']!).toBeGreaterThanOrEqual(0.99);
    for (const model of ['svm-rff', ...networks]) expect(s[`gap.${model}.largest`]!).toBeGreaterThan(s['gap.logistic.largest']!);
  });

  it('plateau: the exact kernel SVM is above every seed of every fully connected network where it last ran', () => {
    expect(s['exactKernel.separated']).toBe(1);
  });

  it('plateau: with all the images the CNN is clearly ahead of every other model', () => {
    const cnn = range('cnn', largest);
    for (const other of config.models.filter((x) => x.name !== 'cnn' && accuracies(trials, x.name, largest).length)) {
      expect(cnn.low, `${other.name} overlaps the CNN`).toBeGreaterThan(range(other.name, largest).high);
    }
  });

  it('future of compute: for most models the two fit forms give exponent ranges that do not overlap (the linear models among them)', () => {
    const fitted = config.models.map((m) => m.name).filter((n) => s[`fit.${n}.exponentLow`] !== undefined && s[`fitFloor.${n}.exponentLow`] !== undefined);
    const apart = fitted.filter((n) => s[`fitFloor.${n}.exponentHigh`]! < s[`fit.${n}.exponentLow`]! || s[`fit.${n}.exponentHigh`]! < s[`fitFloor.${n}.exponentLow`]!);
    expect(apart.length).toBeGreaterThan(fitted.length / 2);
    for (const model of ['logistic', 'svm-linear']) expect(apart).toContain(model);
  });

  it('future of compute: the exponents move with the form of the fit by as much as they differ between the networks', () => {
    const plain = [...networks, 'cnn'].map((n) => s[`fit.${n}.exponent`]!);
    const shifts = config.models.map((m) => m.name).filter((n) => s[`fit.${n}.exponent`] !== undefined && s[`fitFloor.${n}.exponent`] !== undefined).map((n) => Math.abs(s[`fit.${n}.exponent`]! - s[`fitFloor.${n}.exponent`]!));
    expect(Math.max(...shifts)).toBeGreaterThanOrEqual(Math.max(...plain) - Math.min(...plain));
  });

  it('future of compute: our steepest exponent lies beyond the range Hestness et al. report; logistic regression’s and the CNN’s floors below their present error, logistic regression’s close to it', () => {
    const steepEnd = Math.min(...result.references.filter((r) => r.subject === 'power-law exponent').map((r) => r.value));
    expect(s['fit.steepestExponent']!).toBeLessThan(steepEnd);
    const error = (model: string) => 1 - s[`accuracy.${model}.largest`]!;
    expect(s['fitFloor.logistic.floor']!).toBeLessThan(error('logistic'));
    expect(s['fitFloor.logistic.floor']!).toBeGreaterThan(0.8 * error('logistic'));
    // plateau: every network's floor below its error; the fully connected ones' below half of it.
    expect(s['fitFloor.cnn.floor']!).toBeLessThan(error('cnn'));
    for (const model of networks) expect(s[`fitFloor.${model}.floor`]!, `${model}'s floor below half its error`).toBeLessThan(0.5 * error(model));
    // future of compute: a smaller share of the CNN's errors lies above its floor than of the large network's.
    const aboveFloor = (model: string) => 1 - s[`fitFloor.${model}.floor`]! / error(model);
    expect(aboveFloor('cnn')).toBeLessThan(aboveFloor('nn-large'));
  });

  it('plateau: our fully connected networks make fewer test errors than LeCun et al.’s of the same shape; our CNN ends short of LeNet-5 by less than a point', () => {
    const reference = (subject: string) => result.references.find((r) => r.subject === subject && r.citation.startsWith('LeCun'))!;
    for (const model of ['nn-medium', 'nn-large']) expect(1 - s[`accuracy.${model}.largest`]!).toBeLessThan(reference(model).value);
    const lenet5 = reference('cnn');
    const lenetAccuracy = lenet5.measure === 'test error' ? 1 - lenet5.value : lenet5.value;
    expect(s['accuracy.cnn.largest']!).toBeLessThan(lenetAccuracy);
    expect(lenetAccuracy - s['accuracy.cnn.largest']!).toBeLessThan(0.01);
  });
});

/**
 * Pages say, in words, that the committed scale file is a run of the earlier protocol (v2: no tuning,
 * stopping on the validation loss, three seeds). Once scale.json is a v3 run (it has tuning rows), each
 * of these sentences is false and must go: this lists where they are.
 */
describe('what the pages say of the protocol that made generated/scale.json', () => {
  const SAYS_SCALE_IS_V2 = [
    /published file is still a run of the earlier protocol/,
    /committed v2 `scale` file/,
    /not in the committed v2 file/,
    /committed `scale` file predates it/,
    /earlier protocol, before tuning/,
    /still a run of our earlier protocol/,
  ];
  const isV3 = result.rows.some((r) => r.kind === 'tuning');
  const pages = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith('.mdx') ? [join(dir, e.name)] : []));

  it(isV3 ? 'no page calls the v3 file a run of the earlier protocol' : 'the pages that call it a v2 run are right to (it has no tuning rows)', () => {
    const stale = pages('src/content/docs').flatMap((file) => {
      const text = readFileSync(file, 'utf8').replace(/\s+/g, ' ');
      return SAYS_SCALE_IS_V2.filter((phrase) => phrase.test(text)).map((phrase) => `${file}: ${phrase.source}`);
    });
    if (isV3) expect(stale, 'scale.json is now a v3 run: rewrite these sentences').toEqual([]);
    else expect(stale.length).toBeGreaterThan(0);
  });
});
