import { useEffect, useMemo, useRef, useState } from 'react';
import { encodeQr, toSvg } from '../../../../shared/qr/qr-code';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import { useSession } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError, apiFetch, getServerUrl, NetworkError } from '../../lib/api';
import { cvCollections, NO_REPLICA_MESSAGE } from '../cvtheque/cv-db';
import { cvDisplayName } from '../cvtheque/cvtheque-model';
import { LocalSearchError, searchLocal } from '../cvtheque/local-search';
import {
  criteriaText,
  type InvitationResult,
  invitationAudienceText,
  invitationCriteria,
  invitationResultText,
  invitationUnavailableReason,
  portalBase,
  qrUnavailableReason,
  sessionOfferId,
  standRegistrationUrl,
} from './stand-qr';
import { useOffersById } from './use-events';
import './stand-qr.css';

/**
 * « QR code du stand » (issue 6): the QR code of the portal's registration form of this event,
 * to print and pin on the stand; the URL as text. Public planned events only.
 */
export function StandQr({ event }: { event: EventDoc }) {
  const reason = qrUnavailableReason(event);
  const url = standRegistrationUrl(portalBase(getServerUrl(), window.location.origin), event.id);
  const src = useMemo(() => {
    if (reason) return null;
    const svg = toSvg(encodeQr(url), { quietZone: 4, title: `QR code d’inscription : ${event.name}` });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }, [url, reason, event.name]);
  const [printing, setPrinting] = useState(false);

  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener('afterprint', done);
    // The class that hides the rest of the page is on; the dialog opens on the next frame.
    const frame = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('afterprint', done);
      document.documentElement.classList.remove('stand-qr-printing');
    };
  }, [printing]);
  useEffect(() => {
    document.documentElement.classList.toggle('stand-qr-printing', printing);
  }, [printing]);

  return (
    <section aria-labelledby="stand-qr-title" className="panel stand-qr" data-testid="stand-qr">
      <h2 id="stand-qr-title">QR code du stand</h2>
      {reason || !src ? (
        <p className="alert alert--info" data-testid="stand-qr-unavailable">
          {reason}
        </p>
      ) : (
        <>
          <p>
            Affichez-le sur le stand : en le scannant, les candidats ouvrent le formulaire d’inscription de
            cet événement sur le portail et remplissent eux-mêmes leurs coordonnées. Leur inscription arrive
            dans la liste des candidats ci-dessous, marquée « Inscription par le QR code du stand ».
          </p>
          <div className="stand-qr__print">
            <p className="stand-qr__name">{event.name}</p>
            <img className="stand-qr__code" src={src} alt={`QR code d’inscription à « ${event.name} »`} />
          </div>
          <p>
            Adresse du formulaire :{' '}
            <a
              href={url}
              className="stand-qr__url"
              data-testid="stand-qr-url"
              target="_blank"
              rel="noreferrer"
            >
              {url}
            </a>
          </p>
          <button type="button" className="button button--secondary" onClick={() => setPrinting(true)}>
            Imprimer<span className="visually-hidden"> le QR code du stand</span>
          </button>
        </>
      )}
    </section>
  );
}

/**
 * « Inviter des candidats » (issue 6, seed 001): the CVthèque CVs of this workstation's replica
 * matching the session's offer (ROME code, around its commune), to check and invite; the server
 * e-mails each person the registration link (their address never shows here), once per event.
 */
