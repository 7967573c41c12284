import { useEffect, useRef } from 'react';
import {
  OFFER_HISTORY_LABELS,
  OFFER_STATUS_LABELS,
  type OfferHistoryAction,
  type OfferStatus,
  offerStatusLabel,
  QUALIFICATION_LABELS,
  type QualificationLevel,
  WORKING_TIME_LABELS,
  type WorkingTime,
} from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { formatDate, formatDateTime } from '../../lib/format';
import { OFFER_ACTION_LABELS, type OfferActionId, offerActionName } from './offer-actions';
import { contractsText, placeText } from './offer-list';
import type { MemberOption } from './use-offers';

type HistoryEntry = NonNullable<OfferDoc['history']>[number];

interface Props {
  offer: OfferDoc | null;
  actions: readonly OfferActionId[];
  canAct: boolean;
  members: readonly MemberOption[];
  /** Number of the offer this one was duplicated from, when it is in the list. */
  sourceNumber?: string;
  onAction: (action: OfferActionId, offer: OfferDoc) => void;
  onClose: () => void;
}

/** The history as the panel lists it: newest first, each entry with a stable key (its position). */
export function historyForDisplay(
  history: readonly HistoryEntry[] | undefined,
): { key: string; entry: HistoryEntry }[] {
  return (history ?? []).map((entry, n) => ({ key: `${n}-${entry.at}`, entry })).reverse();
}

export function historyLine(entry: HistoryEntry): string {
  const label = OFFER_HISTORY_LABELS[entry.action as OfferHistoryAction] ?? entry.action;
  const move =
    entry.from && entry.to && entry.from !== entry.to
      ? ` (${OFFER_STATUS_LABELS[entry.from as OfferStatus]} → ${OFFER_STATUS_LABELS[entry.to as OfferStatus]})`
      : '';
  return `${label}${move}`;
}

/**
 * An offer's detail: its number and status, the moderation's refusal reason for its author,
 * the facts that do not fit in the table, every action the user may take, and its history
 * (who did what, when, and why).
 */
