/**
 * A refused application's refusal as the candidate may read it (issue 6): « Motif : … » only when
 * the server sends the reason (the recruiter chose to show it), and the recruiter's message as a
 * quotation. Used by « Mes candidatures » and the follow page.
 */
import { useId } from 'react';
import type { CandidateRefusal } from '../../../../../shared/domain/application';
import './refusal.css';

export function RefusalNote({
  refusal,
  companyName,
}: {
  refusal: CandidateRefusal | undefined;
  companyName?: string;
}) {
  const captionId = useId();
  const reason = refusal?.reason?.trim();
  const message = refusal?.message?.trim();
  if (!reason && !message) return null;
  return (
    <div className="refusal-note">
      {reason && (
        <p className="refusal-note__reason">
          <strong>Motif :</strong> {reason}
        </p>
      )}
      {message && (
        <figure className="refusal-note__message" aria-labelledby={captionId}>
          <figcaption id={captionId} className="refusal-note__caption">
            {companyName ? `Message du recruteur (${companyName}) :` : 'Message du recruteur :'}
          </figcaption>
          <blockquote className="refusal-note__quote">
            <p>{message}</p>
          </blockquote>
        </figure>
      )}
    </div>
  );
}
