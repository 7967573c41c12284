/** Pieces shared by the « Mes messages » pages: the rules, attachments (send and read), unread count. */
import { type ChangeEvent, type MouseEvent, useEffect, useId, useRef, useState } from 'react';
import { FILE_PURPOSES, formatMegabytes } from '../../../../../shared/domain/files';
import {
  MESSAGE_LIMITS,
  MESSAGING_LIMITS,
  MESSAGING_RULES_INTRO,
  MESSAGING_RULES_TITLE,
  messagingRulesFor,
} from '../../../../../shared/domain/messaging';
import { ApiError } from '../../api';
import { errorFor, Field, FieldError, fieldId } from '../account/forms';
import { formatSize } from '../cvs/cv-api';
import { type CandidateAttachment, MESSAGES_CHANGED_EVENT, messagesApi } from './messages-api';
import { attachmentName, isPdf } from './messages-format';
import './messages.css';

/** « À qui puis-je écrire ? » (seed 000): the rows of the rules table as a candidate reads them. */
export function RulesPanel({ headingLevel = 2 }: { headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = useId();
  return (
    <section className="panel messaging-rules" aria-labelledby={`${id}-titre`}>
      <Heading id={`${id}-titre`}>{MESSAGING_RULES_TITLE}</Heading>
      <p>{MESSAGING_RULES_INTRO}</p>
      <ul>
        {messagingRulesFor('candidate-to-organisation').map((r) => (
          <li key={r.label}>{r.label}</li>
        ))}
      </ul>
      <p className="messaging-rules__limits">{MESSAGING_LIMITS[0]}</p>
    </section>
  );
}

const MESSAGE_FILES = FILE_PURPOSES.message;
export const ATTACHMENT_ACCEPT = MESSAGE_FILES.accept;
export const ATTACHMENT_RULE = `Facultatif : ${MESSAGE_LIMITS.attachments} fichiers au plus. ${MESSAGE_FILES.rule}`;

interface Pending {
  key: string;
  name: string;
  error?: string;
}

/**
 * The attachments of a draft: each file is sent when chosen (the server checks its content and
 * names it by its hash), listed with « Retirer »; a refused file says why beside the field.
 * Server errors on `attachments` / `attachments.<i>` show here too.
 */
export function AttachmentsField({
  value,
  onChange,
  error,
  onBusy,
}: {
  value: CandidateAttachment[];
  onChange: (next: CandidateAttachment[]) => void;
  error: unknown;
  onBusy?: (busy: boolean) => void;
}) {
  const id = fieldId('attachments');
  const [pending, setPending] = useState<Pending[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(value);
  latest.current = value;
  const listError = errorFor(error, 'attachments');
  const itemErrors = value.map((_, i) => errorFor(error, `attachments.${i}`));
  const uploadErrors = pending.filter((p) => p.error);
  const busy = pending.some((p) => !p.error);
  useEffect(() => onBusy?.(busy), [busy, onBusy]);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    setPending((p) => p.filter((x) => !x.error));
    const room = MESSAGE_LIMITS.attachments - latest.current.length;
    const taken = files.slice(0, Math.max(0, room));
    const refused: Pending[] = files.slice(taken.length).map((f, i) => ({
      key: `refus-${Date.now()}-${i}`,
      name: f.name,
      error: `Vous pouvez joindre au plus ${MESSAGE_LIMITS.attachments} fichiers à un message.`,
    }));
    const jobs = taken.map((f, i) => ({ file: f, key: `envoi-${Date.now()}-${i}` }));
    setPending((p) => [...p, ...refused, ...jobs.map((j) => ({ key: j.key, name: j.file.name }))]);
    for (const job of jobs) {
      let failure: string | undefined;
      if (job.file.size > MESSAGE_FILES.maxBytes)
        failure = `Ce fichier dépasse ${formatMegabytes(MESSAGE_FILES.maxBytes)}.`;
      else if (job.file.size === 0) failure = 'Ce fichier est vide.';
      else {
        try {
          const uploaded = await messagesApi.upload(job.file);
          const current = latest.current;
          if (current.some((a) => a.sha256 === uploaded.sha256))
            failure = 'Ce fichier est déjà joint au message.';
          else
            onChange([
              ...current,
              {
                sha256: uploaded.sha256,
                name: attachmentName(job.file.name),
                size: uploaded.size,
                mime: uploaded.mime,
              },
            ]);
        } catch (e) {
          failure = e instanceof ApiError ? e.message : 'Le fichier n’a pas pu être envoyé.';
        }
      }
      setPending((p) =>
        failure
          ? p.map((x) => (x.key === job.key ? { ...x, error: failure } : x))
          : p.filter((x) => x.key !== job.key),
      );
    }
  }

  const describedBy = [`${id}-aide`, listError || uploadErrors.length > 0 ? `${id}-erreur` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>Pièces jointes</label>
      <p className="field__hint" id={`${id}-aide`}>
        {ATTACHMENT_RULE}
      </p>
      <input
        ref={input}
        id={id}
        type="file"
        multiple
        accept={ATTACHMENT_ACCEPT}
        onChange={(e) => void choose(e)}
        disabled={value.length >= MESSAGE_LIMITS.attachments}
        aria-describedby={describedBy}
        {...(listError || uploadErrors.length > 0 ? { 'aria-invalid': true as const } : {})}
      />
      {(listError || uploadErrors.length > 0) && (
        <div className="field__error" id={`${id}-erreur`}>
          {listError && (
            <p>
              <span aria-hidden="true">⚠ </span>
              {listError}
            </p>
          )}
          {uploadErrors.map((p) => (
            <p key={p.key}>
              <span aria-hidden="true">⚠ </span>« {p.name} » : {p.error}
            </p>
          ))}
        </div>
      )}
      {pending.some((p) => !p.error) && (
        <p role="status" className="attachments__sending">
          Envoi de{' '}
          {pending
            .filter((p) => !p.error)
            .map((p) => `« ${p.name} »`)
            .join(', ')}
          …
        </p>
      )}
      {value.length > 0 && (
        <ul className="attachments" aria-label="Fichiers joints">
          {value.map((a, i) => (
            <li key={a.sha256} className="attachments__item">
              <span id={fieldId(`attachments.${i}`)} tabIndex={-1}>
                {a.name} ({formatSize(a.size)})
              </span>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  onChange(value.filter((x) => x.sha256 !== a.sha256));
                  input.current?.focus();
                }}
              >
                Retirer<span className="visually-hidden"> « {a.name} »</span>
              </button>
              <FieldError field={`attachments.${i}`} message={itemErrors[i]} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Opens a PDF in the browser's viewer: the server sends every non-image file as a download, so the
 * page reads it and shows it from memory in a new tab. Without a new tab (blocked), the link
 * downloads it as usual.
 */
async function openPdf(event: MouseEvent<HTMLAnchorElement>, a: CandidateAttachment) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const tab = window.open('', '_blank');
  if (!tab) return;
  event.preventDefault();
  try {
    const response = await fetch(`/api/files/${a.sha256}`, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(String(response.status));
    const blob = new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
    tab.location.href = URL.createObjectURL(blob);
  } catch {
    tab.close();
    window.location.href = `/api/files/${a.sha256}`;
  }
}

/** The files of a sent message: PDFs open in the browser, other files download. */
export function AttachmentLinks({ attachments }: { attachments: CandidateAttachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <ul className="message__attachments" aria-label="Pièces jointes">
      {attachments.map((a) =>
        isPdf(a) ? (
          <li key={a.sha256}>
            <a
              href={`/api/files/${a.sha256}`}
              target="_blank"
              rel="noopener"
              onClick={(e) => void openPdf(e, a)}
            >
              {a.name}
            </a>{' '}
            (PDF, {formatSize(a.size)}, s’ouvre dans un nouvel onglet)
          </li>
        ) : (
          <li key={a.sha256}>
            <a href={`/api/files/${a.sha256}`} download={a.name}>
              {a.name}
            </a>{' '}
            ({formatSize(a.size)}, téléchargement)
          </li>
        ),
      )}
    </ul>
  );
}

/**
 * The number of unread conversations, for the navigation: read again on every change of page and
 * whenever a messages page says something changed; null while unknown.
 */
export function useUnreadMessages(enabled: boolean, location: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    window.addEventListener(MESSAGES_CHANGED_EVENT, bump);
    return () => window.removeEventListener(MESSAGES_CHANGED_EVENT, bump);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on each navigation and change.
  useEffect(() => {
    if (!enabled) {
      setCount(null);
      return;
    }
    const controller = new AbortController();
    messagesApi.list('', 1, controller.signal).then(
      (page) => {
        if (!controller.signal.aborted) setCount(typeof page.unread === 'number' ? page.unread : null);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [enabled, location, tick]);
  return count;
}

/** The message's text, with its limit (a reply, or the first message of a conversation). */
export function MessageBodyField({
  label,
  rows,
  value,
  onChange,
  error,
}: {
  label: string;
  rows: number;
  value: string;
  onChange: (value: string) => void;
  error: unknown;
}) {
  return (
    <Field
      field="body"
      label={label}
      hint={`${MESSAGE_LIMITS.body.toLocaleString('fr-FR')} caractères au plus.`}
      error={error}
    >
      {(props) => (
        <textarea
          {...props}
          rows={rows}
          maxLength={MESSAGE_LIMITS.body}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          required
        />
      )}
    </Field>
  );
}
