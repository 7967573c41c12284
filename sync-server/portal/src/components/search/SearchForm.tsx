import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import {
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  type ContractType,
  QUALIFICATION_LABELS,
  QUALIFICATION_LEVELS,
  type QualificationLevel,
  WORKING_TIME_LABELS,
  WORKING_TIMES,
  type WorkingTime,
} from '../../../../../shared/domain/offer';
import {
  MAX_KEYWORDS,
  type OfferSearchCriteria,
  PUBLISHED_WITHIN_CHOICES,
  RADIUS_CHOICES,
  validateCriteria,
} from '../../../../../shared/domain/offer-search';
import { ROME_DOMAINS } from '../../../../../shared/domain/rome-domains';
import type { FieldError } from '../../../../../shared/sync/errors';
import {
  type AppellationChoice,
  type PlaceChoice,
  suggestAppellations,
  suggestPlaces,
} from '../../search-api';
import { Autocomplete } from './Autocomplete';

/** Field ids of the form, by criterion (the error summary links to them). */
const FIELD_IDS: Record<string, string> = {
  keywords: 'recherche-mots-cles',
  appellation: 'recherche-mots-cles',
  strict: 'recherche-strict',
  place: 'recherche-lieu',
  radiusKm: 'recherche-rayon',
  contractTypes: `recherche-contrat-${CONTRACT_TYPES[0]}`,
  domain: 'recherche-domaine',
  romeCode: 'recherche-rome',
  qualifications: `recherche-qualification-${QUALIFICATION_LEVELS[0]}`,
  workingTimes: `recherche-temps-${WORKING_TIMES[0]}`,
  publishedWithinDays: 'recherche-publication',
  salaryMin: 'recherche-salaire',
  seasonal: 'recherche-saisonnier',
  offerNumber: 'recherche-numero',
};

const FIELD_LABELS: Record<string, string> = {
  keywords: 'Métier ou mots-clés',
  appellation: 'Métier',
  strict: 'Strictement',
  place: 'Lieu de travail',
  radiusKm: 'Rayon',
  contractTypes: 'Type de contrat',
  domain: 'Domaine professionnel',
  romeCode: 'Code ROME',
  qualifications: 'Qualification',
  workingTimes: 'Temps de travail',
  publishedWithinDays: 'Date de publication',
  salaryMin: 'Salaire minimum',
  seasonal: 'Offres saisonnières',
  offerNumber: 'Numéro d’offre',
  page: 'Page',
  sort: 'Tri',
  pageSize: 'Offres par page',
};

export interface SearchLabels {
  place?: string;
  appellation?: string;
}

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

