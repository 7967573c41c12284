/**
 * « Nouveau message » (seed 000, issue 7): `/mes-messages/nouveau?organisation=<id>&sujet=<kind>:<id>`.
 * The recipient is chosen among those the candidate may write to now; from a link about something
 * (an application, a company profile), an existing conversation about it opens instead, and a
 * refusal is explained before anything is typed.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { MESSAGE_LIMITS } from '../../../../../shared/domain/messaging';
import { ApiError } from '../../api';
import { fetchCompany } from '../../companies-api';
import { Link, navigate, redirect } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { ErrorSummary, Field } from '../account/forms';
import { errorMessage, Loading } from '../applications/application-ui';
import {
  type CandidateAttachment,
  type CanWrite,
  messagesApi,
  messagesChanged,
  type Recipient,
} from './messages-api';
import {
  aboutText,
  conversationHref,
  defaultSubject,
  findExistingConversation,
  findRecipient,
  MESSAGES_PAGE_SIZE,
  MESSAGES_PATH,
  NEW_MESSAGE_PATH,
  type NewMessageSearch,
  parseNewMessageSearch,
  recipientKey,
} from './messages-format';
import { AttachmentsField, MessageBodyField, RulesPanel } from './parts';

const TITLE = 'Nouveau message';
/** Pages of the list read to find a conversation already about the same thing. */
const EXISTING_SCAN_PAGES = 5;

interface Plan {
  recipients: Recipient[];
  /** The recipient the link asked for, when the candidate may write to them. */
  target: Recipient | null;
  /** Why the candidate may not write to the recipient the link asked for. */
  refusal: { organisationName: string; message: string } | null;
  /** A conversation already about what the link is about: it opens instead. */
  existing: string | null;
}

async function plan(wanted: NewMessageSearch, signal: AbortSignal): Promise<Plan> {
  const about = wanted.about;
  if (about) {
    for (let page = 1; page <= EXISTING_SCAN_PAGES; page++) {
      const list = await messagesApi.list('', page, signal);
      const found = findExistingConversation(list.items, about, wanted.organisationId);
      if (found) return { recipients: [], target: null, refusal: null, existing: found.id };
      if (page * MESSAGES_PAGE_SIZE >= list.total || list.items.length === 0) break;
    }
  }
  const recipients = await messagesApi.recipients(signal);
  const target = findRecipient(recipients, wanted);
  // Found among the usual recipients, or nothing precise asked: the list is enough.
  if (target || (!wanted.organisationId && about?.kind !== 'company'))
    return { recipients, target, refusal: null, existing: null };

  // Not among the usual recipients (a company profile, for instance): ask the rules.
  let aboutLabel: string | undefined;
  if (about?.kind === 'company') {
    const company = await fetchCompany(about.id, signal).catch(() => null);
    aboutLabel = company?.company.name;
  }
  let check: CanWrite;
  try {
    check = await messagesApi.canWrite(
      wanted.organisationId ? { organisationId: wanted.organisationId } : { companyId: about?.id ?? '' },
      signal,
    );
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) throw error;
    check = {
      allowed: false,
      code: error.code ?? 'unknown',
      message:
        about?.kind === 'company' && !wanted.organisationId
          ? 'Les recruteurs de cette entreprise ne peuvent pas être joints par la messagerie pour le moment.'
          : error.message,
    };
  }
  const name = check.organisationName || aboutLabel || '';
  const organisationId = wanted.organisationId ?? check.organisationId ?? null;
  if (check.allowed && organisationId)
    return {
      recipients,
      target: {
        organisationId,
        organisationName: name || 'Organisation',
        basis: check.basis,
        basisLabel: '',
        ...(about ? { aboutKind: about.kind, aboutId: about.id } : {}),
        ...(aboutLabel ? { aboutLabel } : {}),
      },
      refusal: null,
      existing: null,
    };
  return {
    recipients,
    target: null,
    refusal: {
      organisationName: name,
      message: check.allowed
        ? 'Cette organisation est introuvable : choisissez un destinataire dans la liste.'
        : check.message,
    },
    existing: null,
  };
}

