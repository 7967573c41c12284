import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import {
  AVAILABILITIES,
  AVAILABILITY_LABELS,
  type Availability,
} from '../../../../shared/domain/candidate-profile';
import { CONTRACT_TYPE_LABELS, CONTRACT_TYPES, type ContractType } from '../../../../shared/domain/offer';
import type { Appellation } from '../../../../shared/domain/reference';
import {
  SPOUSE_CONSENT_TEXT,
  SPOUSE_SEARCH_LIMITS,
  type SpouseFieldError,
  type SpouseSearchSummary,
  validateSpouseSearch,
} from '../../../../shared/domain/spouse-search';
import type { ApplicationDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';
import { useOnline } from '../organisations/use-organisations';
import { AppellationInput } from '../reference/AppellationInput';
import { CommuneInput } from '../reference/CommuneInput';
import type { SelectedCommune } from '../reference/reference-values';
import './spouse.css';

interface FormState {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  job: Appellation | null;
  communes: SelectedCommune[];
  radiusKm: string;
  contractTypes: ContractType[];
  availability: Availability | '';
  availableFrom: string;
  presentation: string;
  consent: boolean;
}

const EMPTY: FormState = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  job: null,
  communes: [],
  radiusKm: '20',
  contractTypes: [],
  availability: '',
  availableFrom: '',
  presentation: '',
  consent: false,
};

export const OFFLINE_MESSAGE =
  'Le rapprochement de conjoints met un CV en ligne dans la CVthèque : il demande le réseau. Reconnectez-vous pour l’enregistrer (rien n’est perdu tant que cet écran reste ouvert).';

const fieldId = (field: string) => {
  const base = field.split('.')[0]!;
  return `spouse-${base === 'communes' ? 'commune' : base}`;
};

