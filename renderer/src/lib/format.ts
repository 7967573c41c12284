/** French formatting helpers. */

const dateFormat = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function parse(iso: string | undefined | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "07/10/2021" */
export function formatDate(iso: string | undefined | null): string {
  const d = parse(iso);
  return d ? dateFormat.format(d) : '';
}

/** "14:03:27" */
export function formatTime(iso: string | undefined | null): string {
  const d = parse(iso);
  return d ? timeFormat.format(d) : '';
}

/** "07/10/2021 14:03" */
export function formatDateTime(iso: string | undefined | null): string {
  const d = parse(iso);
  return d ? dateTimeFormat.format(d) : '';
}

/** French plural: 0 and 1 take the singular. */
export function plural(n: number, singular: string, pluralForm: string): string {
  return Math.abs(n) < 2 ? singular : pluralForm;
}

/** Lower-case, accent-free text for searching. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}
