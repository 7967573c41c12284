/**
 * Saved searches and their e-mail alerts (seed 002 « L'abonnement aux offres par email »): a
 * candidate names a search; every day they receive the new offers matching it; the subscription
 * lasts 3 months from its subscription or its last consultation (« chaque consultation depuis
 * l'espace personnel du candidat reconduit automatiquement cette inscription pour 3 mois »).
 */
import { CONTRACT_TYPE_LABELS, QUALIFICATION_LABELS, WORKING_TIME_LABELS } from './offer';
import type { OfferSearchCriteria } from './offer-search';
import { romeDomainLabel } from './rome-domains';

/** A subscription lasts this many months after it is created or renewed. */
export const ALERT_SUBSCRIPTION_MONTHS = 3;
/** The reminder suggesting renewal is sent this many days before the end. */
export const ALERT_EXPIRY_WARNING_DAYS = 7;
/** At most this many saved searches per candidate. */
export const MAX_SAVED_SEARCHES = 20;
export const SAVED_SEARCH_NAME_MAX = 100;
/** At most this many offers listed in one alert e-mail (the rest: a link to the search). */
export const ALERT_MAX_OFFERS_PER_EMAIL = 30;

/** A saved search as the candidate's API returns it. */
export interface SavedSearch {
  id: string;
  name: string;
  criteria: OfferSearchCriteria;
  /** The criteria in French words (« Mots-clés : boulanger · CDI · à 20 km de 44109 »). */
  summary: string;
  createdAt: string;
  /** End of the subscription (ISO). */
  expiresAt: string;
  /** False once unsubscribed (the link in an e-mail); renewing subscribes again. */
  alertEnabled: boolean;
  /** True when the subscription is enabled and not past its end. */
  active: boolean;
  lastAlertAt: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The end of a subscription started or renewed at `from`: 3 calendar months later. */
export function subscriptionEnd(from: Date): Date {
  const end = new Date(from.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + ALERT_SUBSCRIPTION_MONTHS);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}

/** The calendar day (Europe/Paris) of an instant, as `YYYY-MM-DD`: one alert per subscription and day. */
export function parisDay(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checks the name of a saved search; returns it trimmed, or the problem. */
export function validateSearchName(value: unknown, field = 'name'): { name: string } | FieldProblem {
  if (typeof value !== 'string' || !value.trim())
    return { field, message: 'Donnez un nom à cette recherche (par exemple « Boulanger à Nantes »).' };
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length > SAVED_SEARCH_NAME_MAX)
    return { field, message: `Le nom ne doit pas dépasser ${SAVED_SEARCH_NAME_MAX} caractères.` };
  if (CONTROL.test(name)) return { field, message: 'Le nom contient des caractères non autorisés.' };
  return { name };
}

/** The criteria that say something (an empty search would mail every new offer). */
export function hasCriteria(c: OfferSearchCriteria): boolean {
  return Boolean(
    c.keywords?.trim() ||
      c.appellation ||
      c.romeCode ||
      c.place ||
      c.contractTypes?.length ||
      c.domain ||
      c.qualifications?.length ||
      c.workingTimes?.length ||
      c.salaryMin ||
      c.seasonal ||
      c.offerNumber,
  );
}

const PLACE_KIND_LABEL = { commune: 'commune', departement: 'département', region: 'région' } as const;

/** Names of coded criteria, when the caller knows them (reference data). */
export interface CriteriaLabels {
  /** « Nantes (44) », « Loire-Atlantique (44) »… */
  place?: string;
  /** The ROME appellation's label (« Boulanger / Boulangère »). */
  appellation?: string;
  /** The ROME code's label. */
  romeCode?: string;
}

/**
 * The criteria in French words, for « Mes alertes » and the alert e-mail. Coded criteria (place,
 * appellation, ROME code) show their label when `labels` has it, otherwise their code.
 */
export function describeCriteria(c: OfferSearchCriteria, labels: CriteriaLabels = {}): string {
  const parts: string[] = [];
  if (c.offerNumber) return `Offre n° ${c.offerNumber}`;
  if (c.keywords?.trim()) parts.push(`Mots-clés : ${c.keywords.trim()}${c.strict ? ' (strictement)' : ''}`);
  if (c.appellation)
    parts.push(
      labels.appellation ? `Métier : ${labels.appellation}` : `Métier (appellation ${c.appellation})`,
    );
  if (c.romeCode)
    parts.push(labels.romeCode ? `Code ROME ${c.romeCode} (${labels.romeCode})` : `Code ROME ${c.romeCode}`);
  if (c.place) {
    const where = labels.place ?? `${PLACE_KIND_LABEL[c.place.kind] ?? 'lieu'} ${c.place.code}`;
    parts.push(c.radiusKm ? `À ${c.radiusKm} km de ${where}` : `Lieu : ${where}`);
  }
  if (c.contractTypes?.length)
    parts.push(`Contrat : ${c.contractTypes.map((t) => CONTRACT_TYPE_LABELS[t] ?? t).join(', ')}`);
  if (c.domain) parts.push(`Domaine : ${romeDomainLabel(c.domain)}`);
  if (c.qualifications?.length)
    parts.push(`Qualification : ${c.qualifications.map((q) => QUALIFICATION_LABELS[q] ?? q).join(', ')}`);
  if (c.workingTimes?.length)
    parts.push(`Temps de travail : ${c.workingTimes.map((w) => WORKING_TIME_LABELS[w] ?? w).join(', ')}`);
  if (c.salaryMin) parts.push(`Salaire minimum : ${c.salaryMin} € brut par mois`);
  if (c.seasonal) parts.push('Emplois saisonniers');
  if (c.publishedWithinDays) parts.push(`Publiées depuis ${c.publishedWithinDays} jours au plus`);
  return parts.length > 0 ? parts.join(' · ') : 'Toutes les offres';
}

const KNOWN_CONTRACTS = Object.keys(CONTRACT_TYPE_LABELS);
const KNOWN_QUALIFICATIONS = Object.keys(QUALIFICATION_LABELS);
const KNOWN_WORKING_TIMES = Object.keys(WORKING_TIME_LABELS);

/**
 * Checks the shape of saved criteria (the search helper's own validation, when present, checks
 * their meaning): right types, bounded lengths; other keys (paging, sorting) are dropped. Returns the criteria without
 * empty values, or the problems, each naming its field as `criteria.<key>`.
 */
export function normaliseCriteria(
  value: unknown,
): { criteria: OfferSearchCriteria; problems: [] } | { criteria: null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const bad = (key: string, message: string) => problems.push({ field: `criteria.${key}`, message });
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return {
      criteria: null,
      problems: [{ field: 'criteria', message: 'Les critères de recherche manquent.' }],
    };
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const text = (key: string, max: number, pattern?: RegExp, message?: string) => {
    const x = v[key];
    if (x === undefined || x === null || x === '') return;
    if (typeof x !== 'string' || x.length > max || (pattern && !pattern.test(x.trim())))
      bad(key, message ?? `Valeur invalide (texte de ${max} caractères au plus).`);
    else if (x.trim()) out[key] = x.trim();
  };
  const list = (key: string, allowed: string[], label: string) => {
    const x = v[key];
    if (x === undefined || x === null) return;
    if (!Array.isArray(x) || x.some((e) => typeof e !== 'string' || !allowed.includes(e)))
      bad(key, `${label} inconnu.`);
    else if (x.length > 0) out[key] = [...new Set(x as string[])];
  };
  const int = (key: string, min: number, max: number, message: string) => {
    const x = v[key];
    if (x === undefined || x === null || x === '') return;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) bad(key, message);
    else out[key] = x;
  };
  const flag = (key: string) => {
    const x = v[key];
    if (x === undefined || x === null) return;
    if (typeof x !== 'boolean') bad(key, 'Oui ou non attendu.');
    else if (x) out[key] = true;
  };
  text('keywords', 200);
  if (typeof out.keywords === 'string' && out.keywords.split(/\s+/).length > 5)
    bad('keywords', 'Saisissez au plus 5 mots-clés.');
  flag('strict');
  text('appellation', 20, /^\d{1,10}$/, 'Appellation ROME invalide.');
  text(
    'romeCode',
    5,
    /^[A-N]\d{4}$/,
    'Code ROME invalide (une lettre et quatre chiffres, par exemple D1102).',
  );
  const place = v.place;
  if (place !== undefined && place !== null) {
    const p = place as Record<string, unknown>;
    if (
      typeof place !== 'object' ||
      !['commune', 'departement', 'region'].includes(String(p.kind)) ||
      typeof p.code !== 'string' ||
      !/^[0-9AB]{1,5}$/.test(p.code)
    )
      bad('place', 'Lieu invalide : choisissez une commune, un département ou une région.');
    else out.place = { kind: p.kind, code: p.code };
  }
  int('radiusKm', 0, 200, 'Le rayon doit être un nombre de kilomètres entre 0 et 200.');
  list('contractTypes', KNOWN_CONTRACTS, 'Type de contrat');
  text('domain', 1, /^[A-N]$/, 'Domaine inconnu.');
  list('qualifications', KNOWN_QUALIFICATIONS, 'Niveau de qualification');
  list('workingTimes', KNOWN_WORKING_TIMES, 'Temps de travail');
  int('publishedWithinDays', 1, 365, 'Nombre de jours entre 1 et 365 attendu.');
  int('salaryMin', 0, 100_000, 'Salaire minimum entre 0 et 100 000 € attendu.');
  flag('seasonal');
  text('offerNumber', 12, /^\d{4,10}[A-Z]?$/i, 'Numéro d’offre invalide (par exemple 100001A).');
  if (problems.length > 0) return { criteria: null, problems };
  return { criteria: out as OfferSearchCriteria, problems: [] };
}
