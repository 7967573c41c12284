/**
 * « Candidature spontanée » to a company, or to one of its fiches de poste (seeds 003, 004).
 * `?poste=<jobId>` preselects a fiche de poste (links from the company page).
 */
import { useId, useState } from 'react';
import type { PublicJob } from '../../../../../shared/domain/company-profile';
import { isNotFound } from '../../api';
import { fetchCompany } from '../../companies-api';
import { Link } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { ApplicationForm, type ApplicationSent, ApplicationSentNotice } from './ApplicationForm';
import { errorMessage, Loading } from './application-ui';

export const spontaneousHref = (companyId: string, jobId?: string) =>
  `/entreprises/${encodeURIComponent(companyId)}/candidature-spontanee${jobId ? `?poste=${encodeURIComponent(jobId)}` : ''}`;

/** The « Candidature spontanée » link of a company page (for the company, or one of its fiches de poste). */
export function SpontaneousLink({
  companyId,
  companyName,
  job,
}: {
  companyId: string;
  companyName: string;
  job?: Pick<PublicJob, 'id' | 'jobTitle'>;
}) {
  return (
    <p className="spontaneous-link">
      <Link to={spontaneousHref(companyId, job?.id)} className={job ? undefined : 'button'}>
        {job ? (
          <>
            Postuler pour ce métier<span className="visually-hidden"> : {job.jobTitle}</span>
          </>
        ) : (
          <>
            Candidature spontanée<span className="visually-hidden"> chez {companyName}</span>
          </>
        )}
      </Link>
    </p>
  );
}

export function SpontaneousPage({ companyId, search }: { companyId: string; search: string }) {
  const [state, retry] = useLoad(companyId, (signal) => fetchCompany(companyId, signal));
  const [sent, setSent] = useState<ApplicationSent | null>(null);
  const [jobId, setJobId] = useState<string>(() => new URLSearchParams(search).get('poste') ?? '');
  const selectId = useId();
  const name = state.status === 'ready' ? state.data.company.name : '';
  useDocumentTitle(
    sent ? 'Candidature envoyée' : name ? `Candidature spontanée : ${name}` : 'Candidature spontanée',
  );

  if (state.status === 'loading')
    return (
      <>
        <h1>Candidature spontanée</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        <h1>Candidature spontanée</h1>
        <div className="notice notice--error" role="alert">
          <p>
            {isNotFound(state.error)
              ? 'Cette entreprise n’existe pas ou sa fiche n’est plus en ligne.'
              : errorMessage(state.error)}
          </p>
          {!isNotFound(state.error) && (
            <button type="button" className="button" onClick={retry}>
              Réessayer
            </button>
          )}
        </div>
      </>
    );
  const { company, jobs } = state.data;
  const job = jobs.find((j) => j.id === jobId);
  return (
    <>
      <h1>Candidature spontanée : {company.name}</h1>
      <p>
        Proposez votre candidature à{' '}
        <Link to={`/entreprises/${encodeURIComponent(company.id)}`}>{company.name}</Link> même sans offre en
        ligne : le recruteur la reçoit avec votre CV et votre message.
      </p>
      {sent ? (
        <ApplicationSentNotice
          sent={sent}
          what={job ? `${company.name} pour le métier « ${job.jobTitle} »` : company.name}
        />
      ) : (
        <>
          {jobs.length > 0 && (
            <div className="form">
              <div className="field">
                <label htmlFor={selectId}>Poste visé</label>
                <p className="field__hint" id={`${selectId}-hint`}>
                  Les fiches de poste sont les métiers que l’entreprise recrute toute l’année.
                </p>
                <select
                  id={selectId}
                  aria-describedby={`${selectId}-hint`}
                  value={job ? job.id : ''}
                  onChange={(e) => setJobId(e.target.value)}
                >
                  <option value="">Tous métiers (candidature générale)</option>
                  {jobs.map((j) => (
                    <option key={j.id} value={j.id}>
                      {j.jobTitle}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          )}
          <ApplicationForm
            target={job ? { companyId: company.id, jobId: job.id } : { companyId: company.id }}
            onSent={setSent}
          />
        </>
      )}
    </>
  );
}
