/** A summary of a form's errors, focused when the form is refused (RGAA 11.10), each linked to its field. */
import { forwardRef } from 'react';

export interface SummaryError {
  message: string;
  /** `#id` of the field at fault. */
  href?: string;
}

export const ErrorSummary = forwardRef<
  HTMLDivElement,
  { title: string; errors: SummaryError[]; fallback?: string }
>(function ErrorSummary({ title, errors, fallback }, ref) {
  return (
    <div ref={ref} className="notice notice--error" role="alert" tabIndex={-1}>
      <p>
        <strong>{title}</strong>
      </p>
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li key={`${e.href ?? ''}${e.message}`}>
              {e.href ? <a href={e.href}>{e.message}</a> : e.message}
            </li>
          ))}
        </ul>
      ) : fallback ? (
        <p>{fallback}</p>
      ) : null}
    </div>
  );
});
