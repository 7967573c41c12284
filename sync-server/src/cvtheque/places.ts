/**
 * Places for the CVthèque, from the communes reference: a commune's coordinates, and each
 * département's name and centre (the mean position of its communes), loaded once. Without the
 * reference file (not generated), nothing is located: CVs keep their codes, scopes order
 * départements by code.
 */
import { communeReference, findCommune } from '../reference/communes';

export function locateCommune(code: string): { lat: number; lon: number } | null {
  try {
    const c = findCommune(code);
    return c ? { lat: c.latitude, lon: c.longitude } : null;
  } catch {
    return null;
  }
}

export interface Departement {
  code: string;
  name: string;
  lat: number;
  lon: number;
}

let departements: Map<string, Departement> | null = null;

/** Forgets the centres (tests that swap the reference folder). */
export function unloadDepartementCentres(): void {
  departements = null;
}

/** Every département of the reference with its name and centre (empty without the reference). */
export function departementCentres(): Map<string, Departement> {
  if (departements) return departements;
  const sums = new Map<string, { name: string; lat: number; lon: number; n: number }>();
  try {
    for (const c of communeReference().index.communes) {
      if (c.parentCode) continue; // arrondissements: their city counts once
      const s = sums.get(c.departement) ?? { name: c.departementName, lat: 0, lon: 0, n: 0 };
      s.lat += c.latitude;
      s.lon += c.longitude;
      s.n++;
      sums.set(c.departement, s);
    }
  } catch {
    return new Map();
  }
  departements = new Map(
    [...sums].map(([code, s]) => [code, { code, name: s.name, lat: s.lat / s.n, lon: s.lon / s.n }]),
  );
  return departements;
}
