import type { ReactNode } from 'react';
import {
  COMPANY_GROUP_KIND_LABELS,
  COMPANY_LINK_KEYS,
  COMPANY_LINK_RULES,
  type CompanyLinkKey,
  type PublicCompanyDetail,
} from '../../../../shared/domain/company-profile';
import type { PublicOffer } from '../../../../shared/domain/public-offer';
import { isNotFound } from '../api';
import { fetchCompany } from '../companies-api';
import { CompanyLogo } from '../components/CompanyLogo';
import { RichText } from '../components/RichText';
import {
  COMPANIES_PATH,
  companyTypeLabel,
  directoryBack,
  formatCount,
  formatEmployees,
  publicFileUrl,
  sectorLabel,
  telHref,
} from '../directory';
import { contractLabel, formatDate, formatPlace } from '../format';
import { Link, offerHref } from '../router';
import { loginHref, useSession } from '../session';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';
import { SpontaneousLink } from './applications/SpontaneousPage';
import { newMessageHref } from './messages/messages-format';

export const COMPANY_NOT_FOUND_MESSAGE = 'Cette fiche entreprise n’existe pas ou n’est pas en ligne.';
const COMPANY_LOAD_ERROR =
  'Impossible de charger la fiche entreprise. Vérifiez votre connexion et réessayez.';

/** A company's page (seed 001 « Entreprises »): identity, presentation, offers and fiches de poste. */
export function CompanyPage({ id }: { id: string }) {
  const [state, retry] = useLoad(`company:${id}`, (signal) => fetchCompany(id, signal));
  const back = directoryBack((window.history.state as { from?: unknown } | null)?.from) ?? COMPANIES_PATH;

  const backLink = (
    <p className="back-link">
      <Link to={back}>
        <span aria-hidden="true">← </span>Retour aux entreprises
      </Link>
    </p>
  );
  if (state.status === 'error' && isNotFound(state.error)) return <CompanyNotFound back={back} />;
  return (
    <>
      {backLink}
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError onRetry={retry} />}
      {state.status === 'ready' && <CompanyDetails detail={state.data} />}
    </>
  );
}

function CompanyNotFound({ back }: { back: string }) {
  useDocumentTitle('Entreprise introuvable');
  return (
    <div className="not-found">
      <h1>Entreprise introuvable</h1>
      <p>{COMPANY_NOT_FOUND_MESSAGE}</p>
      <p>
        <Link to={back} className="button">
          Retour aux entreprises
        </Link>
      </p>
    </div>
  );
}

function Loading() {
  useDocumentTitle('Chargement de la fiche entreprise');
  return (
    <>
      <h1>Fiche entreprise</h1>
      <p role="status" className="loading">
        Chargement de la fiche entreprise…
      </p>
    </>
  );
}

