/**
 * The places of the offer search: a commune (INSEE code), a département or a région, from the
 * communes referential (`resources/reference/communes.json`). Suggestions for the « Lieu » field
 * mix the three; a chosen place is resolved to what the search needs (position, départements).
 */
import { foldText, type PlaceKind } from '../../../shared/domain/offer-search';
import type { CommunesFile } from '../../../shared/domain/reference';
import { communeReference, findCommune, suggestCommunes } from '../reference/communes';
import { ReferenceDataMissingError, readReferenceFile, withReference } from '../reference/versioned-json';

export interface PlaceSuggestion {
  kind: PlaceKind;
  code: string;
  label: string;
}

export type ResolvedPlace =
  | { kind: 'commune'; code: string; label: string; lat: number; lon: number; codes: string[] }
  | { kind: 'departement'; code: string; label: string; departments: string[] }
  | { kind: 'region'; code: string; label: string; departments: string[] };

interface Areas {
  departements: { code: string; name: string; region: string; folded: string }[];
  regions: { code: string; name: string; folded: string; departments: string[] }[];
}

let areas: Areas | null = null;

/** Forgets the départements and régions read (tests that swap the reference folder). */
export function unloadAreas(): void {
  areas = null;
}

/** Départements and régions (names, codes), read once from the communes file. */
function loadAreas(): Areas {
  if (areas) return areas;
  const { file } = readReferenceFile<CommunesFile>('communes.json');
  const departements = file.departements.map(([code, name, region]) => ({
    code,
    name,
    region,
    folded: foldText(name).replace(/[^a-z0-9]+/g, ' '),
  }));
  const regions = file.regions.map(([code, name]) => ({
    code,
    name,
    folded: foldText(name).replace(/[^a-z0-9]+/g, ' '),
    departments: departements.filter((d) => d.region === code).map((d) => d.code),
  }));
  areas = { departements, regions };
  return areas;
}

export function departementLabel(code: string, name: string): string {
  return `${name} (${code})`;
}

export function regionLabel(name: string): string {
  return `${name} (région)`;
}

/** A chosen place with what the search needs, or null when the code is unknown. */
export function resolvePlace(place: { kind: PlaceKind; code: string }): ResolvedPlace | null {
  const code = place.code.toUpperCase();
  if (place.kind === 'commune') {
    const commune = findCommune(code);
    if (!commune) return null;
    // A city with arrondissements (Paris, Lyon, Marseille) covers them, and an arrondissement its city.
    const codes = new Set([commune.code]);
    if (commune.parentCode) codes.add(commune.parentCode);
    for (const c of communeReference().index.communes) if (c.parentCode === commune.code) codes.add(c.code);
    return {
      kind: 'commune',
      code: commune.code,
      label: `${commune.name} (${commune.postalCodes[0] ?? commune.departement})`,
      lat: commune.latitude,
      lon: commune.longitude,
      codes: [...codes],
    };
  }
  const { departements, regions } = loadAreas();
  if (place.kind === 'departement') {
    const d = departements.find((x) => x.code === code);
    return d
      ? { kind: 'departement', code, label: departementLabel(d.code, d.name), departments: [code] }
      : null;
  }
  const r = regions.find((x) => x.code === code);
  return r ? { kind: 'region', code, label: regionLabel(r.name), departments: r.departments } : null;
}

/** « Lieu » type-ahead: régions and départements whose name or code matches, then communes. */
export function suggestPlaces(query: string, limit: number): PlaceSuggestion[] {
  const q = foldText(query.trim())
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (!q) return [];
  const { departements, regions } = loadAreas();
  const rank = (folded: string) => (folded.startsWith(q) ? 0 : folded.includes(` ${q}`) ? 1 : 2);
  const out: PlaceSuggestion[] = [];
  const areaMatches = [
    ...regions
      .filter((r) => r.folded.includes(q))
      .map((r) => ({
        r: rank(r.folded),
        s: { kind: 'region' as const, code: r.code, label: regionLabel(r.name) },
      })),
    ...departements
      .filter((d) => d.folded.includes(q) || d.code.toLowerCase() === q)
      .map((d) => ({
        r: d.code.toLowerCase() === q ? -1 : rank(d.folded),
        s: { kind: 'departement' as const, code: d.code, label: departementLabel(d.code, d.name) },
      })),
  ]
    .filter((m) => m.r < 2)
    .sort((a, b) => a.r - b.r);
  out.push(...areaMatches.slice(0, Math.min(3, limit)).map((m) => m.s));
  for (const c of suggestCommunes(query, limit)) {
    if (out.length >= limit) break;
    out.push({ kind: 'commune', code: c.code, label: `${c.name} (${c.postalCode || c.departement})` });
  }
  return out;
}

/** Runs `fn`, turning a missing reference file into the French 503 of `withReference`. */
export async function withReferenceAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ReferenceDataMissingError)
      return withReference(() => {
        throw error;
      });
    throw error;
  }
}
