import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  type ContractType,
  OFFER_EDITABLE_STATUSES,
  OFFER_ONLINE_DAYS,
  type OfferFieldError,
  type OfferStatus,
  offerStatusLabel,
  SALARY_PERIOD_LABELS,
  SALARY_PERIODS,
  type SalaryPeriod,
} from '../../../../shared/domain/offer';
import type { NoticeDoc, OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { NoticeCard } from '../notices/NoticeCard';
import { markNoticeRead, useNotices } from '../notices/use-notices';
import {
  applyContent,
  docToForm,
  EMPTY_OFFER_FORM,
  formToContent,
  newOfferDoc,
  type OfferFormValues,
  validateForm,
} from './offer-model';
import { useRomeSuggestions } from './use-rome-suggestions';

interface Props {
  offerId?: string;
  /** Opened from « Soumettre à la modération » in the list with missing fields: show them at once. */
  submitOnOpen?: boolean;
}

const fieldId = (field: string) => `offer-${field}`;

type Intent = 'draft' | 'submit' | 'save';

/** « Mon offre d’emploi » (seed 001): create or edit an offer, saved locally first. */
export function OfferFormScreen({ offerId, submitOnOpen }: Props) {
  const { db, organisation, navigate, announce } = useSession();
  const [values, setValues] = useState<OfferFormValues>(EMPTY_OFFER_FORM);
  const [existing, setExisting] = useState<OfferDoc | null>(null);
  const [loading, setLoading] = useState(!!offerId);
  const [notFound, setNotFound] = useState(false);
  const [errors, setErrors] = useState<OfferFieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const notices = useNotices(db);
  const offerNotices: NoticeDoc[] = (notices ?? []).filter(
    (n) => offerId && n.documentId === offerId && !n.readAt,
  );
  const romeSuggestions = useRomeSuggestions(values.jobTitle);
  // Picking an appellation fills in its ROME code.
  useEffect(() => {
    const picked = romeSuggestions.find((a) => a.label === values.jobTitle);
    if (picked && picked.romeCode !== values.romeCode)
      setValues((v) => ({ ...v, romeCode: picked.romeCode }));
  }, [romeSuggestions, values.jobTitle, values.romeCode]);

  useEffect(() => {
    if (!offerId) return;
    let cancelled = false;
    void db.offers
      .findOne(offerId)
      .exec()
      .then((doc) => {
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
        }
        setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [db, offerId, submitOnOpen]);

  useEffect(() => {
    if (focusTick > 0) summaryRef.current?.focus();
  }, [focusTick]);

  const status = (existing?.status ?? 'brouillon') as OfferStatus;
  const isNew = !existing;
  const editable = isNew || OFFER_EDITABLE_STATUSES.includes(status);
  /** Draft and submission buttons for drafts and refused offers; a plain save for offers in moderation or online. */
  const mode: 'draft' | 'pending' | 'published' =
    status === 'en_attente' ? 'pending' : status === 'publiee' ? 'published' : 'draft';
  const canSubmitNow = isNew || status === 'brouillon' || status === 'refusee';

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
    const nextStatus: OfferStatus =
      intent === 'submit' ? 'en_attente' : intent === 'draft' ? 'brouillon' : status;
    const content = formToContent(values);
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
      announce(
        nextStatus === 'en_attente' && intent === 'submit'
          ? `« ${content.title} » est soumise à la modération : un modérateur va la vérifier, puis elle sera en ligne ${OFFER_ONLINE_DAYS} jours.`
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

  function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    const submitter = (ev.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent = (submitter?.value as Intent | undefined) ?? (mode === 'draft' ? 'draft' : 'save');
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
      hint?: string;
      autoComplete?: string;
      inputMode?: 'numeric' | 'tel' | 'email' | 'decimal';
      maxLength?: number;
      list?: string;
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
          list={opts.list}
          value={values[field] as string}
          onChange={(e) => set(field, e.target.value as never)}
          disabled={!editable}
        />
      )}
    </FormField>
  );

  return (
    <section aria-labelledby="offer-form-title" className="offer-form">
      <div className="page-header">
        <h1 id="offer-form-title" tabIndex={-1} ref={headingRef}>
          {isNew
            ? 'Mon offre d’emploi'
            : `Modifier l’offre${existing.number ? ` n° ${existing.number}` : ''}`}
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
      {status === 'refusee' && existing?.moderationReason ? (
        <div className="alert alert--error" data-testid="moderation-reason">
          <strong>Offre refusée par la modération.</strong> Motif : {existing.moderationReason}
          <br />
          Corrigez-la, enregistrez-la en brouillon, puis soumettez-la de nouveau.
        </div>
      ) : null}
      {offerNotices.map((n) => (
        <NoticeCard key={n.id} notice={n} compact onMarkRead={() => void markNoticeRead(db, n.id)} />
      ))}
      {!editable ? (
        <div className="alert alert--info">
          Cette offre ne peut plus être modifiée dans son statut actuel.
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
              hint: 'Précisez la mention H/F.',
            })}
            {text('jobTitle', 'Métier', {
              required: true,
              maxLength: 150,
              list: 'rome-appellations',
              hint: 'Choisissez une appellation du ROME pour renseigner le code.',
            })}
            <datalist id="rome-appellations">
              {romeSuggestions.map((a) => (
                <option key={a.codeOgr} value={a.label}>
                  {a.romeCode} — {a.romeLabel}
                </option>
              ))}
            </datalist>
            {text('romeCode', 'Code ROME', {
              hint: 'Une lettre suivie de quatre chiffres, ex. : M1607.',
              maxLength: 5,
            })}
            {text('companyName', 'Entreprise', {
              required: true,
              maxLength: 150,
              autoComplete: 'organization',
            })}
            {text('city', 'Lieu du poste', { required: true, hint: 'Ville', maxLength: 120 })}
            {text('postalCode', 'Code postal', { inputMode: 'numeric', maxLength: 5 })}
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
          <legend>Contact</legend>
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
          <div className="grid grid--2">
            {text('startDate', 'Date de début souhaitée', { type: 'date' })}
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
              {CONTRACT_TYPES.map((c, i) => (
                <div className="field--checkbox" key={c}>
                  <input
                    id={i === 0 ? fieldId('contractTypes') : `${fieldId('contractTypes')}-${c}`}
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
                  <label htmlFor={i === 0 ? fieldId('contractTypes') : `${fieldId('contractTypes')}-${c}`}>
                    {CONTRACT_TYPE_LABELS[c]}
                  </label>
                </div>
              ))}
            </div>
            {errorOf('contractTypes') ? (
              <p className="field__error" id={`${fieldId('contractTypes')}-error`}>
                {errorOf('contractTypes')}
              </p>
            ) : null}
          </fieldset>
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
          <legend>Mise en ligne</legend>
          <p className="note" id="publication-note">
            Votre offre sera soumise à validation par l’administrateur du site avant d’être publiée en ligne :
            un modérateur vérifie qu’elle est conforme (mention H/F, absence de critère discriminatoire). Une
            fois validée, elle sera disponible en ligne pendant {OFFER_ONLINE_DAYS} jours. Si vous souhaitez
            qu’elle soit retirée à une date précise avant la fin de ce délai, entrez-la ici :
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
                {canSubmitNow ? (
                  <button type="submit" value="submit" className="button button--primary" disabled={saving}>
                    Soumettre à la modération
                  </button>
                ) : null}
              </>
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
          </div>
        )}
        {mode === 'draft' && canSubmitNow ? (
          <p className="muted small">
            « Soumettre à la modération » envoie l’offre à un modérateur, qui la vérifie avant sa mise en
            ligne pour {OFFER_ONLINE_DAYS} jours. L’enregistrement se fait d’abord sur ce poste, même hors
            ligne.
          </p>
        ) : null}
        {mode === 'published' ? (
          <p className="muted small">
            Une offre publiée que vous modifiez est de nouveau vérifiée par la modération.
          </p>
        ) : null}
      </form>
    </section>
  );
}
