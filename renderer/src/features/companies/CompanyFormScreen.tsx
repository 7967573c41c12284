import { type FormEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { COMPANY_GROUP_KIND_LABELS } from '../../../../shared/domain/company-profile';
import { FILE_PURPOSES } from '../../../../shared/domain/files';
import type { CompanyDoc } from '../../../../shared/schemas/company.schema';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { RichTextEditor } from '../../components/RichTextEditor';
import { deepEqual } from '../../db/conflict';
import { ImagePicker } from '../files/ImagePicker';
import { markNoticeRead, useNotices } from '../notices/use-notices';
import { CommuneInput } from '../reference/CommuneInput';
import { CompanyNotice } from './CompanyNotice';
import {
  applyForm,
  COMPANY_TYPES,
  type CompanyFormValues,
  canEditCompany,
  creatorName,
  docToForm,
  EMPTY_COMPANY_FORM,
  type FieldError,
  fieldControl,
  LINK_KEYS,
  LINK_LABELS,
  type LinkKey,
  newCompanyDoc,
  readOnlyExplanation,
  SECTORS,
  todayIso,
  validateCompanyForm,
} from './company-model';
import { JobsSection, jobRowId } from './JobsSection';
import { useCompany, useCompanyGroups, useOrganisationDoc } from './use-companies';
import './companies.css';

interface Props {
  companyId?: string;
}

/** The id of the control of a field (form field names follow the document: `address.city`, `links.x`). */
export function companyFieldId(field: string): string {
  const control = fieldControl(field);
  const job = /^jobs\.(\d+)$/.exec(control);
  if (job) return jobRowId(Number(job[1]));
  return `company-${control.replace(/\./g, '-')}`;
}

const IMAGE_RULE = FILE_PURPOSES.logo.rule;

/**
 * « Ma fiche entreprise » (seed 001): create or edit a company profile, saved on this workstation
 * first (it syncs later). Only its creator and the organisation's administrators edit it; other
 * members read it.
 */
export function CompanyFormScreen({ companyId }: Props) {
  const { db, user, organisation, navigate, announce } = useSession();
  const existing = useCompany(db, companyId);
  const isNew = !companyId;
  const orgId = existing?.organisationId ?? organisation?.organisationId ?? null;
  const orgDoc = useOrganisationDoc(db, orgId);
  const groups = useCompanyGroups(user.id);
  const notices = useNotices(db);
  const [values, setValues] = useState<CompanyFormValues>(EMPTY_COMPANY_FORM);
  const [baseline, setBaseline] = useState<CompanyFormValues>(EMPTY_COMPANY_FORM);
  const [loadedFrom, setLoadedFrom] = useState<CompanyDoc | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);

  const dirty = !deepEqual(values, baseline);
  const isAgency = organisation?.kind === 'agency';

  // The profile as the replica holds it: shown when it arrives, and again when it changes while the
  // form holds no edit of the user (the server's sanitised description, another workstation's edit).
  useEffect(() => {
    if (!existing || existing === loadedFrom) return;
    if (loadedFrom && dirty) return;
    const form = docToForm(existing);
    setValues(form);
    setBaseline(form);
    setLoadedFrom(existing);
  }, [existing, loadedFrom, dirty]);

  useEffect(() => {
    if (focusTick > 0) summaryRef.current?.focus();
  }, [focusTick]);

  const companyNotices = useMemo(
    () =>
      (notices ?? []).filter(
        (n) =>
          companyId &&
          n.documentId === companyId &&
          (n.documentCollection ?? 'companies') === 'companies' &&
          !n.readAt,
      ),
    [notices, companyId],
  );

  const mayCreate = !!organisation && (organisation.kind === 'employer' || organisation.kind === 'agency');
  const editable = isNew ? mayCreate : !!existing && canEditCompany(user, existing);
  const readOnly = !editable;
  const creator = existing ? creatorName(existing.createdBy, orgDoc?.members) : '';

  const errorOf = (field: string) =>
    errors
      .filter((e) => fieldControl(e.field) === field)
      .map((e) => e.message)
      .join(' ') || undefined;
  const set = <K extends keyof CompanyFormValues>(key: K, value: CompanyFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  function focusField(field: string) {
    const el = document.getElementById(companyFieldId(field));
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }

  const backToList = () => navigate({ name: 'companies' });

  async function save() {
    if (readOnly) return;
    const found = validateCompanyForm(values, todayIso());
    setErrors(found);
    setSaveError(null);
    if (found.length > 0) {
      setFocusTick((t) => t + 1);
      return;
    }
    const now = new Date().toISOString();
    setSaving(true);
    try {
      if (isNew) {
        if (!organisation) throw new Error('no organisation');
        const doc = newCompanyDoc(crypto.randomUUID(), organisation.organisationId, user.id, values, now);
        await db.companies.insert(doc);
        announce(`Fiche entreprise « ${doc.name} » enregistrée.`);
        navigate({ name: 'companies' });
        return;
      }
      const doc = await db.companies.findOne(companyId).exec();
      if (!doc) throw new Error('missing');
      await doc.incrementalModify((d) => applyForm(d, values, now));
      setBaseline(values);
      setSaving(false);
      announce(`Fiche entreprise « ${values.name.trim()} » enregistrée.`);
      if (isAgency) navigate({ name: 'companies' });
    } catch {
      setSaving(false);
      setSaveError(
        'La fiche n’a pas pu être enregistrée sur ce poste. Vos saisies sont conservées : réessayez.',
      );
      setFocusTick((t) => t + 1);
    }
  }

  function onSubmit(ev: FormEvent) {
    ev.preventDefault();
    void save();
  }

  const title = isNew
    ? isAgency
      ? 'Nouvelle entreprise cliente'
      : 'Ma fiche entreprise'
    : isAgency
      ? existing?.name || 'Fiche entreprise'
      : 'Ma fiche entreprise';

  if (!isNew && existing === undefined) return <p>Chargement de la fiche entreprise…</p>;
  if (!isNew && existing === null)
    return (
      <section>
        <h1 tabIndex={-1}>Fiche introuvable</h1>
        <p>Cette fiche entreprise n’existe pas (ou plus) sur ce poste.</p>
        <button type="button" className="button" onClick={backToList}>
          Retour aux fiches entreprise
        </button>
      </section>
    );
  if (isNew && !mayCreate)
    return (
      <section>
        <h1 tabIndex={-1}>Ma fiche entreprise</h1>
        <p>
          Votre organisation actuelle n’est ni un employeur ni une agence : elle n’a pas de fiche entreprise.
        </p>
      </section>
    );

  const text = (
    field: keyof CompanyFormValues & string,
    errorField: string,
    label: string,
    opts: {
      required?: boolean;
      type?: string;
      hint?: ReactNode;
      autoComplete?: string;
      inputMode?: 'numeric' | 'tel' | 'email' | 'url';
      maxLength?: number;
      max?: string;
      placeholder?: string;
    } = {},
  ) => (
    <FormField
      id={companyFieldId(errorField)}
      label={label}
      required={opts.required}
      error={errorOf(errorField)}
      hint={opts.hint}
    >
      {(p) => (
        <input
          {...p}
          type={opts.type ?? 'text'}
          autoComplete={opts.autoComplete ?? 'off'}
          inputMode={opts.inputMode}
          maxLength={opts.maxLength}
          max={opts.max}
          placeholder={readOnly ? undefined : opts.placeholder}
          value={values[field] as string}
          onChange={(e) => set(field, e.target.value as never)}
          readOnly={readOnly}
          disabled={readOnly}
        />
      )}
    </FormField>
  );

  const selectedGroupMissing = values.groupId && !groups.groups.some((g) => g.id === values.groupId);

  return (
    <section aria-labelledby="company-form-title" className="company-form">
      <div className="page-header">
        <h1 id="company-form-title" tabIndex={-1}>
          {title}
        </h1>
        {!isNew && existing ? (
          <span className={`status status--${existing.published ? 'success' : 'neutral'}`}>
            {existing.published ? 'En ligne' : 'Hors ligne'}
          </span>
        ) : null}
      </div>
      <p className="muted">
        Cette fiche permet de vous présenter et de mettre votre entreprise en avant afin d’inciter les
        candidats à postuler. Mise en ligne, elle apparaît dans l’annuaire des entreprises du portail. Les
        champs marqués d’une étoile (*) sont obligatoires.
      </p>
      {companyNotices.map((n) => (
        <CompanyNotice
          key={n.id}
          notice={n}
          onMarkRead={() => void markNoticeRead(db, n.id)}
          onFocusField={focusField}
        />
      ))}
      {readOnly && existing ? (
        <div className="alert alert--info" data-testid="company-readonly">
          {readOnlyExplanation(creator)}
        </div>
      ) : null}
      <ErrorSummary ref={summaryRef} errors={errors} fieldId={companyFieldId} />
      {saveError ? (
        <div className="alert alert--error" role="alert">
          {saveError}
        </div>
      ) : null}

      <form onSubmit={onSubmit} noValidate>
        <fieldset className="form-section">
          <legend>Informations</legend>
          <div className="grid grid--2">
            {text('name', 'name', 'Nom de l’entreprise', {
              required: true,
              maxLength: 150,
              autoComplete: 'organization',
            })}
            <ImagePicker
              id={companyFieldId('logo')}
              purpose="logo"
              label="Logo"
              hint={`Votre logo. ${IMAGE_RULE}`}
              value={values.logo || null}
              onChange={(sha) => set('logo', sha ?? '')}
              disabled={readOnly}
              error={errorOf('logo')}
            />
            {text('phone', 'phone', 'Téléphone', {
              type: 'tel',
              inputMode: 'tel',
              autoComplete: 'tel',
              maxLength: 20,
              placeholder: '04 68 11 22 33',
            })}
            {text('email', 'email', 'E-mail', {
              type: 'email',
              inputMode: 'email',
              autoComplete: 'email',
              maxLength: 254,
            })}
            <FormField
              id={companyFieldId('sector')}
              label="Secteur d’activité"
              required
              error={errorOf('sector')}
            >
              {(p) => (
                <select
                  {...p}
                  value={values.sector}
                  onChange={(e) => set('sector', e.target.value)}
                  disabled={readOnly}
                >
                  <option value="">Choisissez un secteur</option>
                  {SECTORS.map((s) => (
                    <option key={s.code} value={s.code}>
                      {s.label}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <FormField
              id={companyFieldId('companyType')}
              label="Type d’entreprise"
              error={errorOf('companyType')}
            >
              {(p) => (
                <select
                  {...p}
                  value={values.companyType}
                  onChange={(e) => set('companyType', e.target.value)}
                  disabled={readOnly}
                >
                  <option value="">Non précisé</option>
                  {COMPANY_TYPES.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            {text('employeeCount', 'employeeCount', 'Nombre d’employés', {
              inputMode: 'numeric',
              maxLength: 12,
            })}
            {text('foundedOn', 'foundedOn', 'Date de création', { type: 'date', max: todayIso() })}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Adresse</legend>
          <div className="grid grid--2">
            {text('street', 'address.street', 'Numéro et nom de rue', {
              autoComplete: 'street-address',
              maxLength: 200,
              placeholder: '12 rue des Lilas',
            })}
            <CommuneInput
              id={companyFieldId('address.city')}
              label="Ville"
              required
              error={errorOf('address.city')}
              disabled={readOnly}
              value={
                values.city && values.postalCode
                  ? {
                      code: values.communeCode || undefined,
                      name: values.city,
                      postalCode: values.postalCode,
                      lat: values.latitude ?? undefined,
                      lon: values.longitude ?? undefined,
                    }
                  : null
              }
              onChange={(c) =>
                setValues((v) => ({
                  ...v,
                  city: c?.name ?? '',
                  postalCode: c?.postalCode ?? '',
                  communeCode: c?.code ?? '',
                  latitude: c?.lat ?? null,
                  longitude: c?.lon ?? null,
                }))
              }
            />
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Description</legend>
          <RichTextEditor
            id={companyFieldId('description')}
            label="Présentation de l’entreprise"
            hint="Présentez votre entreprise, ses métiers et ses valeurs. Vous pouvez insérer des photos et des liens vers des vidéos."
            value={values.description}
            onChange={(html) => set('description', html)}
            readOnly={readOnly}
            error={errorOf('description')}
            placeholder="Présentez votre entreprise aux candidats…"
            renderImagePicker={(picked, onPicked) => (
              <ImagePicker
                id="company-description-image"
                purpose="banner"
                label="Image à insérer"
                hint={IMAGE_RULE}
                value={picked}
                onChange={onPicked}
              />
            )}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Liens</legend>
          <div className="grid grid--2">
            {LINK_KEYS.map((k: LinkKey) =>
              text(k, `links.${k}`, LINK_LABELS[k], {
                type: 'url',
                inputMode: 'url',
                maxLength: 500,
                placeholder: k === 'website' ? 'https://' : undefined,
              }),
            )}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Images</legend>
          <ImagePicker
            id={companyFieldId('banner')}
            purpose="banner"
            label="Image de bannière"
            hint={`Image de bannière, elle sera affichée sur la page de votre entreprise. ${FILE_PURPOSES.banner.rule}`}
            value={values.banner || null}
            onChange={(sha) => set('banner', sha ?? '')}
            disabled={readOnly}
            error={errorOf('banner')}
          />
        </fieldset>

        <fieldset className="form-section">
          <legend>Groupe ou réseau</legend>
          <FormField
            id={companyFieldId('groupId')}
            label="Groupe ou réseau de l’entreprise"
            error={errorOf('groupId')}
            hint={
              groups.fromCache && !groups.loading
                ? 'Liste enregistrée sur ce poste (serveur injoignable). Votre groupe n’y est pas ? Signalez-le aux modérateurs : ils le créeront.'
                : 'Votre groupe ou réseau n’est pas dans la liste ? Signalez-le aux modérateurs : ils le créeront.'
            }
          >
            {(p) => (
              <select
                {...p}
                value={values.groupId}
                onChange={(e) => set('groupId', e.target.value)}
                disabled={readOnly}
              >
                <option value="">Aucun</option>
                {selectedGroupMissing ? (
                  <option value={values.groupId}>Groupe enregistré (hors de la liste de ce poste)</option>
                ) : null}
                {(['groupe', 'reseau'] as const).map((kind) => {
                  const items = groups.groups.filter((g) => g.kind === kind);
                  return items.length > 0 ? (
                    <optgroup key={kind} label={`${COMPANY_GROUP_KIND_LABELS[kind]}s`}>
                      {items.map((g) => (
                        <option key={g.id} value={g.id}>
                          {g.name}
                        </option>
                      ))}
                    </optgroup>
                  ) : null;
                })}
              </select>
            )}
          </FormField>
        </fieldset>

        <JobsSection
          jobs={values.jobs}
          onChange={(jobs) => set('jobs', jobs)}
          readOnly={readOnly}
          errors={errors}
          unsaved={!deepEqual(values.jobs, baseline.jobs)}
          announce={announce}
        />

        <fieldset className="form-section">
          <legend>Gestion</legend>
          <div className="field">
            <label className="switch" htmlFor={companyFieldId('published')}>
              <input
                id={companyFieldId('published')}
                type="checkbox"
                role="switch"
                aria-checked={values.published}
                checked={values.published}
                onChange={(e) => set('published', e.target.checked)}
                disabled={readOnly}
                aria-describedby="company-published-hint"
              />
              <span className="switch__track" aria-hidden="true" />
              <span className="switch__state" aria-hidden="true">
                {values.published ? 'Oui' : 'Non'}
              </span>
              <span>Mettre en ligne ma fiche entreprise ?</span>
            </label>
            <p className="field__hint" id="company-published-hint">
              {values.published
                ? 'La fiche sera visible des candidats dans l’annuaire des entreprises du portail.'
                : 'La fiche reste hors ligne : les candidats ne la voient pas.'}
            </p>
          </div>
        </fieldset>

        <div className="form-actions">
          {!readOnly ? (
            <>
              <button type="submit" className="button button--primary" disabled={saving}>
                Enregistrer
              </button>
              {isAgency || isNew || dirty ? (
                <button
                  type="button"
                  className="button button--ghost"
                  onClick={() => {
                    if (!isAgency && !isNew) {
                      setValues(baseline);
                      setErrors([]);
                    } else backToList();
                  }}
                >
                  {!isAgency && !isNew ? 'Annuler mes modifications' : 'Annuler'}
                </button>
              ) : null}
            </>
          ) : isAgency ? (
            <button type="button" className="button" onClick={backToList}>
              Retour aux entreprises clientes
            </button>
          ) : null}
          {dirty && !readOnly ? <span className="unsaved-hint">Modifications non enregistrées</span> : null}
        </div>
        {!readOnly ? (
          <p className="muted small">
            L’enregistrement se fait d’abord sur ce poste, même hors ligne, puis la fiche est envoyée au
            serveur.
          </p>
        ) : null}
      </form>
    </section>
  );
}
