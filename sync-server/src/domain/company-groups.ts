/**
 * Groups and networks companies belong to (seed 004 « groupe de distribution »): moderators keep
 * the list, recruiters choose from it in their company profile, everyone may read it.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import {
  COMPANY_GROUP_KIND_LABELS,
  COMPANY_GROUP_KINDS,
  type CompanyGroup,
  type CompanyGroupKind,
} from '../../../shared/domain/company-profile';
import type { FieldError } from '../../../shared/sync/errors';
import { requireUser } from '../auth/request-user';
import type { Database, Queryable } from '../db/database';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';

export const GROUP_NAME_MAX = 150;
export const GROUP_NOT_FOUND = 'Ce groupe ou réseau n’existe pas (ou plus).';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isPlatformMember(user: SessionUser): boolean {
  return user.memberships.some((m) => m.kind === 'platform');
}

export interface CompanyGroupInput {
  name: string;
  kind: CompanyGroupKind;
}

export interface CompanyGroupPatch {
  name: string;
  kind?: CompanyGroupKind | undefined;
}

/**
 * Reads `{ name, kind }` from a request body, with French field errors. Without `kind`, a new group
 * is a « groupe » and an existing one keeps its kind (`kind` is then undefined).
 */
export function decodeCompanyGroup(body: unknown, fallbackKind: CompanyGroupKind): CompanyGroupInput;
export function decodeCompanyGroup(body: unknown, fallbackKind?: undefined): CompanyGroupPatch;
export function decodeCompanyGroup(body: unknown, fallbackKind?: CompanyGroupKind): CompanyGroupPatch {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Objet JSON attendu.');
  const b = body as Record<string, unknown>;
  const fields: FieldError[] = [];
  const name = typeof b.name === 'string' ? b.name.replace(/\s+/g, ' ').trim() : '';
  if (name.length < 2)
    fields.push({ field: 'name', message: 'Le nom du groupe est obligatoire (2 caractères au moins).' });
  else if (name.length > GROUP_NAME_MAX)
    fields.push({
      field: 'name',
      message: `Le nom du groupe ne doit pas dépasser ${GROUP_NAME_MAX} caractères.`,
    });
  const kind = b.kind === undefined ? fallbackKind : b.kind;
  if (
    kind !== undefined &&
    (typeof kind !== 'string' || !(COMPANY_GROUP_KINDS as readonly string[]).includes(kind))
  ) {
    fields.push({
      field: 'kind',
      message: `Type inconnu : choisissez ${COMPANY_GROUP_KINDS.map((k) => `« ${k} » (${COMPANY_GROUP_KIND_LABELS[k]})`).join(' ou ')}.`,
    });
  }
  if (fields.length > 0)
    throw badRequest('Le groupe n’a pas été enregistré : corrigez les champs indiqués.', fields);
  return { name, kind: kind as CompanyGroupKind | undefined };
}

type GroupRow = { id: string; name: string; kind: CompanyGroupKind };

export async function listCompanyGroups(db: Queryable): Promise<CompanyGroup[]> {
  const { rows } = await db.query<GroupRow>(
    'select id::text as id, name, kind from company_groups order by lower(name), id',
  );
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind }));
}

export async function findCompanyGroup(db: Queryable, id: string): Promise<CompanyGroup | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<GroupRow>(
    'select id::text as id, name, kind from company_groups where id = $1::uuid',
    [id],
  );
  return rows[0] ?? null;
}

const DUPLICATE = 'Un groupe ou réseau porte déjà ce nom.';

async function assertNameFree(tx: Queryable, name: string, exceptId: string | null): Promise<void> {
  const { rows } = await tx.query(
    'select 1 from company_groups where lower(name) = lower($1) and ($2::uuid is null or id <> $2::uuid)',
    [name, exceptId],
  );
  if (rows.length > 0)
    throw new HttpError(409, 'conflict', DUPLICATE, [{ field: 'name', message: DUPLICATE }]);
}

function requireModerator(user: SessionUser): void {
  if (!isPlatformMember(user))
    throw forbidden('Seuls les modérateurs de la plateforme gèrent la liste des groupes et réseaux.');
}

