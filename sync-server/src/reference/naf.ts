import {
  buildNafIndex,
  type NafActivity,
  type NafFile,
  type NafIndex,
  parseNafCode,
  searchNaf,
} from '../../../shared/domain/reference';
import { prepareVersionedJson, readReferenceFile, type VersionedJson } from './versioned-json';

/**
 * NAF rév. 2 sous-classes from `resources/reference/naf.json` (generated at build time, see
 * `scripts/build-reference.ts`), loaded once on first use.
 */

interface NafReference {
  index: NafIndex;
  body: VersionedJson;
}

let loaded: NafReference | null = null;

/** The loaded referential; throws `ReferenceDataMissingError` when the file was not generated. */
export function nafReference(): NafReference {
  if (!loaded) {
    const { file, json } = readReferenceFile<NafFile>('naf.json');
    loaded = { index: buildNafIndex(file), body: prepareVersionedJson(file.version, json) };
  }
  return loaded;
}

/** Forgets the loaded file (tests that swap the data folder). */
export function unloadNaf(): void {
  loaded = null;
}

/** A sous-classe by code, written loosely or not (« 6201z », « 62.01Z »), or null. */
export function findNaf(code: string): NafActivity | null {
  const official = parseNafCode(code);
  return official ? (nafReference().index.byCode.get(official) ?? null) : null;
}

/** Type-ahead: by code prefix or label words. */
export function suggestNaf(query: string, limit: number): NafActivity[] {
  return searchNaf(nafReference().index, query, limit);
}
