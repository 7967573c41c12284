/**
 * One conversation of « Mes messages » (seed 000, issue 7): the messages oldest first (who wrote,
 * when, attachments), marked read on opening, « Répondre à ce message », « Bloquer » /
 * « Débloquer » and « Signaler » with confirmations. When the candidate may not write (blocked,
 * account, rules), the form gives way to the reason.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, isNotFound } from '../../api';
import { Link } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { ErrorSummary } from '../account/forms';
import { ConfirmAction, errorMessage, Loading } from '../applications/application-ui';
import {
  type CandidateAttachment,
  type CandidateConversation,
  type CandidateMessage,
  messagesApi,
  messagesChanged,
} from './messages-api';
import { aboutText, attachmentIndex, authorLabel, formatMessageDate, MESSAGES_PATH } from './messages-format';
import { AttachmentLinks, AttachmentsField, MessageBodyField } from './parts';

const BACK = (
  <p className="back-link">
    <Link to={MESSAGES_PATH}>
      <span aria-hidden="true">← </span>Retour à mes messages
    </Link>
  </p>
);

export function ConversationPage({ id }: { id: string }) {
  const [state, retry] = useLoad(`conversation:${id}`, (signal) => messagesApi.get(id, signal));
  const title = state.status === 'ready' ? state.data.conversation.subject : 'Conversation';
  useDocumentTitle(
    state.status === 'error' && isNotFound(state.error)
      ? 'Conversation introuvable'
      : `${title} – Mes messages`,
  );

  if (state.status === 'loading')
    return (
      <>
        {BACK}
        <h1>Conversation</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {BACK}
        <h1>{isNotFound(state.error) ? 'Conversation introuvable' : 'Conversation'}</h1>
        <div className="notice notice--error" role="alert">
          <p>
            {isNotFound(state.error)
              ? 'Cette conversation n’existe pas ou a été effacée.'
              : errorMessage(state.error)}
          </p>
          {!isNotFound(state.error) && (
            <button type="button" className="button" onClick={retry}>
              Réessayer
            </button>
          )}
        </div>
      </>
    );
  return <Conversation key={id} conversation={state.data.conversation} messages={state.data.messages} />;
}

function Conversation({
  conversation: initial,
  messages: initialMessages,
}: {
  conversation: CandidateConversation;
  messages: CandidateMessage[];
}) {
  const [conversation, setConversation] = useState(initial);
  const [messages, setMessages] = useState(initialMessages);
  const [announce, setAnnounce] = useState('');
  // A refused reply keeps its form (the text and the error) even when the rules now forbid writing.
  const [keepReply, setKeepReply] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const c = conversation;
  useEffect(() => setConversation(initial), [initial]);
  useEffect(() => setMessages(initialMessages), [initialMessages]);

  // Opening the conversation reads it.
  useEffect(() => {
    messagesApi.markRead(initial.id).then(
      () => messagesChanged(),
      () => undefined,
    );
  }, [initial.id]);

  const say = (text: string) => {
    setAnnounce(text);
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  /**
   * After a refused reply: the conversation as the server now sees it (blocked, why one may not
   * write), without unmounting the form, so the text typed and the error summary stay.
   */
  const refresh = () => {
    setKeepReply(true);
    messagesApi.get(initial.id).then(
      (data) => {
        setConversation(data.conversation);
        setMessages(data.messages);
      },
      () => undefined,
    );
  };

  const about = aboutText(c);
  const cannotWrite = (
    <div className="notice notice--info" id="ecriture-impossible">
      <p>
        <strong>Vous ne pouvez pas écrire dans cette conversation.</strong>
      </p>
      <p>
        {c.cannotWriteReason ??
          (c.blockedByCandidate
            ? 'Vous avez bloqué cette organisation : débloquez-la pour lui écrire à nouveau.'
            : 'Les règles de la messagerie ne vous permettent pas d’écrire à cette organisation pour le moment.')}
      </p>
    </div>
  );
  return (
    <>
      {BACK}
      <h1>{c.subject}</h1>
      <p className="conversation-meta">
        Avec <strong>{c.organisationName}</strong>
        {about && <> · {about}</>}
      </p>
      <p className="notice notice--success" role="status" tabIndex={-1} ref={statusRef} hidden={!announce}>
        {announce}
      </p>

      <section aria-labelledby="messages-titre">
        <h2 id="messages-titre">
          {messages.length > 1 ? `${messages.length} messages` : `${messages.length} message`}
        </h2>
        <ol className="message-list">
          {messages.map((m) => (
            <li key={m.id}>
              <MessageItem message={m} organisationName={c.organisationName} />
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="repondre-titre" className="conversation-reply">
        <h2 id="repondre-titre">Répondre à ce message</h2>
        {c.canWrite ? null : cannotWrite}
        {c.canWrite || keepReply ? (
          <ReplyForm
            conversation={c}
            onSent={(m) => {
              setMessages((list) => [...list, m]);
              setKeepReply(false);
              say('Votre message est envoyé.');
              messagesChanged();
            }}
            onRefused={refresh}
          />
        ) : null}
      </section>

      <section aria-labelledby="gerer-titre" className="conversation-manage">
        <h2 id="gerer-titre">Gérer la conversation</h2>
        <div className="form__actions">
          {c.blockedByCandidate ? (
            <ConfirmAction
              key="debloquer"
              label={`Débloquer ${c.organisationName}`}
              question={`Débloquer ${c.organisationName} ? Ses recruteurs pourront de nouveau vous écrire, et vous pourrez leur répondre.`}
              confirmLabel="Oui, débloquer"
              onConfirm={async () => {
                const { conversation: next } = await messagesApi.unblock(c.id);
                setConversation(next);
                say(`${c.organisationName} est débloquée : vous pouvez de nouveau échanger des messages.`);
              }}
            />
          ) : (
            <ConfirmAction
              key="bloquer"
              label={`Bloquer ${c.organisationName}`}
              question={`Bloquer ${c.organisationName} ? Ses recruteurs ne pourront plus vous écrire, et vous ne pourrez plus leur écrire, jusqu’à ce que vous la débloquiez.`}
              confirmLabel="Oui, bloquer"
              secondary
              onConfirm={async () => {
                const { conversation: next } = await messagesApi.block(c.id);
                setConversation(next);
                say(`${c.organisationName} est bloquée : plus aucun message ne peut être échangé.`);
              }}
            />
          )}
          <ReportAction
            organisationName={c.organisationName}
            onReport={async (reason) => {
              await messagesApi.report(c.id, reason);
              say('Merci : la conversation a été signalée aux modérateurs, qui vont l’examiner.');
            }}
          />
        </div>
      </section>
    </>
  );
}

function MessageItem({
  message: m,
  organisationName,
}: {
  message: CandidateMessage;
  organisationName: string;
}) {
  const mine = m.authorKind === 'candidate';
  return (
    <article
      className={`message${mine ? ' message--mine' : ''}`}
      aria-label={`Message de ${authorLabel(m, organisationName)}`}
    >
      <p className="message__head">
        <strong className="message__author">{authorLabel(m, organisationName)}</strong>
        {' · '}
        <time dateTime={m.sentAt}>{formatMessageDate(m.sentAt)}</time>
        {m.via === 'email' && ' · par e-mail'}
      </p>
      <div className="message__body">{m.body}</div>
      <AttachmentLinks attachments={m.attachments} />
    </article>
  );
}

/** The fields the reply form shows: a refusal naming another field is told in the summary only. */
function replyError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const fields = error.fields.filter(
    (f) => f.field === 'body' || f.field === 'attachments' || attachmentIndex(f.field) !== null,
  );
  return new ApiError(error.status, error.code, error.message, fields);
}

function ReplyForm({
  conversation: c,
  onSent,
  onRefused,
}: {
  conversation: CandidateConversation;
  onSent: (m: CandidateMessage) => void;
  onRefused: () => void;
}) {
  const [body, setBody] = useState('');
  const [attachments, setAttachments] = useState<CandidateAttachment[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || uploading) return;
    setError(null);
    if (!body.trim()) {
      setError(
        new ApiError(400, 'validation', 'Complétez les champs signalés ci-dessous.', [
          { field: 'body', message: 'Le message est vide : écrivez votre message.' },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      const { message } = await messagesApi.reply(c.id, {
        body,
        ...(attachments.length > 0 ? { attachments } : {}),
      });
      setBody('');
      setAttachments([]);
      onSent(message);
    } catch (e) {
      setError(replyError(e));
      if (e instanceof ApiError && e.code === 'messaging-refused') onRefused();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={error} title="Votre message n’est pas envoyé" />
      <MessageBodyField label="Votre message" rows={6} value={body} onChange={setBody} error={error} />
      <AttachmentsField value={attachments} onChange={setAttachments} error={error} onBusy={setUploading} />
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy || uploading}>
          {busy ? 'Envoi…' : 'Envoyer'}
        </button>
      </div>
    </form>
  );
}

/** « Signaler »: a reason (1–1000 characters), then the moderators read the conversation. */
function ReportAction({
  organisationName,
  onReport,
}: {
  organisationName: string;
  onReport: (reason: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();
  const panel = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);
  if (!open)
    return (
      <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
        Signaler<span className="visually-hidden"> la conversation avec {organisationName}</span>
      </button>
    );
  const errorId = `${id}-erreur`;
  return (
    <fieldset className="confirm-panel" tabIndex={-1} ref={panel}>
      <legend className="confirm-panel__question">
        Signaler cette conversation aux modérateurs ? Ils pourront la lire pour examiner votre signalement.
      </legend>
      <div className="field">
        <label htmlFor={`${id}-motif`}>Motif du signalement (obligatoire)</label>
        <p className="field__hint" id={`${id}-aide`}>
          Dites ce qui pose problème (propos déplacés, arnaque, harcèlement…), 1 000 caractères au plus.
        </p>
        <textarea
          id={`${id}-motif`}
          rows={3}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-describedby={error ? `${id}-aide ${errorId}` : `${id}-aide`}
          {...(error ? { 'aria-invalid': true as const } : {})}
        />
        {error && (
          <p className="field__error" id={errorId} role="alert">
            <span aria-hidden="true">⚠ </span>
            {error}
          </p>
        )}
      </div>
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={async () => {
            const text = reason.trim();
            if (!text) {
              setError('Le motif du signalement est obligatoire.');
              return;
            }
            setBusy(true);
            setError('');
            try {
              await onReport(text);
              setOpen(false);
              setReason('');
            } catch (e) {
              setError(
                e instanceof ApiError
                  ? (e.fields.find((f) => f.field === 'reason')?.message ?? e.message)
                  : errorMessage(e),
              );
            } finally {
              setBusy(false);
            }
          }}
        >
          Signaler
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          Annuler
        </button>
      </div>
    </fieldset>
  );
}
