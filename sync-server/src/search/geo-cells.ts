/**
 * Grid cells for the radius search. Every indexed offer carries, in `offer_search.facets`, the
 * cell of its position at each resolution of `GEO_CELL_STEPS` (« g<n>:<row>:<column> », n from 1):
 * a search around a commune asks the text index for the cells covering its bounding box, so that
 * keywords, contracts and place are intersected in one GIN scan before a row is read; the exact
 * distance is computed afterwards on those rows only.
 *
 * The same arithmetic runs in SQL (`offer_search_facets`, migration 015): floor(degrees / step)
 * on IEEE doubles, so both sides name the same cells (checked by a test against the database).
 */

/** Cell sizes in degrees, finest first. Changing them needs a migration that rebuilds the facets. */
export const GEO_CELL_STEPS = [0.1, 0.25, 0.5, 1, 2] as const;

/** At most this many cells in one search; beyond, the search falls back to the (lat, lon) index. */
export const MAX_CELLS = 48;

/** A coordinate within 1e-9° of 0 counts as 0 (as in SQL, where a subnormal would underflow). */
const nearZero = (x: number) => (Math.abs(x) < 1e-9 ? 0 : x);

/** The cell facets of a position (what the SQL function stores for an offer). */
export function cellsOf(latitude: number, longitude: number): string[] {
  const lat = nearZero(latitude);
  const lon = nearZero(longitude);
  return GEO_CELL_STEPS.map((step, i) => `g${i + 1}:${Math.floor(lat / step)}:${Math.floor(lon / step)}`);
}

/**
 * The cells of the finest resolution that cover the box [lat ± dLat] × [lon ± dLon] in at most
 * `MAX_CELLS` cells; null when even the coarsest needs more (the caller uses the box itself).
 */
export function cellsCovering(lat: number, lon: number, dLat: number, dLon: number): string[] | null {
  for (const [i, step] of GEO_CELL_STEPS.entries()) {
    const rows = [Math.floor((lat - dLat) / step), Math.floor((lat + dLat) / step)] as const;
    const cols = [Math.floor((lon - dLon) / step), Math.floor((lon + dLon) / step)] as const;
    const count = (rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1);
    if (count > MAX_CELLS) continue;
    const cells: string[] = [];
    for (let r = rows[0]; r <= rows[1]; r++)
      for (let c = cols[0]; c <= cols[1]; c++) cells.push(`g${i + 1}:${r}:${c}`);
    return cells;
  }
  return null;
}
