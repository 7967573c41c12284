import { useEffect, useRef, useState } from 'react';
import { FILE_PURPOSES, type FilePurpose } from '../../../../shared/domain/files';
import { MESSAGE_LIMITS, validateMessageDraft } from '../../../../shared/domain/messaging';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import { useSession } from '../../app/session-context';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { useSyncState } from '../../hooks/use-sync-state';
import { fileServicesFor, keepAndQueue } from '../files/files-session';
import { prepareFile } from '../files/prepare-file';
import { formatSize } from './Attachments';
import { membershipOf } from './conversation-organisation';
import { clearDraft, draftKey, loadDraft, saveDraft } from './drafts';
import { type NewConversation, writeMessage } from './messages-db';
import { outboxFor } from './outbox-store';

/** Files joined to messages (purpose `message` once the server knows it; the CV rule meanwhile). */
export const MESSAGE_FILE_PURPOSE: FilePurpose = (
  'message' in FILE_PURPOSES ? 'message' : 'cv'
) as FilePurpose;

interface Props {
  conversation: ConversationDoc | null;
  /** A conversation opened by this first message (then the subject is asked). */
  newConversation?: Omit<NewConversation, 'subject'> & { subject: string };
  onSent: (message: MessageDoc) => void;
}

const newId = () => crypto.randomUUID();

