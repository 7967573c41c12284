import { useEffect, useMemo, useState } from 'react';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import { useSession } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError, apiFetch } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useNotices } from '../notices/use-notices';
import { AttachmentList } from './Attachments';
import { Composer } from './Composer';
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
  const { db, user, sync, organisation, announce } = useSession();
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
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Keyboard and screen-reader users land on the conversation they opened.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per conversation opened
  useEffect(() => {
    const frame = requestAnimationFrame(() => document.getElementById('conversation-title')?.focus());
    return () => cancelAnimationFrame(frame);
  }, [conversation.id]);

  // Opening a conversation marks it read for me (my own `readBy` entry), and again when the candidate writes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `candidateLastAt` changes when the candidate writes
  useEffect(() => {
    void markConversationRead(db, conversation.id, user.id).catch(() => undefined);
  }, [db, conversation.id, conversation.candidateLastAt, user.id]);

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
        : null,
    [organisation, user, conversation, messages?.length],
  );

  async function post(action: 'block' | 'unblock' | 'report') {
    setActionError(null);
    if (!state.online) {
      setActionError(OFFLINE_ACTION_MESSAGE);
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
      setActionError(
        err instanceof ApiError ? err.message : 'Le serveur n’a pas répondu : réessayez dans un instant.',
      );
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
              onClick={() => void post('block')}
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
                setActionError('Indiquez la raison du signalement (1 000 caractères au plus).');
                return;
              }
              void post('report');
            }}
          >
            <div className="field">
              <label htmlFor={`report-${conversation.id}`}>Raison du signalement</label>
              <textarea
                id={`report-${conversation.id}`}
                value={reason}
                maxLength={1000}
                rows={3}
                aria-describedby={`report-hint-${conversation.id}`}
                onChange={(e) => setReason(e.target.value)}
              />
              <p className="field__hint" id={`report-hint-${conversation.id}`}>
                Les modérateurs de la plateforme liront cette conversation. 1 000 caractères au plus.
              </p>
            </div>
            <div className="form-actions">
              <button type="submit" className="button button--primary button--small" disabled={busy}>
                Envoyer le signalement
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                onClick={() => setReporting(false)}
              >
                Annuler
              </button>
            </div>
          </form>
        ) : null}
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
