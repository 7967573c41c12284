/**
 * « Mes sélections » (seed 000): the offers the candidate kept; tick several and remove them at
 * once. An offer filled, expired or withdrawn shows as such.
 */
import { type FormEvent, useRef, useState } from 'react';
import type { OfferSelection } from '../../../../../shared/domain/application';
import { formatDate } from '../../format';
import { Link, offerHref } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { errorMessage, Loading, OfferLine, OfferStateText } from './application-ui';
import { fetchSelections, removeSelections } from './applications-api';

export function SelectionsPage(_props: { search: string }) {
  useDocumentTitle('Mes sélections');
  const [state, retry] = useLoad('selections', fetchSelections);
  const [current, setCurrent] = useState<OfferSelection[] | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);

  if (state.status === 'loading')
    return (
      <>
        <h1>Mes sélections</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        <h1>Mes sélections</h1>
        <div className="notice notice--error" role="alert">
          <p>{errorMessage(state.error)}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      </>
    );
  const selections = current ?? state.data;
  const allChecked = selections.length > 0 && selections.every((s) => checked.has(s.offerId));

  async function remove(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (checked.size === 0) {
      setError(new Error('Cochez au moins une offre à retirer de votre sélection.'));
      statusRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const n = checked.size;
      const next = await removeSelections([...checked]);
      setCurrent(next);
      setChecked(new Set());
      setAnnounce(n > 1 ? `${n} offres retirées de votre sélection.` : '1 offre retirée de votre sélection.');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      statusRef.current?.focus();
    }
  }

  const toggle = (id: string, on: boolean) =>
    setChecked((c) => {
      const n = new Set(c);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  return (
    <>
      <h1>Mes sélections</h1>
      <div tabIndex={-1} ref={statusRef}>
        {error ? (
          <div className="notice notice--error" role="alert">
            <p>{error instanceof Error && !('status' in error) ? error.message : errorMessage(error)}</p>
          </div>
        ) : announce ? (
          <p className="notice notice--success" role="status">
            {announce}
          </p>
        ) : null}
      </div>
      {selections.length === 0 ? (
        <div className="panel">
          <p>Votre sélection est vide.</p>
          <p>
            Sur chaque offre, « Ajouter à ma sélection » la garde ici pour plus tard.{' '}
            <Link to="/">Rechercher des offres</Link>
          </p>
        </div>
      ) : (
        <form onSubmit={remove} aria-label="Offres de ma sélection">
          <div className="selection-toolbar">
            <div className="choice">
              <input
                type="checkbox"
                id="selection-all"
                checked={allChecked}
                onChange={(e) =>
                  setChecked(e.target.checked ? new Set(selections.map((s) => s.offerId)) : new Set())
                }
              />
              <label htmlFor="selection-all">Tout cocher ({selections.length})</label>
            </div>
            <button type="submit" className="button button--secondary" disabled={busy}>
              Retirer les offres cochées{checked.size > 0 ? ` (${checked.size})` : ''}
            </button>
          </div>
          <ul className="selection-list">
            {selections.map((s) => (
              <li key={s.offerId} className="application-card selection-item">
                <div className="choice">
                  <input
                    type="checkbox"
                    id={`selection-${s.offerId}`}
                    checked={checked.has(s.offerId)}
                    onChange={(e) => toggle(s.offerId, e.target.checked)}
                  />
                  <label htmlFor={`selection-${s.offerId}`}>
                    <span className="visually-hidden">Cocher « {s.offer.title} »</span>
                  </label>
                </div>
                <div>
                  <h2 className="application-card__title">
                    {s.offerState === 'en_ligne' ? (
                      <Link to={offerHref(s.offerId)}>{s.offer.title}</Link>
                    ) : (
                      s.offer.title
                    )}
                  </h2>
                  <OfferLine offer={s.offer} />
                  <p className="application-card__date">
                    Ajoutée le <time dateTime={s.addedAt}>{formatDate(s.addedAt)}</time>
                  </p>
                  <OfferStateText state={s.offerState} />
                  {s.offerState === 'en_ligne' && (
                    <p className="apply-links">
                      <Link to={`${offerHref(s.offerId)}/postuler`}>
                        Postuler<span className="visually-hidden"> : {s.offer.title}</span>
                      </Link>
                    </p>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </form>
      )}
    </>
  );
}
