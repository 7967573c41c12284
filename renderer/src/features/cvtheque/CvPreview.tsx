import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import { CvFacts, CvIdentity } from './CvSections';
import { skillStars } from './cvtheque-model';

interface Props {
  doc: CvDoc | null;
  onOpen: (doc: CvDoc) => void;
  onAddToLists: (doc: CvDoc) => void;
}

/** The preview pane beside the results: the current row's CV, in short. */
export function CvPreview({ doc, onOpen, onAddToLists }: Props) {
  return (
    <aside className="cv-preview panel" aria-labelledby="cv-preview-title" data-testid="cv-preview">
      {doc ? (
        <>
          <h2 id="cv-preview-title">{doc.title}</h2>
          <CvIdentity doc={doc} />
          <CvFacts doc={doc} />
          {doc.summary ? <p className="cv-text cv-preview__summary">{doc.summary}</p> : null}
          {doc.skills.length ? (
            <p className="small">
              <strong>Compétences : </strong>
              {doc.skills.map((s) => `${s.label} (${skillStars(s.level).text})`).join(' ; ')}
            </p>
          ) : null}
          <div className="cv-actions">
            <button type="button" className="button button--primary" onClick={() => onOpen(doc)}>
              Ouvrir le CV
            </button>
            <button type="button" className="button button--secondary" onClick={() => onAddToLists(doc)}>
              Ajouter à une liste
            </button>
          </div>
        </>
      ) : (
        <>
          <h2 id="cv-preview-title">Aperçu</h2>
          <p className="muted">Choisissez un CV dans les résultats pour en voir l’aperçu ici.</p>
        </>
      )}
    </aside>
  );
}
