/**
 * « Mes CV » (seed 002 « Le dépôt de CV », seed 000 « Mon CV »): up to 5 CVs with their status and
 * gauge; create one (complete mode, optionally copying experiences and diplomas of another), or in
 * express mode from a personal CV file; edit, suspend, put back online, delete (with confirmation).
 */
import { type FormEvent, useRef, useState } from 'react';
import { CV_STATUS_LABELS, type CvSummary, MAX_CVS } from '../../../../../shared/domain/cv';
import { FILE_PURPOSES } from '../../../../../shared/domain/files';
import { formatDate } from '../../format';
import { Link, navigate, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { CompletenessGauge } from './CompletenessGauge';
import { cvApi, cvEditorHref } from './cv-api';
import { controlProps, ErrorSummary, FieldError, fieldId, localError, Modal } from './cv-forms';
import './cvs.css';

export function CvListPage(_props: { search: string }) {
  useDocumentTitle('Mes CV');
  const [state, retry] = useLoad('cvs', (signal) => cvApi.list(signal));
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [copyFrom, setCopyFrom] = useState('');
  const [toDelete, setToDelete] = useState<CvSummary | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const cvs = state.status === 'ready' ? state.data : [];
  const full = cvs.length >= MAX_CVS;

  const run = async (what: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      await what();
      setDone(message);
      retry();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const createComplete = async () => {
    setBusy(true);
    setError(null);
    try {
      const cv = await cvApi.create(copyFrom ? { copyFrom } : {});
      navigate(cvEditorHref(cv.id, 0));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const createExpress = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setError(
        localError('Choisissez votre CV personnel.', [
          { field: 'file', message: 'Choisissez le fichier de votre CV (PDF, DOC, DOCX, ODT, RTF ou TXT).' },
        ]),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const uploaded = await cvApi.upload(file);
      const cv = await cvApi.create({
        express: true,
        file: { sha256: uploaded.sha256, name: file.name.slice(0, 200) },
      });
      navigate(cvEditorHref(cv.id, 0));
    } catch (e) {
      // The upload's errors name `file`: show them beside the express field.
      setError(e);
      setBusy(false);
    }
  };

  return (
    <div className="cv-page">
      <h1>Mes CV</h1>
      <p>
        Vous pouvez créer jusqu’à {MAX_CVS} CV, chacun pour un métier différent. Un CV en cours de création
        est enregistré à chaque étape : vous pourrez le reprendre plus tard. Pour postuler avec une lettre de
        motivation, préparez aussi vos <Link to={PATHS.folders}>dossiers de candidature</Link>.
      </p>
      <ErrorSummary error={error} title="L’action n’a pas abouti" />
      {done && (
        <p className="notice notice--success" role="status">
          {done}
        </p>
      )}

      {state.status === 'loading' && <p aria-busy="true">Chargement de vos CV…</p>}
      {state.status === 'error' && (
        <div className="notice notice--error" role="alert">
          <p>Impossible de charger vos CV.</p>
          <button type="button" className="button button--secondary" onClick={retry}>
            Réessayer
          </button>
        </div>
      )}
      {state.status === 'ready' && cvs.length === 0 && (
        <p className="notice notice--info">Vous n’avez pas encore de CV. Créez le premier ci-dessous.</p>
      )}
      {cvs.length > 0 && (
        <ul className="cv-list" aria-label={`Mes CV (${cvs.length} sur ${MAX_CVS})`}>
          {cvs.map((cv) => (
            <li key={cv.id} className="cv-card">
              <h2>{cv.title || cv.appellationLabel || 'CV sans titre'}</h2>
              <p className="cv-card__meta">
                <span className={`cv-status cv-status--${cv.status}`}>{CV_STATUS_LABELS[cv.status]}</span>
                {cv.express && ' · CV express'}
                {cv.status === 'publie' &&
                  (cv.cvtheque ? ' · visible dans la CVthèque' : ' · non visible dans la CVthèque')}
                {cv.appellationLabel && ` · ${cv.appellationLabel}`}
                {cv.romeCode && ` (${cv.romeCode})`} · modifié le {formatDate(cv.updatedAt)}
              </p>
              <CompletenessGauge value={cv.completeness} compact label="Taux de saisie" />
              <div className="cv-actions">
                <Link
                  className="button"
                  to={cvEditorHref(cv.id, cv.express || !cv.romeCode ? 0 : 1)}
                  aria-label={`Modifier le CV ${cv.title}`}
                >
                  Modifier
                </Link>
                <Link
                  className="button button--secondary"
                  to={cvEditorHref(cv.id, 2)}
                  aria-label={`Visualiser / envoyer le CV ${cv.title}`}
                >
                  Visualiser / envoyer
                </Link>
                {cv.status === 'brouillon' && (
                  <Link
                    className="button button--secondary"
                    to={cvEditorHref(cv.id, 3)}
                    aria-label={`Mettre en ligne le CV ${cv.title}`}
                  >
                    Mettre en ligne
                  </Link>
                )}
                {cv.status === 'publie' && (
                  <button
                    type="button"
                    className="button button--secondary"
                    disabled={busy}
                    aria-label={`Suspendre le CV ${cv.title}`}
                    onClick={() =>
                      void run(
                        () => cvApi.suspend(cv.id),
                        `Le CV « ${cv.title} » est suspendu : les recruteurs ne le voient plus.`,
                      )
                    }
                  >
                    Suspendre
                  </button>
                )}
                {cv.status === 'suspendu' && (
                  <button
                    type="button"
                    className="button button--secondary"
                    disabled={busy}
                    aria-label={`Remettre en ligne le CV ${cv.title}`}
                    onClick={() =>
                      void run(() => cvApi.resume(cv.id), `Le CV « ${cv.title} » est de nouveau en ligne.`)
                    }
                  >
                    Remettre en ligne
                  </button>
                )}
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={busy}
                  aria-label={`Supprimer le CV ${cv.title}`}
                  onClick={() => setToDelete(cv)}
                >
                  Supprimer
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      <section className="panel" aria-labelledby="creer-cv">
        <h2 id="creer-cv">Créer un CV</h2>
        {full ? (
          <p className="notice notice--info">
            Vous avez {MAX_CVS} CV, le maximum : supprimez-en un pour en créer un autre.
          </p>
        ) : (
          <>
            <p>
              Mode complet en 4 étapes (environ 30 minutes) : votre cible professionnelle, les informations de
              votre CV, la mise en page et la mise en ligne. C’est ce CV que les recruteurs trouvent dans la
              CVthèque.
            </p>
            {cvs.length > 0 && (
              <div className="field">
                <label htmlFor="cv-copie">
                  Recopier les expériences et formations d’un CV existant (facultatif)
                </label>
                <select id="cv-copie" value={copyFrom} onChange={(e) => setCopyFrom(e.target.value)}>
                  <option value="">Ne rien recopier</option>
                  {cvs.map((cv) => (
                    <option key={cv.id} value={cv.id}>
                      {cv.title || 'CV sans titre'}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <button type="button" className="button" disabled={busy} onClick={() => void createComplete()}>
              Créer un CV
            </button>

            <h3>Créer en mode express</h3>
            <form className="form" noValidate onSubmit={(e) => void createExpress(e)}>
              <p>
                Besoin d’un CV rapidement ? Joignez votre CV personnel : il suffit pour postuler. Pour être
                trouvé dans la CVthèque, créez aussi un CV complet.
              </p>
              <div className="field">
                <label htmlFor={fieldId('file')}>Votre CV personnel</label>
                <p className="field__hint" id={`${fieldId('file')}-aide`}>
                  {FILE_PURPOSES.cv.rule} Vous décidez de l’anonymat de ce document (vos coordonnées y
                  figurent ou non).
                </p>
                <input
                  ref={fileRef}
                  type="file"
                  accept={FILE_PURPOSES.cv.accept}
                  {...controlProps('file', error, true)}
                />
                <FieldError field="file" error={error} />
              </div>
              <div className="form__actions">
                <button type="submit" className="button button--secondary" disabled={busy}>
                  Créer en mode express
                </button>
              </div>
            </form>
          </>
        )}
      </section>

      <Modal open={!!toDelete} title="Supprimer ce CV ?" onClose={() => setToDelete(null)}>
        <p>
          Le CV « {toDelete?.title || 'sans titre'} » sera supprimé définitivement et retiré de la CVthèque.
        </p>
        <div className="form__actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              const cv = toDelete;
              setToDelete(null);
              if (cv)
                void run(() => cvApi.remove(cv.id), `Le CV « ${cv.title || 'sans titre'} » est supprimé.`);
            }}
          >
            Supprimer le CV
          </button>
          <button type="button" className="button button--secondary" onClick={() => setToDelete(null)}>
            Annuler
          </button>
        </div>
      </Modal>
    </div>
  );
}
