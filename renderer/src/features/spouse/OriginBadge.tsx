import { SPOUSE_SEARCH_LABEL } from '../../../../shared/domain/spouse-search';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import './spouse.css';

/**
 * The label of a CV written on a person's behalf (« Rapprochement de conjoints »), in text (not
 * colour alone): in the CVthèque results, the preview and the CV detail. Nothing for other CVs.
 */
export function OriginBadge({ doc, long = false }: { doc: Pick<CvDoc, 'origin'>; long?: boolean }) {
  if (doc.origin?.kind !== 'conjoint') return null;
  return (
    <span className="origin-badge" data-testid="cv-origin">
      {SPOUSE_SEARCH_LABEL}
      {long && doc.origin.byOrganisationName ? (
        <span className="origin-badge__by"> · enregistré par {doc.origin.byOrganisationName}</span>
      ) : null}
    </span>
  );
}
