import {
  buildCommuneIndex,
  type Commune,
  type CommuneIndex,
  type CommuneSuggestion,
  type CommunesFile,
  communesWithin,
  searchCommunes,
} from '../../../shared/domain/reference';
import { prepareVersionedJson, readReferenceFile, type VersionedJson } from './versioned-json';

/**
 * French communes with postal codes and coordinates, from `resources/reference/communes.json`
 * (generated at build time, see `scripts/build-reference.ts`), loaded once on first use.
 */

interface CommuneReference {
  index: CommuneIndex;
  body: VersionedJson;
}

let loaded: CommuneReference | null = null;

/** The loaded referential; throws `ReferenceDataMissingError` when the file was not generated. */
export function communeReference(): CommuneReference {
  if (!loaded) {
    const { file, json } = readReferenceFile<CommunesFile>('communes.json');
    loaded = { index: buildCommuneIndex(file), body: prepareVersionedJson(file.version, json) };
  }
  return loaded;
}

/** Forgets the loaded file (tests that swap the data folder). */
export function unloadCommunes(): void {
  loaded = null;
}

export const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;

/** A commune (or arrondissement municipal) by INSEE code, or null. */
export function findCommune(code: string): Commune | null {
  return communeReference().index.byCode.get(code.toUpperCase()) ?? null;
}

/** Communes within `radiusKm` of a point, nearest first, with their distance in km (one decimal). */
export function communesNear(
  latitude: number,
  longitude: number,
  radiusKm: number,
): (Commune & { distanceKm: number })[] {
  return communesWithin(communeReference().index, latitude, longitude, radiusKm);
}

/** Type-ahead: see `searchCommunes` for the ranking. */
export function suggestCommunes(query: string, limit: number): CommuneSuggestion[] {
  return searchCommunes(communeReference().index, query, limit);
}
