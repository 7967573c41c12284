import { SKILL_LEVEL_LABELS } from '../../../../../shared/domain/cv';

/**
 * A 1-5 star rating as a group of radio buttons: arrows move between the stars (native radio
 * behaviour), each star is named « 3 étoiles sur 5 (Confirmé) », the chosen level is also written.
 */
export function StarRating({
  id,
  name,
  legend,
  value,
  onChange,
  describedBy,
  invalid,
}: {
  id: string;
  name: string;
  legend: string;
  value: number;
  onChange: (level: number) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  return (
    <fieldset
      className="stars"
      id={id}
      tabIndex={-1}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
    >
      <legend>{legend}</legend>
      <div className="stars__row">
        {[1, 2, 3, 4, 5].map((n) => (
          <span key={n} className="stars__item">
            <input
              type="radio"
              id={`${id}-${n}`}
              name={name}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              className="stars__input"
            />
            <label
              htmlFor={`${id}-${n}`}
              className={n <= value ? 'stars__star stars__star--on' : 'stars__star'}
            >
              <span aria-hidden="true">{n <= value ? '★' : '☆'}</span>
              <span className="visually-hidden">
                {n} étoile{n > 1 ? 's' : ''} sur 5 ({SKILL_LEVEL_LABELS[n - 1]})
              </span>
            </label>
          </span>
        ))}
        <span className="stars__value" aria-hidden="true">
          {value >= 1 && value <= 5 ? `${value}/5 · ${SKILL_LEVEL_LABELS[value - 1]}` : 'Aucun niveau'}
        </span>
      </div>
    </fieldset>
  );
}
