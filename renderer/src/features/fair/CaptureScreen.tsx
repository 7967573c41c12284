import { type FormEvent, useMemo, useRef, useState } from 'react';
import { map } from 'rxjs';
import { CAPTURE_CONSENT_TEXT, CAPTURE_LIMITS, type CaptureInput } from '../../../../shared/domain/capture';
import { FILE_PURPOSES } from '../../../../shared/domain/files';
import type { ApplicationDoc, EventDoc } from '../../../../shared/schemas';
import type { FieldError } from '../../../../shared/sync/errors';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { useObservableValue } from '../../hooks/use-rx-query';
import { formatDate, formatTime, plural } from '../../lib/format';
import { fileServicesFor, keepAndQueue } from '../files/files-session';
import { prepareFile } from '../files/prepare-file';
import { docData, useOrganisationOffers } from '../offers/use-offers';
import { saveCapture } from './capture-db';
import './capture.css';

interface Props {
  eventId?: string;
}

interface FormState {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  jobSought: string;
  offerIds: string[];
  rating: number | null;
  note: string;
  consent: boolean;
}

const EMPTY: FormState = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  jobSought: '',
  offerIds: [],
  rating: null,
  note: '',
  consent: false,
};

const FIELD_IDS: Record<string, string> = {
  firstName: 'capture-first-name',
  lastName: 'capture-last-name',
  email: 'capture-email',
  phone: 'capture-phone',
  jobSought: 'capture-job',
  offerIds: 'capture-offers',
  rating: 'capture-rating-1',
  note: 'capture-note',
  consent: 'capture-consent',
  cvFile: 'capture-cv',
};
const fieldId = (f: string) => FIELD_IDS[f] ?? f;

/**
 * « Saisir un candidat »: a walk-in met at a fair, captured in a few seconds with the keyboard
 * (Tab from field to field, Entrée saves and starts the next one), offline like everything else.
 */
