import { useEffect, useMemo, useRef, useState } from 'react';
import { map } from 'rxjs';
import { APPLICATION_LIMITS } from '../../../../shared/domain/application';
import type { OfferDoc } from '../../../../shared/schemas';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import { useSession } from '../../app/session-context';
import { useObservableValue } from '../../hooks/use-rx-query';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';
import { docData } from '../offers/use-offers';
import { cvDisplayName } from './cvtheque-model';

interface Props {
  cv: CvDoc | null;
  online: boolean;
  onClose: () => void;
}

const ADVISOR_KINDS = new Set(['prescriber', 'training']);

/**
 * « Proposer pour une offre » (issue 5, « Contact and proposals »): the person behind a CV is
 * proposed for one of the organisation's published offers (any published offer for an advisor);
 * the server creates an application « proposée » and e-mails the candidate, who accepts or
 * declines on the portal. Needs the server: offline, the dialog says so.
 */
export function ProposeDialog({ cv, online, onClose }: Props) {
  const { db, organisation, announce } = useSession();
  const ref = useRef<HTMLDialogElement>(null);
  const open = cv !== null;
  const [offerId, setOfferId] = useState('');
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<{ offerId?: string; message?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const orgId = organisation?.organisationId ?? null;
  const advisor = organisation ? ADVISOR_KINDS.has(organisation.kind) : false;

  const obs = useMemo(
    () =>
      db.offers.find({ selector: { status: 'publiee' } }).$.pipe(
        map((docs) =>
          docs
            .map((d) => docData<OfferDoc>(d))
            .filter((o) => advisor || o.organisationId === orgId)
            .sort((a, b) => a.title.localeCompare(b.title, 'fr')),
        ),
      ),
    [db, orgId, advisor],
  );
  const offers = useObservableValue(obs);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setOfferId('');
      setMessage('');
      setErrors({});
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  async function submit() {
    if (!cv) return;
    const next: typeof errors = {};
    if (!offerId) next.offerId = 'Choisissez l’offre pour laquelle proposer cette personne.';
    if (message.trim().length > APPLICATION_LIMITS.message)
      next.message = `Le message ne doit pas dépasser ${APPLICATION_LIMITS.message} caractères.`;
    setErrors(next);
    if (next.offerId) {
      document.getElementById('propose-offer')?.focus();
      return;
    }
    if (next.message) {
      document.getElementById('propose-message')?.focus();
      return;
    }
    setBusy(true);
    try {
      await apiFetch('/api/cvtheque/proposals', {
        method: 'POST',
        body: { cvId: cv.id, offerId, ...(message.trim() ? { message: message.trim() } : {}) },
      });
      const title = offers?.find((o) => o.id === offerId)?.title ?? 'l’offre';
      announce(
        `${cvDisplayName(cv)} est proposé pour « ${title} » : la personne reçoit un e-mail et répondra sur le portail.`,
      );
      onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        const fieldErrors: typeof errors = {};
        for (const f of err.fields)
          if (f.field === 'offerId' || f.field === 'message') fieldErrors[f.field] ??= f.message;
        setErrors(
          Object.keys(fieldErrors).length ? fieldErrors : { form: err.message || 'La proposition a échoué.' },
        );
      } else if (err instanceof NetworkError)
        setErrors({
          form: 'Le serveur est injoignable : proposez cette personne dès le retour de la connexion.',
        });
      else setErrors({ form: 'La proposition a échoué. Réessayez.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog cv-lists-dialog"
      aria-labelledby="propose-title"
      data-testid="propose-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="propose-title">Proposer pour une offre</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="dialog__body">
          <p className="muted">
            {cv ? `${cvDisplayName(cv)} (« ${cv.title} »)` : ''} recevra un e-mail et pourra accepter ou
            refuser la proposition depuis le portail candidat.
          </p>
          {!online ? (
            <p className="alert alert--info" role="status">
              Hors ligne : la proposition sera possible dès le retour de la connexion.
            </p>
          ) : null}
          {errors.form ? (
            <p className="alert alert--error" role="alert">
              {errors.form}
            </p>
          ) : null}
          <div className={`field${errors.offerId ? ' field--error' : ''}`}>
            <label htmlFor="propose-offer">Offre</label>
            <select
              id="propose-offer"
              value={offerId}
              aria-invalid={errors.offerId ? true : undefined}
              aria-describedby={errors.offerId ? 'propose-offer-error' : undefined}
              onChange={(e) => setOfferId(e.target.value)}
            >
              <option value="">
                {offers && offers.length === 0 ? 'Aucune offre en ligne' : 'Choisissez une offre en ligne'}
              </option>
              {(offers ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.title}
                  {o.number ? ` (n° ${o.number})` : ''}
                  {o.city ? ` — ${o.city}` : ''}
                </option>
              ))}
            </select>
            {errors.offerId ? (
              <p className="field__error" id="propose-offer-error">
                {errors.offerId}
              </p>
            ) : null}
          </div>
          <div className={`field${errors.message ? ' field--error' : ''}`}>
            <label htmlFor="propose-message">Message à la personne (facultatif)</label>
            <textarea
              id="propose-message"
              rows={4}
              maxLength={APPLICATION_LIMITS.message}
              value={message}
              aria-invalid={errors.message ? true : undefined}
              aria-describedby={errors.message ? 'propose-message-error' : undefined}
              onChange={(e) => setMessage(e.target.value)}
            />
            {errors.message ? (
              <p className="field__error" id="propose-message-error">
                {errors.message}
              </p>
            ) : null}
          </div>
        </div>
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Annuler
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !online}>
            Proposer
          </button>
        </div>
      </form>
    </dialog>
  );
}
