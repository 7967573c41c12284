/**
 * What the server derives from a CVthèque document (pure): its replication keys
 * (« cvt:<département>:<domain> »), its search facets and the grid cells of its positions.
 */
import { cvDomains, cvPositions, cvStems, fold } from '../../../shared/domain/cv-search';
import type { CvDoc } from '../../../shared/schemas/cv.schema';

/** A CV without position, or without domain, takes « - » in its keys. */
export const NONE = '-';

/** The département of an INSEE commune code (« 11069 » → « 11 », « 2A004 » → « 2A », « 97411 » → « 974 »). */
export function departementOf(communeCode: string): string {
  const code = communeCode.toUpperCase();
  return code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
}

/** The départements of a CV: its commune's and its workplaces' (« - » when it has none). */
export function cvDepartements(doc: CvDoc): string[] {
  const out = [...new Set(cvPositions(doc).map((p) => departementOf(p.code)))];
  return out.length ? out : [NONE];
}

export function cvtKey(departement: string, domain: string): string {
  return `cvt:${departement}:${domain}`;
}

/** Every CV of the CVthèque (a scope that holds it all: the cap is not reached). */
export const CVT_ALL = 'cvt:all';
/** Every CV of one département, whatever its domain. */
export function cvtDepartementKey(departement: string): string {
  return `cvt:${departement}:*`;
}

/**
 * The CVthèque replication keys of a CV: each of its départements × each of its domains, plus
 * each of its départements whole and the whole CVthèque (scopes that take them whole hold one key,
 * not fifteen, nor 1,500).
 */
export function cvReplicaKeys(doc: CvDoc): string[] {
  const domains = cvDomains(doc);
  const keys: string[] = [CVT_ALL];
  for (const d of cvDepartements(doc)) {
    keys.push(cvtDepartementKey(d));
    for (const domain of domains.length ? domains : [NONE]) keys.push(cvtKey(d, domain));
  }
  return [...new Set(keys)];
}

/** Whether a set of scope keys holds the (département, domain) key. */
export function scopeCovers(scope: readonly string[], departement: string, domain: string): boolean {
  return (
    scope.includes(CVT_ALL) ||
    scope.includes(cvtDepartementKey(departement)) ||
    scope.includes(cvtKey(departement, domain))
  );
}

/** Grid step of the position cells (degrees). */
export const CELL_DEGREES = 0.5;
const KM_PER_DEGREE = (6371.0088 * Math.PI) / 180;

export function cellOf(lat: number, lon: number): string {
  return `p:${Math.floor(lat / CELL_DEGREES)}:${Math.floor(lon / CELL_DEGREES)}`;
}

/** The cells that cover every point within `radiusKm` of a place (a bounding box, with a margin). */
export function cellsAround(lat: number, lon: number, radiusKm: number): string[] {
  const r = radiusKm + 1;
  const dLat = r / KM_PER_DEGREE;
  const maxLat = Math.min(89.9, Math.abs(lat) + dLat);
  const dLon = Math.min(180, r / (KM_PER_DEGREE * Math.max(0.01, Math.cos((maxLat * Math.PI) / 180))));
  const cells: string[] = [];
  for (
    let row = Math.floor((lat - dLat) / CELL_DEGREES);
    row <= Math.floor((lat + dLat) / CELL_DEGREES);
    row++
  )
    for (
      let col = Math.floor((lon - dLon) / CELL_DEGREES);
      col <= Math.floor((lon + dLon) / CELL_DEGREES);
      col++
    )
      cells.push(`p:${row}:${col}`);
  return cells;
}

/** The search facets of a CV (see migration 016). */
export function cvFacets(doc: CvDoc): string[] {
  const f = new Set<string>();
  if (doc.rqth) f.add(`r:${doc.rqth}`);
  if (doc.qualification) f.add(`q:${doc.qualification}`);
  for (const d of cvDomains(doc)) f.add(`d:${d}`);
  for (const c of doc.contractTypes ?? []) f.add(`c:${c}`);
  if (doc.availability) f.add(`a:${doc.availability}`);
  for (const l of doc.licences) f.add(`l:${l}`);
  for (const l of doc.languages) f.add(`n:${fold(l.language.trim())}`);
  if (doc.romeCode) f.add(`o:${doc.romeCode}`);
  for (const p of cvPositions(doc)) {
    f.add(`g:${departementOf(p.code)}`);
    f.add(`m:${p.code}`);
    if (typeof p.lat === 'number' && typeof p.lon === 'number') f.add(cellOf(p.lat, p.lon));
  }
  return [...f];
}

/** The stems of a CV as the search index stores them. */
export function cvIndexStems(doc: CvDoc): string[] {
  return [...cvStems(doc).keys()];
}
