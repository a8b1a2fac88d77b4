/**
 * A chart's finished runs in the page's address, so that a link draws them without training (and can
 * retrain them to check): `?saved-<key>=<base64url of JSON>`, one parameter per chart's form. Pure and
 * browser-safe (unit-tested in tests/unit/run-plan.test.ts). A value that does not decode, or decodes to
 * something else, gives no runs, never an error on the page.
 */
import type { RunConfig } from './plan.ts';

/** A finished trial (the fields our rows have) or fixed-epoch run (validation accuracy per epoch). */
export type SavedResult =
  | { kind: 'trial'; testAccuracy: number | null; valAccuracy: number | null; trainAccuracy: number | null; keptEpoch: number; epochsRun: number; steps: number; trainLoss: number | null; valLoss: number | null; diverged: boolean; params: number; backend: string }
  | { kind: 'curve'; valAccuracy: number[]; testAccuracy: number | null; diverged: boolean; backend: string; testEpochs?: number };

export interface SavedRun {
  config: RunConfig;
  result: SavedResult;
}

export const savedParam = (key: string) => `saved-${key}`;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeRuns(runs: SavedRun[]): string {
  return toBase64Url(JSON.stringify(runs.map((r) => ({ c: r.config, r: r.result }))));
}

const isNumberOrNull = (x: unknown) => x === null || typeof x === 'number';

export function decodeRuns(text: string | null, limit: number): SavedRun[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(fromBase64Url(text)) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((x): x is { c: RunConfig; r: SavedResult } => {
        const c = x?.c, r = x?.r;
        if (!c || typeof c !== 'object' || !r || typeof r !== 'object') return false;
        if (!Number.isInteger(c.m) || !Number.isInteger(c.seed) || typeof c.custom !== 'boolean') return false;
        if (r.kind === 'trial') return isNumberOrNull(r.testAccuracy) && isNumberOrNull(r.trainAccuracy);
        return r.kind === 'curve' && Array.isArray(r.valAccuracy) && r.valAccuracy.every((v: unknown) => typeof v === 'number' || v === null) && isNumberOrNull(r.testAccuracy);
      })
      .slice(0, limit)
      .map((x) => ({ config: x.c, result: x.r }));
  } catch {
    return [];
  }
}
