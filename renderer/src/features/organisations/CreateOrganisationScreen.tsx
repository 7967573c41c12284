import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { ApiError } from '../../lib/api';
import { IdentityFields } from './IdentityFields';
import { errorText, ONLINE_ONLY } from './OrganisationScreen';
import { createOrganisation } from './organisation-api';
import {
  EMPTY_ORGANISATION_FORM,
  type FieldError,
  formField,
  formToCreatePayload,
  kindLabel,
  type OrganisationFormValues,
  organisationFieldId,
  validateOrganisationForm,
} from './organisation-form';
import { useOnline, useOrganisation } from './use-organisations';
import './organisations.css';

/**
 * « Créer une organisation / une antenne » (seed 003): the creator becomes its administrator; an
 * employer or agency is then verified by the moderation before its offers can be published. An
 * antenna shares its parent's SIRET and type; only the parent's administrators create one.
 */
export function CreateOrganisationScreen({ parentId }: { parentId?: string }) {
  const { db, sync, user, navigate, announce, refreshUser, switchOrganisation } = useSession();
  const online = useOnline(sync);
  const parent = useOrganisation(db, parentId);
  const [values, setValues] = useState<OrganisationFormValues>(EMPTY_ORGANISATION_FORM);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const antenna = !!parentId;

  // An antenna starts from its parent: same type, same sector and size as a suggestion.
  useEffect(() => {
    if (!parent) return;
    setValues((v) =>
      v.kind
        ? v
        : {
            ...v,
            kind: parent.kind,
            subtype: parent.subtype ?? '',
            sector: parent.sector ?? '',
            nafCode: parent.nafCode ?? '',
            name: `${parent.name} — `,
          },
    );
  }, [parent]);

  useEffect(() => {
    if (focusTick > 0) summaryRef.current?.focus();
  }, [focusTick]);

  const existingKinds = new Set(user.memberships.map((m) => m.kind));
  const conflictHint =
    values.kind === 'prescriber' && (existingKinds.has('employer') || existingKinds.has('agency'))
      ? 'Votre compte est membre d’un employeur ou d’une agence : un même compte ne peut pas être à la fois prescripteur et employeur. Utilisez un autre compte, avec une autre adresse e-mail.'
      : (values.kind === 'employer' || values.kind === 'agency') && existingKinds.has('prescriber')
        ? 'Votre compte est membre d’une organisation prescriptrice : un même compte ne peut pas être à la fois prescripteur et employeur. Utilisez un autre compte, avec une autre adresse e-mail.'
        : null;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local = validateOrganisationForm(values, { antenna });
    if (local.length > 0) {
      setErrors(local);
      setFocusTick((t) => t + 1);
      return;
    }
    setErrors([]);
    setSaving(true);
    try {
      const res = await createOrganisation(formToCreatePayload(values, parentId));
      await refreshUser();
      switchOrganisation(res.organisation.id);
      announce(
        res.organisation.verificationState === 'verifiee'
          ? `« ${res.organisation.name} » est créée : vous en êtes l’administrateur.`
          : `« ${res.organisation.name} » est créée : vous en êtes l’administrateur. La modération va la vérifier.`,
      );
      navigate({ name: 'organisation' });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        setErrors(err.fields.map((f) => ({ field: formField(f.field), message: f.message })));
        setFocusTick((t) => t + 1);
      } else setGeneral(errorText(err));
      setSaving(false);
    }
  }

  const title = antenna ? 'Créer une antenne' : 'Créer une organisation';
  return (
    <section aria-labelledby="org-create-title" className="org-screen">
      <div className="page-header">
        <h1 id="org-create-title" tabIndex={-1}>
          {title}
        </h1>
        <p className="muted">
          {antenna
            ? parent
              ? `Une antenne de « ${parent.name} » (${kindLabel(parent.kind)}) : elle partage son SIRET et a ses propres collaborateurs. Vous en serez l’administrateur.`
              : 'Chargement de l’organisation mère…'
            : 'Vous en serez l’administrateur et pourrez inviter vos collaborateurs. Un employeur ou une agence est vérifié par la modération avant de publier ses offres : vous pouvez tout préparer en attendant.'}
        </p>
      </div>
      {!online ? (
        <div className="alert alert--warning" role="status">
          Hors ligne : la création d’une organisation est disponible en ligne uniquement. Le formulaire reste
          rempli.
        </div>
      ) : null}
      <form className="card org-section" onSubmit={submit} noValidate>
        <p className="muted small">Les champs marqués d’une étoile (*) sont obligatoires.</p>
        <ErrorSummary
          ref={summaryRef}
          errors={errors}
          fieldId={(f) => organisationFieldId('org-new', f)}
          title="L’organisation n’a pas été créée"
        />
        {general ? (
          <div className="alert alert--error" role="alert">
            {general}
          </div>
        ) : null}
        {conflictHint ? (
          <div className="alert alert--warning" role="status">
            {conflictHint}
          </div>
        ) : null}
        <IdentityFields
          prefix="org-new"
          values={values}
          errors={errors}
          chooseKind={!antenna}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
          {...(antenna ? { fixedSiret: parent?.siret ?? null } : {})}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={saving || !online}>
            {saving ? 'Création…' : title}
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => navigate({ name: 'organisation' })}
          >
            Retour
          </button>
          {!online ? <span className="org-offline">{ONLINE_ONLY}</span> : null}
        </div>
      </form>
    </section>
  );
}
