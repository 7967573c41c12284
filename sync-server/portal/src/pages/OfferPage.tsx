import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import {
  APPLICATION_MODE_LABELS,
  QUALIFICATION_LABELS,
  WORKING_TIME_LABELS,
} from '../../../../shared/domain/offer';
import type { PublicOffer } from '../../../../shared/domain/public-offer';
import { ApiError, fetchOffer, isNotFound } from '../api';
import '../components/search/search.css';
import { contractLabel, formatDate, formatPlace, formatSalary } from '../format';
import { Link, offerHref } from '../router';
import { fetchJobPosting, shareOffer } from '../search-api';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';
import { SelectionButton } from './applications/SelectionButton';
import { NotFoundPage } from './NotFoundPage';

/** The list or search page the visitor came from (only one of our own addresses), for « Retour ». */
function backLink(): string {
  const state: unknown = window.history.state;
  const from = state && typeof state === 'object' ? (state as { from?: unknown }).from : undefined;
  return typeof from === 'string' && /^\/(\?[^\s\\]*)?$/.test(from) ? from : '/';
}

export const OFFER_NOT_FOUND_MESSAGE = 'Cette offre n’existe pas ou n’est plus en ligne.';
const OFFER_LOAD_ERROR = 'Impossible de charger l’offre. Vérifiez votre connexion et réessayez.';

