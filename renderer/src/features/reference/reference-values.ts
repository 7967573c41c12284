import {
  type Appellation,
  type CommuneSuggestion,
  type CoordinateSource,
  coordinateNote,
  formatCommune,
  formatNaf,
  type NafActivity,
} from '../../../../shared/domain/reference';

/**
 * What the reference inputs give to forms (`onChange`) and accept back (`value`), and how a value
 * reads in the field. Pure.
 */

/** A commune chosen in a form: the postal code picked and the position used for distances. */
export interface SelectedCommune {
  /** INSEE code. */
  code: string;
  name: string;
  postalCode: string;
  departement: string;
  lat: number;
  lon: number;
  /** `commune` when the position is the commune's own, otherwise how it was approximated. */
  source: CoordinateSource;
}

/** What a form may hold for a commune (older records may lack the code or the position). */
export type CommuneValue = Pick<SelectedCommune, 'name' | 'postalCode'> & Partial<SelectedCommune>;

export type AppellationValue = Pick<Appellation, 'codeOgr' | 'label' | 'romeCode'> & Partial<Appellation>;

export type NafValue = Pick<NafActivity, 'code' | 'label'> & Partial<NafActivity>;

export function toSelectedCommune(s: CommuneSuggestion): SelectedCommune {
  return {
    code: s.code,
    name: s.name,
    postalCode: s.postalCode,
    departement: s.departement,
    lat: s.latitude,
    lon: s.longitude,
    source: s.coordinateSource,
  };
}

/** « Lyon (69003) » */
export function communeText(v: CommuneValue | null): string {
  if (!v?.name) return '';
  return v.postalCode ? formatCommune({ name: v.name, postalCode: v.postalCode, departement: '' }) : v.name;
}

/** The note shown under a commune whose position is approximate, capitalised; null otherwise. */
export function communeNote(v: Pick<CommuneValue, 'source'> | null): string | null {
  const note = v?.source ? coordinateNote(v.source) : null;
  return note ? note.charAt(0).toUpperCase() + note.slice(1) : null;
}

export function appellationText(v: AppellationValue | null): string {
  return v?.label ?? '';
}

export function nafText(v: NafValue | null): string {
  return v ? formatNaf(v) : '';
}

/**
 * What to search for when the field still shows the chosen value (↓ on a filled field): the
 * value's own key, so that it comes first, rather than its display text.
 */
export function communeQuery(v: CommuneValue): string {
  return `${v.name} ${v.postalCode}`.trim();
}

export function nafQuery(v: NafValue): string {
  return v.code;
}

export function appellationQuery(v: AppellationValue): string {
  return v.label;
}
