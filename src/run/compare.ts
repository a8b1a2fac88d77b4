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

/**
 * How close a run on a GPU backend (WebGPU, WebGL) must come to our committed row, which was made on
 * WebAssembly. GPU kernels add in another order and may fuse or round differently (WebGL stores
 * float32 in textures, some drivers compute in lower precision inside), so the last digits differ from
 * the first step; a trial's stopping rule may then keep another epoch, and a fixed-epoch run follows
 * another trajectory. The bound is one percentage point of accuracy (100 of the 10,000 test images):
 * below the spread between seeds that every chart shows (the shaded bands), so a run within it says
 * "the same result, up to rounding", and one outside it says that something else differs.
 */
export const GPU_TOLERANCE = 0.01;

export interface ToleranceComparison {
  within: boolean;
  /** The accuracy fields compared, each with its difference (yours − ours). */
  fields: { field: string; ours: number; yours: number; difference: number }[];
}

/** Compares the accuracy fields (a name ending in "Accuracy", or "valAccuracy@N") present as numbers on both sides. */
export function compareWithin(ours: Record<string, unknown>, yours: Record<string, unknown>, tolerance = GPU_TOLERANCE): ToleranceComparison {
  const fields = Object.keys(ours)
    .filter((field) => /Accuracy(@\d+)?$/.test(field) && typeof ours[field] === 'number' && typeof yours[field] === 'number')
    .map((field) => ({ field, ours: ours[field] as number, yours: yours[field] as number, difference: (yours[field] as number) - (ours[field] as number) }));
  return { within: fields.length > 0 && fields.every((f) => Math.abs(f.difference) <= tolerance), fields };
}