export function OfferPage({ id }: { id: string }) {
  const [state, retry] = useLoad(`offer:${id}`, (signal) => fetchOffer(id, signal));
  const back = backLink();

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
      {state.status === 'ready' && <JobPostingData id={state.data.id} />}
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
        <div className="offer__actions">
          <ApplyLink offer={offer} />
          <SelectionButton offerId={offer.id} />
        </div>
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

      <CompanyBlock offer={offer} />
      <HowToApply offer={offer} />
      <ShareOffer offer={offer} />
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
        <>
          <p>
            {APPLICATION_MODE_LABELS.portail} ; rappelez la référence de l’offre : n° {offer.number ?? '—'}.
          </p>
          <p>
            <Link className="button" to={`${offerHref(offer.id)}/postuler`}>
              Postuler à cette offre
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

/** « Postuler »: the application form of the portal, or the contact the recruiter chose to show. */
function ApplyLink({ offer }: { offer: PublicOffer }) {
  if (offer.applicationMode === 'contact')
    return (
      <a className="button" href="#offre-candidature">
        Postuler : voir le contact
      </a>
    );
  return (
    <Link className="button" to={`${offerHref(offer.id)}/postuler`}>
      Postuler
    </Link>
  );
}

/** The company block: its name and a link to its page on the portal. */
function CompanyBlock({ offer }: { offer: PublicOffer }) {
  return (
    <section className="offer__section offer__company-block" aria-labelledby="offre-entreprise">
      <h2 id="offre-entreprise">L’entreprise</h2>
      <p className="offer__company-name">{offer.companyName}</p>
      <p>{formatPlace(offer.city, offer.postalCode)}</p>
      {offer.companyId && (
        <p>
          <Link to={`/entreprises/${encodeURIComponent(offer.companyId)}`}>
            Voir la fiche de l’entreprise {offer.companyName}
          </Link>
        </p>
      )}
    </section>
  );
}

/**
 * schema.org JobPosting of the offer, rendered by React as a data block (`application/ld+json` is
 * not executable: the CSP lets it be). The server puts the same data in the page for crawlers; it
 * is removed here so that the page holds one copy, the current offer's.
 */
function JobPostingData({ id }: { id: string }) {
  const [json, setJson] = useState<string | null>(null);
  useEffect(() => {
    document.getElementById('offre-jsonld-serveur')?.remove();
    const controller = new AbortController();
    fetchJobPosting(id, controller.signal).then(
      (data) => setJson(JSON.stringify(data).replace(/</g, '\\u003c')),
      () => undefined,
    );
    return () => controller.abort();
  }, [id]);
  if (!json) return null;
  // biome-ignore lint/security/noDangerouslySetInnerHtml: JSON data block, « < » escaped: it cannot close the element.
  return <script type="application/ld+json" id="offre-jsonld" dangerouslySetInnerHTML={{ __html: json }} />;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Share link (copy the address) and « Envoyer à un ami » by e-mail (seed 002). */
function ShareOffer({ offer }: { offer: PublicOffer }) {
  const ids = useId();
  const url = `${window.location.origin}${offerHref(offer.id)}`;
  const [copied, setCopied] = useState('');
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Lien copié dans le presse-papiers.');
    } catch {
      setCopied('Copie impossible : sélectionnez le lien ci-dessus et copiez-le.');
    }
  };

  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const refuse = (found: { field: string; message: string }[]) => {
    setErrors(found);
    window.setTimeout(() => summary.current?.focus(), 0);
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const found: { field: string; message: string }[] = [];
    if (!to.trim()) found.push({ field: 'to', message: 'Indiquez l’adresse e-mail de votre ami.' });
    else if (!EMAIL.test(to.trim()))
      found.push({
        field: 'to',
        message: 'L’adresse e-mail de votre ami n’est pas valide (exemple : prenom.nom@exemple.fr).',
      });
    if (name.length > 100)
      found.push({ field: 'name', message: 'Votre nom ne doit pas dépasser 100 caractères.' });
    if (message.length > 1000)
      found.push({ field: 'message', message: 'Le message ne doit pas dépasser 1000 caractères.' });
    if (found.length) return refuse(found);
    setBusy(true);
    setStatus(null);
    try {
      await shareOffer(offer.id, {
        to: to.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(message.trim() ? { message: message.trim() } : {}),
      });
      setErrors([]);
      setStatus({ kind: 'ok', text: `L’offre a été envoyée à ${to.trim()}.` });
      setTo('');
      setMessage('');
    } catch (error) {
      if (error instanceof ApiError && error.fields.length) refuse(error.fields);
      else setStatus({ kind: 'error', text: error instanceof Error ? error.message : 'Envoi impossible.' });
    } finally {
      setBusy(false);
    }
  };

  const labels: Record<string, string> = { to: 'E-mail de votre ami', name: 'Votre nom', message: 'Message' };
  return (
    <section className="offer__section" aria-labelledby="offre-partage">
      <h2 id="offre-partage">Partager cette offre</h2>
      <div className="field">
        <label htmlFor={`${ids}-lien`}>Lien de l’offre</label>
        <div className="offer-search__inline">
          <input id={`${ids}-lien`} type="text" readOnly value={url} onFocus={(e) => e.target.select()} />
          <button type="button" className="button button--secondary" onClick={() => void copy()}>
            Copier le lien
          </button>
        </div>
        <p className="field__hint" role="status">
          {copied}
        </p>
      </div>
      {!open ? (
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={false}
          onClick={() => setOpen(true)}
        >
          Envoyer à un ami
        </button>
      ) : (
        <form className="form" onSubmit={(e) => void send(e)} noValidate aria-labelledby={`${ids}-ami`}>
          <h3 id={`${ids}-ami`}>Envoyer à un ami</h3>
          {errors.length > 0 && (
            <div className="notice notice--error" role="alert" tabIndex={-1} ref={summary}>
              <p>
                Le message n’est pas parti : corrigez{' '}
                {errors.length > 1 ? 'les champs suivants' : 'le champ suivant'}.
              </p>
              <ul>
                {errors.map((e) => (
                  <li key={e.field}>
                    <a href={`#${ids}-${e.field}`}>
                      {labels[e.field] ?? e.field} : {e.message}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {status && (
            <div className={`notice notice--${status.kind === 'ok' ? 'success' : 'error'}`} role="status">
              <p>{status.text}</p>
            </div>
          )}
          {(['to', 'name'] as const).map((field) => (
            <div className="field" key={field}>
              <label htmlFor={`${ids}-${field}`}>
                {labels[field]}
                {field === 'to' ? ' (obligatoire)' : ' (facultatif)'}
              </label>
              <input
                id={`${ids}-${field}`}
                type={field === 'to' ? 'email' : 'text'}
                autoComplete={field === 'to' ? 'off' : 'name'}
                value={field === 'to' ? to : name}
                maxLength={field === 'to' ? 254 : 100}
                aria-invalid={!!errorOf(field) || undefined}
                aria-describedby={errorOf(field) ? `${ids}-${field}-erreur` : undefined}
                onChange={(e) => (field === 'to' ? setTo : setName)(e.target.value)}
              />
              {errorOf(field) && (
                <p id={`${ids}-${field}-erreur`} className="field__error">
                  {errorOf(field)}
                </p>
              )}
            </div>
          ))}
          <div className="field">
            <label htmlFor={`${ids}-message`}>{labels.message} (facultatif)</label>
            <textarea
              id={`${ids}-message`}
              value={message}
              maxLength={1000}
              aria-invalid={!!errorOf('message') || undefined}
              aria-describedby={errorOf('message') ? `${ids}-message-erreur` : undefined}
              onChange={(e) => setMessage(e.target.value)}
            />
            {errorOf('message') && (
              <p id={`${ids}-message-erreur`} className="field__error">
                {errorOf('message')}
              </p>
            )}
          </div>
          <div className="form__actions">
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Envoi…' : 'Envoyer'}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
              Fermer
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
