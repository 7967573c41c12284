import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { apiFetch } from '../../lib/api';
import { useOrganisationDoc } from '../companies/use-companies';
import { NoticeCard } from '../notices/NoticeCard';
import { markNoticeRead, useNotices } from '../notices/use-notices';
import { organisationMembers, useOrganisationOffers } from '../offers/use-offers';
import { CommuneInput } from '../reference/CommuneInput';
import {
  applyForm,
  docToForm,
  EMPTY_EVENT_FORM,
  type EventFieldError,
  type EventFormValues,
  eventFieldId,
  isSessionRequest,
  newEventDoc,
  validateEventForm,
} from './event-model';
import './fair.css';

interface Props {
  eventId?: string;
  kind?: 'salon' | 'session';
  offerId?: string;
}

interface Prescriber {
  id: string;
  name: string;
  city?: string;
}

/** The partner prescriber of a session request: type-ahead on `GET /api/organisations/prescribers`. */
function PrescriberInput({
  value,
  name,
  error,
  onChange,
}: {
  value: string;
  name: string;
  error?: string;
  onChange: (id: string, name: string) => void;
}) {
  const [text, setText] = useState(name);
  const [items, setItems] = useState<Prescriber[]>([]);
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => setText(name), [name]);
  useEffect(() => {
    if (!open) return;
    const abort = new AbortController();
    const t = setTimeout(() => {
      apiFetch<{ items: Prescriber[] }>(
        `/api/organisations/prescribers?q=${encodeURIComponent(text.trim())}`,
        {
          signal: abort.signal,
        },
      )
        .then((r) => {
          setItems(r.items);
          setFailure(null);
        })
        .catch(() => {
          if (!abort.signal.aborted)
            setFailure(
              'La liste des prescripteurs n’est pas disponible hors ligne : réessayez une fois connecté.',
            );
        });
    }, 200);
    return () => {
      clearTimeout(t);
      abort.abort();
    };
  }, [text, open]);
  const id = eventFieldId('partnerOrganisationId');
  return (
    <FormField
      id={id}
      label="Prescripteur partenaire"
      required
      error={error}
      hint={
        value ? `Choisi : ${name}.` : 'Mission locale, France Travail, Cap emploi… tapez son nom ou sa ville.'
      }
    >
      {(p) => (
        <div>
          <input
            {...p}
            type="text"
            autoComplete="off"
            value={text}
            role="combobox"
            aria-expanded={open && items.length > 0}
            aria-controls={`${id}-list`}
            onFocus={() => setOpen(true)}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              if (value) onChange('', '');
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
            }}
          />
          {failure ? <p className="field__hint">{failure}</p> : null}
          {open && items.length > 0 ? (
            <ul className="fair-suggestions" id={`${id}-list`} aria-label="Prescripteurs">
              {items.map((o) => (
                <li key={o.id}>
                  <button
                    type="button"
                    onClick={() => {
                      onChange(o.id, o.name);
                      setText(o.name);
                      setOpen(false);
                    }}
                  >
                    {o.name}
                    {o.city ? ` — ${o.city}` : ''}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </FormField>
  );
}

/**
 * « Nouveau salon » / a session (request), and their edition: written to the local replica
 * first (works offline), the server checks and completes it when it receives it. The partner
 * prescriber schedules a session asked of it from here too.
 */
export function EventFormScreen({ eventId, kind, offerId }: Props) {
  const { db, user, organisation, navigate, announce } = useSession();
  const [values, setValues] = useState<EventFormValues>(() => ({
    ...EMPTY_EVENT_FORM,
    kind: kind ?? 'salon',
    ...(offerId ? { requestOfferId: offerId, offerIds: [offerId] } : {}),
  }));
  const [existing, setExisting] = useState<EventDoc | null>(null);
  const [loading, setLoading] = useState(!!eventId);
  const [missing, setMissing] = useState(false);
  const [errors, setErrors] = useState<EventFieldError[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const notices = useNotices(db);

  useEffect(() => {
    if (!eventId) return;
    let cancelled = false;
    void db.events
      .findOne(eventId)
      .exec()
      .then((doc) => {
        if (cancelled) return;
        if (!doc) setMissing(true);
        else {
          const data = doc.toJSON() as EventDoc;
          setExisting(data);
          setValues(docToForm(data));
        }
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [db, eventId]);

  useEffect(() => {
    if (focusTick > 0) summaryRef.current?.focus();
  }, [focusTick]);

  const ownerId = existing?.organisationId ?? organisation?.organisationId ?? null;
  const offers = useOrganisationOffers(db, ownerId);
  const orgDoc = useOrganisationDoc(db, organisation?.organisationId);
  const partnerDoc = useOrganisationDoc(db, existing?.partnerOrganisationId);
  const members = useMemo(() => {
    const list = organisationMembers(orgDoc);
    const seen = new Set(list.map((m) => m.accountId));
    for (const m of organisationMembers(partnerDoc)) if (!seen.has(m.accountId)) list.push(m);
    return list;
  }, [orgDoc, partnerDoc]);
  const publishedOffers = useMemo(
    () =>
      (offers ?? [])
        .filter((o) => o.status === 'publiee' || values.offerIds.includes(o.id))
        .sort((a, b) => a.title.localeCompare(b.title, 'fr', { sensitivity: 'base' })),
    [offers, values.offerIds],
  );

  const isPartner =
    !!existing?.partnerOrganisationId && existing.partnerOrganisationId === organisation?.organisationId;
  const scheduling = !!existing && existing.status === 'demandee' && isPartner;
  const request = existing
    ? existing.status === 'demandee' && !isPartner
    : isSessionRequest(values, organisation?.kind);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const set = <K extends keyof EventFormValues>(key: K, value: EventFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const toggle = (key: 'offerIds' | 'colleagueIds', id: string, on: boolean) =>
    setValues((v) => ({ ...v, [key]: on ? [...v[key], id] : v[key].filter((x) => x !== id) }));
  const eventNotices = (notices ?? []).filter((n) => eventId && n.documentId === eventId && !n.readAt);

  async function save() {
    if (!organisation && !existing) return;
    const found = validateEventForm(values, {
      request: !existing && request,
      checkDate: !existing || existing.date !== values.date,
    });
    if (scheduling && !values.date) found.push({ field: 'date', message: 'Indiquez la date de la session.' });
    if (scheduling && !values.placeLabel.trim() && !values.city.trim())
      found.push({ field: 'place', message: 'Indiquez le lieu de la session : son nom ou sa commune.' });
    setErrors(found);
    setSaveError(null);
    if (found.length > 0) {
      setFocusTick((t) => t + 1);
      return;
    }
    setSaving(true);
    const now = new Date().toISOString();
    try {
      if (!existing) {
        const doc = newEventDoc(
          crypto.randomUUID(),
          organisation!.organisationId,
          user.id,
          values,
          request,
          now,
        );
        await db.events.insert(doc);
        announce(
          request
            ? `Demande de session « ${doc.name} » enregistrée : le prescripteur la recevra à la prochaine synchronisation.`
            : `« ${doc.name} » est enregistré.`,
        );
        navigate({ name: 'event', eventId: doc.id });
        return;
      }
      const doc = await db.events.findOne(existing.id).exec();
      if (!doc) throw new Error('missing');
      await doc.incrementalModify((d) => {
        applyForm(d, values, now);
        if (scheduling) d.status = 'planifiee';
        if (request && d.request) d.request = { ...d.request, message: values.requestMessage.trim() };
        return d;
      });
      announce(
        scheduling
          ? `Session « ${values.name.trim()} » planifiée.`
          : `Modifications de « ${values.name.trim()} » enregistrées.`,
      );
      navigate({ name: 'event', eventId: existing.id });
    } catch {
      setSaving(false);
      setSaveError(
        'L’événement n’a pas pu être enregistré sur ce poste. Vos saisies sont conservées : réessayez.',
      );
      setFocusTick((t) => t + 1);
    }
  }

  function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    void save();
  }

  if (loading) return <p className="loading">Chargement de l’événement…</p>;
  if (missing)
    return (
      <section>
        <h1 tabIndex={-1}>Événement introuvable</h1>
        <p>Cet événement n’existe pas (ou plus) sur ce poste.</p>
        <button type="button" className="button" onClick={() => navigate({ name: 'events' })}>
          Retour aux salons et sessions
        </button>
      </section>
    );
  if (!organisation && !existing)
    return (
      <section>
        <h1 tabIndex={-1}>Nouvel événement</h1>
        <p>Votre compte n’est rattaché à aucune organisation.</p>
      </section>
    );

  const heading = existing
    ? scheduling
      ? `Planifier la session « ${existing.name} »`
      : `Modifier « ${existing.name} »`
    : values.kind === 'salon'
      ? 'Nouveau salon'
      : request
        ? 'Demander une session de recrutement'
        : 'Nouvelle session de recrutement';

  const text = (
    field: keyof EventFormValues,
    label: string,
    opts: { required?: boolean; type?: string; hint?: string; maxLength?: number; errorField?: string } = {},
  ) => (
    <FormField
      id={eventFieldId(field)}
      label={label}
      required={opts.required}
      error={errorOf(opts.errorField ?? field)}
      hint={opts.hint}
    >
      {(p) => (
        <input
          {...p}
          type={opts.type ?? 'text'}
          autoComplete="off"
          maxLength={opts.maxLength}
          value={values[field] as string}
          onChange={(e) => set(field, e.target.value as never)}
        />
      )}
    </FormField>
  );

  return (
    <section aria-labelledby="event-form-title" className="fair">
      <div className="page-header">
        <h1 id="event-form-title" tabIndex={-1}>
          {heading}
        </h1>
      </div>
      {request && !existing ? (
        <p className="muted">
          Un prescripteur partenaire (mission locale, France Travail, Cap emploi…) organise pour vous une
          session de recrutement : il réunit des candidats correspondant à votre offre et vous propose une
          date.
        </p>
      ) : null}
      {scheduling && existing?.request ? (
        <div className="alert alert--info">
          <strong>Demande de {existing.request.byName ?? 'un recruteur'} :</strong> {existing.request.message}
        </div>
      ) : null}
      {eventNotices.map((n) => (
        <NoticeCard key={n.id} notice={n} compact onMarkRead={() => void markNoticeRead(db, n.id)} />
      ))}
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={eventFieldId} />
      {saveError ? (
        <div className="alert alert--error" role="alert">
          {saveError}
        </div>
      ) : null}
      <form onSubmit={onSubmit} noValidate>
        <fieldset className="form-section">
          <legend>L’événement</legend>
          {!existing ? (
            <fieldset className="checkbox-group" id={eventFieldId('kind')}>
              <legend>Type</legend>
              {(['salon', 'session'] as const).map((k) => (
                <div className="field field--checkbox" key={k}>
                  <input
                    type="radio"
                    id={`event-kind-${k}`}
                    name="event-kind"
                    checked={values.kind === k}
                    onChange={() => set('kind', k)}
                  />
                  <label htmlFor={`event-kind-${k}`}>
                    {k === 'salon'
                      ? 'Salon de l’emploi'
                      : organisation?.kind === 'prescriber'
                        ? 'Session de recrutement'
                        : 'Session de recrutement organisée par un prescripteur'}
                  </label>
                </div>
              ))}
            </fieldset>
          ) : null}
          {text('name', 'Nom', { required: true, maxLength: 150 })}
          <div className="grid grid--3">
            {text('date', 'Date', {
              type: 'date',
              required: !request,
              hint: request ? 'Facultative : le prescripteur propose la date.' : undefined,
            })}
            {text('startTime', 'Heure de début', { type: 'time' })}
            {text('endTime', 'Heure de fin', { type: 'time' })}
          </div>
        </fieldset>

        {request && !existing ? (
          <fieldset className="form-section">
            <legend>La demande</legend>
            <PrescriberInput
              value={values.partnerOrganisationId}
              name={values.partnerName}
              error={errorOf('partnerOrganisationId')}
              onChange={(id, name) =>
                setValues((v) => ({ ...v, partnerOrganisationId: id, partnerName: name }))
              }
            />
            <FormField
              id={eventFieldId('request.offerId')}
              label="Offre concernée"
              required
              error={errorOf('request.offerId')}
            >
              {(p) => (
                <select
                  {...p}
                  value={values.requestOfferId}
                  onChange={(e) => set('requestOfferId', e.target.value)}
                >
                  <option value="">Choisissez une offre</option>
                  {publishedOffers.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.title}
                      {o.number ? ` (n° ${o.number})` : ''}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </fieldset>
        ) : null}
        {request ? (
          <FormField
            id={eventFieldId('request.message')}
            label="Message au prescripteur"
            required
            error={errorOf('request.message')}
            hint="Postes, profils recherchés, période souhaitée."
          >
            {(p) => (
              <textarea
                {...p}
                rows={4}
                maxLength={2000}
                value={values.requestMessage}
                onChange={(e) => set('requestMessage', e.target.value)}
              />
            )}
          </FormField>
        ) : null}

        <fieldset className="form-section">
          <legend>Le lieu</legend>
          <div className="grid grid--2">
            {text('placeLabel', 'Nom du lieu', {
              maxLength: 200,
              errorField: 'place',
              hint: 'Par exemple « Halle aux grains » ou « Agence France Travail ».',
            })}
            {text('placeAddress', 'Adresse', { maxLength: 250 })}
          </div>
          <CommuneInput
            id={eventFieldId('city')}
            label="Commune"
            error={errorOf('place.postalCode') ?? errorOf('place.city')}
            value={
              values.city
                ? { name: values.city, postalCode: values.postalCode, code: values.inseeCode || undefined }
                : null
            }
            onTextChange={(t) =>
              setValues((v) => ({ ...v, city: t, postalCode: '', inseeCode: '', lat: null, lon: null }))
            }
            onChange={(c) =>
              setValues((v) =>
                c
                  ? {
                      ...v,
                      city: c.name,
                      postalCode: c.postalCode,
                      inseeCode: c.code,
                      lat: c.lat,
                      lon: c.lon,
                    }
                  : { ...v, postalCode: '', inseeCode: '', lat: null, lon: null },
              )
            }
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Présentation</legend>
          <FormField id={eventFieldId('description')} label="Description" error={errorOf('description')}>
            {(p) => (
              <textarea
                {...p}
                rows={4}
                maxLength={3000}
                value={values.description}
                onChange={(e) => set('description', e.target.value)}
              />
            )}
          </FormField>
          {!isPartner ? (
            <fieldset
              className="checkbox-group"
              id={eventFieldId('offerIds')}
              aria-describedby={errorOf('offerIds') ? 'event-offers-error' : undefined}
            >
              <legend>Offres présentées</legend>
              {offers === undefined ? (
                <p className="loading">Chargement des offres…</p>
              ) : publishedOffers.length === 0 ? (
                <p className="empty-state">Aucune offre en ligne à présenter.</p>
              ) : (
                <div className="checkbox-grid">
                  {publishedOffers.map((o) => (
                    <div className="field field--checkbox" key={o.id}>
                      <input
                        type="checkbox"
                        id={`event-offer-${o.id}`}
                        checked={values.offerIds.includes(o.id)}
                        onChange={(e) => toggle('offerIds', o.id, e.target.checked)}
                      />
                      <label htmlFor={`event-offer-${o.id}`}>
                        {o.title}
                        {o.number ? ` (n° ${o.number})` : ''}
                      </label>
                    </div>
                  ))}
                </div>
              )}
              {errorOf('offerIds') ? (
                <p className="field__error" id="event-offers-error">
                  {errorOf('offerIds')}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <fieldset className="checkbox-group" id={eventFieldId('colleagueIds')}>
            <legend>Collègues présents</legend>
            {members.length === 0 ? (
              <p className="empty-state">
                La liste des membres de l’organisation n’est pas encore sur ce poste.
              </p>
            ) : (
              <div className="checkbox-grid">
                {members.map((m) => (
                  <div className="field field--checkbox" key={m.accountId}>
                    <input
                      type="checkbox"
                      id={`event-colleague-${m.accountId}`}
                      checked={values.colleagueIds.includes(m.accountId)}
                      onChange={(e) => toggle('colleagueIds', m.accountId, e.target.checked)}
                    />
                    <label htmlFor={`event-colleague-${m.accountId}`}>
                      {m.name}
                      {m.accountId === user.id ? ' (vous)' : ''}
                    </label>
                  </div>
                ))}
              </div>
            )}
            {errorOf('colleagueIds') ? <p className="field__error">{errorOf('colleagueIds')}</p> : null}
          </fieldset>
          <div className="field field--checkbox">
            <input
              type="checkbox"
              id={eventFieldId('public')}
              checked={values.public}
              aria-describedby="event-public-hint"
              onChange={(e) => set('public', e.target.checked)}
            />
            <label htmlFor={eventFieldId('public')}>Public : annoncé dans l’agenda du portail candidat</label>
          </div>
          <p className="field__hint" id="event-public-hint">
            Les candidats peuvent alors s’y inscrire à l’avance ; leurs inscriptions arrivent dans les
            candidats de l’événement.
          </p>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {scheduling
              ? 'Planifier la session'
              : existing
                ? 'Enregistrer'
                : request
                  ? 'Envoyer la demande'
                  : 'Créer'}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => navigate(existing ? { name: 'event', eventId: existing.id } : { name: 'events' })}
          >
            Annuler
          </button>
        </div>
      </form>
    </section>
  );
}
