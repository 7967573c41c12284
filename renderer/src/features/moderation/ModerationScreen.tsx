import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { CONTRACT_TYPE_LABELS, type ContractType } from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { usePendingModerationOffers } from '../offers/use-offers';

function ModerationItem({
  offer,
  online,
  onDecided,
}: {
  offer: OfferDoc;
  online: boolean;
  onDecided: (msg: string) => void;
}) {
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `reason-${offer.id}`;

  async function decide(decision: 'publier' | 'refuser') {
    if (decision === 'refuser' && !reason.trim()) {
      setError('Indiquez le motif du refus : il sera communiqué au recruteur.');
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/moderation/offers/${encodeURIComponent(offer.id)}/decision`, {
        method: 'POST',
        body: decision === 'publier' ? { decision } : { decision, reason: reason.trim() },
      });
      onDecided(
        decision === 'publier' ? `« ${offer.title} » est publiée.` : `« ${offer.title} » est refusée.`,
      );
    } catch (err) {
      setBusy(false);
      setError(
        err instanceof ApiError || err instanceof NetworkError
          ? err.message
          : 'La décision n’a pas pu être envoyée.',
      );
    }
  }

  function onRefuse(ev: FormEvent) {
    ev.preventDefault();
    void decide('refuser');
  }

  return (
    <article
      className="card moderation-item"
      data-testid="moderation-item"
      aria-labelledby={`mod-${offer.id}`}
    >
      <header>
        <h2 id={`mod-${offer.id}`}>{offer.title}</h2>
        <p className="muted">
          {[
            offer.companyName,
            offer.city,
            offer.jobTitle,
            offer.contractTypes.map((c) => CONTRACT_TYPE_LABELS[c as ContractType] ?? c).join(', '),
          ]
            .filter(Boolean)
            .join(' · ')}
          {offer.submittedAt ? ` — soumise le ${formatDateTime(offer.submittedAt)}` : ''}
        </p>
      </header>
      <p className="moderation-item__description">{offer.description}</p>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      {refusing ? (
        <form onSubmit={onRefuse} className="moderation-item__refuse">
          <div className="field">
            <label htmlFor={reasonId}>
              Motif du refus
              <span className="required" aria-hidden="true">
                {' '}
                *
              </span>
            </label>
            <textarea
              id={reasonId}
              rows={3}
              maxLength={1000}
              aria-required="true"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--danger" disabled={busy || !online}>
              Confirmer le refus
            </button>
            <button type="button" className="button button--ghost" onClick={() => setRefusing(false)}>
              Annuler
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <button
            type="button"
            className="button button--primary"
            disabled={busy || !online}
            onClick={() => void decide('publier')}
          >
            Publier
          </button>
          <button
            type="button"
            className="button button--danger-outline"
            disabled={busy || !online}
            onClick={() => setRefusing(true)}
          >
            Refuser
          </button>
        </div>
      )}
    </article>
  );
}

/** Offers awaiting moderation (platform members), decided through the server. */
export function ModerationScreen() {
  const { db, sync, announce } = useSession();
  const { online } = useSyncState(sync);
  const [decided, setDecided] = useState<Set<string>>(new Set());
  const pendingOffers = usePendingModerationOffers(db);
  const visible = useMemo(
    () => (pendingOffers ?? []).filter((o) => !decided.has(o.id)),
    [pendingOffers, decided],
  );

  // Once the replica no longer lists a decided offer as pending, forget it.
  useEffect(() => {
    if (!pendingOffers) return;
    setDecided((prev) => {
      const ids = new Set(pendingOffers.map((o) => o.id));
      const next = new Set([...prev].filter((id) => ids.has(id)));
      return next.size === prev.size ? prev : next;
    });
  }, [pendingOffers]);

  return (
    <section aria-labelledby="moderation-title">
      <div className="page-header">
        <h1 id="moderation-title" tabIndex={-1}>
          Modération des offres
        </h1>
        <p className="muted">
          {visible.length} {plural(visible.length, 'offre en attente', 'offres en attente')}
        </p>
      </div>
      {!online ? (
        <div className="alert alert--warning" role="status">
          Hors ligne : la modération nécessite une connexion au serveur. Les décisions seront possibles dès le
          retour de la connexion.
        </div>
      ) : null}
      {pendingOffers === undefined ? (
        <p>Chargement…</p>
      ) : visible.length === 0 ? (
        <div className="empty-state">
          <p>Aucune offre en attente de modération.</p>
        </div>
      ) : (
        <div className="moderation-list">
          {visible.map((o) => (
            <ModerationItem
              key={o.id}
              offer={o}
              online={online}
              onDecided={(msg) => {
                setDecided((prev) => new Set(prev).add(o.id));
                announce(msg);
              }}
            />
          ))}
        </div>
      )}
    </section>
  );
}
