/** « Postuler » to an offer (seed 002 « télécandidature », seed 004 with or without an account). */
import { useState } from 'react';
import { fetchOffer, isNotFound } from '../../api';
import { formatPlace } from '../../format';
import { Link, offerHref } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { ApplicationForm, type ApplicationSent, ApplicationSentNotice } from './ApplicationForm';
import { errorMessage, Loading } from './application-ui';

export function ApplyPage({ offerId }: { offerId: string; search: string }) {
  const [state, retry] = useLoad(offerId, (signal) => fetchOffer(offerId, signal));
  const [sent, setSent] = useState<ApplicationSent | null>(null);
  const title = state.status === 'ready' ? `Postuler : ${state.data.title}` : 'Postuler';
  useDocumentTitle(sent ? 'Candidature envoyée' : title);

  if (state.status === 'loading')
    return (
      <>
        <h1>Postuler</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        <h1>Postuler</h1>
        <div className="notice notice--error" role="alert">
          <p>
            {isNotFound(state.error)
              ? 'Cette offre n’existe pas ou n’est plus en ligne : elle ne reçoit plus de candidatures.'
              : errorMessage(state.error)}
          </p>
          {!isNotFound(state.error) && (
            <button type="button" className="button" onClick={retry}>
              Réessayer
            </button>
          )}
        </div>
        <p>
          <Link to="/">Retour aux offres</Link>
        </p>
      </>
    );
  const offer = state.data;
  const contact = offer.applicationMode === 'contact';
  return (
    <>
      <h1>{title}</h1>
      <div className="application-offer panel">
        <p className="application-offer__title">
          <Link to={offerHref(offer.id)}>{offer.title}</Link>
        </p>
        <p className="application-card__meta">
          {[
            offer.companyName,
            offer.city ? formatPlace(offer.city, offer.postalCode) : '',
            offer.number ? `Offre n° ${offer.number}` : '',
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      </div>
      {sent ? (
        <ApplicationSentNotice sent={sent} what={`l’offre « ${offer.title} »`} />
      ) : contact ? (
        <div className="notice notice--info">
          <p>
            Cette offre ne reçoit pas de candidature en ligne : le recruteur demande d’être contacté
            directement. Retrouvez ses coordonnées dans « Comment postuler » sur{' '}
            <Link to={offerHref(offer.id)}>la page de l’offre</Link>.
          </p>
        </div>
      ) : (
        <ApplicationForm target={{ offerId: offer.id }} onSent={setSent} />
      )}
    </>
  );
}
