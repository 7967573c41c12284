import { COMPLETENESS_THRESHOLD } from '../../../../../shared/domain/cv';

/**
 * The completeness gauge (seed 002 « jauge du taux de saisie »): a meter with its value in words,
 * so the colour is never the only information.
 */
export function CompletenessGauge({
  value,
  missing = [],
  compact = false,
  label = 'Taux de saisie de votre CV',
}: {
  value: number;
  missing?: string[];
  compact?: boolean;
  label?: string;
}) {
  const level = value >= 100 ? 'full' : value >= COMPLETENESS_THRESHOLD ? 'good' : 'low';
  return (
    <div className={`cv-gauge cv-gauge--${level}${compact ? ' cv-gauge--compact' : ''}`}>
      <p className="cv-gauge__text">
        {label} : <strong>{value} %</strong>
        {!compact && level === 'low' && ' (à compléter)'}
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> renders differently in each browser. */}
      <div
        className="cv-gauge__bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={`${value} %`}
      >
        <span className="cv-gauge__fill" style={{ width: `${value}%` }} />
      </div>
      {!compact && missing.length > 0 && (
        <p className="cv-gauge__missing">Pour améliorer votre visibilité, ajoutez : {missing.join(', ')}.</p>
      )}
    </div>
  );
}
