import { forwardRef } from 'react';

export interface SummaryError {
  field: string;
  message: string;
}

interface Props {
  errors: SummaryError[];
  /** The id of the control of a field, to link each error to it. */
  fieldId: (field: string) => string;
  title?: string;
}

/** The error summary at the top of a form: receives the focus, each error links to its field. */
export const ErrorSummary = forwardRef<HTMLDivElement, Props>(function ErrorSummary(
  { errors, fieldId, title },
  ref,
) {
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">
        {title ??
          (errors.length === 1
            ? 'Le formulaire contient une erreur'
            : `Le formulaire contient ${errors.length} erreurs`)}
      </h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.field}-${e.message}`}>
            <a
              href={`#${fieldId(e.field)}`}
              onClick={(ev) => {
                ev.preventDefault();
                const el = document.getElementById(fieldId(e.field));
                el?.focus();
                el?.scrollIntoView({ block: 'center' });
              }}
            >
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
});
