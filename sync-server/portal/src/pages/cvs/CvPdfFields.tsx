/**
 * Form pieces of the CV PDF and folder forms: a field with its label, hint and error (linked by
 * `aria-describedby`, `aria-invalid`), and the summary of errors focused after a refused submit.
 * Ids carry a prefix so that two forms on one page never share one.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { ApiError } from '../../api';

export const inputId = (prefix: string, field: string) =>
  `${prefix}-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function messageFor(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fields.find((f) => f.field === field)?.message : undefined;
}

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

export function controlProps(prefix: string, field: string, error: unknown, hint = false): ControlProps {
  const id = inputId(prefix, field);
  const message = messageFor(error, field);
  const described = [hint ? `${id}-aide` : '', message ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  return {
    id,
    ...(described ? { 'aria-describedby': described } : {}),
    ...(message ? { 'aria-invalid': true as const } : {}),
  };
}

export function FieldHint({
  prefix,
  field,
  children,
}: {
  prefix: string;
  field: string;
  children: ReactNode;
}) {
  return (
    <p className="field__hint" id={`${inputId(prefix, field)}-aide`}>
      {children}
    </p>
  );
}

export function FieldMessage({ prefix, field, error }: { prefix: string; field: string; error: unknown }) {
  const message = messageFor(error, field);
  if (!message) return null;
  return (
    <p className="field__error" id={`${inputId(prefix, field)}-erreur`}>
      <span aria-hidden="true">⚠ </span>
      <span className="visually-hidden">Erreur : </span>
      {message}
    </p>
  );
}

export function TextField({
  prefix,
  field,
  label,
  hint,
  error,
  value,
  onChange,
  type = 'text',
  multiline = false,
  autoComplete,
  required = false,
  maxLength,
}: {
  prefix: string;
  field: string;
  label: string;
  hint?: ReactNode;
  error: unknown;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'url';
  multiline?: boolean;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
}) {
  const props = controlProps(prefix, field, error, !!hint);
  return (
    <div className="field">
      <label htmlFor={props.id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
        {required ? <span className="visually-hidden"> (obligatoire)</span> : null}
      </label>
      {hint && (
        <FieldHint prefix={prefix} field={field}>
          {hint}
        </FieldHint>
      )}
      {multiline ? (
        <textarea
          {...props}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...(maxLength ? { maxLength } : {})}
          {...(required ? { 'aria-required': true } : {})}
        />
      ) : (
        <input
          {...props}
          type={type}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...(autoComplete ? { autoComplete } : {})}
          {...(maxLength ? { maxLength } : {})}
          {...(required ? { 'aria-required': true } : {})}
        />
      )}
      <FieldMessage prefix={prefix} field={field} error={error} />
    </div>
  );
}

/** The refused submit: the message and a link to each field at fault; focused when it appears. */
export function ErrorSummary({ prefix, error }: { prefix: string; error: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div className="notice notice--error" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{fields.length > 0 ? 'Le formulaire contient des erreurs :' : 'Action impossible :'}</strong>{' '}
        {fields.length > 1 ? null : message}
      </p>
      {fields.length > 1 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.field}-${f.message}`}>
              <a
                href={`#${inputId(prefix, f.field)}`}
                onClick={(event) => {
                  const target = document.getElementById(inputId(prefix, f.field));
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