export function InviteCandidates({ event }: { event: EventDoc }) {
  const { db, sync, announce } = useSession();
  const online = useSyncState(sync).online;
  const offerId = sessionOfferId(event);
  const offers = useOffersById(db, offerId ? [offerId] : []);
  const offer = offerId ? offers?.get(offerId) : undefined;
  const criteria = useMemo(() => invitationCriteria(offer, event), [offer, event]);
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [cvs, setCvs] = useState<CvDoc[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [invited, setInvited] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const criteriaKey = JSON.stringify(criteria);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `criteriaKey` stands for the criteria
  useEffect(() => {
    if (!open) return;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    let cancelled = false;
    setCvs(null);
    setLoadError(null);
    const cols = cvCollections(db);
    if (!cols) {
      setLoadError(NO_REPLICA_MESSAGE);
      return;
    }
    searchLocal({ cvs: cols.cvs }, criteria, { limit: 200 })
      .then((res) => {
        if (!cancelled) setCvs(res.hits.map((h) => h.doc));
      })
      .catch((err) => {
        if (!cancelled)
          setLoadError(
            err instanceof LocalSearchError
              ? err.message
              : 'La recherche dans la CVthèque de ce poste a échoué.',
          );
      });
    // Who was already invited (when the server answers; offline the list stays unmarked).
    apiFetch<{ cvIds: string[] }>(`/api/events/${encodeURIComponent(event.id)}/invitations`)
      .then((r) => {
        if (!cancelled) setInvited(new Set(r.cvIds));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [open, criteriaKey, db, event.id]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  function close() {
    dialog.current?.close();
    setOpen(false);
    setChecked(new Set());
    setError(null);
  }

  async function send() {
    if (checked.size === 0) {
      setError('Cochez au moins un CV à inviter.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await apiFetch<InvitationResult>(`/api/events/${encodeURIComponent(event.id)}/invitations`, {
        method: 'POST',
        body: { cvIds: [...checked] },
      });
      const text = invitationResultText(r);
      setInvited((prev) => new Set([...prev, ...checked]));
      setResult(text);
      announce(text);
      close();
    } catch (err) {
      if (err instanceof ApiError) setError(err.fields[0]?.message ?? err.message);
      else if (err instanceof NetworkError)
        setError('Le serveur est injoignable : envoyez les invitations dès le retour de la connexion.');
      else setError('L’envoi des invitations a échoué. Réessayez.');
    } finally {
      setBusy(false);
    }
  }

  const reason = invitationUnavailableReason(event);
  const toggle = (id: string, on: boolean) => {
    setError(null);
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  return (
    <section aria-labelledby="invite-title" className="panel stand-invite" data-testid="event-invite">
      <h2 id="invite-title">Inviter des candidats</h2>
      <p>
        Invitez par e-mail les personnes de la CVthèque qui correspondent
        {offer ? ` à « ${offer.title} »` : ''} : elles reçoivent le lien d’inscription de cet événement. Leur
        adresse ne vous est pas communiquée.
      </p>
      {reason ? (
        <p className="alert alert--info">{reason}</p>
      ) : (
        <p className="muted" data-testid="invite-audience">
          {invitationAudienceText(event)}
        </p>
      )}
      {result ? (
        <p className="alert alert--success" role="status" data-testid="invite-result">
          {result}
        </p>
      ) : null}
      <button
        type="button"
        className="button button--primary"
        disabled={!!reason}
        onClick={() => {
          setResult(null);
          setOpen(true);
        }}
      >
        Inviter des candidats
      </button>
      <dialog
        ref={dialog}
        className="dialog stand-invite__dialog"
        aria-labelledby="invite-dialog-title"
        data-testid="invite-dialog"
        onCancel={(e) => {
          e.preventDefault();
          close();
        }}
      >
        <h2 id="invite-dialog-title">Inviter des candidats à « {event.name} »</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <div className="dialog__body">
            <p className="muted">CV de ce poste correspondant : {criteriaText(criteria)}.</p>
            {!online ? (
              <p className="alert alert--info" role="status">
                Hors ligne : cochez les CV, l’envoi sera possible dès le retour de la connexion.
              </p>
            ) : null}
            {error ? (
              <p className="alert alert--error" role="alert" tabIndex={-1} ref={errorRef} id="invite-error">
                {error}
              </p>
            ) : null}
            {loadError ? (
              <p className="alert alert--error">{loadError}</p>
            ) : cvs === null ? (
              <p className="loading">Recherche dans la CVthèque de ce poste…</p>
            ) : cvs.length === 0 ? (
              <p className="empty-state">Aucun CV de la CVthèque de ce poste ne correspond.</p>
            ) : (
              <fieldset aria-describedby={error ? 'invite-error' : undefined}>
                <legend>
                  {cvs.length} CV correspondant{cvs.length > 1 ? 's' : ''} ({checked.size} coché
                  {checked.size > 1 ? 's' : ''})
                </legend>
                <ul className="stand-invite__list">
                  {cvs.map((cv) => {
                    const id = `invite-${cv.id}`;
                    const already = invited.has(cv.id);
                    return (
                      <li key={cv.id} className="choice">
                        <input
                          id={id}
                          type="checkbox"
                          checked={checked.has(cv.id)}
                          disabled={already}
                          onChange={(e) => toggle(cv.id, e.target.checked)}
                        />
                        <label htmlFor={id}>
                          <strong>{cvDisplayName(cv)}</strong> — {cv.title}
                          {cv.commune?.name ? ` (${cv.commune.name})` : ''}
                          {already ? ' — déjà invité(e)' : ''}
                        </label>
                      </li>
                    );
                  })}
                </ul>
              </fieldset>
            )}
          </div>
          <div className="dialog__actions">
            <button type="button" className="button button--secondary" onClick={close}>
              Annuler
            </button>
            <button type="submit" className="button button--primary" disabled={busy || !online}>
              {busy
                ? 'Envoi…'
                : checked.size === 0
                  ? 'Envoyer les invitations'
                  : `Envoyer ${checked.size} invitation${checked.size > 1 ? 's' : ''}`}
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
