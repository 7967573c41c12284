/** Small pieces shared by the application pages: error summary, statuses, offer lines, confirmations. */
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import {
  type ApplicationOfferSnapshot,
  type ApplicationStatus,
  OFFER_STATE_LABELS,
  type OfferState,
} from '../../../../../shared/domain/application';
import type { FieldError } from '../../../../../shared/sync/errors';
import { ApiError } from '../../api';
import { formatPlace } from '../../format';
import './applications.css';

/** The message of the error, in French (network, server or anything else). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Une erreur inattendue est survenue. Réessayez dans un instant.';
}

export function errorFields(error: unknown): FieldError[] {
  return error instanceof ApiError ? error.fields : [];
}

/**
 * The summary of errors shown above a form after a refused submit: it takes the focus, and each
 * entry links to its field (`fieldIds` maps a server field to the id of its input).
 */
export function ErrorSummary({
  error,
  fieldIds,
  labels,
}: {
  error: unknown;
  fieldIds: Record<string, string>;
  labels: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const fields = errorFields(error);
  return (
    <div className="notice notice--error" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="application-summary__title">
        {fields.length > 0 ? 'Votre candidature n’a pas pu être envoyée' : 'Action impossible'}
      </h2>
      <p>{errorMessage(error)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.field}-${f.message}`}>
              {fieldIds[f.field] ? (
                <a href={`#${fieldIds[f.field]}`}>
                  {labels[f.field] ? `${labels[f.field]} : ` : ''}
                  {f.message}
                </a>
              ) : (
                f.message
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The message of one field, if the server named it. */
export function messageFor(error: unknown, ...fields: string[]): string | undefined {
  return errorFields(error).find((f) => fields.includes(f.field))?.message;
}

/** `aria-describedby` and `aria-invalid` of an input, from its hint and error ids. */
export function describedBy(hintId: string | null, errorId: string, error: string | undefined) {
  const ids = [hintId, error ? errorId : null].filter(Boolean).join(' ');
  return {
    ...(ids ? { 'aria-describedby': ids } : {}),
    ...(error ? { 'aria-invalid': true as const } : {}),
  };
}

export function FieldErrorText({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      <span aria-hidden="true">⚠ </span>
      {message}
    </p>
  );
}

/** « Titre · Entreprise · Ville (11000) · n° … » */
export function OfferLine({ offer }: { offer: ApplicationOfferSnapshot }) {
  const parts = [
    offer.companyName,
    offer.city ? formatPlace(offer.city, offer.postalCode) : '',
    offer.number ? `Offre n° ${offer.number}` : '',
  ].filter(Boolean);
  return <p className="application-card__meta">{parts.join(' · ')}</p>;
}

/** A status as text with an icon-less badge (the text carries the meaning, never the colour alone). */
export function StatusBadge({ status, label }: { status: ApplicationStatus; label: string }) {
  return (
    <span className={`status-badge status-badge--${status}`}>
      <span className="visually-hidden">Statut : </span>
      {label}
    </span>
  );
}

export function OfferStateText({ state }: { state: OfferState }) {
  if (state === 'en_ligne') return null;
  return <p className="application-card__offer-state">{OFFER_STATE_LABELS[state]}</p>;
}

/**
 * An action that asks for confirmation in place (no browser dialog): the first button opens a
 * small panel with an optional reason, « Confirmer » and « Annuler ».
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  withReason,
  onConfirm,
  secondary,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  withReason?: boolean;
  onConfirm: (reason: string) => Promise<void>;
  secondary?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = useId();
  const panel = useRef<HTMLFieldSetElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);
  if (!open)
    return (
      <button
        type="button"
        ref={opener}
        className={secondary ? 'button button--secondary' : 'button'}
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
    );
  return (
    <fieldset className="confirm-panel" tabIndex={-1} ref={panel}>
      <legend className="confirm-panel__question">{question}</legend>
      {withReason && (
        <div className="field">
          <label htmlFor={`${id}-reason`}>Motif (facultatif)</label>
          <textarea
            id={`${id}-reason`}
            maxLength={500}
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
      )}
      {error ? (
        <p className="field__error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <div className="form__actions">
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await onConfirm(reason.trim());
            } catch (e) {
              setError(e);
              setBusy(false);
            }
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
          Annuler
        </button>
      </div>
    </fieldset>
  );
}

export function Loading({ children }: { children?: ReactNode }) {
  return <p aria-busy="true">{children ?? 'Chargement…'}</p>;
}
