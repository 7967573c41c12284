import { type FormEvent, useState } from 'react';
import { AVAILABILITIES, AVAILABILITY_LABELS } from '../../../../shared/domain/candidate-profile';
import { DRIVING_LICENCES } from '../../../../shared/domain/cv';
import { CV_RADIUS_CHOICES } from '../../../../shared/domain/cv-search';
import {
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  QUALIFICATION_LABELS,
  QUALIFICATION_LEVELS,
} from '../../../../shared/domain/offer';
import { ROME_DOMAINS } from '../../../../shared/domain/rome-domains';
import { AppellationInput } from '../reference/AppellationInput';
import { CommuneInput } from '../reference/CommuneInput';
import type { CvSearchFormValues } from './cvtheque-model';
import { licenceText } from './cvtheque-model';

export const CV_FIELD_IDS: Record<keyof CvSearchFormValues, string> = {
  keywords: 'cv-keywords',
  appellation: 'cv-appellation',
  nearbyCodes: 'cv-nearby-codes',
  place: 'cv-place',
  radiusKm: 'cv-radius',
  rqthOnly: 'cv-rqth',
  qualifications: 'cv-qualifications',
  domains: 'cv-domains',
  contractTypes: 'cv-contracts',
  availability: 'cv-availability',
  languages: 'cv-languages',
  licences: 'cv-licences',
};

interface Props {
  values: CvSearchFormValues;
  onChange: (values: CvSearchFormValues) => void;
  /** Texts typed in « Métier » / « Commune » without choosing a suggestion. */
  onLooseText: (field: 'appellation' | 'place', text: string) => void;
  errors: Partial<Record<keyof CvSearchFormValues, string>>;
  busy: boolean;
  onSubmit: () => void;
  onReset: () => void;
  /** The chosen métier's nearby ROME codes (mobility), from the offline referential. */
  nearby?: { code: string; label: string }[];
}

type ListField = 'nearbyCodes' | 'qualifications' | 'domains' | 'contractTypes' | 'availability' | 'licences';

