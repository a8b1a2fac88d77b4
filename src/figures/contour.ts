/**
 * The line where a field sampled on a grid crosses zero (marching squares, linear interpolation), as
 * closed rings. The grid is padded with a border of negative values first, so every ring closes: where a
 * region of positive values meets the grid's edge, its ring runs half a step outside the sampled area,
 * and a plot that clips to its domain shows the region filled to the edge and the boundary only where
 * the field itself crosses zero.
 */

/** A field sampled at `nx` × `ny` points, row-major (y outer), from (x0, y0) in steps of (dx, dy). */
export interface Grid {
  nx: number;
  ny: number;
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  values: Float64Array;
}

export type Ring = [number, number][];

export function zeroRings(grid: Grid): Ring[] {
  // Padded grid: one extra sample of value -1 on every side.
  const nx = grid.nx + 2;
  const ny = grid.ny + 2;
  const at = (i: number, j: number) => (i === 0 || j === 0 || i === nx - 1 || j === ny - 1 ? -1 : grid.values[(j - 1) * grid.nx + (i - 1)]!);
  const point = (i: number, j: number): [number, number] => [grid.x0 + (i - 1) * grid.dx, grid.y0 + (j - 1) * grid.dy];
  // The crossing on the edge from sample a to sample b (one of them positive, the other not).
  const crossing = (ai: number, aj: number, bi: number, bj: number): [number, number] => {
    const va = at(ai, aj);
    const vb = at(bi, bj);
    const t = va / (va - vb);
    const [xa, ya] = point(ai, aj);
    const [xb, yb] = point(bi, bj);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  // Edges are named by their lower-left sample and direction, so neighbouring cells share the key.
  const key = (i: number, j: number, horizontal: boolean) => `${i},${j},${horizontal ? 'h' : 'v'}`;
  const next = new Map<string, string>();
  const where = new Map<string, [number, number]>();
  const edge = (i: number, j: number, horizontal: boolean) => {
    const k = key(i, j, horizontal);
    if (!where.has(k)) where.set(k, horizontal ? crossing(i, j, i + 1, j) : crossing(i, j, i, j + 1));
    return k;
  };
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = at(i, j) > 0; // lower left
      const b = at(i + 1, j) > 0; // lower right
      const c = at(i + 1, j + 1) > 0; // upper right
      const d = at(i, j + 1) > 0; // upper left
      const bottom = () => edge(i, j, true);
      const right = () => edge(i + 1, j, false);
      const top = () => edge(i, j + 1, true);
      const left = () => edge(i, j, false);
      // Segments oriented with the positive side on their right, so that rings chain in one direction.
      const segments: (readonly [() => string, () => string])[] = [];
      const code = (a ? 1 : 0) | (b ? 2 : 0) | (c ? 4 : 0) | (d ? 8 : 0);
      const centre = (at(i, j) + at(i + 1, j) + at(i + 1, j + 1) + at(i, j + 1)) / 4 > 0;
      switch (code) {
        case 1: segments.push([left, bottom]); break;
        case 2: segments.push([bottom, right]); break;
        case 3: segments.push([left, right]); break;
        case 4: segments.push([right, top]); break;
        case 5: segments.push(...(centre ? ([[left, top], [right, bottom]] as const) : ([[left, bottom], [right, top]] as const))); break;
        case 6: segments.push([bottom, top]); break;
        case 7: segments.push([left, top]); break;
        case 8: segments.push([top, left]); break;
        case 9: segments.push([top, bottom]); break;
        case 10: segments.push(...(centre ? ([[bottom, left], [top, right]] as const) : ([[bottom, right], [top, left]] as const))); break;
        case 11: segments.push([top, right]); break;
        case 12: segments.push([right, left]); break;
        case 13: segments.push([right, bottom]); break;
        case 14: segments.push([bottom, left]); break;
        default: break; // 0 and 15: no crossing
      }
      for (const [from, to] of segments) next.set(from(), to());
    }
  }
  const rings: Ring[] = [];
  const seen = new Set<string>();
  for (const start of next.keys()) {
    if (seen.has(start)) continue;
    const ring: Ring = [];
    let k: string | undefined = start;
    while (k !== undefined && !seen.has(k)) {
      seen.add(k);
      ring.push(where.get(k)!);
      k = next.get(k);
    }
    rings.push(ring);
  }
  return rings;
}

/** Signed area of a ring (positive when counter-clockwise in y-up coordinates). */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}