function LoadError({ onRetry }: { onRetry: () => void }) {
  useDocumentTitle('Fiche entreprise indisponible');
  return (
    <>
      <h1>Fiche entreprise</h1>
      <div className="notice notice--error" role="alert">
        <p>{COMPANY_LOAD_ERROR}</p>
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

/** Small line icons for the links of seed 001 (drawn here: no third-party assets under the CSP). */
function LinkIcon({ network }: { network: CompanyLinkKey }) {
  const paths: Record<CompanyLinkKey, ReactNode> = {
    website: (
      <>
        <circle cx="12" cy="12" r="9" />
        <path d="M3 12h18M12 3c3 3.2 3 14.8 0 18M12 3c-3 3.2-3 14.8 0 18" />
      </>
    ),
    twitter: <path d="M5 4l14 16M19 4L5 20" />,
    facebook: (
      <path d="M14 21v-8h3l.5-3H14V8.5c0-1 .4-1.5 1.6-1.5H18V4.2c-.5-.1-1.6-.2-2.8-.2C12.8 4 11 5.4 11 8v2H8v3h3v8" />
    ),
    instagram: (
      <>
        <rect x="4" y="4" width="16" height="16" rx="4.5" />
        <circle cx="12" cy="12" r="3.8" />
        <circle cx="17" cy="7" r="0.6" />
      </>
    ),
    linkedin: (
      <>
        <rect x="4" y="4" width="16" height="16" rx="2" />
        <path d="M8 10.5V17M8 7.5v.1M11.5 17v-6.5M11.5 13c0-1.6 1-2.6 2.4-2.6s2.1.9 2.1 2.6V17" />
      </>
    ),
    youtube: (
      <>
        <rect x="3" y="6" width="18" height="12" rx="3.5" />
        <path d="M10.5 9.5l4 2.5-4 2.5z" />
      </>
    ),
  };
  return (
    <svg className="company-links__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {paths[network]}
    </svg>
  );
}

/** « 2001 », or the full date when it is not the 1st of January. */
function formatFounded(value: string): string {
  return /-01-01$/.test(value) ? value.slice(0, 4) : formatDate(value);
}

function CompanyDetails({ detail }: { detail: PublicCompanyDetail }) {
  const { company: c, offers, offerCount, jobs } = detail;
  useDocumentTitle(c.name);
  const sector = sectorLabel(c.sector);
  const type = companyTypeLabel(c.companyType);
  const links = COMPANY_LINK_KEYS.filter((k) => c.links?.[k]);

  return (
    <article className="company" aria-labelledby="entreprise-nom">
      {c.banner && (
        <div className="company__banner">
          <img src={publicFileUrl(c.banner)} alt="" />
        </div>
      )}
      <header className="company__header">
        <CompanyLogo name={c.name} size="large" {...(c.logo ? { logo: c.logo } : {})} />
        <div className="company__identity">
          <h1 id="entreprise-nom">{c.name}</h1>
          {(sector || c.address) && (
            <p className="company__meta">
              {[sector, c.address ? formatPlace(c.address.city, c.address.postalCode) : '']
                .filter(Boolean)
                .join(' · ')}
            </p>
          )}
          {c.group && (
            <p className="company__group">
              {COMPANY_GROUP_KIND_LABELS[c.group.kind]} : {c.group.name}
            </p>
          )}
          <p className="company__offer-count">
            <a href="#entreprise-offres">
              {offerCount > 0
                ? `${formatCount(offerCount, 'offre', 'offres')} en ligne`
                : 'Aucune offre en ligne'}
            </a>
          </p>
          <SpontaneousLink companyId={c.id} companyName={c.name} />
          <ContactLink companyId={c.id} companyName={c.name} />
        </div>
      </header>

      <section className="company__section" aria-labelledby="entreprise-infos">
        <h2 id="entreprise-infos">En bref</h2>
        <dl className="facts">
          {sector && <Fact term="Secteur d’activité">{sector}</Fact>}
          {type && <Fact term="Type d’entreprise">{type}</Fact>}
          {c.employeeCount !== undefined && (
            <Fact term="Nombre d’employés">{formatEmployees(c.employeeCount)}</Fact>
          )}
          {c.foundedOn && <Fact term="Date de création">{formatFounded(c.foundedOn)}</Fact>}
          {c.address && (
            <Fact term="Adresse">
              {c.address.street && (
                <>
                  {c.address.street}
                  <br />
                </>
              )}
              {formatPlace(c.address.city, c.address.postalCode)}
            </Fact>
          )}
          {c.phone && (
            <Fact term="Téléphone">
              <a href={telHref(c.phone)}>{c.phone}</a>
            </Fact>
          )}
          {c.email && (
            <Fact term="E-mail">
              <a href={`mailto:${c.email}`}>{c.email}</a>
            </Fact>
          )}
        </dl>
        {links.length > 0 && (
          <ul className="company-links" aria-label="Sur le web">
            {links.map((k) => (
              <li key={k}>
                <a href={c.links![k]} target="_blank" rel="noopener noreferrer nofollow">
                  <LinkIcon network={k} />
                  {COMPANY_LINK_RULES[k].label}
                  <span className="visually-hidden"> de {c.name} (nouvel onglet)</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      {c.description && (
        <section className="company__section" aria-labelledby="entreprise-presentation">
          <h2 id="entreprise-presentation">Présentation</h2>
          <RichText html={c.description} className="rich-text" />
        </section>
      )}

      <section className="company__section" aria-labelledby="entreprise-offres-titre" id="entreprise-offres">
        <h2 id="entreprise-offres-titre">
          Offres en ligne{offerCount > 0 && <span className="company__count"> ({offerCount})</span>}
        </h2>
        {offers.length > 0 ? (
          <ul className="company-offers">
            {offers.map((o) => (
              <li key={o.id}>
                <CompanyOffer offer={o} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="company__empty">Aucune offre en ligne pour le moment.</p>
        )}
        {offerCount > offers.length && (
          <p className="company__more">
            Les {offers.length} offres les plus récentes sont affichées.{' '}
            <Link to="/">Voir toutes les offres</Link>
          </p>
        )}
      </section>

      <section className="company__section" aria-labelledby="entreprise-postes">
        <h2 id="entreprise-postes">Fiches de poste : métiers recrutés toute l’année</h2>
        {jobs.length > 0 ? (
          <ul className="company-jobs">
            {jobs.map((j) => (
              <li key={j.id} className="company-jobs__item">
                <h3 className="company-jobs__title">{j.jobTitle}</h3>
                {j.romeCode && <p className="company-jobs__code">Code ROME {j.romeCode}</p>}
                {j.description && <p className="company-jobs__description">{j.description}</p>}
                <SpontaneousLink companyId={c.id} companyName={c.name} job={j} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="company__empty">Cette entreprise n’a pas encore publié de fiche de poste.</p>
        )}
      </section>
    </article>
  );
}

/**
 * « Contacter l’entreprise » (seed 004: the recruiters of a company may be contacted from its page,
 * with a candidate account): the existing conversation or the new-message form; a visitor signs in first.
 */
function ContactLink({ companyId, companyName }: { companyId: string; companyName: string }) {
  const { session } = useSession();
  const href = newMessageHref({ about: { kind: 'company', id: companyId } });
  if (session.status === 'loading') return null;
  if (session.status === 'anonymous')
    return (
      <p className="company__contact">
        <Link to={loginHref(href)}>
          Connectez-vous pour contacter l’entreprise<span className="visually-hidden"> {companyName}</span>
        </Link>{' '}
        (compte candidat nécessaire)
      </p>
    );
  if (session.user.kind !== 'candidate') return null;
  return (
    <p className="company__contact">
      <Link to={href} className="button button--secondary">
        Contacter l’entreprise<span className="visually-hidden"> {companyName}</span>
      </Link>
    </p>
  );
}

function CompanyOffer({ offer }: { offer: PublicOffer }) {
  const published = formatDate(offer.publishedAt);
  return (
    <article className="company-offer" aria-labelledby={`offre-${offer.id}`}>
      <h3 className="company-offer__title" id={`offre-${offer.id}`}>
        <Link to={offerHref(offer.id)}>{offer.title}</Link>
      </h3>
      <p className="company-offer__place">{formatPlace(offer.city, offer.postalCode)}</p>
      {offer.contractTypes.length > 0 && (
        <ul className="tags tags__list company-offer__tags" aria-label="Types de contrat">
          {offer.contractTypes.map((t) => (
            <li key={t} className="tag">
              {contractLabel(t)}
            </li>
          ))}
        </ul>
      )}
      {published && (
        <p className="company-offer__date">
          Publiée le <time dateTime={offer.publishedAt}>{published}</time>
        </p>
      )}
    </article>
  );
}
