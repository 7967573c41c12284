import { type FormEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import {
  APPLICATION_MODE_LABELS,
  APPLICATION_MODES,
  type ApplicationMode,
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  type ContractType,
  OFFER_EDITABLE_STATUSES,
  type OfferFieldError,
  type OfferStatus,
  offerStatusLabel,
  QUALIFICATION_LABELS,
  QUALIFICATION_LEVELS,
  type QualificationLevel,
  SALARY_PERIOD_LABELS,
  SALARY_PERIODS,
  type SalaryPeriod,
  WORKING_TIME_LABELS,
  WORKING_TIMES,
} from '../../../../shared/domain/offer';
import { findCommuneIn } from '../../../../shared/domain/reference';
import type { NoticeDoc, OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { useOfferOnlineDays } from '../../lib/server-settings';
import { useOrganisationCompanies, useOrganisationDoc } from '../companies/use-companies';
import { NoticeCard } from '../notices/NoticeCard';
import { markNoticeRead, useNotices } from '../notices/use-notices';
import { AppellationInput } from '../reference/AppellationInput';
import { CommuneInput } from '../reference/CommuneInput';
import type { SelectedCommune } from '../reference/reference-values';
import { useReferenceState } from '../reference/use-reference-suggestions';
import { offerRights } from './offer-actions';
import {
  applyContent,
  contentOf,
  docToForm,
  duplicateOffer,
  EMPTY_OFFER_FORM,
  formToContent,
  newOfferDoc,
  type OfferFormValues,
  offerFieldControlId,
  sameContent,
  validateForm,
} from './offer-model';
import { organisationMembers } from './use-offers';
import './offers.css';

interface Props {
  offerId?: string;
  /** Opened from « Soumettre » in the list with missing fields: show them at once. */
  submitOnOpen?: boolean;
}

const fieldId = offerFieldControlId;

type Intent = 'draft' | 'submit' | 'save';

/**
 * « Mon offre d’emploi » (seed 001): create or edit an offer, saved locally first (the server
 * assigns its number and history when it receives it). What the buttons do depends on the
 * status (drafts and refused offers are saved or submitted; an offer awaiting moderation is
 * saved or withdrawn; a published one goes back to moderation when edited; an expired one is
 * edited and submitted again) and on the user's rights (seed 004).
 */
export function OfferFormScreen({ offerId, submitOnOpen }: Props) {
  const { db, user, organisation, navigate, announce } = useSession();
  // As this user's server is configured (60 days unless it says otherwise).
  const onlineDays = useOfferOnlineDays();
  const [values, setValues] = useState<OfferFormValues>(EMPTY_OFFER_FORM);
  const [existing, setExisting] = useState<OfferDoc | null>(null);
  const [sourceNumber, setSourceNumber] = useState<string | null>(null);
  const [loading, setLoading] = useState(!!offerId);
  const [notFound, setNotFound] = useState(false);
  const [errors, setErrors] = useState<OfferFieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const [communeSource, setCommuneSource] = useState<SelectedCommune['source'] | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const notices = useNotices(db);
  const offerNotices: NoticeDoc[] = (notices ?? []).filter(
    (n) => offerId && n.documentId === offerId && !n.readAt,
  );

  const organisationId = existing?.organisationId ?? organisation?.organisationId ?? null;
  const membership = user.memberships.find((m) => m.organisationId === organisationId) ?? null;
  const companies = useOrganisationCompanies(db, organisationId);
  const organisationDoc = useOrganisationDoc(db, organisationId);
  const communes = useReferenceState('communes');

  useEffect(() => {
    if (!offerId) return;
    let cancelled = false;
    void db.offers
      .findOne(offerId)
      .exec()
      .then(async (doc) => {
        if (cancelled) return;
        if (!doc) {
          setNotFound(true);
        } else {
          const data = doc.toJSON() as OfferDoc;
          setExisting(data);
          const form = docToForm(data);
          setValues(form);
          if (submitOnOpen) {
            setErrors(validateForm(form, true));
            setFocusTick((t) => t + 1);
          }
          if (data.duplicatedFrom) {
            const source = await db.offers.findOne(data.duplicatedFrom).exec();
            if (!cancelled) setSourceNumber(source?.number ?? null);
          }
        }
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [db, offerId, submitOnOpen]);

  // A new offer of an employer with a single company profile: that profile.
  useEffect(() => {
    if (existing || offerId || !companies || companies.length !== 1) return;
    const only = companies[0]!;
    setValues((v) =>
      v.companyId || v.companyName ? v : { ...v, companyId: only.id, companyName: only.name },
    );
  }, [companies, existing, offerId]);

  useEffect(() => {
    if (focusTick > 0) summaryRef.current?.focus();
  }, [focusTick]);

  const status = (existing?.status ?? 'brouillon') as OfferStatus;
  const isNew = !existing;
  const rights = existing
    ? offerRights(existing, user, membership)
    : { member: !!organisation, canAct: !!organisation, canNameCoRecruiters: true, isAuthor: true };
  const statusEditable = isNew || OFFER_EDITABLE_STATUSES.includes(status) || status === 'expiree';
  const editable = statusEditable && rights.canAct;
  /** Which buttons: drafts and refused offers, offers awaiting moderation, published offers, expired offers. */
  const mode: 'draft' | 'pending' | 'published' | 'republish' =
    status === 'en_attente'
      ? 'pending'
      : status === 'publiee'
        ? 'published'
        : status === 'expiree'
          ? 'republish'
          : 'draft';

  const members = useMemo(() => {
    const authorId = existing?.authorId ?? user.id;
    return organisationMembers(organisationDoc).filter((m) => m.accountId !== authorId);
  }, [organisationDoc, existing, user.id]);

  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const set = <K extends keyof OfferFormValues>(key: K, value: OfferFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  async function save(intent: Intent) {
    if (!organisation && isNew) return;
    const forSubmission = intent === 'submit' || (intent === 'save' && status !== 'brouillon');
    const found = validateForm(values, forSubmission);
    setErrors(found);
    setSaveError(null);
    if (found.length > 0) {
      setFocusTick((t) => t + 1);
      return;
    }
    const content = formToContent(values);
    const changed = !existing || !sameContent(content, contentOf(existing));
    let nextStatus: OfferStatus =
      intent === 'submit' ? 'en_attente' : intent === 'draft' ? 'brouillon' : status;
    // An edited published offer goes back to moderation (the server would do it anyway).
    if (intent === 'save' && status === 'publiee' && changed) nextStatus = 'en_attente';
    if (existing && !changed && nextStatus === status) {
      announce(`Aucune modification à enregistrer pour « ${content.title} ».`);
      navigate({ name: 'offers' });
      return;
    }
    const now = new Date().toISOString();
    setSaving(true);
    try {
      if (isNew) {
        await db.offers.insert(
          newOfferDoc(crypto.randomUUID(), organisation!.organisationId, content, nextStatus, now),
        );
      } else {
        const doc = await db.offers.findOne(existing.id).exec();
        if (!doc) throw new Error('missing');
        await doc.incrementalModify((d) => applyContent(d, content, nextStatus, now));
      }
      const unverified = membership?.verified === false;
      announce(
        nextStatus === 'en_attente' && status === 'publiee'
          ? `« ${content.title} » a été modifiée : elle repasse en modération avant d’être de nouveau en ligne.`
          : nextStatus === 'en_attente' && intent === 'submit'
            ? unverified
              ? `« ${content.title} » est soumise à la modération. Elle sera publiée une fois votre organisation vérifiée.`
              : `« ${content.title} » est soumise à la modération : un modérateur va la vérifier, puis elle sera en ligne ${onlineDays} jours.`
            : intent === 'draft'
              ? `Brouillon « ${content.title} » enregistré.`
              : `Modifications de « ${content.title} » enregistrées.`,
      );
      navigate({ name: 'offers' });
    } catch {
      setSaving(false);
      setSaveError(
        'L’offre n’a pas pu être enregistrée sur ce poste. Vos saisies sont conservées : réessayez.',
      );
      setFocusTick((t) => t + 1);
    }
  }

  async function duplicate() {
    if (!existing) return;
    const copy = duplicateOffer(existing, crypto.randomUUID(), new Date().toISOString(), user.id);
    await db.offers.insert(copy);
    announce(`« ${existing.title} » a été dupliquée : un nouveau brouillon a été créé.`);
    navigate({ name: 'offer-form', offerId: copy.id });
  }

  function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    const submitter = (ev.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent =
      (submitter?.value as Intent | undefined) ??
      (mode === 'draft' ? 'draft' : mode === 'republish' ? 'submit' : 'save');
    void save(intent);
  }

  if (loading) return <p>Chargement de l’offre…</p>;
  if (!offerId && !organisation)
    return (
      <section>
        <h1 tabIndex={-1}>Mon offre d’emploi</h1>
        <p>Votre compte n’est rattaché à aucune organisation : vous ne pouvez pas encore publier d’offre.</p>
      </section>
    );
  if (notFound)
    return (
      <section>
        <h1 tabIndex={-1}>Offre introuvable</h1>
        <p>Cette offre n’existe pas (ou plus) sur ce poste.</p>
        <button type="button" className="button" onClick={() => navigate({ name: 'offers' })}>
          Retour à mes offres
        </button>
      </section>
    );

  const text = (
    field: keyof OfferFormValues,
    label: string,
    opts: {
      required?: boolean;
      type?: string;
      hint?: ReactNode;
      autoComplete?: string;
      inputMode?: 'numeric' | 'tel' | 'email' | 'decimal' | 'url';
      maxLength?: number;
    } = {},
  ) => (
    <FormField
      id={fieldId(field)}
      label={label}
      required={opts.required}
      error={errorOf(field)}
      hint={opts.hint}
    >
      {(p) => (
        <input
          {...p}
          type={opts.type ?? 'text'}
          autoComplete={opts.autoComplete ?? 'off'}
          inputMode={opts.inputMode}
          maxLength={opts.maxLength}
          value={values[field] as string}
          onChange={(e) => set(field, e.target.value as never)}
          disabled={!editable}
        />
      )}
    </FormField>
  );

  const contactText = (
    key: keyof OfferFormValues['applicationContact'],
    label: string,
    opts: { type: string; inputMode?: 'tel' | 'email' | 'url'; autoComplete: string; maxLength: number },
  ) => {
    const field = `applicationContact.${key}`;
    return (
      <FormField id={fieldId(field)} label={label} error={errorOf(field)}>
        {(p) => (
          <input
            {...p}
            type={opts.type}
            inputMode={opts.inputMode}
            autoComplete={opts.autoComplete}
            maxLength={opts.maxLength}
            value={values.applicationContact[key]}
            onChange={(e) =>
              setValues((v) => ({
                ...v,
                applicationContact: { ...v.applicationContact, [key]: e.target.value },
              }))
            }
            disabled={!editable}
          />
        )}
      </FormField>
    );
  };

  const approximate =
    communeSource ??
    (values.communeCode && communes.index
      ? (findCommuneIn(communes.index, values.communeCode)?.coordinateSource ?? null)
      : null);
  // While the profiles load, the list (not the free text field) so the control does not change under the user.
  const hasProfiles = companies === undefined || companies.length > 0;
  const companyError = errorOf('companyId') ?? errorOf('companyName');
  const applicationMode: ApplicationMode = values.applicationMode || 'portail';
  const unverified = membership?.verified === false;
  const heading = isNew
    ? 'Mon offre d’emploi'
    : mode === 'republish' && editable
      ? `Modifier et republier l’offre${existing.number ? ` n° ${existing.number}` : ''}`
      : `Modifier l’offre${existing.number ? ` n° ${existing.number}` : ''}`;

  return (
    <section aria-labelledby="offer-form-title" className="offer-form">
      <div className="page-header">
        <h1 id="offer-form-title" tabIndex={-1}>
          {heading}
        </h1>
        {!isNew ? (
          <span className="status status--neutral">
            {offerStatusLabel(status, existing.previousStatus as OfferStatus | undefined)}
          </span>
        ) : null}
      </div>
      <p className="muted">
        Trouvez le candidat idéal en publiant l’offre d’emploi la plus précise possible. Les champs marqués
        d’une étoile (*) sont obligatoires pour soumettre l’offre ; un brouillon n’exige que son titre.
      </p>
      {unverified && editable ? (
        <div className="alert alert--warning" role="status" data-testid="unverified-banner">
          Votre organisation n’est pas encore vérifiée par la modération : vous pouvez préparer cette offre et
          la soumettre, mais elle ne sera publiée qu’après la vérification.
        </div>
      ) : null}
      {status === 'refusee' && existing?.moderationReason ? (
        <div className="alert alert--error" data-testid="moderation-reason">
          <strong>Offre refusée par la modération.</strong> Motif : {existing.moderationReason}
          <br />
          Corrigez-la, puis soumettez-la de nouveau (ou enregistrez-la en brouillon).
        </div>
      ) : null}
      {existing?.duplicatedFrom && status === 'brouillon' ? (
        <div className="alert alert--info">
          Brouillon créé par duplication {sourceNumber ? `de l’offre n° ${sourceNumber}` : 'd’une offre'} :
          vérifiez-le, puis enregistrez-le ou soumettez-le à la modération.
        </div>
      ) : null}
      {offerNotices.map((n) => (
        <NoticeCard key={n.id} notice={n} compact onMarkRead={() => void markNoticeRead(db, n.id)} />
      ))}
      {!statusEditable ? (
        <div className="alert alert--info">
          Cette offre ne peut plus être modifiée dans son statut actuel. Vous pouvez la dupliquer pour en
          créer une nouvelle.
        </div>
      ) : !rights.canAct ? (
        <div className="alert alert--info" data-testid="read-only">
          Vous consultez cette offre en lecture seule : seuls son auteur, ses co-recruteurs et les
          administrateurs de l’organisation peuvent la modifier.
        </div>
      ) : null}
      {mode === 'republish' && editable ? (
        <div className="alert alert--info">
          Cette offre a expiré. Modifiez-la, puis soumettez-la : elle repassera par la modération avant d’être
          de nouveau en ligne {onlineDays} jours. Pour la remettre en ligne sans changement, utilisez «
          Republier telle quelle » dans vos offres.
        </div>
      ) : null}
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={fieldId} />
      {saveError ? (
        <div className="alert alert--error" role="alert">
          {saveError}
        </div>
      ) : null}

      <form onSubmit={onSubmit} noValidate>
        <fieldset className="form-section">
          <legend>L’offre</legend>
          <div className="grid grid--2">
            {text('title', 'Titre de l’annonce', {
              required: true,
              maxLength: 150,
              hint: 'Précisez la mention H/F (par exemple « Boulanger / Boulangère H/F »).',
            })}
            <AppellationInput
              id={fieldId('jobTitle')}
              label="Métier"
              required
              disabled={!editable}
              error={errorOf('jobTitle') ?? errorOf('appellationCode') ?? errorOf('romeCode')}
              hint={
                values.appellationCode
                  ? `Appellation du ROME, code ${values.romeCode}.`
                  : 'Tapez un métier et choisissez-le dans la liste des appellations du ROME.'
              }
              value={
                values.jobTitle
                  ? { codeOgr: values.appellationCode, label: values.jobTitle, romeCode: values.romeCode }
                  : null
              }
              onTextChange={(t) =>
                setValues((v) => ({ ...v, jobTitle: t, appellationCode: '', romeCode: '' }))
              }
              onChange={(a) => {
                if (a)
                  setValues((v) => ({
                    ...v,
                    jobTitle: a.label.slice(0, 150),
                    appellationCode: a.codeOgr,
                    romeCode: a.romeCode,
                  }));
              }}
            />
            <CommuneInput
              id={fieldId('city')}
              label="Lieu du poste"
              required
              disabled={!editable}
              error={errorOf('city') ?? errorOf('communeCode') ?? errorOf('postalCode')}
              hint="Choisissez la commune dans la liste : sa position sert aux recherches par distance."
              value={
                values.city
                  ? {
                      name: values.city,
                      postalCode: values.postalCode,
                      code: values.communeCode || undefined,
                      lat: values.latitude ?? undefined,
                      lon: values.longitude ?? undefined,
                      source: approximate ?? undefined,
                    }
                  : null
              }
              onTextChange={(t) => {
                setCommuneSource(null);
                setValues((v) => ({
                  ...v,
                  city: t,
                  postalCode: '',
                  communeCode: '',
                  latitude: null,
                  longitude: null,
                }));
              }}
              onChange={(c) => {
                if (!c) return;
                setCommuneSource(c.source);
                setValues((v) => ({
                  ...v,
                  city: c.name,
                  postalCode: c.postalCode,
                  communeCode: c.code,
                  latitude: c.lat,
                  longitude: c.lon,
                }));
              }}
            />
            <div>
              {hasProfiles ? (
                <FormField id={fieldId('companyId')} label="Entreprise" required error={companyError}>
                  {(p) => (
                    <select
                      {...p}
                      value={values.companyId}
                      disabled={!editable}
                      onChange={(e) => {
                        const picked = companies?.find((c) => c.id === e.target.value);
                        setValues((v) => ({
                          ...v,
                          companyId: picked?.id ?? '',
                          companyName: picked?.name ?? '',
                        }));
                      }}
                    >
                      <option value="">
                        {companies === undefined
                          ? values.companyName || 'Chargement des fiches entreprise…'
                          : values.companyName && !values.companyId
                            ? `${values.companyName} (sans fiche entreprise)`
                            : 'Choisissez l’entreprise'}
                      </option>
                      {(companies ?? []).map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
              ) : (
                <>
                  {text('companyName', 'Entreprise', {
                    required: true,
                    maxLength: 150,
                    autoComplete: 'organization',
                  })}
                  <p className="company-choice__note">
                    Votre organisation n’a pas encore de fiche entreprise.{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => navigate({ name: 'company-form' })}
                    >
                      Créer la fiche entreprise
                    </button>{' '}
                    <span className="muted">(enregistrez d’abord cette offre en brouillon)</span>
                  </p>
                </>
              )}
            </div>
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Salaire en €</legend>
          <div className="grid grid--3">
            {text('salaryMin', 'Salaire minimum (€)', { inputMode: 'decimal' })}
            {text('salaryMax', 'Salaire maximum (€)', { inputMode: 'decimal' })}
            <FormField
              id={fieldId('salaryPeriod')}
              label="Période du salaire"
              error={errorOf('salaryPeriod')}
            >
              {(p) => (
                <select
                  {...p}
                  value={values.salaryPeriod}
                  onChange={(e) => set('salaryPeriod', e.target.value as '' | SalaryPeriod)}
                  disabled={!editable}
                >
                  <option value="">Non précisée</option>
                  {SALARY_PERIODS.map((s) => (
                    <option key={s} value={s}>
                      {SALARY_PERIOD_LABELS[s]}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </div>
        </fieldset>

        <fieldset className="form-section" aria-describedby="contact-note">
          <legend>Contact interne</legend>
          <p className="note" id="contact-note">
            Ces informations ne seront pas visibles pour les candidats.
          </p>
          <div className="grid grid--3">
            {text('contactName', 'Nom du contact', { autoComplete: 'name', maxLength: 120 })}
            {text('contactPhone', 'Téléphone du contact', {
              required: true,
              type: 'tel',
              inputMode: 'tel',
              autoComplete: 'tel',
              maxLength: 20,
            })}
            {text('contactEmail', 'E-mail du contact', {
              type: 'email',
              autoComplete: 'email',
              maxLength: 254,
            })}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Le poste</legend>
          <fieldset
            className={`checkbox-group${errorOf('contractTypes') ? ' field--error' : ''}`}
            aria-describedby={errorOf('contractTypes') ? `${fieldId('contractTypes')}-error` : undefined}
          >
            <legend>
              Type de contrat
              <span className="required" aria-hidden="true">
                {' '}
                *
              </span>
              <span className="visually-hidden"> (obligatoire, un ou plusieurs)</span>
            </legend>
            <div className="checkbox-grid">
              {CONTRACT_TYPES.map((c, i) => {
                const id = i === 0 ? fieldId('contractTypes') : `${fieldId('contractTypes')}-${c}`;
                return (
                  <div className="field--checkbox" key={c}>
                    <input
                      id={id}
                      type="checkbox"
                      checked={values.contractTypes.includes(c)}
                      aria-invalid={errorOf('contractTypes') ? true : undefined}
                      onChange={(e) =>
                        set(
                          'contractTypes',
                          e.target.checked
                            ? CONTRACT_TYPES.filter((t) => t === c || values.contractTypes.includes(t))
                            : values.contractTypes.filter((t): t is ContractType => t !== c),
                        )
                      }
                      disabled={!editable}
                    />
                    <label htmlFor={id}>{CONTRACT_TYPE_LABELS[c]}</label>
                  </div>
                );
              })}
            </div>
            {errorOf('contractTypes') ? (
              <p className="field__error" id={`${fieldId('contractTypes')}-error`}>
                {errorOf('contractTypes')}
              </p>
            ) : null}
          </fieldset>
          <div className="grid grid--3">
            <FormField id={fieldId('qualification')} label="Qualification" error={errorOf('qualification')}>
              {(p) => (
                <select
                  {...p}
                  value={values.qualification}
                  onChange={(e) => set('qualification', e.target.value as '' | QualificationLevel)}
                  disabled={!editable}
                >
                  <option value="">Non précisée</option>
                  {QUALIFICATION_LEVELS.map((q) => (
                    <option key={q} value={q}>
                      {QUALIFICATION_LABELS[q]}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            {text('posts', 'Nombre de postes', { inputMode: 'numeric', maxLength: 3 })}
            {text('startDate', 'Date de début souhaitée', { type: 'date' })}
          </div>
          <div className="grid grid--3">
            <fieldset
              className={`radio-group${errorOf('workingTime') ? ' field--error' : ''}`}
              aria-describedby={errorOf('workingTime') ? `${fieldId('workingTime')}-error` : undefined}
            >
              <legend>Durée de travail</legend>
              <div className="choice-list">
                {WORKING_TIMES.map((w, i) => {
                  const id = i === 0 ? fieldId('workingTime') : `${fieldId('workingTime')}-${w}`;
                  return (
                    <div className="field--checkbox" key={w}>
                      <input
                        id={id}
                        type="radio"
                        name="workingTime"
                        value={w}
                        checked={values.workingTime === w}
                        onChange={() => set('workingTime', w)}
                        disabled={!editable}
                      />
                      <label htmlFor={id}>{WORKING_TIME_LABELS[w]}</label>
                    </div>
                  );
                })}
              </div>
              {errorOf('workingTime') ? (
                <p className="field__error" id={`${fieldId('workingTime')}-error`}>
                  {errorOf('workingTime')}
                </p>
              ) : null}
            </fieldset>
            {text('weeklyHours', 'Heures par semaine', {
              inputMode: 'decimal',
              hint: 'Entre 1 et 48 heures ; 35 heures pour un temps plein.',
            })}
            <div className="field field--checkbox">
              <input
                id={fieldId('seasonal')}
                type="checkbox"
                checked={values.seasonal}
                onChange={(e) => set('seasonal', e.target.checked)}
                disabled={!editable}
              />
              <label htmlFor={fieldId('seasonal')}>Offre saisonnière</label>
            </div>
          </div>
          <FormField
            id={fieldId('description')}
            label="Description"
            required
            error={errorOf('description')}
            hint="Missions, profil recherché, conditions de travail (30 caractères minimum)."
          >
            {(p) => (
              <textarea
                {...p}
                rows={10}
                maxLength={20000}
                value={values.description}
                onChange={(e) => set('description', e.target.value)}
                disabled={!editable}
              />
            )}
          </FormField>
        </fieldset>

        <fieldset className="form-section">
          <legend>Candidature</legend>
          <fieldset className="radio-group">
            <legend>Mode de candidature</legend>
            <div className="choice-list">
              {APPLICATION_MODES.map((m, i) => {
                const id = i === 0 ? fieldId('applicationMode') : `${fieldId('applicationMode')}-${m}`;
                return (
                  <div className="field--checkbox" key={m}>
                    <input
                      id={id}
                      type="radio"
                      name="applicationMode"
                      value={m}
                      checked={applicationMode === m}
                      onChange={() => set('applicationMode', m)}
                      disabled={!editable}
                    />
                    <label htmlFor={id}>{APPLICATION_MODE_LABELS[m]}</label>
                  </div>
                );
              })}
            </div>
          </fieldset>
          {applicationMode === 'contact' ? (
            <div
              className={errorOf('applicationContact') ? 'field--error' : undefined}
              aria-describedby="application-contact-note"
            >
              <p className="note" id="application-contact-note">
                Ces coordonnées seront affichées sur l’offre : les candidats pourront vous écrire ou vous
                appeler directement. Indiquez au moins un e-mail, un téléphone ou un lien.
              </p>
              {errorOf('applicationContact') ? (
                <p className="field__error">{errorOf('applicationContact')}</p>
              ) : null}
              <div className="grid grid--2">
                {contactText('name', 'Nom affiché', { type: 'text', autoComplete: 'name', maxLength: 120 })}
                {contactText('email', 'E-mail de candidature', {
                  type: 'email',
                  inputMode: 'email',
                  autoComplete: 'email',
                  maxLength: 254,
                })}
                {contactText('phone', 'Téléphone de candidature', {
                  type: 'tel',
                  inputMode: 'tel',
                  autoComplete: 'tel',
                  maxLength: 20,
                })}
                {contactText('url', 'Lien de candidature', {
                  type: 'url',
                  inputMode: 'url',
                  autoComplete: 'url',
                  maxLength: 500,
                })}
              </div>
            </div>
          ) : (
            <p className="muted small">
              Les candidats postulent en ligne sur le portail ; leurs candidatures arrivent dans vos offres.
            </p>
          )}
        </fieldset>

        <fieldset className="form-section co-recruiters" aria-describedby="co-recruiters-note">
          <legend>Co-recruteurs</legend>
          <p className="muted small" id="co-recruiters-note">
            Les co-recruteurs peuvent modifier l’offre et traiter ses candidatures.
            {rights.canNameCoRecruiters
              ? ''
              : ' Seuls l’auteur de l’offre et les administrateurs de l’organisation les choisissent.'}
          </p>
          {members.length === 0 ? (
            <p className="muted small">
              {organisationDoc === undefined
                ? 'Chargement des membres de l’organisation…'
                : 'Aucun autre membre dans votre organisation pour le moment.'}
            </p>
          ) : (
            <div className="choice-list">
              {members.map((m, i) => {
                const id =
                  i === 0 ? fieldId('coRecruiterIds') : `${fieldId('coRecruiterIds')}-${m.accountId}`;
                return (
                  <div className="field--checkbox" key={m.accountId}>
                    <input
                      id={id}
                      type="checkbox"
                      checked={values.coRecruiterIds.includes(m.accountId)}
                      disabled={!editable || !rights.canNameCoRecruiters}
                      onChange={(e) =>
                        set(
                          'coRecruiterIds',
                          e.target.checked
                            ? [...values.coRecruiterIds, m.accountId]
                            : values.coRecruiterIds.filter((x) => x !== m.accountId),
                        )
                      }
                    />
                    <label htmlFor={id}>
                      {m.name} <span className="muted">({m.email})</span>
                    </label>
                  </div>
                );
              })}
            </div>
          )}
          {errorOf('coRecruiterIds') ? <p className="field__error">{errorOf('coRecruiterIds')}</p> : null}
        </fieldset>

        <fieldset className="form-section">
          <legend>Mise en ligne</legend>
          <p className="note" id="publication-note">
            Votre offre sera soumise à validation par l’administrateur du site avant d’être publiée en ligne :
            un modérateur vérifie qu’elle est conforme (mention H/F, absence de critère discriminatoire). Une
            fois validée, elle sera disponible en ligne pendant {onlineDays} jours. Si vous souhaitez qu’elle
            soit retirée à une date précise avant la fin de ce délai, entrez-la ici :
          </p>
          <div className="grid grid--2">{text('requestedEndDate', 'Date de retrait', { type: 'date' })}</div>
        </fieldset>

        {editable ? (
          <div className="form-actions">
            {mode === 'draft' ? (
              <>
                <button type="submit" value="draft" className="button button--secondary" disabled={saving}>
                  Sauvegarder le brouillon
                </button>
                <button type="submit" value="submit" className="button button--primary" disabled={saving}>
                  Soumettre à la modération
                </button>
              </>
            ) : mode === 'republish' ? (
              <button type="submit" value="submit" className="button button--primary" disabled={saving}>
                Soumettre à la modération
              </button>
            ) : (
              <>
                {mode === 'pending' ? (
                  <button type="submit" value="draft" className="button button--secondary" disabled={saving}>
                    Retirer de la modération (brouillon)
                  </button>
                ) : null}
                <button type="submit" value="save" className="button button--primary" disabled={saving}>
                  Enregistrer les modifications
                </button>
              </>
            )}
            <button
              type="button"
              className="button button--ghost"
              onClick={() => navigate({ name: 'offers' })}
            >
              Annuler
            </button>
          </div>
        ) : (
          <div className="form-actions">
            <button type="button" className="button" onClick={() => navigate({ name: 'offers' })}>
              Retour à mes offres
            </button>
            {existing && rights.member ? (
              <button type="button" className="button button--secondary" onClick={() => void duplicate()}>
                Dupliquer
              </button>
            ) : null}
          </div>
        )}
        {editable && mode === 'draft' ? (
          <p className="muted small">
            « Soumettre à la modération » envoie l’offre à un modérateur, qui la vérifie avant sa mise en
            ligne pour {onlineDays} jours. L’enregistrement se fait d’abord sur ce poste, même hors ligne.
          </p>
        ) : null}
        {editable && mode === 'published' ? (
          <p className="muted small">
            Une offre publiée que vous modifiez est de nouveau vérifiée par la modération avant d’être remise
            en ligne.
          </p>
        ) : null}
      </form>
    </section>
  );
}