async function audit(tx: Queryable, user: SessionUser, action: string, id: string, detail: object) {
  await tx.query(
    `insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, $2, 'company_groups', $3, $4)`,
    [user.id, action, id, JSON.stringify(detail)],
  );
}

export async function createCompanyGroup(
  db: Database,
  user: SessionUser,
  input: CompanyGroupInput,
  id: string = randomUUID(),
): Promise<CompanyGroup> {
  requireModerator(user);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(727101)');
    await assertNameFree(tx, input.name, null);
    await tx.query('insert into company_groups (id, name, kind, created_by) values ($1, $2, $3, $4)', [
      id,
      input.name,
      input.kind,
      user.id,
    ]);
    await audit(tx, user, 'company-group-created', id, input);
    return { id, ...input };
  });
}

export async function updateCompanyGroup(
  db: Database,
  user: SessionUser,
  id: string,
  patch: CompanyGroupPatch,
): Promise<CompanyGroup> {
  requireModerator(user);
  if (!isUuid(id)) throw notFound(GROUP_NOT_FOUND);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(727101)');
    const found = await tx.query<{ kind: CompanyGroupKind }>(
      'select kind from company_groups where id = $1::uuid for update',
      [id],
    );
    if (found.rows.length === 0) throw notFound(GROUP_NOT_FOUND);
    const input: CompanyGroupInput = { name: patch.name, kind: patch.kind ?? found.rows[0]!.kind };
    await assertNameFree(tx, input.name, id);
    await tx.query('update company_groups set name = $2, kind = $3, updated_at = now() where id = $1::uuid', [
      id,
      input.name,
      input.kind,
    ]);
    await audit(tx, user, 'company-group-updated', id, input);
    return { id, ...input };
  });
}

/** Deletes a group no profile uses (a profile keeps its group: rename the group instead). */
export async function deleteCompanyGroup(db: Database, user: SessionUser, id: string): Promise<void> {
  requireModerator(user);
  if (!isUuid(id)) throw notFound(GROUP_NOT_FOUND);
  await db.transaction(async (tx) => {
    const found = await tx.query<{ name: string }>(
      'select name from company_groups where id = $1::uuid for update',
      [id],
    );
    if (found.rows.length === 0) throw notFound(GROUP_NOT_FOUND);
    const used = await tx.query<{ n: number }>(
      `select count(*)::int as n from companies where not deleted and doc->>'groupId' = $1`,
      [id],
    );
    const n = Number(used.rows[0]?.n ?? 0);
    if (n > 0) {
      throw new HttpError(
        409,
        'conflict',
        `Ce groupe est choisi par ${n} fiche${n > 1 ? 's' : ''} entreprise : il ne peut pas être supprimé. Renommez-le plutôt.`,
      );
    }
    await tx.query('delete from company_groups where id = $1::uuid', [id]);
    await audit(tx, user, 'company-group-deleted', id, { name: found.rows[0]!.name });
  });
}

export async function registerCompanyGroupRoutes(
  app: FastifyInstance,
  deps: { db: Database },
): Promise<void> {
  const { db } = deps;

  /** Anyone (signed in or not): the workstation's form and the portal read it. */
  app.get('/api/company-groups', async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    return { items: await listCompanyGroups(db) };
  });

  app.post('/api/company-groups', async (request, reply) => {
    const user = await requireUser(db, request);
    requireModerator(user);
    const group = await createCompanyGroup(db, user, decodeCompanyGroup(request.body, 'groupe'));
    return reply.code(201).send(group);
  });

  app.put<{ Params: { id: string } }>('/api/company-groups/:id', async (request) => {
    const user = await requireUser(db, request);
    requireModerator(user);
    return updateCompanyGroup(db, user, request.params.id, decodeCompanyGroup(request.body));
  });

  app.delete<{ Params: { id: string } }>('/api/company-groups/:id', async (request, reply) => {
    const user = await requireUser(db, request);
    requireModerator(user);
    await deleteCompanyGroup(db, user, request.params.id);
    return reply.code(204).send();
  });
}