export function CaptureScreen({ eventId }: Props) {
  const { db, user, organisation, navigate, announce } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const eventObs = useMemo(() => (eventId ? db.events.findOne(eventId).$ : null), [db, eventId]);
  const eventDoc = useObservableValue(eventObs);
  const event: EventDoc | null = eventDoc ? docData(eventDoc) : null;
  // At a recruitment session organised by this prescriber for an employer, the attendees are
  // captured into the employer's offers (published: they are in this replica).
  const forPartner = !!event && event.kind === 'session' && !!orgId && event.organisationId !== orgId;
  const ownOffers = useOrganisationOffers(db, orgId);
  const sessionOfferIds = useMemo(
    () =>
      event
        ? [...new Set([...event.offerIds, ...(event.request?.offerId ? [event.request.offerId] : [])])]
        : [],
    [event],
  );
  const partnerObs = useMemo(
    () =>
      forPartner && sessionOfferIds.length > 0
        ? db.offers
            .find({ selector: { id: { $in: sessionOfferIds } } })
            .$.pipe(map((docs) => docs.map(docData)))
        : null,
    [db, forPartner, sessionOfferIds],
  );
  const partnerOffers = useObservableValue(partnerObs);
  const offers = forPartner ? partnerOffers : ownOffers;
  const capturedObs = useMemo(
    () => (orgId ? db.applications.find({ selector: { capturedBy: user.id } }).$ : null),
    [db, orgId, user.id],
  );
  const capturedDocs = useObservableValue(capturedObs);

  const [form, setForm] = useState<FormState>(EMPTY);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const offerChoices = useMemo(() => {
    const all = offers ?? [];
    if (event && sessionOfferIds.length > 0) return all.filter((o) => sessionOfferIds.includes(o.id));
    return all.filter((o) => o.status === 'publiee');
  }, [offers, event, sessionOfferIds]);

  const today = new Date().toISOString().slice(0, 10);
  const recent: ApplicationDoc[] = useMemo(() => {
    const docs = (capturedDocs ?? [])
      .map(docData)
      .filter((a) =>
        eventId ? a.eventId === eventId : a.organisationId === orgId && a.createdAt.slice(0, 10) === today,
      );
    const seen = new Set<string>();
    return docs
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
      .filter((a) => {
        const key = a.captureId ?? a.id;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }, [capturedDocs, eventId, today, orgId]);

  if (!organisation) {
    return (
      <section>
        <h1 tabIndex={-1}>Saisir un candidat</h1>
        <p>Rejoignez une organisation pour saisir des candidats.</p>
      </section>
    );
  }
  const org = organisation;

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const err = (field: string) => errors.find((e) => e.field === field)?.message;

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (saving) return;
    setSaving(true);
    try {
      let cvFile: string | undefined;
      if (file) {
        const prepared = await prepareFile('capture', file);
        if (!prepared.ok) {
          setFileError(prepared.message);
          setErrors([{ field: 'cvFile', message: prepared.message }]);
          requestAnimationFrame(() => summaryRef.current?.focus());
          return;
        }
        await keepAndQueue(fileServicesFor(user.id), prepared, 'capture');
        cvFile = prepared.sha256;
      }
      const input: CaptureInput = { ...form, ...(cvFile ? { cvFile } : {}) };
      const result = await saveCapture(
        db,
        user,
        forPartner && event
          ? // The session's organisation (the server names it from the offer).
            { organisationId: event.organisationId, organisationName: offerChoices[0]?.companyName ?? '' }
          : { organisationId: org.organisationId, organisationName: org.organisationName },
        event,
        offers ?? [],
        input,
      );
      if (!result.ok) {
        setErrors(result.errors);
        requestAnimationFrame(() => summaryRef.current?.focus());
        return;
      }
      const name = `${form.firstName.trim()} ${form.lastName.trim()}`;
      setErrors([]);
      setFileError(null);
      setForm({ ...EMPTY, offerIds: [] });
      setFile(null);
      if (fileRef.current) fileRef.current.value = '';
      announce(
        `${name} est enregistré${result.applications.length > 1 ? ` pour ${result.applications.length} offres` : ''}. Saisie suivante.`,
      );
      requestAnimationFrame(() => firstRef.current?.focus());
    } catch (error) {
      setErrors([
        { field: 'cvFile', message: error instanceof Error ? error.message : 'Enregistrement impossible.' },
      ]);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section className="capture" aria-labelledby="capture-title">
      <h1 id="capture-title" tabIndex={-1}>
        Saisir un candidat
      </h1>
      <p className="muted">
        {event
          ? `${event.name} · ${formatDate(`${event.date}T12:00:00Z`)}${event.place?.city ? ` · ${event.place.city}` : ''}`
          : 'Candidat rencontré hors salon'}
        {' · '}
        {recent.length} {plural(recent.length, 'personne saisie', 'personnes saisies')}{' '}
        {eventId ? 'sur ce salon' : 'aujourd’hui'} par vous
      </p>
      <p className="field__hint">
        Tab : champ suivant · Entrée : enregistrer et saisir le suivant · fonctionne sans réseau.
      </p>
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={fieldId} />
      <form onSubmit={(e) => void submit(e)} noValidate className="capture-form" data-testid="capture-form">
        <div className="capture-grid">
          <FormField id={fieldId('firstName')} label="Prénom" required error={err('firstName')}>
            {(p) => (
              <input
                {...p}
                ref={firstRef}
                type="text"
                autoComplete="off"
                maxLength={CAPTURE_LIMITS.name}
                value={form.firstName}
                onChange={(e) => set('firstName', e.target.value)}
              />
            )}
          </FormField>
          <FormField id={fieldId('lastName')} label="Nom" required error={err('lastName')}>
            {(p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                maxLength={CAPTURE_LIMITS.name}
                value={form.lastName}
                onChange={(e) => set('lastName', e.target.value)}
              />
            )}
          </FormField>
          <FormField
            id={fieldId('email')}
            label="E-mail"
            hint="Un e-mail ou un téléphone"
            error={err('email')}
          >
            {(p) => (
              <input
                {...p}
                type="email"
                inputMode="email"
                autoComplete="off"
                maxLength={CAPTURE_LIMITS.email}
                value={form.email}
                onChange={(e) => set('email', e.target.value)}
              />
            )}
          </FormField>
          <FormField id={fieldId('phone')} label="Téléphone" error={err('phone')}>
            {(p) => (
              <input
                {...p}
                type="tel"
                inputMode="tel"
                autoComplete="off"
                maxLength={CAPTURE_LIMITS.phone}
                value={form.phone}
                onChange={(e) => set('phone', e.target.value)}
              />
            )}
          </FormField>
          <FormField id={fieldId('jobSought')} label="Métier recherché" error={err('jobSought')}>
            {(p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                maxLength={CAPTURE_LIMITS.jobSought}
                value={form.jobSought}
                onChange={(e) => set('jobSought', e.target.value)}
              />
            )}
          </FormField>
        </div>

        <fieldset className="checkbox-group capture-offers" id={fieldId('offerIds')} tabIndex={-1}>
          <legend>Offres qui l’intéressent</legend>
          {offerChoices.length === 0 ? (
            <p className="muted small">Aucune offre présentée : la candidature sera spontanée.</p>
          ) : (
            offerChoices.map((o) => (
              <div key={o.id} className="field--checkbox">
                <input
                  id={`capture-offer-${o.id}`}
                  type="checkbox"
                  checked={form.offerIds.includes(o.id)}
                  onChange={(e) =>
                    set(
                      'offerIds',
                      e.target.checked ? [...form.offerIds, o.id] : form.offerIds.filter((x) => x !== o.id),
                    )
                  }
                />
                <label htmlFor={`capture-offer-${o.id}`}>
                  {o.title}
                  {o.city ? ` – ${o.city}` : ''}
                </label>
              </div>
            ))
          )}
          {err('offerIds') ? <p className="field__error">{err('offerIds')}</p> : null}
        </fieldset>

        <fieldset className="checkbox-group capture-rating">
          <legend>Votre appréciation</legend>
          <div className="capture-rating__choices">
            {[1, 2, 3, 4, 5].map((n) => (
              <span key={n} className="field--checkbox choice--inline">
                <input
                  id={`capture-rating-${n}`}
                  type="radio"
                  name="capture-rating"
                  checked={form.rating === n}
                  onChange={() => set('rating', n)}
                />
                <label htmlFor={`capture-rating-${n}`}>{n}</label>
              </span>
            ))}
            <span className="field--checkbox choice--inline">
              <input
                id="capture-rating-none"
                type="radio"
                name="capture-rating"
                checked={form.rating === null}
                onChange={() => set('rating', null)}
              />
              <label htmlFor="capture-rating-none">Sans note</label>
            </span>
          </div>
        </fieldset>

        <FormField id={fieldId('note')} label="Note" error={err('note')}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              maxLength={CAPTURE_LIMITS.note}
              value={form.note}
              onChange={(e) => set('note', e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void submit();
                }
              }}
            />
          )}
        </FormField>

        <FormField
          id={fieldId('cvFile')}
          label="CV (photo ou PDF)"
          hint={FILE_PURPOSES.capture.rule}
          error={fileError ?? err('cvFile')}
        >
          {(p) => (
            <input
              {...p}
              ref={fileRef}
              type="file"
              accept={FILE_PURPOSES.capture.accept}
              capture="environment"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setFileError(null);
              }}
              data-testid="capture-cv"
            />
          )}
        </FormField>

        <div className={`field capture-consent${err('consent') ? ' field--error' : ''}`}>
          <p className="consent-text" id="capture-consent-text">
            {CAPTURE_CONSENT_TEXT}
          </p>
          <div className="field--checkbox">
            <input
              id={fieldId('consent')}
              type="checkbox"
              checked={form.consent}
              aria-describedby={`capture-consent-text${err('consent') ? ' capture-consent-error' : ''}`}
              aria-invalid={err('consent') ? true : undefined}
              onChange={(e) => set('consent', e.target.checked)}
            />
            <label htmlFor={fieldId('consent')}>La personne a donné son accord</label>
          </div>
          {err('consent') ? (
            <p className="field__error" id="capture-consent-error">
              {err('consent')}
            </p>
          ) : null}
        </div>

        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={saving}
            data-testid="capture-save"
          >
            Enregistrer et saisir le suivant
          </button>
          {event ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => navigate({ name: 'event', eventId: event.id })}
            >
              Retour au salon
            </button>
          ) : null}
        </div>
      </form>

      <section aria-labelledby="capture-recent" className="capture-recent">
        <h2 id="capture-recent">Dernières saisies</h2>
        {recent.length === 0 ? (
          <p className="muted">Personne n’a encore été saisi.</p>
        ) : (
          <ol data-testid="capture-recent">
            {recent.slice(0, 10).map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => navigate({ name: 'applicants', applicationId: a.id })}
                >
                  {a.applicant?.firstName} {a.applicant?.lastName}
                </button>{' '}
                <span className="muted small">
                  {formatTime(a.createdAt)} · {a.offer?.title}
                  {a.cvFile ? ' · CV joint' : ''}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
