/**
 * « Agenda des salons et sessions » (seed 002 « événements »): the public, planned, upcoming job
 * fairs and recruitment sessions, and a registration form for each (`POST
 * /api/public/events/:id/registrations`): the registration reaches the organiser's candidates.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError, apiRequest, fieldError } from '../api';
import { useDocumentTitle } from '../useDocumentTitle';
import { useLoad } from '../useLoad';
import './agenda.css';

interface AgendaOffer {
  id: string;
  title: string;
  companyName?: string;
  city?: string;
}

interface AgendaEvent {
  id: string;
  kind: 'salon' | 'session';
  name: string;
  description?: string;
  date: string;
  startTime?: string;
  endTime?: string;
  place?: { label?: string; address?: string; postalCode?: string; city?: string };
  organisationName: string;
  offers: AgendaOffer[];
  /** A private session: shown only to the holder of an invitation. */
  invitationOnly?: true;
}

interface Agenda {
  items: AgendaEvent[];
  consentText: string;
}

const KIND_LABELS = { salon: 'Salon de l’emploi', session: 'Session de recrutement' } as const;

export function formatEventDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString('fr-FR', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });
}

function hours(e: Pick<AgendaEvent, 'startTime' | 'endTime'>): string {
  const h = (t: string) => t.replace(':', ' h ');
  if (e.startTime && e.endTime) return `de ${h(e.startTime)} à ${h(e.endTime)}`;
  if (e.startTime) return `à partir de ${h(e.startTime)}`;
  return '';
}