export function OfferDetailPanel({
  offer,
  actions,
  canAct,
  members,
  sourceNumber,
  onAction,
  onClose,
}: Props) {
  const { navigate, organisation } = useSession();
  const canAskSession = organisation?.kind === 'employer' || organisation?.kind === 'agency';
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const open = offer !== null;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      dialog.querySelector<HTMLElement>('h2')?.focus();
    }
    if (!open && dialog.open) {
      dialog.close();
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    }
  }, [open]);

  const name = (id: string | undefined) =>
    id ? (members.find((m) => m.accountId === id)?.name ?? 'Membre de l’organisation') : '';
  const status = (offer?.status ?? 'brouillon') as OfferStatus;
  const history = historyForDisplay(offer?.history);

  return (
    <dialog
      ref={ref}
      className="offer-panel"
      aria-labelledby="offer-panel-title"
      data-testid="offer-panel"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {offer ? (
        <>
          <div className="offer-panel__header">
            <div>
              <h2 id="offer-panel-title" tabIndex={-1}>
                {offer.title || '(sans titre)'}
              </h2>
              <p className="muted small">
                {offer.number ? (
                  <>
                    Offre n° <strong data-testid="offer-panel-number">{offer.number}</strong>
                  </>
                ) : (
                  'Numéro attribué par le serveur à la prochaine synchronisation'
                )}
                {' · '}
                <span className="status status--neutral">
                  {offerStatusLabel(status, offer.previousStatus as OfferStatus | undefined)}
                </span>
              </p>
            </div>
            <button type="button" className="button button--small button--ghost" onClick={onClose}>
              Fermer
            </button>
          </div>

          {status === 'refusee' && offer.moderationReason ? (
            <div className="alert alert--error" data-testid="offer-panel-refusal">
              <strong>Offre refusée par la modération.</strong> Motif : {offer.moderationReason}
              {canAct ? (
                <>
                  <br />
                  Corrigez l’offre puis soumettez-la de nouveau.
                </>
              ) : null}
            </div>
          ) : null}
          {!canAct ? (
            <div className="alert alert--info">
              Vous consultez cette offre en lecture seule : seuls son auteur, ses co-recruteurs et les
              administrateurs de l’organisation peuvent agir sur elle.
            </div>
          ) : null}

          <p>
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => navigate({ name: 'applicants', offerId: offer.id })}
              data-testid="offer-applicants"
            >
              Voir les candidats
            </button>{' '}
            {status === 'publiee' && canAct && canAskSession ? (
              <button
                type="button"
                className="button button--small button--secondary"
                onClick={() => navigate({ name: 'event-form', kind: 'session', offerId: offer.id })}
                data-testid="offer-request-session"
              >
                Demander une session de recrutement
              </button>
            ) : null}
          </p>

          {actions.length > 0 ? (
            <fieldset className="offer-panel__actions">
              <legend className="visually-hidden">Actions sur l’offre</legend>
              {actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={`button button--small${a === 'supprimer' ? ' button--danger-outline' : a === 'dupliquer' ? ' button--secondary' : ''}`}
                  aria-label={offerActionName(a, offer.title)}
                  onClick={() => onAction(a, offer)}
                >
                  {OFFER_ACTION_LABELS[a]}
                </button>
              ))}
            </fieldset>
          ) : null}

          <dl className="offer-panel__facts">
            <dt>Métier</dt>
            <dd>
              {offer.jobTitle || '—'}
              {offer.romeCode ? ` (ROME ${offer.romeCode})` : ''}
            </dd>
            <dt>Lieu</dt>
            <dd>{placeText(offer) || '—'}</dd>
            <dt>Entreprise</dt>
            <dd>{offer.companyName || '—'}</dd>
            <dt>Contrat(s)</dt>
            <dd>{contractsText(offer) || '—'}</dd>
            {offer.qualification ? (
              <>
                <dt>Qualification</dt>
                <dd>{QUALIFICATION_LABELS[offer.qualification as QualificationLevel]}</dd>
              </>
            ) : null}
            {offer.posts ? (
              <>
                <dt>Postes</dt>
                <dd>{offer.posts}</dd>
              </>
            ) : null}
            {offer.workingTime ? (
              <>
                <dt>Durée de travail</dt>
                <dd>
                  {WORKING_TIME_LABELS[offer.workingTime as WorkingTime]}
                  {offer.weeklyHours ? `, ${offer.weeklyHours} h par semaine` : ''}
                </dd>
              </>
            ) : null}
            <dt>Dépôt le</dt>
            <dd>{formatDate(offer.createdAt)}</dd>
            {offer.submittedAt ? (
              <>
                <dt>Soumise le</dt>
                <dd>{formatDateTime(offer.submittedAt)}</dd>
              </>
            ) : null}
            {offer.publishedAt ? (
              <>
                <dt>Publiée le</dt>
                <dd>{formatDateTime(offer.publishedAt)}</dd>
              </>
            ) : null}
            {offer.expiresAt ? (
              <>
                <dt>{status === 'publiee' ? 'En ligne jusqu’au' : 'Fin de mise en ligne'}</dt>
                <dd>{formatDate(offer.expiresAt)}</dd>
              </>
            ) : null}
            {offer.requestedEndDate ? (
              <>
                <dt>Date de retrait</dt>
                <dd>{formatDate(offer.requestedEndDate)}</dd>
              </>
            ) : null}
            {offer.authorId ? (
              <>
                <dt>Auteur</dt>
                <dd>{name(offer.authorId)}</dd>
              </>
            ) : null}
            <dt>Co-recruteurs</dt>
            <dd>{(offer.coRecruiterIds ?? []).map(name).join(', ') || 'Aucun'}</dd>
            {offer.duplicatedFrom ? (
              <>
                <dt>Dupliquée de</dt>
                <dd>{sourceNumber ? `l’offre n° ${sourceNumber}` : 'une autre offre'}</dd>
              </>
            ) : null}
          </dl>

          <h3>Historique</h3>
          {history.length === 0 ? (
            <p className="muted">
              Aucun historique pour cette offre : il commence quand le serveur l’enregistre (à la prochaine
              synchronisation pour une offre créée sur ce poste).
            </p>
          ) : (
            <ol className="offer-history" data-testid="offer-history">
              {history.map(({ key, entry: h }) => (
                <li key={key}>
                  <span className="offer-history__action">{historyLine(h)}</span>
                  <span className="offer-history__meta">
                    {formatDateTime(h.at)}
                    {h.byName ? ` · par ${h.byName}` : h.action === 'expiration' ? ' · automatiquement' : ''}
                  </span>
                  {h.reason ? <p className="offer-history__reason">Motif : {h.reason}</p> : null}
                </li>
              ))}
            </ol>
          )}
        </>
      ) : null}
    </dialog>
  );
}
