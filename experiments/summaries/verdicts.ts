/**
 * Each experiment's verdict on the lecture's claim it tests (its suite module's `claim`): held, partly,
 * or did not hold, computed from the committed result file's summary, never typed in; `history` holds
 * curated facts, not a test. One small rule per experiment id. Each rule says in a comment which keys
 * decide it and why, so that the verdict agrees with the lesson that quotes the same numbers, and builds
 * its `because` sentence from those numbers.
 *
 * Read by the site (the Reproduce table, the overview's list of claims). Kept apart from the summary
 * code and free of the engine, so that reading a verdict loads no TensorFlow. The sentences are site
 * text, so numbers are formatted with the site's own formats (src/charts/format.ts, a module with no
 * imports), and read the same as the lessons that quote them.
 */
import { FORMATS } from '../../src/charts/format.ts';
import type { ResultFile } from '../lib/schema.ts';

export const VERDICTS = ['held', 'partly', 'did not hold', 'curated'] as const;
export type VerdictWord = (typeof VERDICTS)[number];

export interface Verdict {
  verdict: VerdictWord;
  /** Why, in one or two clauses of plain English, with the deciding numbers. */
  because: string;
}

/** What a rule reads: the file's id, its summary and, where the rule needs it, its config. */
export type VerdictInput = Pick<ResultFile, 'id' | 'summary' | 'config'>;

type Rule = (result: VerdictInput) => Verdict;

/** Half an accuracy point: the least gain the site calls a gain (as scale's "flat" rule does per doubling). */
const HALF_POINT = 0.005;

const { percent, points, count, decimal, rate, times } = FORMATS;