/** The reply box (« Répondre à ce message »), or the first message of a new conversation. */
export function Composer({ conversation, newConversation, onSent }: Props) {
  const session = useSession();
  const { db, user, sync } = session;
  const { online } = useSyncState(sync);
  const isNew = !conversation && !!newConversation;
  // A reply is written in its conversation's organisation, whatever organisation is selected.
  const organisation = conversation ? membershipOf(user, conversation.organisationId) : session.organisation;
  const base = isNew ? `new-${newConversation!.id}` : `reply-${conversation?.id ?? 'none'}`;
  // The draft is kept on this workstation (per conversation; per « about » for a new one).
  const [key] = useState(() =>
    draftKey(
      conversation,
      newConversation && organisation
        ? { organisationId: organisation.organisationId, ...newConversation }
        : undefined,
    ),
  );
  const [restored] = useState(() => loadDraft(user.id, key));
  const [draftNote, setDraftNote] = useState(restored !== null);
  const [subject, setSubject] = useState(restored?.subject ?? newConversation?.subject ?? '');
  const [body, setBody] = useState(restored?.body ?? '');
  const [attachments, setAttachments] = useState<MessageDoc['attachments']>(restored?.attachments ?? []);
  const [errors, setErrors] = useState<SummaryError[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [messageId, setMessageId] = useState(newId);
  const summaryRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const rule = FILE_PURPOSES[MESSAGE_FILE_PURPOSE];
  const sent = useRef(false);

  // Each change kept at once (an empty box removes the draft).
  useEffect(() => {
    if (sent.current) return;
    saveDraft(user.id, key, { body, ...(isNew ? { subject } : {}), attachments }, newConversation?.subject);
  }, [user.id, key, body, subject, attachments, isNew, newConversation?.subject]);

  const fieldId = (field: string) =>
    field === 'subject'
      ? `${base}-subject`
      : field.startsWith('attachments')
        ? `${base}-files`
        : `${base}-body`;
  const errorOf = (field: string) =>
    errors.find((e) => e.field === field || (field === 'attachments' && e.field.startsWith('attachments')))
      ?.message;

  async function addFiles(files: FileList | null) {
    if (!files || files.length === 0) return;
    setFileError(null);
    const added: MessageDoc['attachments'] = [];
    for (const file of [...files]) {
      if (attachments.length + added.length >= MESSAGE_LIMITS.attachments) {
        setFileError(`Vous pouvez joindre au plus ${MESSAGE_LIMITS.attachments} fichiers à un message.`);
        break;
      }
      const prepared = await prepareFile(MESSAGE_FILE_PURPOSE, file);
      if (!prepared.ok) {
        setFileError(`${file.name} : ${prepared.message}`);
        continue;
      }
      if ([...attachments, ...added].some((a) => a.sha256 === prepared.sha256)) {
        setFileError(`${file.name} : ce fichier est déjà joint au message.`);
        continue;
      }
      try {
        await keepAndQueue(fileServicesFor(user.id), prepared, MESSAGE_FILE_PURPOSE);
      } catch (err) {
        setFileError(err instanceof Error ? err.message : String(err));
        continue;
      }
      added.push({
        sha256: prepared.sha256,
        name: file.name.replace(/[\\/]/g, '_').slice(0, MESSAGE_LIMITS.attachmentName) || 'fichier',
        size: prepared.size,
        mime: prepared.mime,
      });
    }
    if (added.length > 0) setAttachments((list) => [...list, ...added]);
    if (fileRef.current) fileRef.current.value = '';
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!organisation || busy) return;
    const checked = validateMessageDraft({
      subject: isNew ? subject : (conversation?.subject ?? 'Réponse'),
      body,
      attachments,
    });
    if (!checked.ok) {
      setErrors(checked.errors);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const message = await writeMessage(db, outboxFor(user.id), {
        user,
        organisation,
        conversation,
        ...(isNew ? { newConversation: { ...newConversation!, subject: checked.value.subject } } : {}),
        body: checked.value.body,
        attachments,
        messageId,
      });
      sent.current = true;
      clearDraft(user.id, key);
      setBody('');
      setAttachments([]);
      setMessageId(newId());
      setDraftNote(false);
      // A new conversation's box goes with its first message; a reply box keeps the next draft.
      if (!isNew) sent.current = false;
      onSent(message);
    } catch (err) {
      setErrors([
        {
          field: 'body',
          message: `Le message n’a pas pu être enregistré sur ce poste : ${err instanceof Error ? err.message : String(err)}`,
        },
      ]);
      requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  }

  const subjectError = errorOf('subject');
  const bodyError = errorOf('body');
  const filesError = fileError ?? errorOf('attachments');
  return (
    <form className="message-composer form" noValidate onSubmit={submit} aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`}>{isNew ? 'Nouveau message' : 'Répondre à ce message'}</h3>
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={fieldId} />
      {draftNote ? (
        <p className="field__hint" data-testid="draft-restored">
          Brouillon repris : il est gardé sur ce poste jusqu’à l’envoi du message.
        </p>
      ) : null}
      {!online ? (
        <p className="alert alert--info" role="status">
          Hors ligne : votre message sera enregistré sur ce poste et envoyé automatiquement au retour de la
          connexion.
        </p>
      ) : null}
      {isNew ? (
        <div className={`field${subjectError ? ' field--error' : ''}`}>
          <label htmlFor={`${base}-subject`}>
            Objet du message{' '}
            <span className="required" aria-hidden="true">
              *
            </span>
          </label>
          <input
            id={`${base}-subject`}
            value={subject}
            maxLength={MESSAGE_LIMITS.subject}
            required
            aria-required
            aria-invalid={subjectError ? true : undefined}
            aria-describedby={subjectError ? `${base}-subject-error` : undefined}
            onChange={(e) => setSubject(e.target.value)}
            data-testid="message-subject"
          />
          {subjectError ? (
            <p className="field__error" id={`${base}-subject-error`}>
              {subjectError}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className={`field${bodyError ? ' field--error' : ''}`}>
        <label htmlFor={`${base}-body`}>
          Message{' '}
          <span className="required" aria-hidden="true">
            *
          </span>
        </label>
        <textarea
          id={`${base}-body`}
          value={body}
          rows={6}
          maxLength={MESSAGE_LIMITS.body}
          required
          aria-required
          aria-invalid={bodyError ? true : undefined}
          aria-describedby={[`${base}-body-hint`, bodyError ? `${base}-body-error` : '']
            .filter(Boolean)
            .join(' ')}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          data-testid="message-body"
        />
        <p className="field__hint" id={`${base}-body-hint`}>
          {MESSAGE_LIMITS.body.toLocaleString('fr-FR')} caractères au plus · Ctrl+Entrée : envoyer
        </p>
        {bodyError ? (
          <p className="field__error" id={`${base}-body-error`}>
            {bodyError}
          </p>
        ) : null}
      </div>
      <div className={`field${filesError ? ' field--error' : ''}`}>
        <label htmlFor={`${base}-files`}>Pièces jointes (facultatif)</label>
        <p className="field__hint" id={`${base}-files-hint`}>
          {MESSAGE_LIMITS.attachments} fichiers au plus. {rule.rule}
        </p>
        <input
          id={`${base}-files`}
          ref={fileRef}
          type="file"
          multiple
          accept={rule.accept}
          aria-invalid={filesError ? true : undefined}
          aria-describedby={[`${base}-files-hint`, filesError ? `${base}-files-error` : '']
            .filter(Boolean)
            .join(' ')}
          onChange={(e) => void addFiles(e.target.files)}
        />
        {filesError ? (
          <p className="field__error" id={`${base}-files-error`} role="alert">
            {filesError}
          </p>
        ) : null}
        {attachments.length > 0 ? (
          <ul className="message-attachments" aria-label="Fichiers joints">
            {attachments.map((a) => (
              <li key={a.sha256} className="message-attachment">
                <span>
                  {a.name} <span className="muted small">({formatSize(a.size)})</span>
                </span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setAttachments((list) => list.filter((x) => x.sha256 !== a.sha256))}
                >
                  Retirer <span className="visually-hidden">{a.name}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="message-send">
          Envoyer
        </button>
      </div>
    </form>
  );
}
