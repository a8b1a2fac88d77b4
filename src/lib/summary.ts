import { optionalSummaryKeys } from '../../experiments/summaries/optional.ts';
import { loadResult, resultPath } from './results.ts';

export class UnknownSummaryValueError extends Error {
  override name = 'UnknownSummaryValueError';
}

/** The keys an experiment's summary may leave out (experiments/summaries/optional.ts), for its file's config. */
function optionalKeys(experiment: string): Set<string> {
  return optionalSummaryKeys(experiment, loadResult(experiment).config) ?? new Set();
}

/** Whether `name` is a summary key the experiment may leave out, so that a page may give `missing` words for it. */
export function isOptionalSummaryKey(experiment: string, name: string): boolean {
  return optionalKeys(experiment).has(name);
}

/**
 * A named number from generated/<experiment>.json. `optional` says the page gives words to show when
 * the value is absent (`missing=`): that is allowed only for a key the experiment declares optional.
 * A misspelled key, an absent required one, or `missing=` on a key that is always there fails the
 * build naming the page, the key and the nearest known keys.
 */
export function readSummaryValue(experiment: string, name: string, where: string, optional: true): number | undefined;
export function readSummaryValue(experiment: string, name: string, where: string, optional?: false): number;
export function readSummaryValue(experiment: string, name: string, where: string, optional?: boolean): number | undefined;
export function readSummaryValue(experiment: string, name: string, where: string, optional = false): number | undefined {
  const summary = loadResult(experiment).summary;
  const file = resultPath(experiment);
  const declared = optionalKeys(experiment);
  const value = summary[name];
  if (!declared.has(name) && value === undefined) {
    const nearest = nearestKeys(name, [...new Set([...Object.keys(summary), ...declared])]);
    throw new UnknownSummaryValueError(
      `${where} quotes "${name}" from ${file}, whose summary has no such value. ` +
        `Nearest: ${nearest.map((k) => `"${k}"`).join(', ')} (every key: field summary of ${file}).`,
    );
  }
  if (optional && !declared.has(name)) {
    throw new UnknownSummaryValueError(
      `${where} gives missing= words for "${name}" from ${file}, but the experiment always produces that value. ` +
        `Fix: remove missing=, or, if the summary code can leave "${name}" out, declare it in experiments/summaries/optional.ts.`,
    );
  }
  if (!optional && value === undefined) {
    throw new UnknownSummaryValueError(
      `${where} quotes "${name}" from ${file}, which this run did not produce (the experiment leaves it out, e.g. a target not reached). ` +
        'Fix: give missing="…" words to show in its place.',
    );
  }
  return value;
}

/**
 * The pair of keys a spread over seeds is stored under: the measure (the key's first part) with Low and
 * High after it, "epochsToTarget.best.tanh.10" → epochsToTargetLow.best.tanh.10, epochsToTargetHigh.best.tanh.10.
 */
export function rangeKeys(name: string): [string, string] {
  const [measure, ...rest] = name.split('.');
  return [[`${measure}Low`, ...rest].join('.'), [`${measure}High`, ...rest].join('.')];
}

/** The few keys nearest to `name`: least edit distance, then longest shared prefix. */
export function nearestKeys(name: string, keys: string[], count = 3): string[] {
  const prefix = (key: string) => {
    let i = 0;
    while (i < key.length && key[i] === name[i]) i++;
    return i;
  };
  return keys
    .map((key) => ({ key, distance: editDistance(name, key), shared: prefix(key) }))
    .sort((a, b) => a.distance - b.distance || b.shared - a.shared || a.key.localeCompare(b.key))
    .slice(0, count)
    .map((k) => k.key);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
