/** French formatting of what the portal shows. Pure functions, tested in format.test.ts. */
import {
  CONTRACT_TYPE_LABELS,
  type ContractType,
  SALARY_PERIOD_LABELS,
  type SalaryPeriod,
} from '../../../shared/domain/offer';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

/** `dd/mm/yyyy`: a calendar date is shown as is, an instant in Paris time. Empty when unreadable. */
export function formatDate(value: string | undefined): string {
  if (!value) return '';
  const day = DATE_ONLY.exec(value);
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

const euros = new Intl.NumberFormat('fr-FR', {
  style: 'currency',
  currency: 'EUR',
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});

export function formatEuros(amount: number): string {
  // Hourly wages keep their cents (11,65 €), round amounts do not (1 800 €).
  return Number.isInteger(amount) ? euros.format(amount) : euros.format(Math.round(amount * 100) / 100);
}

/** « 1 800 € à 2 100 € par mois », « À partir de 11,65 € de l’heure », or '' without any amount. */
export function formatSalary(offer: {
  salaryMin?: number;
  salaryMax?: number;
  salaryPeriod?: string;
}): string {
  const { salaryMin: min, salaryMax: max } = offer;
  const period =
    offer.salaryPeriod && offer.salaryPeriod in SALARY_PERIOD_LABELS
      ? ` ${SALARY_PERIOD_LABELS[offer.salaryPeriod as SalaryPeriod]}`
      : '';
  if (min !== undefined && max !== undefined) {
    if (min === max) return `${formatEuros(min)}${period}`;
    return `${formatEuros(min)} à ${formatEuros(max)}${period}`;
  }
  if (min !== undefined) return `À partir de ${formatEuros(min)}${period}`;
  if (max !== undefined) return `Jusqu’à ${formatEuros(max)}${period}`;
  return '';
}

export function contractLabel(type: string): string {
  return type in CONTRACT_TYPE_LABELS ? CONTRACT_TYPE_LABELS[type as ContractType] : type;
}

/** « Clermont-Ferrand (63000) », or the city alone. */
export function formatPlace(city: string, postalCode?: string): string {
  return postalCode ? `${city} (${postalCode})` : city;
}

const integer = new Intl.NumberFormat('fr-FR');

/** « 1 offre », « 1 234 offres » (French: singular for 0 and 1). */
export function formatOfferCount(count: number): string {
  return `${integer.format(count)} ${count > 1 ? 'offres' : 'offre'}`;
}

export const SITE_NAME = 'Emploi Territoires';

export function pageTitle(title: string): string {
  return `${title} – ${SITE_NAME}`;
}