/** The CVthèque's search form: every criterion of `CvSearchCriteria`. */
export function CvSearchForm({
  values,
  onChange,
  onLooseText,
  errors,
  busy,
  onSubmit,
  onReset,
  nearby = [],
}: Props) {
  const advancedCount =
    values.qualifications.length +
    values.domains.length +
    values.contractTypes.length +
    values.availability.length +
    values.licences.length +
    (values.languages.trim() ? 1 : 0);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const set = <K extends keyof CvSearchFormValues>(k: K, v: CvSearchFormValues[K]) =>
    onChange({ ...values, [k]: v });
  const describedBy = (k: keyof CvSearchFormValues, hint?: string) =>
    [hint, errors[k] ? `${CV_FIELD_IDS[k]}-error` : null].filter(Boolean).join(' ') || undefined;
  const errorText = (k: keyof CvSearchFormValues) =>
    errors[k] ? (
      <p className="field__error" id={`${CV_FIELD_IDS[k]}-error`}>
        {errors[k]}
      </p>
    ) : null;

  function checkboxes<F extends ListField>(
    field: F,
    legend: string,
    options: readonly { value: string; label: string }[],
  ) {
    const current = values[field] as string[];
    const id = CV_FIELD_IDS[field];
    return (
      <fieldset
        className={`checkbox-group${errors[field] ? ' field--error' : ''}`}
        aria-describedby={errors[field] ? `${id}-error` : undefined}
      >
        <legend>
          {legend}
          {current.length ? (
            <span className="muted small">
              {' '}
              ({current.length} choisi{current.length > 1 ? 's' : ''})
            </span>
          ) : null}
        </legend>
        <div className="checkbox-grid">
          {options.map((o, i) => {
            const oid = i === 0 ? id : `${id}-${o.value}`;
            return (
              <div className="field--checkbox" key={o.value}>
                <input
                  id={oid}
                  type="checkbox"
                  checked={current.includes(o.value)}
                  aria-invalid={errors[field] ? true : undefined}
                  onChange={(e) =>
                    set(
                      field,
                      (e.target.checked
                        ? options.map((x) => x.value).filter((v) => v === o.value || current.includes(v))
                        : current.filter((v) => v !== o.value)) as CvSearchFormValues[F],
                    )
                  }
                />
                <label htmlFor={oid}>{o.label}</label>
              </div>
            );
          })}
        </div>
        {errorText(field)}
      </fieldset>
    );
  }

  return (
    <form
      className="cv-search-form panel"
      noValidate
      aria-labelledby="cv-search-form-title"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2 id="cv-search-form-title" className="visually-hidden">
        Critères de recherche
      </h2>
      <div className="cv-search-form__main">
        <AppellationInput
          id={CV_FIELD_IDS.appellation}
          label="Métier"
          value={values.appellation}
          hint="Pour quel poste cherchez-vous un candidat ? Choisissez un métier du ROME dans la liste."
          error={errors.appellation}
          onChange={(a) =>
            onChange({
              ...values,
              appellation: a ? { codeOgr: a.codeOgr, label: a.label, romeCode: a.romeCode } : null,
              // Another métier: its own nearby codes, none chosen yet.
              nearbyCodes: a && a.romeCode === values.appellation?.romeCode ? values.nearbyCodes : [],
            })
          }
          onTextChange={(t) => onLooseText('appellation', t)}
        />
        <div className={`field${errors.keywords ? ' field--error' : ''}`}>
          <label htmlFor={CV_FIELD_IDS.keywords}>Mots-clés</label>
          <input
            id={CV_FIELD_IDS.keywords}
            type="search"
            maxLength={200}
            value={values.keywords}
            placeholder="Par exemple « levain viennoiserie »"
            aria-invalid={errors.keywords ? true : undefined}
            aria-describedby={describedBy('keywords', 'cv-keywords-hint')}
            onChange={(e) => set('keywords', e.target.value)}
          />
          <p className="field__hint" id="cv-keywords-hint">
            Cherchés dans le titre, les compétences, les expériences, les formations et le CV joint.
          </p>
          {errorText('keywords')}
        </div>
        <CommuneInput
          id={CV_FIELD_IDS.place}
          label="Commune"
          value={values.place}
          hint="Où recrutez-vous ?"
          error={errors.place}
          onChange={(c) =>
            set(
              'place',
              c ? { code: c.code, name: c.name, postalCode: c.postalCode, lat: c.lat, lon: c.lon } : null,
            )
          }
          onTextChange={(t) => onLooseText('place', t)}
        />
        <div className={`field${errors.radiusKm ? ' field--error' : ''}`}>
          <label htmlFor={CV_FIELD_IDS.radiusKm}>Rayon</label>
          <select
            id={CV_FIELD_IDS.radiusKm}
            value={values.radiusKm}
            aria-invalid={errors.radiusKm ? true : undefined}
            aria-describedby={describedBy('radiusKm')}
            onChange={(e) => set('radiusKm', Number(e.target.value))}
          >
            {CV_RADIUS_CHOICES.map((r) => (
              <option key={r} value={r}>
                {r === 0 ? 'La commune seule' : `${r} km`}
              </option>
            ))}
          </select>
          {errorText('radiusKm')}
        </div>
      </div>
      {values.appellation && nearby.length > 0
        ? checkboxes(
            'nearbyCodes',
            'Chercher aussi dans les métiers proches',
            nearby.slice(0, 8).map((n) => ({ value: n.code, label: `${n.label} (${n.code})` })),
          )
        : null}
      <div className="field--checkbox cv-rqth">
        <input
          id={CV_FIELD_IDS.rqthOnly}
          type="checkbox"
          checked={values.rqthOnly}
          onChange={(e) => set('rqthOnly', e.target.checked)}
        />
        <label htmlFor={CV_FIELD_IDS.rqthOnly}>
          Reconnaissance de la qualité de travailleur handicapé (RQTH) uniquement
        </label>
      </div>
      <details
        className="cv-advanced"
        open={advancedOpen}
        onToggle={(e) => setAdvancedOpen((e.target as HTMLDetailsElement).open)}
      >
        <summary>
          Plus de critères{advancedCount ? ` (${advancedCount} choisi${advancedCount > 1 ? 's' : ''})` : ''}
        </summary>
        {checkboxes(
          'domains',
          'Domaine d’activité',
          ROME_DOMAINS.map((d) => ({ value: d.code, label: d.label })),
        )}
        {checkboxes(
          'qualifications',
          'Qualification',
          QUALIFICATION_LEVELS.map((q) => ({ value: q, label: QUALIFICATION_LABELS[q] })),
        )}
        {checkboxes(
          'contractTypes',
          'Types de contrat recherchés',
          CONTRACT_TYPES.map((c) => ({ value: c, label: CONTRACT_TYPE_LABELS[c] })),
        )}
        {checkboxes(
          'availability',
          'Disponibilité',
          AVAILABILITIES.map((a) => ({ value: a, label: AVAILABILITY_LABELS[a] })),
        )}
        <div className={`field${errors.languages ? ' field--error' : ''}`}>
          <label htmlFor={CV_FIELD_IDS.languages}>Langues parlées</label>
          <input
            id={CV_FIELD_IDS.languages}
            type="text"
            maxLength={300}
            value={values.languages}
            aria-invalid={errors.languages ? true : undefined}
            aria-describedby={describedBy('languages', 'cv-languages-hint')}
            onChange={(e) => set('languages', e.target.value)}
          />
          <p className="field__hint" id="cv-languages-hint">
            Séparées par des virgules, par exemple « anglais, espagnol » : le candidat doit toutes les parler.
          </p>
          {errorText('languages')}
        </div>
        {checkboxes(
          'licences',
          'Permis de conduire',
          DRIVING_LICENCES.map((l) => ({ value: l, label: licenceText(l) })),
        )}
      </details>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy} aria-disabled={busy}>
          {busy ? 'Recherche en cours…' : 'Rechercher'}
        </button>
        <button type="button" className="button button--secondary" onClick={onReset}>
          Critères de mon organisation
        </button>
      </div>
    </form>
  );
}
