import { type FormEvent, useEffect, useId, useState } from 'react';
import { DIRECTORY_RADII } from '../../../../shared/domain/company-profile';
import { SECTORS } from '../../../../shared/domain/organisation';
import { type CommuneChoice, fetchCommune } from '../companies-api';
import type { DirectoryCriteria } from '../directory';
import { CommuneInput } from './CommuneInput';

/**
 * Search by name, sector (companies) and distance from a commune. Submitting goes to the
 * directory's URL with the new criteria (first page), so results can be shared and reloaded.
 */
export function DirectorySearchForm({
  criteria,
  withSector,
  nameLabel,
  formLabel,
  onSearch,
}: {
  criteria: DirectoryCriteria;
  withSector: boolean;
  nameLabel: string;
  /** The form's accessible name (« Rechercher une entreprise »). */
  formLabel: string;
  onSearch: (criteria: DirectoryCriteria) => void;
}) {
  const ids = useId();
  const [q, setQ] = useState(criteria.q);
  const [sector, setSector] = useState(criteria.sector);
  const [radius, setRadius] = useState(criteria.radius);
  const [commune, setCommune] = useState<CommuneChoice | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');

  // The commune of the URL, by its INSEE code, shown by name (the page remounts this form when
  // its URL changes, so the criteria are read once).
  const urlCommune = criteria.commune;
  useEffect(() => {
    if (!urlCommune) return;
    const controller = new AbortController();
    fetchCommune(urlCommune, controller.signal).then(
      (c) => setCommune((current) => current ?? c),
      () => undefined,
    );
    return () => controller.abort();
  }, [urlCommune]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!commune && typed.trim()) {
      setError('Choisissez la commune dans la liste proposée, ou videz le champ.');
      document.getElementById(`${ids}-commune`)?.focus();
      return;
    }
    setError('');
    onSearch({ q: q.trim(), sector, commune: commune?.code ?? '', radius, page: 1 });
  };

  return (
    <form
      className={withSector ? 'search-form' : 'search-form search-form--compact'}
      aria-label={formLabel}
      onSubmit={submit}
      noValidate
    >
      <div className="search-form__field search-form__field--name">
        <label htmlFor={`${ids}-q`}>{nameLabel}</label>
        <input
          id={`${ids}-q`}
          type="search"
          value={q}
          maxLength={100}
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      {withSector && (
        <div className="search-form__field">
          <label htmlFor={`${ids}-sector`}>Secteur d’activité</label>
          <select id={`${ids}-sector`} value={sector} onChange={(event) => setSector(event.target.value)}>
            <option value="">Tous les secteurs</option>
            {SECTORS.map((s) => (
              <option key={s.code} value={s.code}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="search-form__field">
        <label htmlFor={`${ids}-commune`}>Autour de la commune</label>
        <CommuneInput
          id={`${ids}-commune`}
          value={commune}
          invalid={!!error}
          {...(error ? { describedBy: `${ids}-commune-error` } : {})}
          onChange={(c, text) => {
            setCommune(c);
            setTyped(text);
            if (c || !text.trim()) setError('');
          }}
        />
        {error && (
          <p id={`${ids}-commune-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
      <div className="search-form__field search-form__field--radius">
        <label htmlFor={`${ids}-radius`}>Rayon</label>
        <select
          id={`${ids}-radius`}
          value={radius}
          onChange={(event) => setRadius(Number(event.target.value))}
        >
          {DIRECTORY_RADII.map((r) => (
            <option key={r} value={r}>
              {r} km
            </option>
          ))}
        </select>
      </div>
      <div className="search-form__actions">
        <button type="submit" className="button">
          Rechercher
        </button>
      </div>
    </form>
  );
}