/** "a", "a and b", "a, b and c". */
function list(items: string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A required summary value; a file without it cannot be judged, and the message names the key. */
function need(result: VerdictInput, key: string): number {
  const value = result.summary[key];
  if (value === undefined) throw new Error(`generated/${result.id}.json: the verdict rule for "${result.id}" needs summary["${key}"], which the file lacks.`);
  return value;
}

/** The label a config gives a named model (config.models, config.optimizers…), else the name itself. */
function labelIn(entries: unknown, name: string): string {
  const found = Array.isArray(entries) ? (entries as { name?: unknown; label?: unknown }[]).find((e) => e.name === name) : undefined;
  return typeof found?.label === 'string' ? found.label : name;
}

// ─── scale ──────────────────────────────────────────────────────────────────────────────────────────

/** How the verdicts name scale's models (each key of the summary uses the name). */
const SCALE_NAMES: Record<string, string> = {
  logistic: 'logistic regression',
  'svm-linear': 'the linear SVM',
  'svm-rff': 'the kernel SVM (random features)',
  'nn-small': 'the small network',
  'nn-medium': 'the medium network',
  'nn-large': 'the large network',
  cnn: 'the convolutional network',
};
const LINEAR = ['logistic', 'svm-linear'];
const KERNEL = ['svm-rff'];
const FULLY_CONNECTED = ['nn-small', 'nn-medium', 'nn-large'];
const NETWORKS = [...FULLY_CONNECTED, 'cnn'];

/**
 * scale: "traditional algorithms (logistic regression, a linear SVM) level off while larger neural
 * networks keep improving". Decided by flattensAt.<model> (present: the curve gains under half a point
 * per doubling from that size on; absent: still rising) for the models run up to the largest size
 * (m.<model>.largest = m.largest). Keys of v2 and v3 files alike.
 * - did not hold: neither linear model levels off, or no network still rises.
 * - held: both linear models level off, the kernel SVM run to the largest size (random features) levels
 *   off too, and every network still rises: the lecture's picture, traditional against neural.
 * - partly: the linear models level off while a network rises, but a traditional kernel SVM still
 *   rises, or a network is flat by the same rule (the plateau lesson: "the sketch is half right").
 */
const scale: Rule = (result) => {
  const largest = need(result, 'm.largest');
  const ran = (names: string[]) => names.filter((name) => result.summary[`m.${name}.largest`] === largest);
  const flat = (name: string) => result.summary[`flattensAt.${name}`];
  const [linear, kernel, networks] = [ran(LINEAR), ran(KERNEL), ran(NETWORKS)];
  const level = linear.filter((name) => flat(name) !== undefined);
  const rising = networks.filter((name) => flat(name) === undefined);
  const flatNetworks = networks.filter((name) => flat(name) !== undefined);
  const risingKernel = kernel.filter((name) => flat(name) === undefined);
  const names = (models: string[]) => {
    const connected = FULLY_CONNECTED.filter((name) => models.includes(name));
    const grouped = connected.length === FULLY_CONNECTED.length ? ['the fully connected networks', ...models.filter((name) => !connected.includes(name)).map((name) => SCALE_NAMES[name] ?? name)] : models.map((name) => SCALE_NAMES[name] ?? name);
    return list(grouped);
  };
  const from = (models: string[]) => count(Math.min(...models.map((name) => flat(name)!)));
  // "logistic regression levels off", "the fully connected networks still rise".
  const verb = (models: string[], one: string, more: string) => (models.length > 1 ? more : one);
  if (level.length === 0) {
    return { verdict: 'did not hold', because: `${capitalise(names(linear))} still ${verb(linear, 'gains', 'gain')} at least half a point per doubling of the data at ${count(largest)} images: no plateau.` };
  }
  const levelled = `${capitalise(names(level))} ${verb(level, 'levels', 'level')} off from ${from(level)} images`;
  if (rising.length === 0) {
    return { verdict: 'did not hold', because: `${levelled}, but so does every network: ${names(flatNetworks)} from ${from(flatNetworks)}.` };
  }
  const picture = `${levelled} while ${names(rising)} still ${verb(rising, 'rises', 'rise')} at ${count(largest)}`;
  const breaks = [
    ...(level.length < linear.length ? [`${names(linear.filter((name) => !level.includes(name)))} still rises`] : []),
    ...(risingKernel.length ? [`so ${verb(risingKernel, 'does', 'do')} ${names(risingKernel)}`] : []),
    ...(flatNetworks.length ? [`${names(flatNetworks)} ${verb(flatNetworks, 'is', 'are')} flat from ${from(flatNetworks)} by the half-a-point rule`] : []),
  ];
  if (breaks.length === 0) return { verdict: 'held', because: `${picture}.` };
  return { verdict: 'partly', because: `${picture}; but ${breaks.join(', and ')}.` };
};

// ─── small-data ─────────────────────────────────────────────────────────────────────────────────────

/** A share of single-draw comparisons against the average order from which "rankings flip" (one in ten). */
const REVERSALS = 0.1;
/** A share of draws won by another model from which the leader itself is "not well defined" (one in three). */
const LEADER_FLIPS = 1 / 3;

/**
 * small-data: "with little labelled data the ordering is not well defined: rankings flip from one draw
 * to the next". Decided at the smallest size (m.smallest) by pairReversalRate.<m> (the share of
 * head-to-head comparisons on one draw that go against the models' average order) and
 * leaderFlipRate.<m> (the share of draws whose winner is not the average winner).
 * - did not hold: fewer than one comparison in ten reverses: the order is stable.
 * - held: comparisons reverse, and the winner itself changes in a third of the draws or more.
 * - partly: the order behind the leader flips, but the leader does not (the role-of-scale lesson: "the
 *   winner rarely flipped"; luck decided the order of the models behind it).
 */
const smallData: Rule = (result) => {
  const m = need(result, 'm.smallest');
  const seeds = need(result, 'seeds');
  const reversals = result.summary[`pairReversalRate.${m}`] ?? 0;
  const leaderFlips = need(result, `leaderFlipRate.${m}`);
  const against = `With ${count(m)} images, ${rate(reversals)} of head-to-head comparisons on a single draw go against the average order`;
  if (reversals < REVERSALS) return { verdict: 'did not hold', because: `${against}: the ranking is stable.` };
  if (leaderFlips >= LEADER_FLIPS) return { verdict: 'held', because: `${against}, and the average winner loses ${rate(leaderFlips)} of draws.` };
  return { verdict: 'partly', because: `${against}, but the average winner still wins ${count(Math.round((1 - leaderFlips) * seeds))} of ${count(seeds)} draws.` };
};

// ─── model-size ─────────────────────────────────────────────────────────────────────────────────────

/**
 * model-size: "bigger networks do better when there is enough data, and gain little or nothing when
 * there is not". Decided by widthGain.largestM and widthGain.smallestM (test accuracy of the widest
 * network minus the narrowest's, with the most and the least data), read in accuracy points as the
 * lecture's chart is.
 * - did not hold: width adds less than half a point even with the most data.
 * - held: it does, and with the least data it adds "little or nothing": under half a point, or under
 *   half of what it adds with the most data.
 * - partly: width pays with the most data but about as much with the least (the larger-networks lesson:
 *   "our measurements agree with the first half and not with the second").
 */
const modelSize: Rule = (result) => {
  const [few, many] = [need(result, 'm.smallest'), need(result, 'm.largest')];
  const [small, large] = [need(result, 'widthGain.smallestM'), need(result, 'widthGain.largestM')];
  const withMany = `the widest network beats the narrowest by ${points(large)} with ${count(many)} images`;
  if (large < HALF_POINT) return { verdict: 'did not hold', because: `Even with ${count(many)} images the widest network beats the narrowest by only ${points(large)}.` };
  if (small < HALF_POINT || small < large / 2) return { verdict: 'held', because: `${capitalise(withMany)}, and by only ${points(small)} with ${count(few)}.` };
  return { verdict: 'partly', because: `${capitalise(withMany)}, as the lecture says, but by ${points(small)} with only ${count(few)}, where it expects little or nothing.` };
};

// ─── activations ────────────────────────────────────────────────────────────────────────────────────

const ACTIVATION_NAMES: Record<string, string> = { relu: 'ReLU', 'relu-he': "ReLU with He's initialisation", tanh: 'tanh', sigmoid: 'the sigmoid' };
const RELUS = ['relu', 'relu-he'];

/**
 * activations: "replacing the sigmoid with the ReLU makes gradient descent much faster, most of all in
 * deep networks". Decided by epochs to the target at each contender's best rate:
 * speedupBeyondNoise.best.<a>-vs-<b>.<depth> (1: every seed of one reached the target before every seed
 * of the other, a seed that never did counting as one epoch past the budget), its direction from
 * epochsToTarget.best.<name>.<depth> where reachedTarget.best.<name>.<depth> is 1 (else never), at the
 * depths of config.depths.
 * - did not hold: at the deepest depth no ReLU network (plain or with He's initialisation) is faster
 *   than the sigmoid beyond seed noise.
 * - held: one is, and a ReLU is faster than tanh beyond noise at some depth: the gain is the ReLU's.
 * - partly: the ReLU beats the deep sigmoid, but tanh, saturating like the sigmoid, keeps pace with the
 *   ReLU at every depth (the sigmoid-to-ReLU lesson: "beyond that it holds only in part… tanh needed no
 *   more epochs on average at any depth").
 */
const activations: Rule = (result) => {
  const depths = (result.config as { depths?: number[] }).depths ?? [];
  if (!depths.length) throw new Error(`generated/${result.id}.json: the verdict rule for "${result.id}" needs config.depths.`);
  const deepest = Math.max(...depths);
  const [target, epochs] = [need(result, 'targetAccuracy'), need(result, 'epochs')];
  const epochsTo = (name: string, depth: number) =>
    result.summary[`reachedTarget.best.${name}.${depth}`] === 1 ? (result.summary[`epochsToTarget.best.${name}.${depth}`] ?? Infinity) : Infinity;
  const faster = (a: string, b: string, depth: number) => result.summary[`speedupBeyondNoise.best.${a}-vs-${b}.${depth}`] === 1 && epochsTo(a, depth) < epochsTo(b, depth);
  const beatSigmoid = RELUS.filter((name) => faster(name, 'sigmoid', deepest)).sort((a, b) => epochsTo(a, deepest) - epochsTo(b, deepest));
  const sigmoidEpochs = epochsTo('sigmoid', deepest);
  const sigmoid = Number.isFinite(sigmoidEpochs) ? `the sigmoid in ${decimal(sigmoidEpochs)}` : `the sigmoid not within ${count(epochs)}`;
  if (!beatSigmoid.length) {
    return { verdict: 'did not hold', because: `With ${count(deepest)} hidden layers no ReLU network reached ${percent(target)} validation accuracy sooner than the sigmoid beyond seed noise.` };
  }
  const relu = beatSigmoid[0]!;
  const deep = `With ${count(deepest)} hidden layers ${ACTIVATION_NAMES[relu]} reached ${percent(target)} in ${decimal(epochsTo(relu, deepest))} epochs, ${sigmoid}`;
  const overTanh = depths.filter((depth) => RELUS.some((name) => faster(name, 'tanh', depth)));
  if (overTanh.length) return { verdict: 'held', because: `${deep}; ReLU also beat tanh beyond seed noise with ${list(overTanh.map(count))} hidden layers.` };
  return { verdict: 'partly', because: `${deep}; but tanh kept pace with ReLU at every depth, so what mattered was leaving the sigmoid.` };
};

// ─── saturation ─────────────────────────────────────────────────────────────────────────────────────

/**
 * saturation: "deep sigmoid networks are slow rather than untrainable: given many more epochs … they
 * learn". Decided at the sigmoid's best rate (bestRate.sigmoid) by escapedSeeds.sigmoid.<rate> against
 * seeds (seeds passing escapeThreshold validation accuracy within the epochs run), and, for "slow", by
 * escapeEpochMin.sigmoid.<rate> against tanh's escapeEpochMax.tanh.<rate> (same network and data).
 * The saturated top layer (topActivation.*) is the mechanism the lesson shows, not what decides.
 * - did not hold: no seed escapes: untrainable as far as we ran it.
 * - partly: some seeds escape and some do not, or every seed escapes no later than tanh (not slow).
 * - held: every seed escapes, each after every tanh seed (the sigmoid-to-ReLU lesson: "not
 *   untrainable: it is very slow").
 */
const saturation: Rule = (result) => {
  const [depth, seeds, epochs, threshold] = [need(result, 'depth'), need(result, 'seeds'), need(result, 'epochs'), need(result, 'escapeThreshold')];
  const key = `sigmoid.${need(result, 'bestRate.sigmoid')}`;
  const escaped = need(result, `escapedSeeds.${key}`);
  const network = `the sigmoid network with ${count(depth)} hidden layers`;
  if (escaped === 0) return { verdict: 'did not hold', because: `No seed of ${network} passed ${percent(threshold)} validation accuracy within ${count(epochs)} epochs.` };
  const [first, last] = [need(result, `escapeEpochMin.${key}`), need(result, `escapeEpochMax.${key}`)];
  const when = first === last ? `at epoch ${count(first)}` : `between epochs ${count(first)} and ${count(last)}`;
  if (escaped < seeds) return { verdict: 'partly', because: `Only ${count(escaped)} of ${count(seeds)} seeds of ${network} passed ${percent(threshold)} validation accuracy within ${count(epochs)} epochs.` };
  const tanhRate = result.summary['bestRate.tanh'];
  const tanhLast = tanhRate === undefined ? undefined : result.summary[`escapeEpochMax.tanh.${tanhRate}`];
  const passed = `Every seed of ${network} passed ${percent(threshold)} validation accuracy ${when}`;
  if (tanhLast !== undefined && first <= tanhLast) return { verdict: 'partly', because: `${passed}, no later than tanh (by epoch ${count(tanhLast)}): it learned, but was not slow.` };
  return { verdict: 'held', because: `${passed}${tanhLast === undefined ? '' : `, where tanh did by epoch ${count(tanhLast)}`}: slow, not untrainable.` };
};

// ─── optimizers ─────────────────────────────────────────────────────────────────────────────────────

const OPTIMIZER_NAMES: Record<string, string> = { momentum: 'momentum', rmsprop: 'RMSProp', adam: 'Adam' };

/**
 * optimizers: "better optimisers (momentum, RMSProp, Adam) reach a given accuracy in fewer epochs and
 * less time than plain gradient descent", each at its best rate. Decided per newer optimiser by
 * speedupOverSgd.<name> (> 1: fewer epochs on average; speedupOverSgdAtLeast.<name> where SGD never
 * reached the target), speedupBeyondNoise.<name> (1: every seed in fewer epochs than every SGD seed)
 * and secondsToTarget.<name> against secondsToTarget.sgd (less time).
 * - did not hold: none reaches the target in fewer epochs than SGD on average.
 * - held: every one does, beyond seed noise, and in less time.
 * - partly: some are faster on average, but not beyond noise, or not in seconds (the
 *   algorithmic-innovations lesson: "the newer ones reach the target in fewer epochs on average, though
 *   not beyond the spread over seeds… the speed-up on this problem is modest").
 */
const optimizers: Rule = (result) => {
  const names = ((result.config as { optimizers?: { name: string }[] }).optimizers ?? []).map((o) => o.name).filter((name) => name !== 'sgd');
  const target = need(result, 'targetAccuracy');
  const s = result.summary;
  const name = (o: string) => OPTIMIZER_NAMES[o] ?? labelIn(result.config.optimizers, o);
  const speedup = (o: string) => s[`speedupOverSgd.${o}`] ?? s[`speedupOverSgdAtLeast.${o}`];
  const faster = names.filter((o) => (speedup(o) ?? 0) > 1).sort((a, b) => speedup(b)! - speedup(a)!);
  const beyond = faster.filter((o) => s[`speedupBeyondNoise.${o}`] === 1);
  const sgdSeconds = s['secondsToTarget.sgd'] ?? Infinity;
  const slower = faster.filter((o) => !((s[`secondsToTarget.${o}`] ?? Infinity) < sgdSeconds));
  if (!faster.length) return { verdict: 'did not hold', because: `No newer optimiser reached ${percent(target)} validation accuracy in fewer epochs than SGD at its best rate.` };
  const best = faster[0]!;
  const average = `${capitalise(list(faster.map(name)))} reached ${percent(target)} in fewer epochs than tuned SGD on average (${name(best)} ${times(speedup(best)!)} fewer)`;
  if (faster.length === names.length && beyond.length === faster.length && !slower.length) return { verdict: 'held', because: `${average}, every one beyond seed noise and in less time.` };
  const buts = [
    ...(faster.length < names.length ? [`${list(names.filter((o) => !faster.includes(o)).map(name))} did not`] : []),
    beyond.length === 0 ? 'none beyond seed noise' : beyond.length < faster.length ? `only ${list(beyond.map(name))} beyond seed noise` : '',
    ...(slower.length ? [`${list(slower.map(name))} took more seconds`] : []),
  ].filter(Boolean);
  return { verdict: 'partly', because: `${average}; but ${buts.join(', and ')}.` };
};

// ─── compute ────────────────────────────────────────────────────────────────────────────────────────

/** How many times more runs a day count as "many more": an order of magnitude. */
const MANY_MORE = 10;

/**
 * compute: "faster computation … the same experiment can run many more times a day". Decided per model
 * of config.models by experimentsPerDay.<backend>.<model> (runs to the target that fit in a day,
 * measured) or projectedExperimentsPerDay.<backend>.<model> (from the throughput of a backend too slow
 * to finish), the fastest backend's against the slowest's on the same machine.
 * - held: the fastest backend fits at least ten times the runs of the slowest, for every model.
 * - did not hold: not even twice, for any model.
 * - partly: in between (the fast-iteration lesson: "the lecture is right that training speed sets the
 *   pace of experimentation").
 * A projected count rests on a handful of timed steps, so its ratio reads "about" (as the lessons').
 */
const compute: Rule = (result) => {
  const config = result.config as { backends?: string[]; models?: { name: string; label: string }[] };
  const ratios = (config.models ?? []).flatMap(({ name, label }) => {
    const perDay = (config.backends ?? []).flatMap((backend) => {
      const measured = result.summary[`experimentsPerDay.${backend}.${name}`];
      const projected = result.summary[`projectedExperimentsPerDay.${backend}.${name}`];
      return measured !== undefined ? [{ runs: measured, projected: false }] : projected !== undefined ? [{ runs: projected, projected: true }] : [];
    });
    if (perDay.length < 2) return [];
    const most = perDay.reduce((a, b) => (b.runs > a.runs ? b : a));
    const least = perDay.reduce((a, b) => (b.runs < a.runs ? b : a));
    const ratio = most.runs / least.runs;
    // "Network 784-256-10" reads "the network 784-256-10"; "LeNet-style CNN" keeps its capitals.
    const named = /^[A-Z][a-z]+(\s|$)/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
    return [{ label: named, ratio, shown: (most.projected || least.projected ? FORMATS['about-times'] : times)(ratio) }];
  });
  if (!ratios.length) return { verdict: 'did not hold', because: 'No model was timed to the target on two backends: nothing to compare.' };
  const [first, ...rest] = ratios;
  const because =
    `On one machine, the fastest backend fits ${first!.shown} as many runs to the target into a day as the slowest for the ${first!.label}` +
    `${rest.map((r) => `, ${r.shown} for the ${r.label}`).join('')}.`;
  if (ratios.every((r) => r.ratio >= MANY_MORE)) return { verdict: 'held', because };
  if (ratios.every((r) => r.ratio < 2)) return { verdict: 'did not hold', because };
  return { verdict: 'partly', because };
};

// ─── history ────────────────────────────────────────────────────────────────────────────────────────

/** history: curated facts with their sources, not a test of the claim; the figures say what they show. */
const history: Rule = (result) => ({
  verdict: 'curated',
  because:
    `Facts from papers and datasheets, not a measurement: ImageNet's challenge set holds ${times(need(result, 'datasets.imagenetOverMnist'))} MNIST's images, ` +
    `and a GPU's peak 32-bit throughput grew ${times(need(result, 'fp32.growth'))} from ${FORMATS.year(need(result, 'fp32.firstYear'))} to ${FORMATS.year(need(result, 'fp32.lastYear'))}.`,
});

const RULES: Record<string, Rule> = { scale, 'small-data': smallData, 'model-size': modelSize, activations, saturation, optimizers, compute, history };

/** The experiments with a verdict rule: every experiment of experiments/suite. */
export const VERDICT_EXPERIMENTS = Object.keys(RULES);

/** The verdict on `result`'s claim, from its summary (and config). An experiment without a rule is an error naming it. */
export function verdictOf(result: VerdictInput): Verdict {
  const rule = RULES[result.id];
  if (!rule) throw new Error(`No verdict rule for experiment "${result.id}" (rules exist for ${VERDICT_EXPERIMENTS.join(', ')}). Fix: add one to experiments/summaries/verdicts.ts.`);
  return rule(result);
}
