/** Comparing a reader's run with our committed row: browser-safe, pure (unit-tested). */

/** The fields of a trial both sides report: equal fields mean the same run (src/run/offers.ts publishes them). */
export const COMPARED_FIELDS = ['testAccuracy', 'valAccuracy', 'trainAccuracy', 'keptEpoch', 'epochsRun', 'steps', 'trainLoss', 'valLoss', 'diverged'] as const;

export interface FieldComparison {
  field: string;
  ours: unknown;
  yours: unknown;
  equal: boolean;
}

export interface Comparison {
  /** Every field both sides have is bit-identical. */
  identical: boolean;
  fields: FieldComparison[];
}

/** Compares the fields present in both; numbers must be identical (Object.is, so NaN equals NaN). */
export function compareRows(ours: Record<string, unknown>, yours: Record<string, unknown>, fields: readonly string[] = COMPARED_FIELDS): Comparison {
  const compared = fields
    .filter((field) => field in ours && field in yours)
    .map((field) => ({ field, ours: ours[field], yours: yours[field], equal: Object.is(ours[field], yours[field]) }));
  return { identical: compared.length > 0 && compared.every((f) => f.equal), fields: compared };
}
