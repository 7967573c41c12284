/** « Mon profil » (seed 000): personal information, RQTH, personal address, job, status, photo, strengths. */
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import {
  AVAILABILITIES,
  AVAILABILITY_LABELS,
  type CandidateProfile,
  CIVILITIES,
  CIVILITY_LABELS,
  PROFILE_LIMITS,
  RQTH_LABELS,
  RQTH_STATUSES,
  SITUATION_LABELS,
  SITUATIONS,
} from '../../../../../shared/domain/candidate-profile';
import { QUALIFICATION_LABELS, QUALIFICATION_LEVELS } from '../../../../../shared/domain/offer';
import { ROME_DOMAINS } from '../../../../../shared/domain/rome-domains';
import { apiRequest } from '../../api';
import type { CommuneChoice } from '../../companies-api';
import { CommuneInput } from '../../components/CommuneInput';
import { useSession } from '../../session';
import {
  describedBy,
  ErrorSummary,
  errorFor,
  Field,
  FieldError,
  fieldId,
  groupProps,
  localError,
} from './forms';

type Draft = CandidateProfile;

const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

export function ProfileSection({
  initial,
  onSaved,
}: {
  initial: CandidateProfile;
  onSaved: (profile: CandidateProfile) => void;
}) {
  const { refresh } = useSession();
  const [draft, setDraft] = useState<Draft>(initial);
  const [street, setStreet] = useState(initial.address?.street ?? '');
  const [postalCode, setPostalCode] = useState(initial.address?.postalCode ?? '');
  const [commune, setCommune] = useState<CommuneChoice | null>(
    initial.address
      ? {
          code: initial.address.communeCode,
          name: initial.address.communeName,
          postalCode: initial.address.postalCode,
        }
      : null,
  );
  const [communeText, setCommuneText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [photoState, setPhotoState] = useState<{ busy: boolean; message: string; error: boolean }>({
    busy: false,
    message: '',
    error: false,
  });
  const savedRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const toggleDomain = (code: Draft['domains'][number], on: boolean) =>
    set('domains', on ? [...draft.domains, code] : draft.domains.filter((d) => d !== code));

  const uploadPhoto = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > PHOTO_MAX_BYTES) {
      setPhotoState({ busy: false, message: 'La photo ne doit pas dépasser 2 Mo.', error: true });
      return;
    }
    setPhotoState({ busy: true, message: 'Envoi de la photo…', error: false });
    try {
      const res = await apiRequest<{ sha256: string }>('POST', '/api/candidate/files?purpose=photo', file, {
        headers: { 'content-type': 'application/octet-stream' },
      });
      set('photo', res.sha256);
      setPhotoState({
        busy: false,
        message: 'Photo envoyée : enregistrez votre profil pour la garder.',
        error: false,
      });
    } catch (e) {
      setPhotoState({ busy: false, message: e instanceof Error ? e.message : String(e), error: true });
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const hasAddress = !!(street.trim() || postalCode.trim() || commune || communeText.trim());
    if (hasAddress && !commune) {
      setError(
        localError('Votre profil contient des erreurs.', [
          { field: 'address.communeCode', message: 'Choisissez votre commune dans la liste proposée.' },
        ]),
      );
      return;
    }
    setBusy(true);
    try {
      const body = {
        ...draft,
        address: hasAddress && commune ? { street, postalCode, communeCode: commune.code } : null,
      };
      const res = await apiRequest<{ profile: CandidateProfile }>('PUT', '/api/candidate/profile', body);
      setError(null);
      setDraft(res.profile);
      setPostalCode(res.profile.address?.postalCode ?? '');
      onSaved(res.profile);
      setSaved(true);
      void refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const communeError = errorFor(error, 'address.communeCode');
  const civilityError = errorFor(error, 'civility');
  const rqthError = errorFor(error, 'rqth');
  const domainsError = errorFor(error, 'domains');
  const showPhoneError = errorFor(error, 'showPhone');
  const photoError = errorFor(error, 'photo');

  return (
    <section aria-labelledby="titre-profil">
      <h2 id="titre-profil">Mon profil</h2>
      {saved && (
        <div className="notice notice--success" role="status" tabIndex={-1} ref={savedRef}>
          <p>Votre profil est enregistré.</p>
        </div>
      )}
      <ErrorSummary error={error} title="Votre profil n’a pas été enregistré" />
      <form className="form" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>Informations personnelles</legend>
          <fieldset {...groupProps('civility', error)}>
            <legend>Civilité</legend>
            {CIVILITIES.map((c) => (
              <div className="choice" key={c}>
                <input
                  type="radio"
                  name="civility"
                  id={`civilite-${c}`}
                  checked={draft.civility === c}
                  onChange={() => set('civility', c)}
                />
                <label htmlFor={`civilite-${c}`}>{CIVILITY_LABELS[c]}</label>
              </div>
            ))}
            <FieldError field="civility" message={civilityError} />
          </fieldset>
          <Field field="lastName" label="Nom" error={error}>
            {(p) => (
              <input
                {...p}
                autoComplete="family-name"
                maxLength={PROFILE_LIMITS.name}
                value={draft.lastName}
                onChange={(e) => set('lastName', e.target.value)}
                required
              />
            )}
          </Field>
          <Field field="firstName" label="Prénom" error={error}>
            {(p) => (
              <input
                {...p}
                autoComplete="given-name"
                maxLength={PROFILE_LIMITS.name}
                value={draft.firstName}
                onChange={(e) => set('firstName', e.target.value)}
                required
              />
            )}
          </Field>
          <Field field="phone" label="Téléphone" hint="Par exemple : 06 12 34 56 78." error={error}>
            {(p) => (
              <input
                {...p}
                type="tel"
                autoComplete="tel"
                value={draft.phone}
                onChange={(e) => set('phone', e.target.value)}
              />
            )}
          </Field>
          <div className="field">
            <div className="choice">
              <input
                type="checkbox"
                id={fieldId('showPhone')}
                checked={draft.showPhone}
                onChange={(e) => set('showPhone', e.target.checked)}
                aria-invalid={showPhoneError ? true : undefined}
                aria-describedby={describedBy('showPhone', false, showPhoneError)}
              />
              <label htmlFor={fieldId('showPhone')}>Afficher mon numéro de téléphone sur mon profil</label>
            </div>
            <FieldError field="showPhone" message={showPhoneError} />
          </div>
        </fieldset>

        <fieldset {...groupProps('rqth', error)}>
          <legend>Reconnaissance de la qualité de travailleur handicapé (RQTH)</legend>
          {RQTH_STATUSES.map((r) => (
            <div className="choice" key={r}>
              <input
                type="radio"
                name="rqth"
                id={`rqth-${r}`}
                checked={draft.rqth === r}
                onChange={() => set('rqth', r)}
              />
              <label htmlFor={`rqth-${r}`}>{RQTH_LABELS[r]}</label>
            </div>
          ))}
          <FieldError field="rqth" message={rqthError} />
        </fieldset>

        <fieldset aria-describedby="adresse-aide">
          <legend>Adresse personnelle</legend>
          <p className="field__hint" id="adresse-aide">
            Elle n’est jamais diffusée : elle sert seulement à calculer la distance entre vous et les
            employeurs.
          </p>
          <Field field="address.street" label="Numéro et rue (facultatif)" error={error}>
            {(p) => (
              <input
                {...p}
                autoComplete="street-address"
                maxLength={PROFILE_LIMITS.street}
                value={street}
                onChange={(e) => {
                  setSaved(false);
                  setStreet(e.target.value);
                }}
              />
            )}
          </Field>
          <div className="field field--short">
            <label htmlFor={fieldId('address.postalCode')}>Code postal</label>
            <input
              id={fieldId('address.postalCode')}
              inputMode="numeric"
              autoComplete="postal-code"
              maxLength={5}
              value={postalCode}
              onChange={(e) => {
                setSaved(false);
                setPostalCode(e.target.value);
              }}
              aria-invalid={errorFor(error, 'address.postalCode') ? true : undefined}
              aria-describedby={describedBy(
                'address.postalCode',
                false,
                errorFor(error, 'address.postalCode'),
              )}
            />
            <FieldError field="address.postalCode" message={errorFor(error, 'address.postalCode')} />
          </div>
          <div className="field">
            <label htmlFor={fieldId('address.communeCode')}>Commune</label>
            <p className="field__hint" id={`${fieldId('address.communeCode')}-aide`}>
              Tapez le nom ou le code postal, puis choisissez dans la liste.
            </p>
            <CommuneInput
              id={fieldId('address.communeCode')}
              value={commune}
              onChange={(c, typed) => {
                setSaved(false);
                setCommune(c);
                setCommuneText(typed);
                if (c?.postalCode) setPostalCode(c.postalCode);
              }}
              invalid={!!communeError}
              describedBy={describedBy('address.communeCode', true, communeError)}
            />
            <FieldError field="address.communeCode" message={communeError} />
          </div>
        </fieldset>

        <fieldset>
          <legend>Profil professionnel</legend>
          <Field
            field="jobTitle"
            label="Intitulé de poste"
            hint="Le métier que vous exercez ou visez."
            error={error}
          >
            {(p) => (
              <input
                {...p}
                maxLength={PROFILE_LIMITS.jobTitle}
                value={draft.jobTitle}
                onChange={(e) => set('jobTitle', e.target.value)}
              />
            )}
          </Field>
          <Field field="qualification" label="Qualification" error={error}>
            {(p) => (
              <select
                {...p}
                value={draft.qualification ?? ''}
                onChange={(e) => set('qualification', (e.target.value || null) as Draft['qualification'])}
              >
                <option value="">Non renseignée</option>
                {QUALIFICATION_LEVELS.map((q) => (
                  <option key={q} value={q}>
                    {QUALIFICATION_LABELS[q]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset {...groupProps('domains', error)}>
            <legend>Domaines de compétences</legend>
            <div className="choice-grid">
              {ROME_DOMAINS.map((d) => (
                <div className="choice" key={d.code}>
                  <input
                    type="checkbox"
                    id={`domaine-${d.code}`}
                    checked={draft.domains.includes(d.code)}
                    onChange={(e) => toggleDomain(d.code, e.target.checked)}
                  />
                  <label htmlFor={`domaine-${d.code}`}>{d.label}</label>
                </div>
              ))}
            </div>
            <FieldError field="domains" message={domainsError} />
          </fieldset>
          <Field field="situation" label="Statut" error={error}>
            {(p) => (
              <select
                {...p}
                value={draft.situation ?? ''}
                onChange={(e) => set('situation', (e.target.value || null) as Draft['situation'])}
              >
                <option value="">Non renseigné</option>
                {SITUATIONS.map((s) => (
                  <option key={s} value={s}>
                    {SITUATION_LABELS[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field field="availability" label="Disponibilité" error={error}>
            {(p) => (
              <select
                {...p}
                value={draft.availability ?? ''}
                onChange={(e) => set('availability', (e.target.value || null) as Draft['availability'])}
              >
                <option value="">Non renseignée</option>
                {AVAILABILITIES.map((a) => (
                  <option key={a} value={a}>
                    {AVAILABILITY_LABELS[a]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {draft.availability === 'a_partir_du' && (
            <Field field="availableFrom" label="Disponible à partir du" error={error}>
              {(p) => (
                <input
                  {...p}
                  type="date"
                  value={draft.availableFrom ?? ''}
                  onChange={(e) => set('availableFrom', e.target.value || null)}
                />
              )}
            </Field>
          )}
        </fieldset>

        <fieldset>
          <legend>Photo</legend>
          <div className="account-photo">
            {draft.photo ? (
              <img src={`/api/files/${draft.photo}`} alt="Vous, tel que les recruteurs vous verront" />
            ) : (
              <p>Aucune photo.</p>
            )}
            <div className="field">
              <label htmlFor={fieldId('photo')}>Choisir une photo</label>
              <p className="field__hint" id={`${fieldId('photo')}-aide`}>
                Format jpg ou png, 2 Mo au plus.
              </p>
              <input
                id={fieldId('photo')}
                type="file"
                accept="image/png,image/jpeg"
                disabled={photoState.busy}
                onChange={(e) => void uploadPhoto(e)}
                aria-invalid={photoError || photoState.error ? true : undefined}
                aria-describedby={describedBy('photo', true, photoError)}
              />
              <FieldError field="photo" message={photoError} />
              <p role="status" className={photoState.error ? 'field__error' : 'field__hint'}>
                {photoState.message}
              </p>
              {draft.photo && (
                <button type="button" className="link-button" onClick={() => set('photo', null)}>
                  Retirer la photo
                </button>
              )}
            </div>
          </div>
        </fieldset>

        <Field
          field="strengths"
          label="Mes atouts et compétences"
          hint={`${PROFILE_LIMITS.strengths} caractères au plus.`}
          error={error}
        >
          {(p) => (
            <textarea
              {...p}
              maxLength={PROFILE_LIMITS.strengths}
              value={draft.strengths}
              onChange={(e) => set('strengths', e.target.value)}
            />
          )}
        </Field>

        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Enregistrement…' : 'Enregistrer mon profil'}
          </button>
        </div>
      </form>
    </section>
  );
}
