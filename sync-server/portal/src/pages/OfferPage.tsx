import type { ReactNode } from 'react';
import {
  APPLICATION_MODE_LABELS,
  QUALIFICATION_LABELS,
  WORKING_TIME_LABELS,
} from '../../../../shared/domain/offer';
import type { PublicOffer } from '../../../../shared/domain/public-offer';
import { fetchOffer, isNotFound } from '../api';
import { contractLabel, formatDate, formatPlace, formatSalary } from '../format';
import { currentNavigationState, Link } from '../router';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';
import { NotFoundPage } from './NotFoundPage';

export const OFFER_NOT_FOUND_MESSAGE = 'Cette offre n’existe pas ou n’est plus en ligne.';
const OFFER_LOAD_ERROR = 'Impossible de charger l’offre. Vérifiez votre connexion et réessayez.';

export function OfferPage({ id }: { id: string }) {
  const [state, retry] = useLoad(`offer:${id}`, (signal) => fetchOffer(id, signal));
  const back = currentNavigationState().from ?? '/';

  if (state.status === 'error' && isNotFound(state.error)) {
    return <NotFoundPage title="Offre introuvable" message={OFFER_NOT_FOUND_MESSAGE} back={back} />;
  }
  return (
    <>
      <p className="back-link">
        <Link to={back}>
          <span aria-hidden="true">← </span>Retour aux offres
        </Link>
      </p>
      {state.status === 'loading' && <LoadingOffer />}
      {state.status === 'error' && <OfferError onRetry={retry} />}
      {state.status === 'ready' && <OfferDetails offer={state.data} />}
    </>
  );
}

function LoadingOffer() {
  useDocumentTitle('Chargement de l’offre');
  return (
    <>
      <h1>Offre d’emploi</h1>
      <p role="status" className="loading">
        Chargement de l’offre…
      </p>
    </>
  );
}

function OfferError({ onRetry }: { onRetry: () => void }) {
  useDocumentTitle('Offre indisponible');
  return (
    <>
      <h1>Offre d’emploi</h1>
      <div className="notice notice--error" role="alert">
        <p>{OFFER_LOAD_ERROR}</p>
        <button type="button" className="button" onClick={onRetry}>
          Réessayer
        </button>
      </div>
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="facts__item">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function OfferDetails({ offer }: { offer: PublicOffer }) {
  useDocumentTitle(offer.title);
  const salary = formatSalary(offer);
  const contracts = offer.contractTypes.map(contractLabel);
  const start = formatDate(offer.startDate);
  const published = formatDate(offer.publishedAt);
  const expires = formatDate(offer.expiresAt);

  return (
    <article className="offer" aria-labelledby="offre-titre">
      <header className="offer__header">
        <h1 id="offre-titre">{offer.title}</h1>
        <p className="offer__company">
          {offer.companyId ? (
            <Link to={`/entreprises/${offer.companyId}`}>{offer.companyName}</Link>
          ) : (
            offer.companyName
          )}
        </p>
        <p className="offer__place">{formatPlace(offer.city, offer.postalCode)}</p>
        {offer.seasonal && <p className="tag tag--seasonal">Offre saisonnière</p>}
        {offer.number && <p className="offer__number">Offre n° {offer.number}</p>}
      </header>

      <section className="offer__section" aria-labelledby="offre-infos">
        <h2 id="offre-infos">Informations clés</h2>
        <dl className="facts">
          <Fact term="Métier">
            {offer.jobTitle}
            {offer.romeCode && <span className="facts__extra"> (code ROME {offer.romeCode})</span>}
          </Fact>
          <Fact term="Lieu de travail">{formatPlace(offer.city, offer.postalCode)}</Fact>
          {contracts.length > 0 && (
            <Fact term={contracts.length > 1 ? 'Types de contrat' : 'Type de contrat'}>
              {contracts.length > 1 ? (
                <ul className="facts__list">
                  {contracts.map((label) => (
                    <li key={label}>{label}</li>
                  ))}
                </ul>
              ) : (
                contracts[0]
              )}
            </Fact>
          )}
          {salary && <Fact term="Salaire">{salary}</Fact>}
          {offer.workingTime && (
            <Fact term="Durée du travail">
              {WORKING_TIME_LABELS[offer.workingTime]}
              {offer.weeklyHours !== undefined && (
                <span className="facts__extra">
                  {' '}
                  ({offer.weeklyHours.toLocaleString('fr-FR')} h par semaine)
                </span>
              )}
            </Fact>
          )}
          {offer.qualification && (
            <Fact term="Qualification">{QUALIFICATION_LABELS[offer.qualification]}</Fact>
          )}
          {offer.posts !== undefined && offer.posts > 1 && (
            <Fact term="Postes à pourvoir">{offer.posts}</Fact>
          )}
          {start && (
            <Fact term="Date de début">
              <time dateTime={offer.startDate}>{start}</time>
            </Fact>
          )}
          {published && (
            <Fact term="Publiée le">
              <time dateTime={offer.publishedAt}>{published}</time>
            </Fact>
          )}
          {expires && (
            <Fact term="En ligne jusqu’au">
              <time dateTime={offer.expiresAt}>{expires}</time>
            </Fact>
          )}
        </dl>
      </section>

      <section className="offer__section" aria-labelledby="offre-description">
        <h2 id="offre-description">Description du poste</h2>
        {/* Plain text: React escapes it, CSS keeps the recruiter's line breaks. */}
        <div className="offer__description">{offer.description}</div>
      </section>

      <HowToApply offer={offer} />
    </article>
  );
}

/** How to apply: online on the portal, or through the contact the recruiter chose to show. */
function HowToApply({ offer }: { offer: PublicOffer }) {
  const contact = offer.applicationMode === 'contact' ? offer.applicationContact : undefined;
  return (
    <section className="offer__section" aria-labelledby="offre-candidature">
      <h2 id="offre-candidature">Comment postuler</h2>
      {contact ? (
        <>
          <p>{APPLICATION_MODE_LABELS.contact} :</p>
          <ul className="facts__list">
            {contact.name && <li>{contact.name}</li>}
            {contact.email && (
              <li>
                <a href={`mailto:${contact.email}`}>{contact.email}</a>
              </li>
            )}
            {contact.phone && (
              <li>
                <a href={`tel:${contact.phone.replace(/[^+\d]/g, '')}`}>{contact.phone}</a>
              </li>
            )}
            {contact.url && /^https?:\/\//i.test(contact.url) && (
              <li>
                <a href={contact.url} rel="noopener noreferrer nofollow" target="_blank">
                  Postuler sur le site du recruteur
                </a>
              </li>
            )}
          </ul>
        </>
      ) : (
        <p>
          {APPLICATION_MODE_LABELS.portail} ; rappelez la référence de l’offre : n° {offer.number ?? '—'}.
        </p>
      )}
    </section>
  );
}
