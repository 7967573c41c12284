import { useRef, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/FormField';
import { plural } from '../../lib/format';
import { AppellationInput } from '../reference/AppellationInput';
import {
  type FieldError,
  type JobValues,
  newJob,
  removeJob,
  replaceJob,
  setJobPublished,
  validateJob,
} from './company-model';

interface Props {
  jobs: JobValues[];
  onChange: (jobs: JobValues[]) => void;
  readOnly: boolean;
  /** Errors of the whole form, to mark the rows at fault (`jobs.2.jobTitle`). */
  errors: FieldError[];
  /** The jobs differ from the saved profile. */
  unsaved: boolean;
  announce: (message: string) => void;
}

interface Draft {
  /** null: a new job. */
  id: string | null;
  appellationCode: string;
  jobTitle: string;
  romeCode: string;
  description: string;
  published: boolean;
}

const EMPTY_DRAFT: Draft = {
  id: null,
  appellationCode: '',
  jobTitle: '',
  romeCode: '',
  description: '',
  published: true,
};

export const jobRowId = (index: number) => `company-jobs-${index}`;

/**
 * « Fiches de poste » (seed 003): the jobs the organisation recruits for all year. Each can be
 * published or not (« Publier la fiche de poste »), edited, deactivated and deleted; the changes
 * are saved with the profile.
 */
export function JobsSection({ jobs, onChange, readOnly, errors, unsaved, announce }: Props) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [draftErrors, setDraftErrors] = useState<FieldError[]>([]);
  const [toDelete, setToDelete] = useState<JobValues | null>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const published = jobs.filter((j) => j.published).length;

  const rowError = (i: number) =>
    errors
      .filter((e) => e.field === `jobs.${i}` || e.field.startsWith(`jobs.${i}.`))
      .map((e) => e.message)
      .join(' ');

  function openEditor(job: JobValues | null) {
    setDraftErrors([]);
    setDraft(
      job
        ? {
            id: job.id,
            appellationCode: job.appellationCode,
            jobTitle: job.jobTitle,
            romeCode: job.romeCode,
            description: job.description,
            published: job.published,
          }
        : EMPTY_DRAFT,
    );
    requestAnimationFrame(() => document.getElementById('job-editor-title')?.focus());
  }

  function closeEditor() {
    setDraft(null);
    setDraftErrors([]);
    requestAnimationFrame(() => addButtonRef.current?.focus());
  }

  function saveDraft() {
    if (!draft) return;
    const found = validateJob(draft);
    setDraftErrors(found);
    if (found.length > 0) {
      requestAnimationFrame(() => document.getElementById('job-appellation')?.focus());
      return;
    }
    if (draft.id) {
      const old = jobs.find((j) => j.id === draft.id);
      if (old) {
        onChange(
          replaceJob(jobs, {
            ...old,
            appellationCode: draft.appellationCode,
            jobTitle: draft.jobTitle.trim(),
            romeCode: draft.romeCode,
            description: draft.description.trim(),
            published: draft.published,
          }),
        );
      }
      announce(
        `Fiche de poste « ${draft.jobTitle} » modifiée. Enregistrez la fiche entreprise pour la garder.`,
      );
    } else {
      onChange([...jobs, newJob(crypto.randomUUID(), draft, new Date().toISOString())]);
      announce(
        `Fiche de poste « ${draft.jobTitle} » ajoutée. Enregistrez la fiche entreprise pour la garder.`,
      );
    }
    closeEditor();
  }

  function confirmDelete() {
    const job = toDelete;
    setToDelete(null);
    if (!job) return;
    onChange(removeJob(jobs, job.id));
    announce(`Fiche de poste « ${job.jobTitle} » retirée. Enregistrez la fiche entreprise pour confirmer.`);
    requestAnimationFrame(() => addButtonRef.current?.focus());
  }

  const draftError = (field: string) => draftErrors.find((e) => e.field === field)?.message;

  return (
    <fieldset className="form-section" aria-describedby="jobs-note">
      <legend>Fiches de poste</legend>
      <p className="muted" id="jobs-note">
        Les métiers pour lesquels vous recrutez toute l’année : les candidats peuvent y postuler spontanément
        depuis le portail. Décochez « Publier la fiche de poste » pour désactiver un métier ; vous pourrez le
        réactiver plus tard.
      </p>
      {jobs.length === 0 ? (
        <p data-testid="jobs-empty">Aucune fiche de poste pour le moment.</p>
      ) : (
        <>
          <p className="small muted">
            {jobs.length} {plural(jobs.length, 'fiche de poste', 'fiches de poste')}, dont {published}{' '}
            {plural(published, 'publiée', 'publiées')}.
          </p>
          <div className="table-wrap">
            <table className="jobs-table" data-testid="jobs-table">
              <caption className="visually-hidden">Fiches de poste de l’entreprise</caption>
              <thead>
                <tr>
                  <th scope="col">Métier</th>
                  <th scope="col">Description</th>
                  <th scope="col">Publier la fiche de poste</th>
                  {!readOnly ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {jobs.map((job, i) => {
                  const error = rowError(i);
                  const checkboxId = `job-published-${job.id}`;
                  return (
                    <tr
                      key={job.id}
                      id={jobRowId(i)}
                      tabIndex={-1}
                      data-testid="job-row"
                      className={`${job.published ? '' : 'is-inactive'}${error ? ' job-row--error' : ''}`}
                    >
                      <td>
                        <span className="job-title">{job.jobTitle || <em>(métier à choisir)</em>}</span>
                        {job.romeCode ? <span className="job-rome">ROME {job.romeCode}</span> : null}
                        {error ? <p className="field__error">{error}</p> : null}
                      </td>
                      <td className="job-description">
                        {job.description || <span className="muted">—</span>}
                      </td>
                      <td className="col-published">
                        <div className="field--checkbox">
                          <input
                            id={checkboxId}
                            type="checkbox"
                            checked={job.published}
                            disabled={readOnly}
                            onChange={(e) => onChange(setJobPublished(jobs, job.id, e.target.checked))}
                          />
                          <label htmlFor={checkboxId}>
                            {job.published ? 'Oui' : 'Non'}
                            <span className="visually-hidden">
                              {' '}
                              : publier la fiche de poste « {job.jobTitle} »
                            </span>
                          </label>
                        </div>
                      </td>
                      {!readOnly ? (
                        <td>
                          <div className="row-actions">
                            <button
                              type="button"
                              className="button button--small"
                              aria-label={`Modifier la fiche de poste « ${job.jobTitle} »`}
                              onClick={() => openEditor(job)}
                            >
                              Modifier
                            </button>
                            <button
                              type="button"
                              className="button button--small button--secondary"
                              aria-label={`${job.published ? 'Désactiver' : 'Réactiver'} la fiche de poste « ${job.jobTitle} »`}
                              onClick={() => onChange(setJobPublished(jobs, job.id, !job.published))}
                            >
                              {job.published ? 'Désactiver' : 'Réactiver'}
                            </button>
                            <button
                              type="button"
                              className="button button--small button--danger-outline"
                              aria-label={`Supprimer la fiche de poste « ${job.jobTitle} »`}
                              onClick={() => setToDelete(job)}
                            >
                              Supprimer
                            </button>
                          </div>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}

      {draft && !readOnly ? (
        <section className="job-editor" aria-labelledby="job-editor-title" data-testid="job-editor">
          <h3 id="job-editor-title" tabIndex={-1}>
            {draft.id ? `Modifier la fiche de poste « ${draft.jobTitle} »` : 'Nouvelle fiche de poste'}
          </h3>
          <AppellationInput
            id="job-appellation"
            label="Métier"
            required
            hint="Tapez un métier et choisissez-le dans la liste des appellations du ROME."
            error={draftError('jobTitle')}
            value={
              draft.appellationCode
                ? { codeOgr: draft.appellationCode, label: draft.jobTitle, romeCode: draft.romeCode }
                : null
            }
            onChange={(a) =>
              setDraft((d) =>
                d
                  ? a
                    ? { ...d, appellationCode: a.codeOgr, jobTitle: a.label, romeCode: a.romeCode }
                    : { ...d, appellationCode: '', jobTitle: '', romeCode: '' }
                  : d,
              )
            }
          />
          <FormField
            id="job-description"
            label="Description"
            hint="Missions, conditions, qualités recherchées (5 000 caractères au plus)."
            error={draftError('description')}
          >
            {(p) => (
              <textarea
                {...p}
                rows={4}
                maxLength={5000}
                value={draft.description}
                onChange={(e) => setDraft((d) => (d ? { ...d, description: e.target.value } : d))}
              />
            )}
          </FormField>
          <div className="field field--checkbox">
            <input
              id="job-published"
              type="checkbox"
              checked={draft.published}
              onChange={(e) => setDraft((d) => (d ? { ...d, published: e.target.checked } : d))}
            />
            <label htmlFor="job-published">Publier la fiche de poste</label>
          </div>
          <div className="job-editor__actions">
            <button type="button" className="button button--small button--primary" onClick={saveDraft}>
              {draft.id ? 'Valider la fiche de poste' : 'Ajouter la fiche de poste'}
            </button>
            <button type="button" className="button button--small button--ghost" onClick={closeEditor}>
              Annuler
            </button>
          </div>
        </section>
      ) : null}

      {!readOnly && !draft ? (
        <div className="job-editor__actions">
          <button
            ref={addButtonRef}
            type="button"
            className="button button--secondary"
            onClick={() => openEditor(null)}
          >
            Ajouter une fiche de poste
          </button>
        </div>
      ) : null}
      {unsaved && !readOnly ? (
        <p className="unsaved-hint" role="status">
          N’oubliez pas de cliquer sur « Enregistrer » en bas de page pour garder vos fiches de poste.
        </p>
      ) : null}

      <ConfirmDialog
        open={toDelete !== null}
        title="Supprimer cette fiche de poste ?"
        confirmLabel="Supprimer la fiche de poste"
        danger
        onConfirm={confirmDelete}
        onCancel={() => setToDelete(null)}
      >
        <p>
          La fiche de poste « {toDelete?.jobTitle} » sera retirée de la fiche entreprise quand vous
          enregistrerez. Pour ne plus recruter sur ce métier pendant un temps, vous pouvez plutôt la
          désactiver.
        </p>
      </ConfirmDialog>
    </fieldset>
  );
}