function placeText(p: AgendaEvent['place']): string {
  if (!p) return '';
  return [p.label, p.address, [p.postalCode, p.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

const FIELD_LABELS: Record<string, string> = {
  firstName: 'Prénom',
  lastName: 'Nom',
  email: 'Adresse e-mail',
  phone: 'Téléphone',
  offerId: 'Offre qui vous intéresse',
  consent: 'Consentement',
};

function RegistrationForm({
  event,
  consentText,
  via,
  invitation,
}: {
  event: AgendaEvent;
  consentText: string;
  via?: 'qr' | 'invitation' | undefined;
  /** The token of the invitation that opened this event's form. */
  invitation?: string | undefined;
}) {
  const uid = useId();
  const id = (f: string) => `${uid}-${f}`;
  const [values, setValues] = useState({ firstName: '', lastName: '', email: '', phone: '', offerId: '' });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) summary.current?.focus();
  }, [error]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  // Opened from « S’inscrire »: start typing at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    document.getElementById(`${uid}-firstName`)?.focus();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await apiRequest<{ email: string }>(
        'POST',
        `/api/public/events/${encodeURIComponent(event.id)}/registrations`,
        {
          firstName: values.firstName,
          lastName: values.lastName,
          email: values.email,
          ...(values.phone.trim() ? { phone: values.phone } : {}),
          ...(values.offerId ? { offerId: values.offerId } : {}),
          ...(via ? { via } : {}),
          ...(invitation ? { invitation } : {}),
          consent,
        },
      );
      setDone(res.email);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (done)
    return (
      <div
        className="notice notice--success"
        role="status"
        tabIndex={-1}
        ref={doneRef}
        data-testid="agenda-registered"
      >
        <p>
          <strong>Inscription enregistrée.</strong> Un e-mail de confirmation vient de partir à{' '}
          <strong>{done}</strong>. L’organisateur a reçu vos coordonnées ; pensez à apporter votre CV le jour
          J.
        </p>
      </div>
    );

  const err = (f: string) => fieldError(error, f);
  const described = (f: string, hint?: boolean) => {
    const parts = [hint ? `${id(f)}-hint` : null, err(f) ? `${id(f)}-error` : null].filter(Boolean);
    return {
      'aria-invalid': err(f) ? true : undefined,
      'aria-describedby': parts.length > 0 ? parts.join(' ') : undefined,
    };
  };
  const errorText = (f: string) =>
    err(f) ? (
      <p className="field__error" id={`${id(f)}-error`}>
        {err(f)}
      </p>
    ) : null;
  const text = (
    f: 'firstName' | 'lastName' | 'email' | 'phone',
    opts: { type?: string; autoComplete: string; required: boolean; max: number; hint?: string },
  ) => (
    <div className="field">
      <label htmlFor={id(f)}>
        {FIELD_LABELS[f]}
        {opts.required ? ' (obligatoire)' : ' (facultatif)'}
      </label>
      {opts.hint ? (
        <p className="field__hint" id={`${id(f)}-hint`}>
          {opts.hint}
        </p>
      ) : null}
      <input
        id={id(f)}
        type={opts.type ?? 'text'}
        autoComplete={opts.autoComplete}
        maxLength={opts.max}
        required={opts.required}
        value={values[f]}
        onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
        {...described(f, !!opts.hint)}
      />
      {errorText(f)}
    </div>
  );
  const fields = error instanceof ApiError ? error.fields : [];

  return (
    <form className="form" noValidate onSubmit={submit} aria-label={`Inscription : ${event.name}`}>
      {error ? (
        <div className="notice notice--error" role="alert" tabIndex={-1} ref={summary}>
          <p>
            <strong>
              {error instanceof ApiError ? error.message : 'Une erreur inattendue est survenue.'}
            </strong>
          </p>
          {fields.length > 0 ? (
            <ul>
              {fields.map((f) => (
                <li key={`${f.field}-${f.message}`}>
                  <a href={`#${id(f.field)}`}>
                    {FIELD_LABELS[f.field] ? `${FIELD_LABELS[f.field]} : ` : ''}
                    {f.message}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {text('firstName', { autoComplete: 'given-name', required: true, max: 100 })}
      {text('lastName', { autoComplete: 'family-name', required: true, max: 100 })}
      {text('email', {
        type: 'email',
        autoComplete: 'email',
        required: true,
        max: 254,
        hint: 'Vous y recevrez la confirmation de votre inscription.',
      })}
      {text('phone', { type: 'tel', autoComplete: 'tel', required: false, max: 20 })}
      {event.offers.length > 0 ? (
        <div className="field">
          <label htmlFor={id('offerId')}>{FIELD_LABELS.offerId} (facultatif)</label>
          <select
            id={id('offerId')}
            value={values.offerId}
            onChange={(e) => setValues((v) => ({ ...v, offerId: e.target.value }))}
            {...described('offerId')}
          >
            <option value="">Aucune en particulier</option>
            {event.offers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.title}
                {o.companyName ? ` — ${o.companyName}` : ''}
              </option>
            ))}
          </select>
          {errorText('offerId')}
        </div>
      ) : null}
      <div className="field">
        <div className="choice">
          <input
            id={id('consent')}
            type="checkbox"
            checked={consent}
            required
            onChange={(e) => setConsent(e.target.checked)}
            {...described('consent')}
          />
          <label htmlFor={id('consent')}>{consentText} (obligatoire)</label>
        </div>
        {errorText('consent')}
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Inscription en cours…' : 'M’inscrire'}
        </button>
      </div>
    </form>
  );
}

/**
 * `?evenement=<id>` (the stand's QR code, an invitation e-mail) opens that event's form at once;
 * `via=qr|invitation` marks the registration; `invitation=<token>` (an invitation e-mail) also opens
 * a private session's form.
 */
export function readAgendaLink(search: string): {
  eventId?: string;
  via?: 'qr' | 'invitation';
  invitation?: string;
} {
  const q = new URLSearchParams(search);
  const eventId = q.get('evenement')?.trim();
  const via = q.get('via');
  const invitation = q.get('invitation')?.trim();
  const linkedEvent = !!eventId && eventId.length <= 36;
  return {
    ...(linkedEvent ? { eventId } : {}),
    ...(via === 'qr' || via === 'invitation' ? { via } : {}),
    ...(linkedEvent && invitation && /^[A-Za-z0-9_-]{20,100}$/.test(invitation) ? { invitation } : {}),
  };
}

/** The agenda's request: with an invitation, the private session it opens comes too. */
export function agendaUrl(link: { eventId?: string; invitation?: string }): string {
  return link.eventId && link.invitation
    ? `/api/public/events?evenement=${encodeURIComponent(link.eventId)}&invitation=${encodeURIComponent(link.invitation)}`
    : '/api/public/events';
}

export function AgendaPage() {
  useDocumentTitle('Agenda des salons et sessions');
  const [link] = useState(() => readAgendaLink(window.location.search));
  const [state, retry] = useLoad('agenda', (signal) =>
    apiRequest<Agenda>('GET', agendaUrl(link), undefined, { signal }),
  );
  const [open, setOpen] = useState<string | null>(link.eventId ?? null);
  const linked =
    link.eventId && state.status === 'ready'
      ? state.data.items.find((e) => e.id === link.eventId)
      : undefined;
  const linkMissing = !!link.eventId && state.status === 'ready' && !linked;
  // The linked event first scrolled into view (its form focuses its first field).
  useEffect(() => {
    if (linked) document.getElementById(`agenda-${linked.id}`)?.scrollIntoView({ block: 'start' });
  }, [linked]);
  return (
    <div className="agenda">
      <h1>Agenda des salons et sessions</h1>
      <p>
        Rencontrez les recruteurs de votre région : salons de l’emploi et sessions de recrutement organisées
        avec les missions locales, France Travail et Cap emploi. Inscrivez-vous à l’avance : l’organisateur
        reçoit vos coordonnées avant le jour J.
      </p>
      {linkMissing ? (
        <p className="notice notice--info" role="status" data-testid="agenda-link-closed">
          L’événement de ce lien n’est plus ouvert aux inscriptions (passé, complet ou annulé). Voici les
          autres salons et sessions à venir.
        </p>
      ) : null}
      {state.status === 'loading' ? (
        <p role="status">Chargement de l’agenda…</p>
      ) : state.status === 'error' ? (
        <div className="notice notice--error" role="alert">
          <p>{state.error instanceof ApiError ? state.error.message : 'L’agenda n’a pas pu être chargé.'}</p>
          <button type="button" className="button button--secondary" onClick={retry}>
            Réessayer
          </button>
        </div>
      ) : state.data.items.length === 0 ? (
        <p className="notice notice--info">
          Aucun salon ni session annoncé pour le moment. Revenez bientôt !
        </p>
      ) : (
        <ul className="agenda__list">
          {state.data.items.map((e) => {
            const place = placeText(e.place);
            return (
              <li key={e.id} className="panel agenda__event" data-testid="agenda-event">
                <article aria-labelledby={`agenda-${e.id}`}>
                  <h2 id={`agenda-${e.id}`}>{e.name}</h2>
                  <p className="agenda__kind">
                    {KIND_LABELS[e.kind]} — organisé{e.kind === 'session' ? 'e' : ''} par {e.organisationName}
                  </p>
                  {e.invitationOnly ? (
                    <p className="notice notice--info" data-testid="agenda-invitation-only">
                      Sur invitation : cet événement n’est pas annoncé publiquement. Votre lien d’inscription
                      est personnel.
                    </p>
                  ) : null}
                  <p>
                    <strong>
                      Le {formatEventDay(e.date)} {hours(e)}
                    </strong>
                    {place ? (
                      <>
                        <br />
                        {place}
                      </>
                    ) : null}
                  </p>
                  {e.description ? <p className="agenda__description">{e.description}</p> : null}
                  {e.offers.length > 0 ? (
                    <>
                      <h3>Offres présentées</h3>
                      <ul>
                        {e.offers.map((o) => (
                          <li key={o.id}>
                            <a href={`/offres/${encodeURIComponent(o.id)}`}>{o.title}</a>
                            {o.companyName ? ` — ${o.companyName}` : ''}
                            {o.city ? ` (${o.city})` : ''}
                          </li>
                        ))}
                      </ul>
                    </>
                  ) : null}
                  {open === e.id ? (
                    <RegistrationForm
                      event={e}
                      consentText={state.data.consentText}
                      via={e.id === link.eventId ? link.via : undefined}
                      invitation={e.id === link.eventId ? link.invitation : undefined}
                    />
                  ) : (
                    <button type="button" className="button" onClick={() => setOpen(e.id)}>
                      S’inscrire<span className="visually-hidden"> : {e.name}</span>
                    </button>
                  )}
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
