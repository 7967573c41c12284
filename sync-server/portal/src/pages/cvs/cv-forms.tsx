/**
 * Form pieces of the CV pages: a field with its label, hint and error (linked by
 * `aria-describedby`), the summary of errors that takes the focus after a refused save, and an
 * accessible modal dialog (native `<dialog>`: focus kept inside, Échap closes it).
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';
import { ApiError } from '../../api';

/** The id of the control of a server field path (`experiences.0.start` → `cv-experiences-0-start`). */
export const fieldId = (field: string) => `cv-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function errorFor(error: unknown, field: string): string | undefined {
  if (error instanceof ApiError) return error.fields.find((f) => f.field === field)?.message;
  return undefined;
}

export function controlProps(field: string, error: unknown, hint = false) {
  const message = errorFor(error, field);
  const id = fieldId(field);
  const describedBy = [hint ? `${id}-aide` : '', message ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  return {
    id,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(message ? { 'aria-invalid': true as const } : {}),
  };
}

export function FieldError({ field, error }: { field: string; error: unknown }) {
  const message = errorFor(error, field);
  if (!message) return null;
  return (
    <p className="field__error" id={`${fieldId(field)}-erreur`}>
      <span aria-hidden="true">⚠ </span>
      {message}
    </p>
  );
}

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
  children: (props: ReturnType<typeof controlProps>) => ReactNode;
}) {
  const id = fieldId(field);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field__hint" id={`${id}-aide`}>
          {hint}
        </p>
      )}
      {children(controlProps(field, error, !!hint))}
      <FieldError field={field} error={error} />
    </div>
  );
}

/** The refusal of a save: the message and a link to each field at fault; focused when it appears. */
export function ErrorSummary({
  error,
  title = 'Le CV n’a pas été enregistré',
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
      <h2 className="cv-summary__title">{title}</h2>
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

export function localError(message: string, fields: { field: string; message: string }[]): ApiError {
  return new ApiError(400, 'validation', message, fields);
}

/** A modal dialog: `open` shows it with `showModal()` (focus moves in, the page behind is inert). */
export function Modal({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      return () => {
        if (dialog.open) dialog.close();
        opener?.focus?.();
      };
    }
    return undefined;
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="cv-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}
