/**
 * « Mes alertes » (seed 002 « L'abonnement aux offres par email »): the candidate's saved searches,
 * each an e-mail alert for 3 months. Consulting this page renews them (the server does it on
 * GET). Arriving with criteria in the query string (the search page's « Créer une alerte »)
 * offers « Enregistrer cette recherche » with a name.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import {
  criteriaFromQuery,
  criteriaToQuery,
  hasSearchCriteria,
  type OfferSearchCriteria,
} from '../../../../../shared/domain/offer-search';
import {
  type CriteriaLabels,
  describeCriteria,
  SAVED_SEARCH_NAME_MAX,
  type SavedSearch,
} from '../../../../../shared/domain/saved-search';
import { ApiError, apiRequest, fieldError } from '../../api';
import { formatDate } from '../../format';
import { Link, navigate, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { ErrorSummary, type SummaryError } from './ErrorSummary';
import './alerts.css';

const message = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Une erreur est survenue. Réessayez dans un instant.';

/** A name suggested from the criteria (« Boulanger · CDI »). */
function suggestedName(c: OfferSearchCriteria): string {
  const parts = [c.keywords?.trim(), c.contractTypes?.join(', ')].filter(Boolean);
  return (parts.join(' · ') || 'Ma recherche').slice(0, SAVED_SEARCH_NAME_MAX);
}

function SaveSearchForm({
  criteria,
  onSaved,
}: {
  criteria: OfferSearchCriteria;
  onSaved: (s: SavedSearch) => void;
}) {
  const id = useId();
  const [name, setName] = useState(() => suggestedName(criteria));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  // The search tells the names of the coded criteria (commune, métier) and how many offers match today.
  const query = criteriaToQuery(criteria);
  const [preview] = useLoad(`preview:${query}`, (signal) =>
    apiRequest<{
      exactTotal: number;
      context?: { place?: { label: string }; appellation?: { label: string }; romeCode?: { label: string } };
    }>('GET', `/api/public/search?${query}&parPage=1`, undefined, { signal }),
  );
  const labels: CriteriaLabels = {};
  if (preview.status === 'ready') {
    const c = preview.data.context;
    if (c?.place) labels.place = c.place.label;
    if (c?.appellation) labels.appellation = c.appellation.label;
    if (c?.romeCode) labels.romeCode = c.romeCode.label;
  }
  const nameError = fieldError(error, 'name');
  const otherErrors: SummaryError[] =
    error instanceof ApiError
      ? error.fields.filter((f) => f.field !== 'name').map((f) => ({ message: f.message }))
      : [];

  useEffect(() => {
    if (error) summaryRef.current?.focus();
  }, [error]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await apiRequest<SavedSearch>('POST', '/api/candidate/alerts', { name, criteria });
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Enregistrer cette recherche</h2>
      <p>
        Critères : <strong>{describeCriteria(criteria, labels)}</strong>
        {preview.status === 'ready'
          ? ` (${preview.data.exactTotal === 0 ? 'aucune offre en ligne aujourd’hui' : preview.data.exactTotal === 1 ? '1 offre en ligne aujourd’hui' : `${preview.data.exactTotal} offres en ligne aujourd’hui`})`
          : null}
      </p>
      <p className="field__hint">
        Vous recevrez chaque jour par e-mail les nouvelles offres correspondantes, pendant 3 mois. Chaque
        visite de cette page prolonge l’abonnement de 3 mois.
      </p>
      {error ? (
        <ErrorSummary
          ref={summaryRef}
          title="La recherche n’a pas été enregistrée"
          errors={[...(nameError ? [{ message: nameError, href: `#${id}-name` }] : []), ...otherErrors]}
          fallback={message(error)}
        />
      ) : null}
      <form className="form" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Nom de la recherche</label>
          <p className="field__hint" id={`${id}-name-hint`}>
            Par exemple « Boulanger à Nantes » ({SAVED_SEARCH_NAME_MAX} caractères au plus).
          </p>
          {nameError ? (
            <p className="field__error" id={`${id}-name-error`}>
              {nameError}
            </p>
          ) : null}
          <input
            id={`${id}-name`}
            name="name"
            type="text"
            required
            maxLength={SAVED_SEARCH_NAME_MAX + 20}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError ? true : undefined}
            aria-describedby={`${id}-name-hint${nameError ? ` ${id}-name-error` : ''}`}
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Enregistrement…' : 'Enregistrer cette recherche'}
          </button>
          <Link to={PATHS.alerts} className="button button--secondary">
            Annuler
          </Link>
        </div>
      </form>
    </section>
  );
}

