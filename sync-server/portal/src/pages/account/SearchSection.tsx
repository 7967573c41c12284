/** « Ma recherche » (seed 000): what the candidate looks for; pre-fills the offer search. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  type CandidateProfile,
  PROFILE_LIMITS,
  type SearchAppellation,
  type SearchPreferences,
} from '../../../../../shared/domain/candidate-profile';
import {
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  QUALIFICATION_LABELS,
  QUALIFICATION_LEVELS,
} from '../../../../../shared/domain/offer';
import { ROME_DOMAINS } from '../../../../../shared/domain/rome-domains';
import { apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { ErrorSummary, errorFor, Field, FieldError, fieldId, groupProps, localError } from './forms';

interface Suggestion {
  codeOgr: string;
  label: string;
  romeCode: string;
  romeLabel: string;
}

function CheckboxGroup<T extends string>({
  field,
  legend,
  options,
  value,
  onChange,
  error,
}: {
  field: string;
  legend: string;
  options: { value: T; label: string }[];
  value: T[];
  onChange: (next: T[]) => void;
  error: unknown;
}) {
  const message = errorFor(error, field);
  return (
    <fieldset {...groupProps(field, error)}>
      <legend>{legend}</legend>
      <div className="choice-grid">
        {options.map((o) => (
          <div className="choice" key={o.value}>
            <input
              type="checkbox"
              id={`${fieldId(field)}-${o.value}`}
              checked={value.includes(o.value)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))
              }
            />
            <label htmlFor={`${fieldId(field)}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </div>
      <FieldError field={field} message={message} />
    </fieldset>
  );
}

/** Professions (ROME appellations): search, add, remove. */
function AppellationPicker({
  value,
  onChange,
  error,
}: {
  value: SearchAppellation[];
  onChange: (next: SearchAppellation[]) => void;
  error: unknown;
}) {
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [status, setStatus] = useState('');
  const message = errorFor(error, 'search.appellations');

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setSuggestions([]);
      setStatus('');
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      apiRequest<{ items: Suggestion[] }>(
        'GET',
        `/api/reference/rome/appellations?q=${encodeURIComponent(q)}&limit=8`,
        undefined,
        { signal: controller.signal },
      ).then(
        (res) => {
          setSuggestions(res.items);
          setStatus(
            res.items.length === 0
              ? 'Aucune profession trouvée.'
              : `${res.items.length} profession(s) proposée(s) ci-dessous.`,
          );
        },
        () => {
          if (!controller.signal.aborted) setStatus('Recherche des professions impossible pour le moment.');
        },
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const add = (s: Suggestion) => {
    if (!value.some((v) => v.code === s.codeOgr))
      onChange([...value, { code: s.codeOgr, label: s.label, romeCode: s.romeCode }]);
    setQuery('');
    setSuggestions([]);
    setStatus(`${s.label} ajoutée.`);
  };

  return (
    <fieldset {...groupProps('search.appellations', error, true)}>
      <legend>Professions recherchées</legend>
      <p className="field__hint" id={`${fieldId('search.appellations')}-aide`}>
        Cherchez un métier puis ajoutez-le ({PROFILE_LIMITS.appellations} au plus).
      </p>
      {value.length > 0 ? (
        <ul className="chosen-list" aria-label="Professions choisies">
          {value.map((a) => (
            <li key={a.code}>
              {a.label}
              <button
                type="button"
                className="link-button"
                aria-label={`Retirer ${a.label}`}
                onClick={() => onChange(value.filter((v) => v.code !== a.code))}
              >
                Retirer
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune profession choisie.</p>
      )}
      <div className="field">
        <label htmlFor="recherche-profession">Chercher une profession</label>
        <input
          id="recherche-profession"
          type="search"
          autoComplete="off"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.preventDefault();
          }}
        />
      </div>
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {suggestions.length > 0 && (
        <ul className="suggestion-list" aria-label="Professions proposées">
          {suggestions.map((s) => (
            <li key={s.codeOgr}>
              <button type="button" className="button button--secondary" onClick={() => add(s)}>
                Ajouter « {s.label} » ({s.romeCode})
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldError field="search.appellations" message={message} />
    </fieldset>
  );
}

export function SearchSection({
  initial,
  onSaved,
}: {
  initial: CandidateProfile;
  onSaved: (profile: CandidateProfile) => void;
}) {
  const [search, setSearch] = useState<SearchPreferences>(initial.search);
  const [distance, setDistance] = useState(initial.search.maxDistanceKm?.toString() ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const savedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  const set = <K extends keyof SearchPreferences>(key: K, value: SearchPreferences[K]) => {
    setSaved(false);
    setSearch((s) => ({ ...s, [key]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const d = distance.trim();
    const km = d ? Number(d) : null;
    if (km !== null && (!Number.isInteger(km) || km < 1 || km > PROFILE_LIMITS.maxDistanceKm)) {
      setError(
        localError('Vos critères contiennent des erreurs.', [
          {
            field: 'search.maxDistanceKm',
            message: `La limite géographique est un nombre entier de kilomètres, de 1 à ${PROFILE_LIMITS.maxDistanceKm}.`,
          },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      const res = await apiRequest<{ profile: CandidateProfile }>('PUT', '/api/candidate/profile', {
        ...initial,
        search: { ...search, maxDistanceKm: km },
      });
      setError(null);
      setSearch(res.profile.search);
      onSaved(res.profile);
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const adjustmentsError = errorFor(error, 'search.adjustments');
  return (
    <section aria-labelledby="titre-recherche">
      <h2 id="titre-recherche">Ma recherche</h2>
      <p>Ces critères pré-remplissent la recherche d’offres quand vous êtes connecté.</p>
      {saved && (
        <div className="notice notice--success" role="status" tabIndex={-1} ref={savedRef}>
          <p>Votre recherche est enregistrée.</p>
        </div>
      )}
      <ErrorSummary error={error} title="Votre recherche n’a pas été enregistrée" />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <CheckboxGroup
          field="search.contractTypes"
          legend="Types de contrat recherchés"
          options={CONTRACT_TYPES.map((c) => ({ value: c, label: CONTRACT_TYPE_LABELS[c] }))}
          value={search.contractTypes}
          onChange={(v) => set('contractTypes', v)}
          error={error}
        />
        <CheckboxGroup
          field="search.qualifications"
          legend="Qualifications recherchées"
          options={QUALIFICATION_LEVELS.map((q) => ({ value: q, label: QUALIFICATION_LABELS[q] }))}
          value={search.qualifications}
          onChange={(v) => set('qualifications', v)}
          error={error}
        />
        <CheckboxGroup
          field="search.domains"
          legend="Domaines d’expertise"
          options={ROME_DOMAINS.map((d) => ({ value: d.code, label: d.label }))}
          value={search.domains}
          onChange={(v) => set('domains', v)}
          error={error}
        />
        <AppellationPicker
          value={search.appellations}
          onChange={(v) => set('appellations', v)}
          error={error}
        />
        <Field
          field="search.maxDistanceKm"
          label="Limite géographique (en km)"
          hint={
            initial.address ? (
              `Distance à vol d’oiseau depuis votre adresse personnelle (${initial.address.communeName}).`
            ) : (
              <>
                Calculée depuis votre adresse personnelle : renseignez-la dans{' '}
                <Link to={PATHS.account}>Mon profil</Link>.
              </>
            )
          }
          error={error}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              min={1}
              max={PROFILE_LIMITS.maxDistanceKm}
              value={distance}
              onChange={(e) => {
                setSaved(false);
                setDistance(e.target.value);
              }}
            />
          )}
        </Field>
        <fieldset {...groupProps('search.adjustments', error)}>
          <legend>
            Souhaitez-vous un aménagement spécifique du poste (horaires, conditions de travail…) ?
          </legend>
          {(
            [
              ['oui', true, 'Oui'],
              ['non', false, 'Non'],
            ] as const
          ).map(([id, v, label]) => (
            <div className="choice" key={id}>
              <input
                type="radio"
                name="adjustments"
                id={`amenagement-${id}`}
                checked={search.adjustments === v}
                onChange={() => set('adjustments', v)}
              />
              <label htmlFor={`amenagement-${id}`}>{label}</label>
            </div>
          ))}
          <FieldError field="search.adjustments" message={adjustmentsError} />
        </fieldset>
        <Field
          field="search.freeText"
          label="Ma recherche, mes attentes, mes motivations"
          hint={`${PROFILE_LIMITS.freeText} caractères au plus.`}
          error={error}
        >
          {(p) => (
            <textarea
              {...p}
              maxLength={PROFILE_LIMITS.freeText}
              value={search.freeText}
              onChange={(e) => set('freeText', e.target.value)}
            />
          )}
        </Field>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Enregistrement…' : 'Enregistrer ma recherche'}
          </button>
        </div>
      </form>
    </section>
  );
}
