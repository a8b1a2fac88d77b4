import { loadResult } from './results.ts';

export class UnknownSummaryValueError extends Error {
  override name = 'UnknownSummaryValueError';
}

/** A named number from generated/<experiment>.json; an unknown name fails the build naming the page. */
export function readSummaryValue(experiment: string, name: string, where: string, optional: true): number | undefined;
export function readSummaryValue(experiment: string, name: string, where: string, optional?: false): number;
export function readSummaryValue(experiment: string, name: string, where: string, optional?: boolean): number | undefined;
export function readSummaryValue(experiment: string, name: string, where: string, optional = false): number | undefined {
  const summary = loadResult(experiment).summary;
  const value = summary[name];
  if (value === undefined && !optional) {
    const known = Object.keys(summary).join(', ');
    throw new UnknownSummaryValueError(
      `${where} quotes "${name}" from generated/${experiment}.json, whose summary has no such value. Known: ${known}.`,
    );
  }
  return value;
}