function RenameForm({
  search,
  onDone,
  onCancel,
}: {
  search: SavedSearch;
  onDone: (s: SavedSearch) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [name, setName] = useState(search.name);
  const [error, setError] = useState<unknown>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const nameError = error ? (fieldError(error, 'name') ?? message(error)) : undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      onDone(await apiRequest<SavedSearch>('PATCH', `/api/candidate/alerts/${search.id}`, { name }));
    } catch (e) {
      setError(e);
      inputRef.current?.focus();
    }
  };
  return (
    <form className="form alert-card__rename" noValidate onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Nouveau nom de « {search.name} »</label>
        {nameError ? (
          <p className="field__error" id={`${id}-error`} role="alert">
            {nameError}
          </p>
        ) : null}
        <input
          ref={inputRef}
          id={`${id}-name`}
          type="text"
          value={name}
          maxLength={SAVED_SEARCH_NAME_MAX + 20}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-error` : undefined}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button">
          Renommer
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}

function AlertCard({
  search,
  onChange,
  onDelete,
  onStatus,
}: {
  search: SavedSearch;
  onChange: (s: SavedSearch) => void;
  onDelete: (id: string) => void;
  onStatus: (text: string, kind: 'success' | 'error') => void;
}) {
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm-delete'>('view');
  const headingId = useId();
  const renew = async () => {
    try {
      const renewed = await apiRequest<SavedSearch>('POST', `/api/candidate/alerts/${search.id}/renew`, {});
      onChange(renewed);
      onStatus(
        `L’alerte « ${renewed.name} » est active jusqu’au ${formatDate(renewed.expiresAt)}.`,
        'success',
      );
    } catch (e) {
      onStatus(message(e), 'error');
    }
  };
  const remove = async () => {
    try {
      await apiRequest('DELETE', `/api/candidate/alerts/${search.id}`);
      onDelete(search.id);
      onStatus(`La recherche « ${search.name} » a été supprimée.`, 'success');
    } catch (e) {
      onStatus(message(e), 'error');
    }
  };
  const state = search.active
    ? `Alerte active jusqu’au ${formatDate(search.expiresAt)}`
    : search.alertEnabled
      ? `Alerte arrêtée le ${formatDate(search.expiresAt)} (abonnement terminé)`
      : 'Alerte désactivée (vous vous êtes désinscrit)';
  return (
    <li className="alert-card panel">
      <h2 id={headingId} className="alert-card__title">
        {search.name}
      </h2>
      <p className="alert-card__criteria">{search.summary}</p>
      <p className={search.active ? 'alert-card__state' : 'alert-card__state alert-card__state--off'}>
        <span aria-hidden="true">{search.active ? '✔ ' : '✖ '}</span>
        {state}
      </p>
      {mode === 'rename' ? (
        <RenameForm
          search={search}
          onCancel={() => setMode('view')}
          onDone={(s) => {
            onChange(s);
            setMode('view');
            onStatus(`La recherche s’appelle désormais « ${s.name} ».`, 'success');
          }}
        />
      ) : mode === 'confirm-delete' ? (
        <div className="notice notice--error" role="alertdialog" aria-label="Confirmer la suppression">
          <p>Supprimer la recherche « {search.name} » ? Vous ne recevrez plus ses alertes.</p>
          <div className="form__actions">
            <button type="button" className="button" onClick={remove}>
              Oui, supprimer
            </button>
            <button type="button" className="button button--secondary" onClick={() => setMode('view')}>
              Non, garder
            </button>
          </div>
        </div>
      ) : (
        <div className="form__actions">
          <Link to={`/?${criteriaToQuery(search.criteria)}`} className="button button--secondary">
            Voir les offres<span className="visually-hidden"> de « {search.name} »</span>
          </Link>
          <button type="button" className="button button--secondary" onClick={renew}>
            {search.alertEnabled ? 'Prolonger de 3 mois' : 'Réactiver l’alerte'}
            <span className="visually-hidden"> « {search.name} »</span>
          </button>
          <button type="button" className="button button--secondary" onClick={() => setMode('rename')}>
            Renommer<span className="visually-hidden"> « {search.name} »</span>
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setMode('confirm-delete')}
          >
            Supprimer<span className="visually-hidden"> « {search.name} »</span>
          </button>
        </div>
      )}
    </li>
  );
}

export function AlertsPage({ search }: { search: string }) {
  useDocumentTitle('Mes alertes');
  const [state, retry] = useLoad('alerts', (signal) =>
    apiRequest<{ items: SavedSearch[] }>('GET', '/api/candidate/alerts', undefined, { signal }),
  );
  const [items, setItems] = useState<SavedSearch[] | null>(null);
  const [status, setStatus] = useState<{ text: string; kind: 'success' | 'error' } | null>(null);
  useEffect(() => {
    if (state.status === 'ready') setItems(state.data.items);
  }, [state]);

  const fromQuery = criteriaFromQuery(search);
  const toSave =
    search && fromQuery.errors.length === 0 && hasSearchCriteria(fromQuery.criteria)
      ? fromQuery.criteria
      : null;

  return (
    <div className="alerts-page">
      <h1>Mes alertes</h1>
      <p>
        Recevez chaque jour par e-mail les nouvelles offres qui correspondent à vos recherches enregistrées.
        Un abonnement dure 3 mois ; chaque visite de cette page le prolonge de 3 mois.
      </p>
      <div aria-live="polite" role="status">
        {status ? <p className={`notice notice--${status.kind}`}>{status.text}</p> : null}
      </div>
      {search && fromQuery.errors.length > 0 ? (
        <div className="notice notice--error" role="alert">
          <p>Les critères reçus ne sont pas valides : {fromQuery.errors.map((e) => e.message).join(' ')}</p>
        </div>
      ) : null}
      {toSave ? (
        <SaveSearchForm
          criteria={toSave}
          onSaved={(saved) => {
            setItems((list) => [saved, ...(list ?? []).filter((s) => s.id !== saved.id)]);
            setStatus({
              text: `La recherche « ${saved.name} » est enregistrée : alerte active jusqu’au ${formatDate(saved.expiresAt)}.`,
              kind: 'success',
            });
            navigate(PATHS.alerts);
          }}
        />
      ) : null}
      {state.status === 'loading' && !items ? <p aria-busy="true">Chargement de vos alertes…</p> : null}
      {state.status === 'error' ? (
        <div className="notice notice--error" role="alert">
          <p>{message(state.error)}</p>
          <button type="button" className="button button--secondary" onClick={retry}>
            Réessayer
          </button>
        </div>
      ) : null}
      {items && items.length === 0 && !toSave ? (
        <p className="notice notice--info">
          Vous n’avez pas encore de recherche enregistrée. Lancez une <Link to="/">recherche d’offres</Link>,
          puis choisissez « Créer une alerte ».
        </p>
      ) : null}
      {items && items.length > 0 ? (
        <ul className="alert-list">
          {items.map((s) => (
            <AlertCard
              key={s.id}
              search={s}
              onChange={(changed) =>
                setItems((list) => (list ?? []).map((x) => (x.id === changed.id ? changed : x)))
              }
              onDelete={(id) => setItems((list) => (list ?? []).filter((x) => x.id !== id))}
              onStatus={(text, kind) => setStatus({ text, kind })}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
