/**
 * The content rules of an event (DESIGN §4 `events`: salons and recruitment sessions), checked by
 * the workstation's form and by the server alike (French messages, per field).
 */
import type { EventDoc } from '../schemas/event.schema';
import type { FieldError } from '../sync/errors';
import { parisDay } from './offer-lifecycle';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether `YYYY-MM-DD` is a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The day one year before `today` (YYYY-MM-DD). */
export function yearBefore(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y - 1, m - 1, d));
  return t.toISOString().slice(0, 10);
}

/**
 * Checks an event's content without the database (French messages, per field). `dateRequired`:
 * a session request may leave the day to the partner; `checkDate`: the day is new or changed
 * (an old event may still be edited).
 */
export function validateEventContent(
  e: Partial<EventDoc>,
  now: Date,
  options: { dateRequired: boolean; checkDate: boolean },
): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof e.name === 'string' ? e.name.trim() : '';
  if (!name) errors.push({ field: 'name', message: 'Donnez un nom à l’événement.' });
  else if (name.length > 150)
    errors.push({ field: 'name', message: 'Le nom ne doit pas dépasser 150 caractères.' });
  const date = typeof e.date === 'string' ? e.date : '';
  if (!date) {
    if (options.dateRequired) errors.push({ field: 'date', message: 'Indiquez la date de l’événement.' });
  } else if (!isCalendarDate(date)) {
    errors.push({ field: 'date', message: 'Date invalide : utilisez le format AAAA-MM-JJ.' });
  } else if (options.checkDate && date < yearBefore(parisDay(now))) {
    errors.push({
      field: 'date',
      message: 'La date ne peut pas être antérieure de plus d’un an à aujourd’hui.',
    });
  }
  for (const f of ['startTime', 'endTime'] as const) {
    const v = e[f];
    if (v !== undefined && v !== '' && (typeof v !== 'string' || !TIME.test(v)))
      errors.push({
        field: f,
        message: `Heure de ${f === 'startTime' ? 'début' : 'fin'} invalide : utilisez le format HH:MM (par exemple 09:30).`,
      });
  }
  if (
    typeof e.startTime === 'string' &&
    typeof e.endTime === 'string' &&
    TIME.test(e.startTime) &&
    TIME.test(e.endTime) &&
    e.endTime <= e.startTime
  )
    errors.push({ field: 'endTime', message: 'L’heure de fin doit être après l’heure de début.' });
  const place = e.place ?? {};
  if (place.postalCode && !/^\d{5}$/.test(place.postalCode))
    errors.push({ field: 'place.postalCode', message: 'Le code postal compte 5 chiffres.' });
  if (e.kind === 'salon' && !place.label?.trim() && !place.city?.trim())
    errors.push({
      field: 'place',
      message: 'Indiquez le lieu du salon : son nom ou sa commune.',
    });
  const dupes = (list: unknown) => Array.isArray(list) && new Set(list).size !== list.length;
  if (dupes(e.offerIds))
    errors.push({ field: 'offerIds', message: 'Une offre est présentée deux fois : retirez le doublon.' });
  if (dupes(e.colleagueIds))
    errors.push({ field: 'colleagueIds', message: 'Un collègue est cité deux fois : retirez le doublon.' });
  return errors;
}
