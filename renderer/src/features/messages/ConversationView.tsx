import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError, apiFetch } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useNotices } from '../notices/use-notices';
import { AttachmentList } from './Attachments';
import { Composer } from './Composer';
import { membershipOf, NOT_A_MEMBER } from './conversation-organisation';
import { markConversationRead, useConversationMessages, useOutbox } from './messages-db';
import { OUTBOX_PENDING_LABEL, refusedIn } from './outbox';
import { outboxFor } from './outbox-store';
import { RefusedMessages } from './RefusedMessages';
import { writeDecision } from './write-rules';

const ABOUT_LABELS: Record<string, string> = {
  application: 'Candidature',
  offer: 'Offre',
  cv: 'CV',
  company: 'Fiche entreprise',
  none: '',
};

export const OFFLINE_ACTION_MESSAGE =
  'Hors ligne : bloquer ou signaler passe par le serveur. Reconnectez-vous pour le faire ; vos messages, eux, partent au retour de la connexion.';

/** One conversation: its messages oldest first, the refused ones kept, the reply box, block and report. */
export function ConversationView({ conversation }: { conversation: ConversationDoc }) {
  const { db, user, sync, announce } = useSession();
  // The conversation's own organisation (not the one selected): its rules, its name.
  const organisation = membershipOf(user, conversation.organisationId);
  const state = useSyncState(sync);
  const messages = useConversationMessages(db, conversation.id);
  const outbox = outboxFor(user.id);
  const entries = useOutbox(outbox);
  const notices = useNotices(db) ?? [];
  const refused = useMemo(
    () => refusedIn(conversation.id, entries, notices),
    [conversation.id, entries, notices],
  );
  const [reporting, setReporting] = useState(false);
  const [reason, setReason] = useState('');
  const [reportError, setReportError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const reasonId = `report-${conversation.id}`;

  /** The report's error, on its field: said, and the field focused. */
  const showReportError = (message: string) => {
    setReportError(message);
    requestAnimationFrame(() => reasonRef.current?.focus());
  };

  // Keyboard and screen-reader users land on the conversation they opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per conversation opened
  useEffect(() => {
    const frame = requestAnimationFrame(() => document.getElementById('conversation-title')?.focus());
    return () => cancelAnimationFrame(frame);
  }, [conversation.id]);

  // Opening a conversation marks it read for me (my own `readBy` entry), and again when the candidate writes;
  // once its messages are shown: the write updates the inbox and the counts (every conversation of
  // the replica), which would otherwise delay showing them.
  const shownMessages = messages !== undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `candidateLastAt` changes when the candidate writes
  useEffect(() => {
    if (!shownMessages) return;
    void markConversationRead(db, conversation.id, user.id).catch(() => undefined);
  }, [db, conversation.id, conversation.candidateLastAt, user.id, shownMessages]);

  const decision = useMemo(
    () =>
      organisation
        ? writeDecision({
            user,
            organisation,
            candidateId: conversation.candidateId,
            applications: [],
            cvListing: 'none',
            conversations: [
              {
                // A conversation opened by the candidate, or any message in it, is a prior exchange.
                messageCount: Math.max(conversation.messageCount, messages?.length ?? 0),
                blockedByCandidate: conversation.blockedByCandidate,
                blockedByOrganisation: conversation.blockedByOrganisation,
              },
            ],
          })
        : NOT_A_MEMBER,
    [organisation, user, conversation, messages?.length],
  );

  async function post(action: 'block' | 'unblock' | 'report') {
    setActionError(null);
    if (action === 'report') setReportError(null);
    if (!state.online) {
      if (action === 'report') showReportError(OFFLINE_ACTION_MESSAGE);
      else setActionError(OFFLINE_ACTION_MESSAGE);
      return;
    }
    setBusy(true);
    try {
      await apiFetch(`/api/conversations/${conversation.id}/${action}`, {
        method: 'POST',
        body: action === 'report' ? { reason: reason.trim() } : {},
      });
      if (action === 'report') {
        setReporting(false);
        setReason('');
        announce('Conversation signalée aux modérateurs de la plateforme.');
      } else announce(action === 'block' ? 'Candidat bloqué.' : 'Candidat débloqué.');
      sync.resync();
    } catch (err) {
      const message =
        err instanceof ApiError
          ? (err.fields.find((f) => f.field === 'reason')?.message ?? err.message)
          : 'Le serveur n’a pas répondu : réessayez dans un instant.';
      if (action === 'report') showReportError(message);
      else setActionError(message);
    } finally {
      setBusy(false);
    }
  }

  const aboutLabel = [ABOUT_LABELS[conversation.aboutKind], conversation.aboutLabel]
    .filter(Boolean)
    .join(' : ');
  return (
    <section className="conversation" aria-labelledby="conversation-title" data-testid="conversation">
      <header className="conversation__header">
        <h2 id="conversation-title" tabIndex={-1} data-testid="conversation-subject">
          {conversation.subject}
        </h2>
        <p className="muted">
          Avec <strong>{conversation.candidateName || 'le candidat'}</strong>
          {aboutLabel ? ` · ${aboutLabel}` : ''}
        </p>
        <div className="conversation__actions">
          {conversation.blockedByOrganisation ? (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={() => void post('unblock')}
            >
              Débloquer ce candidat
            </button>
          ) : (
            <button
              type="button"
              className="button button--danger-outline button--small"
              disabled={busy}
              aria-haspopup="dialog"
              onClick={() => {
                setActionError(null);
                if (!state.online) setActionError(OFFLINE_ACTION_MESSAGE);
                else setConfirmBlock(true);
              }}
              data-testid="block-candidate"
            >
              Bloquer ce candidat
            </button>
          )}
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={busy}
            aria-expanded={reporting}
            onClick={() => {
              setActionError(null);
              setReportError(null);
              if (!state.online) setActionError(OFFLINE_ACTION_MESSAGE);
              else setReporting((r) => !r);
            }}
          >
            Signaler
          </button>
        </div>
        {!state.online ? <p className="muted small">{OFFLINE_ACTION_MESSAGE}</p> : null}
        {actionError ? (
          <p className="alert alert--error" role="alert">
            {actionError}
          </p>
        ) : null}
        {conversation.reportedAt ? (
          <p className="muted small">
            Signalée aux modérateurs le {formatDateTime(conversation.reportedAt)}.
          </p>
        ) : null}
        {reporting ? (
          <form
            className="form conversation__report"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!reason.trim()) {
                showReportError('Indiquez la raison du signalement (1 000 caractères au plus).');
                return;
              }
              void post('report');
            }}
          >
            <div className={`field${reportError ? ' field--error' : ''}`}>
              <label htmlFor={reasonId}>
                Raison du signalement{' '}
                <span className="required" aria-hidden="true">
                  *
                </span>
              </label>
              <textarea
                id={reasonId}
                ref={reasonRef}
                value={reason}
                maxLength={1000}
                rows={3}
                required
                aria-required
                aria-invalid={reportError ? true : undefined}
                aria-describedby={[`${reasonId}-hint`, reportError ? `${reasonId}-error` : '']
                  .filter(Boolean)
                  .join(' ')}
                onChange={(e) => setReason(e.target.value)}
                data-testid="report-reason"
              />
              <p className="field__hint" id={`${reasonId}-hint`}>
                Les modérateurs de la plateforme liront cette conversation. 1 000 caractères au plus.
              </p>
              {reportError ? (
                <p className="field__error" id={`${reasonId}-error`} data-testid="report-error">
                  {reportError}
                </p>
              ) : null}
            </div>
            <div className="form-actions">
              <button type="submit" className="button button--primary button--small" disabled={busy}>
                Envoyer le signalement
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                onClick={() => {
                  setReporting(false);
                  setReportError(null);
                }}
              >
                Annuler
              </button>
            </div>
          </form>
        ) : null}
        <ConfirmDialog
          open={confirmBlock}
          title="Bloquer ce candidat ?"
          confirmLabel="Oui, bloquer ce candidat"
          danger
          onCancel={() => setConfirmBlock(false)}
          onConfirm={() => {
            setConfirmBlock(false);
            void post('block');
          }}
        >
          <p>
            Le blocage vaut pour toute l’organisation{' '}
            <strong>{organisation?.organisationName ?? conversation.organisationName}</strong>, pas seulement
            pour vous : {conversation.candidateName || 'ce candidat'} ne pourra plus lui écrire, et aucun de
            ses membres ne pourra plus lui écrire, jusqu’à ce que l’un d’eux le débloque.
          </p>
        </ConfirmDialog>
      </header>

      {messages === undefined ? <p aria-busy="true">Chargement des messages…</p> : null}
      <ol className="message-list" aria-label="Messages, du plus ancien au plus récent">
        {(messages ?? []).map((m) => {
          const pending = m.authorId === user.id && sync.isPending('messages', m.id);
          const mine = m.authorKind === 'organisation';
          return (
            <li
              key={m.id}
              className={`message${mine ? ' message--mine' : ''}${pending ? ' message--pending' : ''}`}
              data-testid="message"
              data-pending={pending ? 'true' : undefined}
            >
              <p className="message__meta">
                <strong>{m.authorName}</strong>
                {mine ? ' (votre organisation)' : ' (candidat)'} ·{' '}
                <time dateTime={m.sentAt}>{formatDateTime(m.sentAt)}</time>
                {m.via === 'email' ? (
                  <span data-testid="message-via-email"> · réponse par e-mail</span>
                ) : null}
                {pending ? (
                  <span className="message__status" data-testid="message-pending">
                    {' '}
                    · {OUTBOX_PENDING_LABEL}
                  </span>
                ) : null}
              </p>
              <div className="message__body">{m.body}</div>
              <AttachmentList attachments={m.attachments} />
            </li>
          );
        })}
      </ol>

      <RefusedMessages items={refused} />

      {decision && !decision.allowed ? (
        <p className="alert alert--info" role="status" data-testid="cannot-write">
          {decision.message}
        </p>
      ) : (
        <Composer conversation={conversation} onSent={() => announce('Message enregistré.')} />
      )}
    </section>
  );
}