/** The list of errors, focused after a refused submit, each linked to its field. */
export function ErrorSummary({ errors, focusKey }: { errors: FieldError[]; focusKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again on every refused submit.
  useEffect(() => {
    if (errors.length > 0 && focusKey > 0) ref.current?.focus();
  }, [focusKey]);
  if (errors.length === 0) return null;
  return (
    <div
      className="notice notice--error"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby="recherche-erreurs"
    >
      <h2 id="recherche-erreurs" className="notice__title">
        {errors.length > 1 ? `${errors.length} critères sont à corriger` : 'Un critère est à corriger'}
      </h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.field}-${e.message}`}>
            <a href={`#${FIELD_IDS[e.field] ?? 'recherche-mots-cles'}`}>
              {FIELD_LABELS[e.field] ?? e.field} : {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The search form of seed 002: simple search (métier or keywords, place, radius, contract) and the
 * advanced criteria (domain, ROME code, qualification, working time, publication date, salary,
 * seasonal), then the search by offer number. Submitting hands the criteria to `onSearch`.
 */
export function SearchForm({
  initial,
  labels,
  serverErrors,
  onSearch,
}: {
  initial: OfferSearchCriteria;
  labels: SearchLabels;
  serverErrors: FieldError[];
  onSearch: (criteria: OfferSearchCriteria) => void;
}) {
  const ids = useId();
  const [keywords, setKeywords] = useState(initial.keywords ?? '');
  const [appellation, setAppellation] = useState<AppellationChoice | null>(
    initial.appellation ? { code: initial.appellation, label: labels.appellation ?? '', romeCode: '' } : null,
  );
  const [strict, setStrict] = useState(!!initial.strict);
  const [place, setPlace] = useState<PlaceChoice | null>(
    initial.place ? { ...initial.place, label: labels.place ?? '' } : null,
  );
  const [placeText, setPlaceText] = useState(labels.place ?? '');
  const [radius, setRadius] = useState(initial.radiusKm ?? 10);
  const [contracts, setContracts] = useState<ContractType[]>(initial.contractTypes ?? []);
  const [domain, setDomain] = useState(initial.domain ?? '');
  const [romeCode, setRomeCode] = useState(initial.romeCode ?? '');
  const [qualifications, setQualifications] = useState<QualificationLevel[]>(initial.qualifications ?? []);
  const [workingTimes, setWorkingTimes] = useState<WorkingTime[]>(initial.workingTimes ?? []);
  const [since, setSince] = useState(initial.publishedWithinDays ? String(initial.publishedWithinDays) : '');
  const [salary, setSalary] = useState(initial.salaryMin !== undefined ? String(initial.salaryMin) : '');
  const [seasonal, setSeasonal] = useState(!!initial.seasonal);
  const [number, setNumber] = useState(initial.offerNumber ?? '');
  const [errors, setErrors] = useState<FieldError[]>(serverErrors);
  const [focusKey, setFocusKey] = useState(0);

  // Labels of the criteria of the address arrive with the results.
  useEffect(() => {
    if (labels.place) {
      setPlace((p) => (p && !p.label ? { ...p, label: labels.place! } : p));
      setPlaceText((t) => t || labels.place!);
    }
    if (labels.appellation) setAppellation((a) => (a && !a.label ? { ...a, label: labels.appellation! } : a));
  }, [labels.place, labels.appellation]);

  const advancedOpen =
    !!initial.domain ||
    !!initial.romeCode ||
    !!initial.qualifications?.length ||
    !!initial.workingTimes?.length ||
    !!initial.publishedWithinDays ||
    initial.salaryMin !== undefined ||
    !!initial.seasonal;

  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const errorId = (field: string) => `${ids}-${field}-erreur`;
  const described = (field: string, hint?: string) =>
    [hint, errorOf(field) ? errorId(field) : undefined].filter(Boolean).join(' ') || undefined;
  const fieldErr = (field: string) =>
    errorOf(field) ? (
      <p id={errorId(field)} className="field__error">
        {errorOf(field)}
      </p>
    ) : null;

  const refuse = (found: FieldError[]) => {
    setErrors(found);
    setFocusKey((k) => k + 1);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const c: OfferSearchCriteria = {};
    if (keywords.trim()) c.keywords = keywords.trim();
    if (strict) c.strict = true;
    if (appellation) c.appellation = appellation.code;
    if (romeCode.trim()) c.romeCode = romeCode.trim().toUpperCase();
    const found: FieldError[] = [];
    if (place) {
      c.place = { kind: place.kind, code: place.code };
      if (place.kind === 'commune') c.radiusKm = radius;
    } else if (placeText.trim())
      found.push({
        field: 'place',
        message: 'Choisissez le lieu dans la liste proposée, ou videz le champ.',
      });
    if (contracts.length) c.contractTypes = contracts;
    if (domain) c.domain = domain;
    if (qualifications.length) c.qualifications = qualifications;
    if (workingTimes.length) c.workingTimes = workingTimes;
    if (since) c.publishedWithinDays = Number(since);
    if (salary.trim()) {
      const n = Number(salary.trim().replace(/\s/g, '').replace(',', '.'));
      if (Number.isInteger(n)) c.salaryMin = n;
      else
        found.push({
          field: 'salaryMin',
          message: 'Indiquez un montant en euros, sans centimes (par exemple 1800).',
        });
    }
    if (seasonal) c.seasonal = true;
    found.push(...validateCriteria(c).filter((e) => !found.some((f) => f.field === e.field)));
    if (found.length > 0) return refuse(found);
    setErrors([]);
    onSearch(c);
  };

  const submitNumber = (event: FormEvent) => {
    event.preventDefault();
    const found = validateCriteria({ offerNumber: number.trim() });
    if (!number.trim())
      return refuse([
        { field: 'offerNumber', message: 'Saisissez le numéro de l’offre (six chiffres et une lettre).' },
      ]);
    if (found.length > 0) return refuse(found);
    setErrors([]);
    onSearch({ offerNumber: number.trim() });
  };

  return (
    <div className="offer-search">
      <ErrorSummary errors={errors} focusKey={focusKey} />
      <form className="offer-search__form" aria-labelledby={`${ids}-titre`} onSubmit={submit} noValidate>
        <h2 id={`${ids}-titre`} className="offer-search__title">
          Rechercher une offre
        </h2>
        <div className="offer-search__grid">
          <div className="field offer-search__keywords">
            <label htmlFor={FIELD_IDS.keywords}>Métier ou mots-clés</label>
            <p id={`${ids}-kw-hint`} className="field__hint">
              Jusqu’à {MAX_KEYWORDS} mots-clés séparés par un espace (ex. : maître nageur), ou choisissez un
              métier proposé.
            </p>
            <Autocomplete<AppellationChoice>
              id={FIELD_IDS.keywords!}
              text={keywords}
              onType={setKeywords}
              onPick={(a) => {
                setAppellation(a);
                setKeywords('');
              }}
              suggest={suggestAppellations}
              labelOf={(a) => a.label}
              keyOf={(a) => a.code}
              listLabel="Métiers proposés"
              invalid={!!errorOf('keywords') || !!errorOf('appellation')}
              describedBy={[
                `${ids}-kw-hint`,
                errorOf('keywords') ? errorId('keywords') : '',
                errorOf('appellation') ? errorId('appellation') : '',
              ]
                .filter(Boolean)
                .join(' ')}
            />
            {fieldErr('keywords')}
            {fieldErr('appellation')}
            {appellation && (
              <p className="offer-search__chosen">
                Métier choisi : <strong>{appellation.label || `appellation ${appellation.code}`}</strong>{' '}
                <button type="button" className="link-button" onClick={() => setAppellation(null)}>
                  Retirer le métier
                </button>
              </p>
            )}
            <div className="choice">
              <input
                id={FIELD_IDS.strict}
                type="checkbox"
                checked={strict}
                onChange={(event) => setStrict(event.target.checked)}
              />
              <label htmlFor={FIELD_IDS.strict}>
                Afficher strictement les offres contenant ces mots-clés
              </label>
            </div>
          </div>

          <div className="field offer-search__place">
            <label htmlFor={FIELD_IDS.place}>Lieu de travail</label>
            <p id={`${ids}-place-hint`} className="field__hint">
              Une commune, un département ou une région.
            </p>
            <Autocomplete<PlaceChoice>
              id={FIELD_IDS.place!}
              text={placeText}
              onType={(t) => {
                setPlaceText(t);
                setPlace(null);
              }}
              onPick={(p) => {
                setPlace(p);
                setPlaceText(p.label);
              }}
              suggest={suggestPlaces}
              labelOf={(p) => p.label}
              keyOf={(p) => `${p.kind}-${p.code}`}
              listLabel="Lieux proposés"
              invalid={!!errorOf('place')}
              describedBy={described('place', `${ids}-place-hint`)}
            />
            {fieldErr('place')}
          </div>

          <div className="field offer-search__radius">
            <label htmlFor={FIELD_IDS.radiusKm}>Rayon autour de la commune</label>
            <select
              id={FIELD_IDS.radiusKm}
              value={radius}
              disabled={place?.kind !== 'commune'}
              aria-invalid={!!errorOf('radiusKm') || undefined}
              aria-describedby={described('radiusKm', `${ids}-radius-hint`)}
              onChange={(event) => setRadius(Number(event.target.value))}
            >
              {RADIUS_CHOICES.map((r) => (
                <option key={r} value={r}>
                  {r === 0 ? 'La commune seule' : `${r} km`}
                </option>
              ))}
            </select>
            <p id={`${ids}-radius-hint`} className="field__hint">
              {place?.kind === 'commune' ? 'Distance à vol d’oiseau.' : 'Choisissez d’abord une commune.'}
            </p>
            {fieldErr('radiusKm')}
          </div>

          <fieldset className="offer-search__contracts" aria-describedby={described('contractTypes')}>
            <legend>Type de contrat</legend>
            {CONTRACT_TYPES.map((t) => (
              <div className="choice" key={t}>
                <input
                  id={`recherche-contrat-${t}`}
                  type="checkbox"
                  checked={contracts.includes(t)}
                  onChange={(event) => setContracts((l) => toggle(l, t, event.target.checked))}
                />
                <label htmlFor={`recherche-contrat-${t}`}>{CONTRACT_TYPE_LABELS[t]}</label>
              </div>
            ))}
            {fieldErr('contractTypes')}
          </fieldset>
        </div>

        <details className="offer-search__advanced" open={advancedOpen}>
          <summary>Recherche avancée</summary>
          <div className="offer-search__grid">
            <div className="field">
              <label htmlFor={FIELD_IDS.domain}>Domaine professionnel</label>
              <select
                id={FIELD_IDS.domain}
                value={domain}
                aria-invalid={!!errorOf('domain') || undefined}
                aria-describedby={described('domain')}
                onChange={(event) => setDomain(event.target.value)}
              >
                <option value="">Tous les domaines</option>
                {ROME_DOMAINS.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.label}
                  </option>
                ))}
              </select>
              {fieldErr('domain')}
            </div>
            <div className="field">
              <label htmlFor={FIELD_IDS.romeCode}>Code ROME (recherche par métier)</label>
              <p id={`${ids}-rome-hint`} className="field__hint">
                Une lettre et quatre chiffres, par exemple D1102. Les métiers proches sont proposés aussi.
              </p>
              <input
                id={FIELD_IDS.romeCode}
                type="text"
                value={romeCode}
                maxLength={5}
                autoComplete="off"
                aria-invalid={!!errorOf('romeCode') || undefined}
                aria-describedby={described('romeCode', `${ids}-rome-hint`)}
                onChange={(event) => setRomeCode(event.target.value)}
              />
              {fieldErr('romeCode')}
            </div>
            <fieldset aria-describedby={described('qualifications')}>
              <legend>Qualification</legend>
              {QUALIFICATION_LEVELS.map((q) => (
                <div className="choice" key={q}>
                  <input
                    id={`recherche-qualification-${q}`}
                    type="checkbox"
                    checked={qualifications.includes(q)}
                    onChange={(event) => setQualifications((l) => toggle(l, q, event.target.checked))}
                  />
                  <label htmlFor={`recherche-qualification-${q}`}>{QUALIFICATION_LABELS[q]}</label>
                </div>
              ))}
              {fieldErr('qualifications')}
            </fieldset>
            <fieldset aria-describedby={described('workingTimes')}>
              <legend>Temps de travail</legend>
              {WORKING_TIMES.map((w) => (
                <div className="choice" key={w}>
                  <input
                    id={`recherche-temps-${w}`}
                    type="checkbox"
                    checked={workingTimes.includes(w)}
                    onChange={(event) => setWorkingTimes((l) => toggle(l, w, event.target.checked))}
                  />
                  <label htmlFor={`recherche-temps-${w}`}>{WORKING_TIME_LABELS[w]}</label>
                </div>
              ))}
              {fieldErr('workingTimes')}
            </fieldset>
            <div className="field">
              <label htmlFor={FIELD_IDS.publishedWithinDays}>Date de publication</label>
              <select
                id={FIELD_IDS.publishedWithinDays}
                value={since}
                aria-invalid={!!errorOf('publishedWithinDays') || undefined}
                aria-describedby={described('publishedWithinDays')}
                onChange={(event) => setSince(event.target.value)}
              >
                <option value="">Toutes les dates</option>
                {PUBLISHED_WITHIN_CHOICES.map((d) => (
                  <option key={d} value={d}>
                    {d === 1 ? 'Depuis 24 heures' : `Depuis ${d} jours`}
                  </option>
                ))}
              </select>
              {fieldErr('publishedWithinDays')}
            </div>
            <div className="field">
              <label htmlFor={FIELD_IDS.salaryMin}>Salaire minimum (brut mensuel, en euros)</label>
              <input
                id={FIELD_IDS.salaryMin}
                type="text"
                inputMode="numeric"
                value={salary}
                maxLength={7}
                autoComplete="off"
                aria-invalid={!!errorOf('salaryMin') || undefined}
                aria-describedby={described('salaryMin')}
                onChange={(event) => setSalary(event.target.value)}
              />
              {fieldErr('salaryMin')}
            </div>
            <div className="choice">
              <input
                id={FIELD_IDS.seasonal}
                type="checkbox"
                checked={seasonal}
                onChange={(event) => setSeasonal(event.target.checked)}
              />
              <label htmlFor={FIELD_IDS.seasonal}>Offres saisonnières uniquement</label>
            </div>
          </div>
        </details>

        <div className="form__actions">
          <button type="submit" className="button">
            Lancer la recherche
          </button>
        </div>
      </form>

      <form
        className="offer-search__number"
        aria-labelledby={`${ids}-numero-titre`}
        onSubmit={submitNumber}
        noValidate
      >
        <h2 id={`${ids}-numero-titre`} className="offer-search__title">
          Rechercher par numéro d’offre
        </h2>
        <div className="field">
          <label htmlFor={FIELD_IDS.offerNumber}>Numéro d’offre</label>
          <p id={`${ids}-numero-hint`} className="field__hint">
            Six chiffres et une lettre, par exemple 100001A.
          </p>
          <div className="offer-search__inline">
            <input
              id={FIELD_IDS.offerNumber}
              type="text"
              value={number}
              maxLength={12}
              autoComplete="off"
              aria-invalid={!!errorOf('offerNumber') || undefined}
              aria-describedby={described('offerNumber', `${ids}-numero-hint`)}
              onChange={(event) => setNumber(event.target.value)}
            />
            <button type="submit" className="button button--secondary">
              Rechercher
            </button>
          </div>
          {fieldErr('offerNumber')}
        </div>
      </form>
    </div>
  );
}