export function NewMessagePage({ search }: { search: string }) {
  useDocumentTitle(TITLE);
  const wanted = parseNewMessageSearch(search);
  const [state, retry] = useLoad(`new-message:${search}`, (signal) => plan(wanted, signal));

  const existing = state.status === 'ready' ? state.data.existing : null;
  // A conversation about the same thing opens instead (replacing this entry: « Retour » skips it).
  useEffect(() => {
    if (existing) redirect(conversationHref(existing));
  }, [existing]);
  const back = (
    <p className="back-link">
      <Link to={MESSAGES_PATH}>
        <span aria-hidden="true">← </span>Retour à mes messages
      </Link>
    </p>
  );
  if (state.status === 'loading' || existing)
    return (
      <>
        {back}
        <h1>{TITLE}</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        {back}
        <h1>{TITLE}</h1>
        <div className="notice notice--error" role="alert">
          <p>{errorMessage(state.error)}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      </>
    );

  const { recipients, target, refusal } = state.data;
  const choices =
    target && !recipients.some((r) => recipientKey(r) === recipientKey(target))
      ? [target, ...recipients]
      : recipients;
  return (
    <>
      {back}
      <h1>{TITLE}</h1>
      {refusal ? (
        <div className="notice notice--error messaging-refusal" role="alert" id="refus-destinataire">
          <p>
            <strong>
              {refusal.organisationName
                ? `Vous ne pouvez pas écrire à ${refusal.organisationName}.`
                : 'Vous ne pouvez pas écrire à ce destinataire.'}
            </strong>
          </p>
          <p>{refusal.message}</p>
          {recipients.length > 0 && (
            <p>
              <Link to={NEW_MESSAGE_PATH}>Écrire à un autre destinataire</Link>
            </p>
          )}
        </div>
      ) : choices.length === 0 ? (
        <div className="panel">
          <p>
            <strong>Vous ne pouvez écrire à aucun recruteur pour le moment.</strong>
          </p>
          <p>
            Postulez à une offre, ou écrivez depuis la fiche d’une entreprise (bouton « Contacter l’entreprise
            ») : les règles ci-dessous disent à qui vous pouvez écrire.
          </p>
        </div>
      ) : (
        <>
          {wanted.about && !target && (
            <p className="notice notice--info">
              Choisissez le destinataire dans la liste : celui que vous cherchiez n’y figure pas directement.
            </p>
          )}
          <NewMessageForm choices={choices} initial={target ?? choices[0] ?? null} />
        </>
      )}
      <RulesPanel />
    </>
  );
}

function recipientOption(r: Recipient): string {
  const about = aboutText(r);
  return [r.organisationName, about || r.basisLabel].filter(Boolean).join(' — ');
}

function NewMessageForm({ choices, initial }: { choices: Recipient[]; initial: Recipient | null }) {
  const [key, setKey] = useState(initial ? recipientKey(initial) : '');
  const [subject, setSubject] = useState(defaultSubject(initial));
  const [subjectTouched, setSubjectTouched] = useState(false);
  const [body, setBody] = useState('');
  const [attachments, setAttachments] = useState<CandidateAttachment[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const formId = useId();
  const sent = useRef(false);
  const recipient = choices.find((r) => recipientKey(r) === key) ?? null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || uploading || sent.current) return;
    const fields: { field: string; message: string }[] = [];
    if (!recipient)
      fields.push({ field: 'organisationId', message: 'Choisissez le destinataire du message.' });
    if (!subject.trim()) fields.push({ field: 'subject', message: 'L’objet du message est obligatoire.' });
    if (!body.trim()) fields.push({ field: 'body', message: 'Le message est vide : écrivez votre message.' });
    if (fields.length > 0 || !recipient) {
      setError(new ApiError(400, 'validation', 'Complétez les champs signalés ci-dessous.', fields));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { conversation } = await messagesApi.create({
        organisationId: recipient.organisationId,
        subject,
        body,
        ...(attachments.length > 0 ? { attachments } : {}),
        ...(recipient.aboutKind && recipient.aboutKind !== 'none' && recipient.aboutId
          ? { aboutKind: recipient.aboutKind, aboutId: recipient.aboutId }
          : {}),
      });
      sent.current = true;
      messagesChanged();
      navigate(conversationHref(conversation.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby={`${formId}-titre`}>
      <h2 id={`${formId}-titre`} className="visually-hidden">
        Votre message
      </h2>
      <ErrorSummary error={error} title="Votre message n’est pas envoyé" />
      <Field
        field="organisationId"
        label="Destinataire"
        hint="Les organisations auxquelles vous pouvez écrire maintenant."
        error={error}
      >
        {(props) => (
          <select
            {...props}
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              const next = choices.find((r) => recipientKey(r) === e.target.value);
              if (!subjectTouched) setSubject(defaultSubject(next));
            }}
          >
            {choices.map((r) => (
              <option key={recipientKey(r)} value={recipientKey(r)}>
                {recipientOption(r)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        field="subject"
        label="Objet"
        hint={`${MESSAGE_LIMITS.subject} caractères au plus.`}
        error={error}
      >
        {(props) => (
          <input
            {...props}
            type="text"
            maxLength={MESSAGE_LIMITS.subject}
            value={subject}
            onChange={(e) => {
              setSubject(e.target.value);
              setSubjectTouched(true);
            }}
            required
          />
        )}
      </Field>
      <MessageBodyField label="Message" rows={8} value={body} onChange={setBody} error={error} />
      <AttachmentsField value={attachments} onChange={setAttachments} error={error} onBusy={setUploading} />
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy || uploading}>
          {busy ? 'Envoi…' : 'Envoyer'}
        </button>
        <Link to={MESSAGES_PATH} className="button button--secondary">
          Annuler
        </Link>
      </div>
    </form>
  );
}
