/**
 * Small form pieces of the account pages: a field with its label, hint and error (linked by
 * `aria-describedby`), and the summary of errors that takes the focus after a refused submit.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { ApiError } from '../../api';

/** The id of the input of a server field name (`address.postalCode` → `champ-address-postalCode`). */
export const fieldId = (field: string) => `champ-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function describedBy(field: string, hint: boolean, error: string | undefined): string | undefined {
  const ids = [hint ? `${fieldId(field)}-aide` : '', error ? `${fieldId(field)}-erreur` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The message for `field` in `error`, whether from the server or from a check in the page. */
export function errorFor(error: unknown, field: string): string | undefined {
  if (error instanceof ApiError) return error.fields.find((f) => f.field === field)?.message;
  return undefined;
}

/**
 * Label, control, hint and error. `children` receives the props the control needs (id,
 * aria-describedby, aria-invalid).
 */
export function Field({
  field,
  label,
  hint,
  error,
  children,
}: {
  field: string;
  label: ReactNode;
  hint?: ReactNode;
  error: unknown;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}) {
  const message = errorFor(error, field);
  const id = fieldId(field);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={`${id}-aide`}>
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-describedby': describedBy(field, !!hint, message),
        ...(message ? { 'aria-invalid': true as const } : {}),
      })}
      <FieldError field={field} message={message} />
    </div>
  );
}

export function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field__error" id={`${fieldId(field)}-erreur`}>
      <span aria-hidden="true">⚠ </span>
      {message}
    </p>
  );
}

/** Props that tie a group (fieldset of checkboxes or radios) to its error. */
export function groupProps(field: string, error: unknown, hint = false) {
  const message = errorFor(error, field);
  return {
    id: fieldId(field),
    tabIndex: -1,
    'aria-describedby': describedBy(field, hint, message),
  };
}

/**
 * The error of a refused submit: the server's message and a link to each field at fault.
 * Takes the focus when it appears (or changes), so screen readers read it first.
 */
export function ErrorSummary({
  error,
  title = 'Le formulaire contient des erreurs',
}: {
  error: unknown;
  title?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div className="notice notice--error" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="account-summary__title">{fields.length > 0 ? title : 'Action impossible'}</h2>
      <p>{message}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.field}-${f.message}`}>
              <a
                href={`#${fieldId(f.field)}`}
                onClick={(event) => {
                  const target = document.getElementById(fieldId(f.field));
                  if (target) {
                    event.preventDefault();
                    target.focus();
                  }
                }}
              >
                {f.message}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A local check failed before sending: shaped like a server refusal so the page shows it the same way. */
export function localError(message: string, fields: { field: string; message: string }[]): ApiError {
  return new ApiError(400, 'validation', message, fields);
}