/** « Rapprochement de conjoints… »: the spouse's job search of someone hired, registered with consent. */
export function SpouseSearchScreen({ applicationId }: { applicationId: string }) {
  const { db, sync, navigate, announce } = useSession();
  const online = useOnline(sync);
  const [application, setApplication] = useState<ApplicationDoc | null | undefined>(undefined);
  const [form, setForm] = useState<FormState>(EMPTY);
  const [commune, setCommune] = useState<SelectedCommune | null>(null);
  const [errors, setErrors] = useState<SpouseFieldError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'Rapprochement de conjoints — Poste recruteur';
    titleRef.current?.focus();
  }, []);

  useEffect(() => {
    let live = true;
    void db.applications
      .findOne(applicationId)
      .exec()
      .then((d) => {
        if (live) setApplication(d ? (d.toJSON() as ApplicationDoc) : null);
      });
    return () => {
      live = false;
    };
  }, [db, applicationId]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const err = (field: string) =>
    errors
      .filter((e) => e.field === field || (field === 'communes' && e.field.startsWith('communes.')))
      .map((e) => e.message)[0];

  const body = useMemo(
    () => ({
      applicationId,
      firstName: form.firstName,
      lastName: form.lastName,
      email: form.email,
      phone: form.phone,
      job: form.job
        ? { appellationCode: form.job.codeOgr, appellationLabel: form.job.label, romeCode: form.job.romeCode }
        : null,
      communes: form.communes.map((c) => ({ code: c.code, name: c.name })),
      radiusKm: form.radiusKm === '' ? 0 : Number(form.radiusKm),
      contractTypes: form.contractTypes,
      availability: form.availability,
      availableFrom: form.availableFrom,
      presentation: form.presentation,
      consent: form.consent,
      consentText: SPOUSE_CONSENT_TEXT,
    }),
    [applicationId, form],
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const found = validateSpouseSearch(body).errors;
    if (found.length > 0) {
      setErrors(found);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    if (!online) {
      setErrors([]);
      setFailure(
        'Hors ligne : rien n’a été envoyé. Reconnectez-vous, puis choisissez à nouveau « Mettre en ligne dans la CVthèque ».',
      );
      return;
    }
    setSaving(true);
    try {
      const created = await apiFetch<SpouseSearchSummary>('/api/spouse-searches', { method: 'POST', body });
      setErrors([]);
      announce(
        `La recherche d’emploi de ${created.firstName} ${created.lastName} est en ligne dans la CVthèque.`,
      );
      navigate({ name: 'spouse-searches' });
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        setErrors(error.fields);
        requestAnimationFrame(() => summaryRef.current?.focus());
      } else if (error instanceof NetworkError) setFailure(OFFLINE_MESSAGE);
      else setFailure(error instanceof Error ? error.message : 'L’enregistrement a échoué : réessayez.');
    } finally {
      setSaving(false);
    }
  }

  const hired = application?.applicant
    ? `${application.applicant.firstName} ${application.applicant.lastName}`.trim()
    : '';

  return (
    <section className="spouse" aria-labelledby="spouse-title">
      <h1 id="spouse-title" ref={titleRef} tabIndex={-1}>
        Rapprochement de conjoints
      </h1>
      {application === null ? (
        <p className="notice notice--error" role="alert">
          Cette candidature est introuvable sur ce poste.
        </p>
      ) : null}
      {application ? (
        <p className="muted">
          Conjoint de {hired || 'la personne embauchée'}
          {application.offer?.title ? ` · offre « ${application.offer.title} »` : ''}
          {application.status !== 'embauchee' ? ' · la candidature n’est pas au statut « Embauchée »' : ''}
        </p>
      ) : null}
      <p>
        La personne que vous embauchez arrive dans la région avec son conjoint ? Avec l’accord de celui-ci,
        enregistrez sa recherche d’emploi : elle est mise en ligne dans la CVthèque avec la mention «
        Rapprochement de conjoints », visible des employeurs partenaires, qui peuvent le contacter. Vous
        suivez ensuite ce qu’elle devient dans « Rapprochements de conjoints ».
      </p>
      {!online ? (
        <p className="notice notice--info" data-testid="spouse-offline">
          Vous êtes hors ligne. {OFFLINE_MESSAGE}
        </p>
      ) : null}
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={fieldId} />
      {failure ? (
        <p className="notice notice--error" role="alert">
          {failure}
        </p>
      ) : null}
      <form
        onSubmit={(e) => void submit(e)}
        noValidate
        className="form spouse-form"
        data-testid="spouse-form"
      >
        <fieldset>
          <legend>Le conjoint</legend>
          <div className="spouse-grid">
            <FormField id={fieldId('firstName')} label="Prénom" required error={err('firstName')}>
              {(p) => (
                <input
                  {...p}
                  type="text"
                  autoComplete="off"
                  maxLength={SPOUSE_SEARCH_LIMITS.name}
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
                  maxLength={SPOUSE_SEARCH_LIMITS.name}
                  value={form.lastName}
                  onChange={(e) => set('lastName', e.target.value)}
                />
              )}
            </FormField>
            <FormField
              id={fieldId('email')}
              label="E-mail"
              hint="Un e-mail ou un téléphone. Avec un e-mail, la personne reçoit un lien pour reprendre le CV à son compte."
              error={err('email')}
            >
              {(p) => (
                <input
                  {...p}
                  type="email"
                  inputMode="email"
                  autoComplete="off"
                  maxLength={SPOUSE_SEARCH_LIMITS.email}
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
                  maxLength={SPOUSE_SEARCH_LIMITS.phone}
                  value={form.phone}
                  onChange={(e) => set('phone', e.target.value)}
                />
              )}
            </FormField>
          </div>
        </fieldset>

        <fieldset>
          <legend>L’emploi recherché</legend>
          <AppellationInput
            id={fieldId('job')}
            label="Métier recherché"
            required
            value={form.job}
            onChange={(a) => set('job', a)}
            error={err('job')}
          />
          <div className="spouse-communes">
            <CommuneInput
              id={fieldId('communes')}
              label="Commune souhaitée (5 au plus)"
              required
              value={commune}
              onChange={(c) => {
                setCommune(null);
                if (c && !form.communes.some((x) => x.code === c.code) && form.communes.length < 5)
                  set('communes', [...form.communes, c]);
              }}
              hint="Choisissez une commune dans la liste : elle s’ajoute aux communes souhaitées."
              error={err('communes')}
            />
            {form.communes.length > 0 ? (
              <ul className="spouse-chips" aria-label="Communes souhaitées">
                {form.communes.map((c) => (
                  <li key={c.code}>
                    {c.name} ({c.postalCode})
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        set(
                          'communes',
                          form.communes.filter((x) => x.code !== c.code),
                        )
                      }
                    >
                      Retirer<span className="visually-hidden"> {c.name}</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
          <FormField
            id={fieldId('radiusKm')}
            label="Dans un rayon de (km)"
            hint="De 0 à 200 km autour des communes souhaitées."
            error={err('radiusKm')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={SPOUSE_SEARCH_LIMITS.radiusKm}
                value={form.radiusKm}
                onChange={(e) => set('radiusKm', e.target.value)}
              />
            )}
          </FormField>
          <fieldset
            className="choices"
            aria-describedby={err('contractTypes') ? 'spouse-contractTypes-error' : undefined}
          >
            <legend>Types de contrat</legend>
            {CONTRACT_TYPES.map((t, i) => (
              <label key={t} className="choice">
                <input
                  id={i === 0 ? fieldId('contractTypes') : undefined}
                  type="checkbox"
                  checked={form.contractTypes.includes(t)}
                  onChange={(e) =>
                    set(
                      'contractTypes',
                      e.target.checked
                        ? [...form.contractTypes, t]
                        : form.contractTypes.filter((x) => x !== t),
                    )
                  }
                />{' '}
                {CONTRACT_TYPE_LABELS[t]}
              </label>
            ))}
            {err('contractTypes') ? (
              <p className="field__error" id="spouse-contractTypes-error">
                {err('contractTypes')}
              </p>
            ) : null}
          </fieldset>
          <FormField id={fieldId('availability')} label="Disponibilité" required error={err('availability')}>
            {(p) => (
              <select
                {...p}
                value={form.availability}
                onChange={(e) => set('availability', e.target.value as Availability | '')}
              >
                <option value="">Choisissez…</option>
                {AVAILABILITIES.map((a) => (
                  <option key={a} value={a}>
                    {AVAILABILITY_LABELS[a]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          {form.availability === 'a_partir_du' ? (
            <FormField
              id={fieldId('availableFrom')}
              label="Disponible à partir du"
              required
              error={err('availableFrom')}
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  value={form.availableFrom}
                  onChange={(e) => set('availableFrom', e.target.value)}
                />
              )}
            </FormField>
          ) : null}
          <FormField
            id={fieldId('presentation')}
            label="Présentation"
            hint={`Quelques lignes sur son parcours et ce qu’il ou elle cherche (${SPOUSE_SEARCH_LIMITS.presentation} caractères au plus).`}
            error={err('presentation')}
          >
            {(p) => (
              <textarea
                {...p}
                rows={5}
                maxLength={SPOUSE_SEARCH_LIMITS.presentation}
                value={form.presentation}
                onChange={(e) => set('presentation', e.target.value)}
              />
            )}
          </FormField>
        </fieldset>

        <div className={`field spouse-consent${err('consent') ? ' field--error' : ''}`}>
          <p className="consent-text" id="spouse-consent-text">
            {SPOUSE_CONSENT_TEXT}
          </p>
          <label className="choice">
            <input
              id={fieldId('consent')}
              type="checkbox"
              checked={form.consent}
              aria-describedby={`spouse-consent-text${err('consent') ? ' spouse-consent-error' : ''}`}
              aria-invalid={err('consent') ? true : undefined}
              onChange={(e) => set('consent', e.target.checked)}
            />{' '}
            La personne a lu ce texte (ou je le lui ai lu) et donne son accord
          </label>
          {err('consent') ? (
            <p className="field__error" id="spouse-consent-error">
              {err('consent')}
            </p>
          ) : null}
        </div>

        <div className="form__actions">
          <button type="submit" className="button" disabled={saving || application === null}>
            {saving ? 'Enregistrement…' : 'Mettre en ligne dans la CVthèque'}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => navigate({ name: 'applicants', applicationId })}
          >
            Annuler
          </button>
        </div>
      </form>
    </section>
  );
}
