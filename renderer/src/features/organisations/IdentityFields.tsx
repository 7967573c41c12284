import { useMemo } from 'react';
import { sectorOfNafCode } from '../../../../shared/domain/organisation';
import { FormField } from '../../components/FormField';
import { CommuneInput } from '../reference/CommuneInput';
import { NafInput } from '../reference/NafInput';
import { useReferenceState } from '../reference/use-reference-suggestions';
import {
  CREATABLE_KINDS,
  FIELD_LABELS,
  type FieldError,
  formatSiret,
  kindLabel,
  type OrganisationFormValues,
  organisationFieldId,
  SECTORS,
  SIZE_BANDS,
  subtypeOptions,
} from './organisation-form';

interface Props {
  prefix: string;
  values: OrganisationFormValues;
  onChange: (patch: Partial<OrganisationFormValues>) => void;
  errors: FieldError[];
  readOnly?: boolean;
  /** Creation: the kind is chosen here (an antenna takes its parent's). */
  chooseKind?: boolean;
  /** An antenna shows its parent's SIRET, not editable. */
  fixedSiret?: string | null;
}

/** The identity fields of an organisation (seeds 001, 003), shared by the creation and edit forms. */
export function IdentityFields({
  prefix,
  values,
  onChange,
  errors,
  readOnly,
  chooseKind,
  fixedSiret,
}: Props) {
  const id = (field: string) => organisationFieldId(prefix, field);
  const errorOf = (field: string) =>
    errors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;
  const naf = useReferenceState('naf');
  const nafValue = useMemo(() => {
    if (!values.nafCode) return null;
    const known = naf.index?.byCode.get(values.nafCode);
    return known ?? { code: values.nafCode, label: '' };
  }, [values.nafCode, naf.index]);
  const subtypes = subtypeOptions(values.kind);

  return (
    <>
      <div className="grid grid--2">
        {chooseKind ? (
          <FormField id={id('kind')} label={FIELD_LABELS.kind!} required error={errorOf('kind')}>
            {(p) => (
              <select
                {...p}
                value={values.kind}
                disabled={readOnly}
                onChange={(e) =>
                  onChange({ kind: e.target.value as OrganisationFormValues['kind'], subtype: '' })
                }
              >
                <option value="">Choisir…</option>
                {CREATABLE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel(k)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        ) : null}
        <FormField id={id('subtype')} label={FIELD_LABELS.subtype!} error={errorOf('subtype')}>
          {(p) => (
            <select
              {...p}
              value={values.subtype}
              disabled={readOnly || subtypes.length === 0}
              onChange={(e) => onChange({ subtype: e.target.value })}
            >
              <option value="">Non précisée</option>
              {subtypes.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <FormField id={id('name')} label={FIELD_LABELS.name!} required error={errorOf('name')}>
        {(p) => (
          <input
            {...p}
            type="text"
            maxLength={150}
            autoComplete="organization"
            readOnly={readOnly}
            value={values.name}
            onChange={(e) => onChange({ name: e.target.value })}
          />
        )}
      </FormField>
      <div className="grid grid--2">
        {fixedSiret !== undefined ? (
          <div className="field">
            <span className="field__label-static">{FIELD_LABELS.siret}</span>
            <p className="org-static" id={id('siret')}>
              {fixedSiret ? formatSiret(fixedSiret) : '—'}
              <span className="muted small"> (celui de l’organisation mère : une antenne le partage)</span>
            </p>
          </div>
        ) : (
          <FormField
            id={id('siret')}
            label={FIELD_LABELS.siret!}
            required={values.kind !== 'platform'}
            error={errorOf('siret')}
            hint="14 chiffres, par exemple 732 829 320 00074 (sur l’avis de situation INSEE ou un extrait Kbis)."
          >
            {(p) => (
              <input
                {...p}
                type="text"
                inputMode="numeric"
                autoComplete="off"
                maxLength={20}
                readOnly={readOnly}
                value={values.siret}
                onChange={(e) => onChange({ siret: e.target.value })}
              />
            )}
          </FormField>
        )}
        {readOnly ? (
          <div className="field">
            <span className="field__label-static">{FIELD_LABELS.nafCode}</span>
            <p className="org-static" id={id('nafCode')}>
              {nafValue ? `${nafValue.code}${nafValue.label ? ` — ${nafValue.label}` : ''}` : '—'}
            </p>
          </div>
        ) : (
          <NafInput
            id={id('nafCode')}
            label={FIELD_LABELS.nafCode!}
            value={nafValue}
            error={errorOf('nafCode')}
            onChange={(a) => {
              if (!a) {
                onChange({ nafCode: '' });
                return;
              }
              const sector = sectorOfNafCode(a.code);
              onChange({ nafCode: a.code, ...(sector && !values.sector ? { sector } : {}) });
            }}
          />
        )}
      </div>
      <div className="grid grid--2">
        <FormField id={id('sector')} label={FIELD_LABELS.sector!} error={errorOf('sector')}>
          {(p) => (
            <select
              {...p}
              value={values.sector}
              disabled={readOnly}
              onChange={(e) => onChange({ sector: e.target.value })}
            >
              <option value="">Non précisé</option>
              {SECTORS.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id={id('sizeBand')} label={FIELD_LABELS.sizeBand!} error={errorOf('sizeBand')}>
          {(p) => (
            <select
              {...p}
              value={values.sizeBand}
              disabled={readOnly}
              onChange={(e) => onChange({ sizeBand: e.target.value })}
            >
              <option value="">Non précisé</option>
              {SIZE_BANDS.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <div className="grid grid--2">
        <FormField id={id('phone')} label={FIELD_LABELS.phone!} error={errorOf('phone')}>
          {(p) => (
            <input
              {...p}
              type="tel"
              autoComplete="tel"
              maxLength={20}
              readOnly={readOnly}
              value={values.phone}
              onChange={(e) => onChange({ phone: e.target.value })}
            />
          )}
        </FormField>
        <FormField id={id('email')} label={FIELD_LABELS.email!} error={errorOf('email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              maxLength={254}
              readOnly={readOnly}
              value={values.email}
              onChange={(e) => onChange({ email: e.target.value })}
            />
          )}
        </FormField>
      </div>
      <div className="grid grid--2">
        <FormField id={id('street')} label={FIELD_LABELS.street!} error={errorOf('street')}>
          {(p) => (
            <input
              {...p}
              type="text"
              autoComplete="street-address"
              maxLength={200}
              readOnly={readOnly}
              value={values.street}
              onChange={(e) => onChange({ street: e.target.value })}
            />
          )}
        </FormField>
        {readOnly ? (
          <div className="field">
            <span className="field__label-static">{FIELD_LABELS.commune}</span>
            <p className="org-static" id={id('commune')}>
              {values.commune ? `${values.commune.name} (${values.commune.postalCode})` : '—'}
            </p>
          </div>
        ) : (
          <CommuneInput
            id={id('commune')}
            label={FIELD_LABELS.commune!}
            required
            value={values.commune}
            error={errorOf('commune')}
            onChange={(c) =>
              onChange(
                c
                  ? {
                      commune: {
                        code: c.code,
                        name: c.name,
                        postalCode: c.postalCode,
                        lat: c.lat,
                        lon: c.lon,
                      },
                      communeText: `${c.name} (${c.postalCode})`,
                    }
                  : { commune: null },
              )
            }
            onTextChange={(t) => onChange({ communeText: t })}
          />
        )}
      </div>
    </>
  );
}
