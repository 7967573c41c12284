import { type FormEvent, useEffect, useMemo, useState } from 'react';
import {
  APPLICATION_MODE_LABELS,
  type ApplicationMode,
  CONTRACT_TYPE_LABELS,
  type ContractType,
  SALARY_PERIOD_LABELS,
  type SalaryPeriod,
} from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import type { OrganisationDoc } from '../../../../shared/schemas/organisation.schema';
import { useSession } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { useOrganisations, usePendingModerationOffers } from '../offers/use-offers';
import { flagBadge, flagsFor, reasonError, verificationOf } from './moderation-view';
import './moderation.css';

function salaryText(o: OfferDoc): string | null {
  if (o.salaryMin === undefined && o.salaryMax === undefined) return null;
  const fmt = (n: number) => n.toLocaleString('fr-FR');
  const amount =
    o.salaryMin !== undefined && o.salaryMax !== undefined && o.salaryMin !== o.salaryMax
      ? `de ${fmt(o.salaryMin)} à ${fmt(o.salaryMax)} €`
      : `${fmt((o.salaryMin ?? o.salaryMax) as number)} €`;
  return `${amount}${o.salaryPeriod ? ` ${SALARY_PERIOD_LABELS[o.salaryPeriod as SalaryPeriod]}` : ''}`;
}

function ModerationItem({
  offer,
  organisation,
  online,
  onDecided,
}: {
  offer: OfferDoc;
  organisation: OrganisationDoc | null | undefined;
  online: boolean;
  onDecided: (msg: string) => void;
}) {
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [reasonProblem, setReasonProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `reason-${offer.id}`;
  const { flags, source } = flagsFor(offer);
  const verification = verificationOf(organisation);
  const unverified = verification.known && !verification.verified;
  const salary = salaryText(offer);

  async function decide(decision: 'publier' | 'refuser') {
    if (decision === 'refuser') {
      const problem = reasonError(reason);
      setReasonProblem(problem);
      if (problem) {
        document.getElementById(reasonId)?.focus();
        return;
      }
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
      data-offer-id={offer.id}
      aria-labelledby={`mod-${offer.id}`}
    >
      <header>
        <h2 id={`mod-${offer.id}`}>{offer.title}</h2>
        <p className="muted">
          {offer.number ? `N° ${offer.number} · ` : ''}
          {[
            offer.companyName,
            [offer.city, offer.postalCode ? `(${offer.postalCode})` : ''].filter(Boolean).join(' '),
            offer.jobTitle ? `${offer.jobTitle}${offer.romeCode ? ` (ROME ${offer.romeCode})` : ''}` : '',
            offer.contractTypes.map((c) => CONTRACT_TYPE_LABELS[c as ContractType] ?? c).join(', '),
          ]
            .filter(Boolean)
            .join(' · ')}
          {offer.submittedAt ? ` — soumise le ${formatDateTime(offer.submittedAt)}` : ''}
        </p>
      </header>

      {unverified ? (
        <p className="alert alert--warning" data-testid="moderation-unverified">
          <strong>Organisation non vérifiée : publication impossible.</strong> « {organisation?.name} » est{' '}
          {verification.known && !verification.verified ? verification.label : ''}. Vérifiez l’organisation
          avant de publier ses offres ; vous pouvez déjà refuser l’offre si elle n’est pas conforme.
        </p>
      ) : null}

      <section className="moderation-flags" aria-label="Contrôles automatiques">
        {flags.length === 0 ? (
          <p className="moderation-flags__none">
            <span className="flag-badge flag-badge--ok">Aucun signalement</span> Les contrôles automatiques
            n’ont rien relevé : lisez tout de même l’offre.
          </p>
        ) : (
          <ul className="moderation-flags__list" data-testid="moderation-flags">
            {source === 'local' ? (
              <li className="muted small">
                Offre soumise avant les contrôles automatiques : ils ont été faits sur ce poste, sans la
                recherche de doublons.
              </li>
            ) : null}
            {flags.map((f) => {
              const badge = flagBadge(f);
              return (
                <li key={`${f.code}|${f.field ?? ''}|${f.message}`} data-flag={f.code}>
                  <span className={`flag-badge flag-badge--${badge.tone}`}>{badge.label}</span>{' '}
                  <span className="moderation-flags__message">{f.message}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <dl className="moderation-facts">
        <dt>Salaire</dt>
        <dd>{salary ?? <span className="muted">Non précisé</span>}</dd>
        <dt>Candidature</dt>
        <dd>
          {offer.applicationMode
            ? APPLICATION_MODE_LABELS[offer.applicationMode as ApplicationMode]
            : APPLICATION_MODE_LABELS.portail}
          {offer.applicationMode === 'contact' && offer.applicationContact
            ? ` : ${[
                offer.applicationContact.name,
                offer.applicationContact.email,
                offer.applicationContact.phone,
                offer.applicationContact.url,
              ]
                .filter(Boolean)
                .join(', ')}`
            : ''}
        </dd>
      </dl>
      <p className="moderation-item__description">{offer.description}</p>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      {refusing ? (
        <form onSubmit={onRefuse} className="moderation-item__refuse" noValidate>
          <div className={`field${reasonProblem ? ' field--error' : ''}`}>
            <label htmlFor={reasonId}>
              Motif du refus
              <span className="required" aria-hidden="true">
                {' '}
                *
              </span>
            </label>
            <p className="field__hint" id={`${reasonId}-hint`}>
              Communiqué au recruteur, qui pourra corriger son offre (5 à 1 000 caractères).
            </p>
            <textarea
              id={reasonId}
              rows={3}
              maxLength={1000}
              aria-required="true"
              aria-invalid={reasonProblem ? true : undefined}
              aria-describedby={`${reasonId}-hint${reasonProblem ? ` ${reasonId}-error` : ''}`}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            {reasonProblem ? (
              <p className="field__error" id={`${reasonId}-error`}>
                {reasonProblem}
              </p>
            ) : null}
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
            disabled={busy || !online || unverified}
            aria-describedby={unverified ? `unverified-${offer.id}` : undefined}
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
          {unverified ? (
            <span className="muted small" id={`unverified-${offer.id}`}>
              Publication possible après la vérification de l’organisation.
            </span>
          ) : null}
        </div>
      )}
    </article>
  );
}

/** Offers awaiting moderation (platform members), with the automatic checks, decided through the server. */
export function ModerationScreen() {
  const { db, sync, announce } = useSession();
  const { online } = useSyncState(sync);
  const [decided, setDecided] = useState<Set<string>>(new Set());
  const pendingOffers = usePendingModerationOffers(db);
  const organisations = useOrganisations(db);
  const visible = useMemo(
    () => (pendingOffers ?? []).filter((o) => !decided.has(o.id)),
    [pendingOffers, decided],
  );
  const flagged = useMemo(() => visible.filter((o) => flagsFor(o).flags.length > 0).length, [visible]);

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
          {flagged > 0
            ? `, dont ${flagged} ${plural(flagged, 'signalée', 'signalées')} par les contrôles`
            : ''}
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
              organisation={organisations?.get(o.organisationId)}
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
