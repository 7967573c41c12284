/**
 * The list of groups and networks moderators keep (seed 004 « groupe de distribution »): pure rules
 * of the moderators' screen. The server (`sync-server/src/domain/company-groups.ts`) decides; these
 * helpers check a form before it is sent (with the server's wording), sort, count and turn the
 * server's answers into messages placed next to the fields.
 */
import {
  COMPANY_GROUP_KIND_LABELS,
  COMPANY_GROUP_KINDS,
  type CompanyGroup,
  type CompanyGroupKind,
} from '../../../../shared/domain/company-profile';
import type { ApiProblem } from './api-problem';

export type { ApiProblem };

/** As the server: at most 150 characters once spaces are collapsed. */
export const GROUP_NAME_MAX = 150;
export const GROUP_NAME_MIN = 2;

export type GroupField = 'name' | 'kind';

export interface GroupFormValues {
  name: string;
  kind: CompanyGroupKind | '';
}

export interface GroupFieldError {
  field: GroupField;
  message: string;
}

export const EMPTY_GROUP_FORM: GroupFormValues = { name: '', kind: 'groupe' };

export const NAME_REQUIRED = `Le nom du groupe est obligatoire (${GROUP_NAME_MIN} caractères au moins).`;
export const NAME_TOO_LONG = `Le nom du groupe ne doit pas dépasser ${GROUP_NAME_MAX} caractères.`;
export const KIND_REQUIRED = `Choisissez le type : ${COMPANY_GROUP_KINDS.map((k) => COMPANY_GROUP_KIND_LABELS[k]).join(' ou ')}.`;

/** Spaces collapsed and trimmed, as the server stores the name. */
export function normaliseGroupName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

export function isGroupKind(value: unknown): value is CompanyGroupKind {
  return typeof value === 'string' && (COMPANY_GROUP_KINDS as readonly string[]).includes(value);
}

export function kindLabel(kind: string): string {
  return isGroupKind(kind) ? COMPANY_GROUP_KIND_LABELS[kind] : kind;
}

/** The form's problems, in the order of its fields (empty when it may be sent). */
export function validateGroupForm(values: GroupFormValues): GroupFieldError[] {
  const errors: GroupFieldError[] = [];
  const name = normaliseGroupName(values.name);
  if (name.length < GROUP_NAME_MIN) errors.push({ field: 'name', message: NAME_REQUIRED });
  else if (name.length > GROUP_NAME_MAX) errors.push({ field: 'name', message: NAME_TOO_LONG });
  if (!isGroupKind(values.kind)) errors.push({ field: 'kind', message: KIND_REQUIRED });
  return errors;
}

/** The body of POST /api/company-groups and PUT /api/company-groups/:id. */
export function groupBody(values: GroupFormValues): { name: string; kind: CompanyGroupKind } {
  return { name: normaliseGroupName(values.name), kind: values.kind as CompanyGroupKind };
}

/** A group's values in the edit form. */
export function groupToForm(group: CompanyGroup): GroupFormValues {
  return { name: group.name, kind: group.kind };
}

/** True when the edit changes nothing the server would store. */
export function isUnchanged(group: CompanyGroup, values: GroupFormValues): boolean {
  return normaliseGroupName(values.name) === group.name && values.kind === group.kind;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

/**
 * Sorted like the server's list (`order by lower(name), id`): by name regardless of case (and of
 * accents, as a French reader expects), then by id so equal names keep a stable order.
 */
export function sortGroups(groups: readonly CompanyGroup[]): CompanyGroup[] {
  return [...groups].sort(
    (a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The list with this group added or replaced (the server's answer to a POST or a PUT), sorted. */
export function upsertGroup(groups: readonly CompanyGroup[], group: CompanyGroup): CompanyGroup[] {
  return sortGroups([...groups.filter((g) => g.id !== group.id), group]);
}

/** The list without this group (after a DELETE). */
export function removeGroup(groups: readonly CompanyGroup[], id: string): CompanyGroup[] {
  return groups.filter((g) => g.id !== id);
}

const KIND_COUNT_LABELS: Record<CompanyGroupKind, [string, string]> = {
  groupe: ['groupe', 'groupes'],
  reseau: ['réseau', 'réseaux'],
};

/** « 3 groupes et réseaux : 1 groupe, 2 réseaux » (or that there are none). */
export function summariseGroups(groups: readonly CompanyGroup[]): string {
  const n = groups.length;
  if (n === 0) return 'Aucun groupe ni réseau';
  const parts = COMPANY_GROUP_KINDS.map((kind) => {
    const count = groups.filter((g) => g.kind === kind).length;
    const [one, many] = KIND_COUNT_LABELS[kind];
    return count > 0 ? `${count} ${count > 1 ? many : one}` : '';
  }).filter(Boolean);
  return `${n} ${n > 1 ? 'groupes et réseaux' : 'groupe ou réseau'} : ${parts.join(', ')}`;
}

export interface FormProblem {
  /** Errors to show next to the name and type fields. */
  fields: GroupFieldError[];
  /** A message for the whole form (none when every problem is attached to a field). */
  message: string | null;
}

/**
 * The server's answer to a POST or PUT, placed on the form: its field errors next to the fields
 * (e.g. 409 « Un groupe ou réseau porte déjà ce nom. » on the name), anything else as a message.
 */
export function formProblem(problem: ApiProblem): FormProblem {
  const fields: GroupFieldError[] = [];
  const others: string[] = [];
  for (const f of problem.fields ?? []) {
    if (f.field === 'name' || f.field === 'kind') fields.push({ field: f.field, message: f.message });
    else others.push(f.message);
  }
  if (fields.length === 0) return { fields, message: [problem.message, ...others].join(' ') };
  return { fields, message: others.length > 0 ? others.join(' ') : null };
}

/** The problem of one field, or undefined. */
export function errorOf(errors: readonly GroupFieldError[], field: GroupField): string | undefined {
  const messages = errors.filter((e) => e.field === field).map((e) => e.message);
  return messages.length > 0 ? messages.join(' ') : undefined;
}

/**
 * Why a deletion failed, as the moderator reads it: the server's 409 says how many profiles use
 * the group and to rename it instead; a 404 means someone else already removed it.
 */
export function deleteProblem(group: CompanyGroup, problem: ApiProblem): string {
  if (problem.status === 404)
    return `« ${group.name} » n’existe plus : un autre modérateur l’a peut-être supprimé. La liste est mise à jour.`;
  return `« ${group.name} » n’a pas été supprimé. ${problem.message}`;
}

/** The list the server sent, if it has the expected shape (anything else is ignored). */
export function readGroupList(body: unknown): CompanyGroup[] | null {
  const items = body && typeof body === 'object' ? (body as { items?: unknown }).items : undefined;
  return isGroupList(items) ? sortGroups(items) : null;
}

/** Whether a value (the server's answer, this workstation's cache) is a list of groups. */
export function isGroupList(value: unknown): value is CompanyGroup[] {
  return (
    Array.isArray(value) &&
    value.every(
      (g) =>
        g &&
        typeof g === 'object' &&
        typeof (g as CompanyGroup).id === 'string' &&
        typeof (g as CompanyGroup).name === 'string' &&
        isGroupKind((g as CompanyGroup).kind),
    )
  );
}
