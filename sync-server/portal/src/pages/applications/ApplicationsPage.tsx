/**
 * « Mes candidatures » (seed 000): every application and proposal with its status as the
 * recruiter sets it, the offer even after it expires, withdraw (with confirmation), and the
 * answer to a proposal (accept / decline). Issue 6: fair captures linked to the account, and a
 * refusal's visible reason and the recruiter's message.
 */
import { useRef, useState } from 'react';
import {
  APPLICATION_STATUS_LABELS,
  type ApplicationSource,
  type CandidateApplication,
} from '../../../../../shared/domain/application';
import { applicationOpensMessaging } from '../../../../../shared/domain/messaging';
import { formatDate } from '../../format';
import { Link, offerHref } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { newMessageHref } from '../messages/messages-format';
import {
  ConfirmAction,
  errorMessage,
  Loading,
  OfferLine,
  OfferStateText,
  StatusBadge,
} from './application-ui';
import { fetchApplications, moveApplication } from './applications-api';
import { RefusalNote } from './RefusalNote';

/** How the application reached the recruiter, when it is not the usual « Postuler ». */
const SOURCE_NOTES: Partial<Record<ApplicationSource, string>> = {
  spontanee: 'Candidature spontanée',
  salon: 'Recueillie par le recruteur lors d’un salon',
  session: 'Recueillie par le recruteur lors d’une session de recrutement',
};

export function ApplicationsPage(_props: { search: string }) {
  useDocumentTitle('Mes candidatures');
  const [state, retry] = useLoad('applications', fetchApplications);
  const [changed, setChanged] = useState<Record<string, CandidateApplication>>({});
  const [announce, setAnnounce] = useState('');
  const status = useRef<HTMLParagraphElement>(null);

  if (state.status === 'loading')
    return (
      <>
        <h1>Mes candidatures</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        <h1>Mes candidatures</h1>
        <div className="notice notice--error" role="alert">
          <p>{errorMessage(state.error)}</p>
          <button type="button" className="button" onClick={retry}>
            Réessayer
          </button>
        </div>
      </>
    );
  const applications = state.data.map((a) => changed[a.id] ?? a);
  const proposals = applications.filter((a) => a.status === 'proposee');
  const others = applications.filter((a) => a.status !== 'proposee');

  const act = async (a: CandidateApplication, move: 'withdraw' | 'accept' | 'decline', reason?: string) => {
    const next = await moveApplication(a.id, move, reason);
    setChanged((c) => ({ ...c, [a.id]: next }));
    setAnnounce(
      move === 'withdraw'
        ? `Votre candidature « ${a.offer.title} » est retirée.`
        : move === 'accept'
          ? `Proposition acceptée : votre candidature « ${a.offer.title} » est envoyée au recruteur.`
          : `Proposition « ${a.offer.title} » déclinée.`,
    );
    status.current?.focus();
  };

  return (
    <>
      <h1>Mes candidatures</h1>
      <p className="notice notice--success" role="status" tabIndex={-1} ref={status} hidden={!announce}>
        {announce}
      </p>
      {applications.length === 0 ? (
        <div className="panel">
          <p>Vous n’avez encore envoyé aucune candidature.</p>
          <p>
            <Link to="/">Rechercher des offres</Link> et cliquez sur « Postuler » pour envoyer votre CV au
            recruteur.
          </p>
        </div>
      ) : (
        <>
          {proposals.length > 0 && (
            <section aria-labelledby="propositions">
              <h2 id="propositions">Propositions reçues ({proposals.length})</h2>
              <p>
                Un recruteur ou un conseiller vous propose ces offres : acceptez pour envoyer votre
                candidature.
              </p>
              <ul className="application-list">
                {proposals.map((a) => (
                  <li key={a.id}>
                    <ApplicationCard application={a} act={act} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="candidatures">
            <h2 id="candidatures">
              {others.length === 0
                ? 'Aucune candidature envoyée'
                : `${others.length} candidature${others.length > 1 ? 's' : ''}`}
            </h2>
            <ul className="application-list">
              {others.map((a) => (
                <li key={a.id}>
                  <ApplicationCard application={a} act={act} />
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </>
  );
}

function ApplicationCard({
  application: a,
  act,
}: {
  application: CandidateApplication;
  act: (a: CandidateApplication, move: 'withdraw' | 'accept' | 'decline', reason?: string) => Promise<void>;
}) {
  const titleId = `candidature-${a.id}`;
  const sentOn = a.history.find((h) => h.to === 'nouvelle')?.at ?? a.createdAt;
  const captured = a.source === 'salon' || a.source === 'session';
  return (
    <article className="application-card" aria-labelledby={titleId}>
      <div className="application-card__head">
        <h3 className="application-card__title" id={titleId}>
          {a.offerId && a.offerState === 'en_ligne' ? (
            <Link to={offerHref(a.offerId)}>{a.offer.title}</Link>
          ) : (
            a.offer.title
          )}
        </h3>
        <StatusBadge status={a.status} label={a.statusLabel} />
      </div>
      <OfferLine offer={a.offer} />
      <p className="application-card__date">
        {a.status === 'proposee' ? 'Proposée le ' : captured ? 'Enregistrée le ' : 'Envoyée le '}
        <time dateTime={a.status === 'proposee' ? a.createdAt : sentOn}>
          {formatDate(a.status === 'proposee' ? a.createdAt : sentOn)}
        </time>
        {SOURCE_NOTES[a.source] ? ` · ${SOURCE_NOTES[a.source]}` : ''}
      </p>
      <OfferStateText state={a.offerState} />
      {a.status === 'refusee' && <RefusalNote refusal={a.refusal} companyName={a.offer.companyName} />}
      {/* Issue 7: a filed application opens the messaging with its recruiter (the rules' own test). */}
      {applicationOpensMessaging(a) && (
        <p className="apply-links">
          <Link to={newMessageHref({ about: { kind: 'application', id: a.id } })}>
            Écrire au recruteur<span className="visually-hidden"> : {a.offer.title}</span>
          </Link>
        </p>
      )}
      {a.history.length > 1 && (
        <details>
          <summary>Historique</summary>
          <ol className="application-history">
            {a.history.map((h) => (
              <li key={`${h.at}-${h.to}`}>
                <time dateTime={h.at}>{formatDate(h.at)}</time> : {APPLICATION_STATUS_LABELS[h.to]}
              </li>
            ))}
          </ol>
        </details>
      )}
      {(a.canAnswer || a.canWithdraw) && (
        <div className="form__actions">
          {a.canAnswer && (
            <>
              <ConfirmAction
                label="Accepter la proposition"
                question={`Envoyer votre candidature pour « ${a.offer.title} » ?`}
                confirmLabel="Oui, accepter"
                onConfirm={() => act(a, 'accept')}
              />
              <ConfirmAction
                label="Décliner"
                question={`Décliner la proposition « ${a.offer.title} » ?`}
                confirmLabel="Oui, décliner"
                secondary
                onConfirm={() => act(a, 'decline')}
              />
            </>
          )}
          {a.canWithdraw && (
            <ConfirmAction
              label="Retirer ma candidature"
              question={`Retirer votre candidature « ${a.offer.title} » ? Le recruteur en sera informé ; vous pourrez postuler à nouveau.`}
              confirmLabel="Oui, retirer"
              withReason
              secondary
              onConfirm={(reason) => act(a, 'withdraw', reason || undefined)}
            />
          )}
        </div>
      )}
    </article>
  );
}
