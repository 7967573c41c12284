/**
 * Follow an application made without an account (seed 004), from the link of the confirmation
 * e-mail: `/suivi-candidature?jeton=…`. Shows the status and the offer (and a refusal's visible
 * reason and message); withdraw with confirmation.
 */
import { useState } from 'react';
import type { FollowedApplication } from '../../../../../shared/domain/application';
import { isNotFound } from '../../api';
import { formatDate } from '../../format';
import { Link, offerHref, PATHS } from '../../router';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import {
  ConfirmAction,
  errorMessage,
  Loading,
  OfferLine,
  OfferStateText,
  StatusBadge,
} from './application-ui';
import { fetchFollowed, withdrawFollowed } from './applications-api';
import { RefusalNote } from './RefusalNote';

export function FollowApplicationPage({ search }: { search: string }) {
  useDocumentTitle('Suivi de ma candidature');
  const token = new URLSearchParams(search).get('jeton') ?? '';
  const [state, retry] = useLoad(`follow:${token}`, (signal) =>
    token ? fetchFollowed(token, signal) : Promise.reject(new Error('sans jeton')),
  );
  const [updated, setUpdated] = useState<FollowedApplication | null>(null);

  if (!token)
    return (
      <>
        <h1>Suivi de ma candidature</h1>
        <div className="notice notice--error" role="alert">
          <p>Ce lien est incomplet : ouvrez le lien reçu par e-mail après votre candidature.</p>
        </div>
      </>
    );
  if (state.status === 'loading')
    return (
      <>
        <h1>Suivi de ma candidature</h1>
        <Loading />
      </>
    );
  if (state.status === 'error')
    return (
      <>
        <h1>Suivi de ma candidature</h1>
        <div className="notice notice--error" role="alert">
          <p>
            {isNotFound(state.error)
              ? 'Ce lien de suivi ne correspond à aucune candidature : elle a peut-être été effacée.'
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
  const a = updated ?? state.data;
  return (
    <>
      <h1>Suivi de ma candidature</h1>
      {a.firstName && <p>Bonjour {a.firstName}, voici où en est votre candidature.</p>}
      <article className="application-card" aria-labelledby="suivi-offre">
        <div className="application-card__head">
          <h2 className="application-card__title" id="suivi-offre">
            {a.offerId && a.offerState === 'en_ligne' ? (
              <Link to={offerHref(a.offerId)}>{a.offer.title}</Link>
            ) : (
              a.offer.title
            )}
          </h2>
          <StatusBadge status={a.status} label={a.statusLabel} />
        </div>
        <OfferLine offer={a.offer} />
        <p className="application-card__date">
          Envoyée le <time dateTime={a.createdAt}>{formatDate(a.createdAt)}</time>
        </p>
        <OfferStateText state={a.offerState} />
        {a.status === 'refusee' && <RefusalNote refusal={a.refusal} companyName={a.offer.companyName} />}
        {a.canWithdraw && (
          <div className="form__actions">
            <ConfirmAction
              label="Retirer ma candidature"
              question="Retirer votre candidature ? Le recruteur ne la traitera plus."
              confirmLabel="Oui, retirer"
              withReason
              secondary
              onConfirm={async (reason) => setUpdated(await withdrawFollowed(token, reason || undefined))}
            />
          </div>
        )}
      </article>
      {updated?.status === 'retiree' && (
        <p className="notice notice--success" role="status">
          Votre candidature est retirée.
        </p>
      )}
      <p>
        Pour suivre toutes vos candidatures au même endroit,{' '}
        <Link to={PATHS.signup}>créez un compte candidat</Link>.
      </p>
    </>
  );
}
