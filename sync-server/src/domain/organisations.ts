import type { MemberRole, OrganisationKind, SessionUser } from '../../../shared/domain/account';
import { ORGANISATION_KIND_LABELS } from '../../../shared/domain/account';
import {
  normaliseNafCode,
  type OrganisationAddress,
  sameSiret,
  VERIFICATION_STATE_LABELS,
  type VerificationState,
  validateOrganisationInput,
  verificationRequired,
} from '../../../shared/domain/organisation';
import { formatSiret, normaliseSiret } from '../../../shared/domain/siret';
import { type OrganisationDoc, organisationSchema } from '../../../shared/schemas/organisation.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { canonicalJson } from '../sync/canonical';
import { CHANGES_CHANNEL, CURRENT_TXID, type SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, NoticeDraft, PushDecision } from '../sync/types';

/**
 * Organisations (DESIGN §4, seeds 000, 003): the replicated collection `organisations` and the rules
 * shared by its push handler and the REST API (organisation-routes.ts).
 *
 * The relational rows (`organisations`, `memberships`, `invitations`, `accounts`) are the truth;
 * the replicated document is rebuilt from them by `writeOrganisationDoc` after every change.
 * Administrators edit the identity fields (by push or by `PUT /api/organisations/:id`); members,
 * invitations, verification, kind and parent are server-owned.
 *
 * Verification: an employer or agency starts « en attente » and cannot publish offers until a
 * moderator accepts it (`organisations.verified` mirrors the state 'verifiee'). A verified
 * organisation that changes its SIRET goes back to verification: the SIRET is what the moderator
 * checked, and a new one is another establishment. A change of name keeps the verification (typos
 * are fixed by the members themselves, seed 003 « Modifier les informations ») but is written to the
 * audit log and told to the moderators, who may still ask for information or refuse. An
 * organisation whose verification asked for information, or was refused, goes back to the queue
 * when its administrators edit its identity (that is how they answer).
 */

export const IDENTITY_FIELDS = [
  'name',
  'subtype',
  'siret',
  'nafCode',
  'sizeBand',
  'sector',
  'phone',
  'email',
  'address',
] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type IdentityInput = Partial<Record<IdentityField, unknown>>;

export const PENDING_VERIFICATION: readonly VerificationState[] = ['en_attente', 'informations_demandees'];

interface OrganisationRow {
  id: string;
  kind: OrganisationKind;
  subtype: string | null;
  name: string;
  siret: string | null;
  naf_code: string | null;
  size_band: string | null;
  sector: string | null;
  phone: string | null;
  email: string | null;
  address: OrganisationAddress | null;
  parent_id: string | null;
  verification_state: VerificationState;
  verification_reason: string | null;
  verification_decided_at: Date | string | null;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  verified: boolean;
}

const ORGANISATION_COLUMNS = `id::text, kind, subtype, name, siret, naf_code, size_band, sector, phone, email,
  address, parent_id::text, verification_state, verification_reason, verification_decided_at,
  created_by::text, created_at, updated_at, verified`;

export function isUuid(value: unknown): value is string {
  return (
    typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}

export function iso(value: Date | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export async function loadOrganisation(
  tx: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrganisationRow | null> {
  if (!isUuid(id)) return null;
  const { rows } = await tx.query<OrganisationRow>(
    `select ${ORGANISATION_COLUMNS} from organisations where id = $1${options.forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The role of an account in an organisation, read from the database (null: not a member). */
export async function roleOf(
  tx: Queryable,
  organisationId: string,
  accountId: string,
): Promise<MemberRole | null> {
  const { rows } = await tx.query<{ role: MemberRole }>(
    'select role from memberships where organisation_id = $1 and account_id = $2',
    [organisationId, accountId],
  );
  return rows[0]?.role ?? null;
}

export interface MemberRow {
  account_id: string;
  first_name: string;
  last_name: string;
  email: string;
  job_title: string | null;
  role: MemberRole;
  created_at: Date | string;
}

export async function membersOf(tx: Queryable, organisationId: string): Promise<MemberRow[]> {
  const { rows } = await tx.query<MemberRow>(
    `select m.account_id::text, a.first_name, a.last_name, a.email, a.job_title, m.role, m.created_at
       from memberships m join accounts a on a.id = m.account_id
      where m.organisation_id = $1 and a.disabled_at is null
      order by m.created_at, a.last_name, a.first_name, m.account_id`,
    [organisationId],
  );
  return rows;
}

/** The kinds of the organisations an account belongs to (for the prescriber/employer rule). */
export async function membershipKinds(tx: Queryable, accountId: string): Promise<OrganisationKind[]> {
  const { rows } = await tx.query<{ kind: OrganisationKind }>(
    'select distinct o.kind from memberships m join organisations o on o.id = m.organisation_id where m.account_id = $1',
    [accountId],
  );
  return rows.map((r) => r.kind);
}

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

function cleanAddress(a: OrganisationAddress | null | undefined): OrganisationDoc['address'] | undefined {
  if (!a || typeof a !== 'object' || typeof a.postalCode !== 'string' || typeof a.city !== 'string')
    return undefined;
  const out: NonNullable<OrganisationDoc['address']> = { postalCode: a.postalCode, city: a.city };
  if (typeof a.street === 'string' && a.street) out.street = a.street;
  if (typeof a.communeCode === 'string' && a.communeCode) out.communeCode = a.communeCode;
  if (typeof a.latitude === 'number' && typeof a.longitude === 'number') {
    out.latitude = a.latitude;
    out.longitude = a.longitude;
  }
  return out;
}

/** The replicated document of an organisation, built from its rows (null if it does not exist). */
export async function buildOrganisationDoc(
  tx: Queryable,
  organisationId: string,
): Promise<OrganisationDoc | null> {
  const o = await loadOrganisation(tx, organisationId);
  if (!o) return null;
  const members = (await membersOf(tx, organisationId)).slice(0, 1000).map((m) => ({
    accountId: m.account_id,
    firstName: clip(m.first_name, 100),
    lastName: clip(m.last_name, 100),
    email: clip(m.email, 254),
    ...(m.job_title ? { jobTitle: clip(m.job_title, 100) } : {}),
    role: m.role,
    joinedAt: iso(m.created_at)!,
  }));
  const invitations = await tx.query<{
    id: string;
    email: string;
    invited_by: string | null;
    created_at: Date | string;
    expires_at: Date | string;
  }>(
    `select id::text, email, invited_by::text, created_at, expires_at from invitations
      where organisation_id = $1 and accepted_at is null and cancelled_at is null
      order by created_at desc, id limit 200`,
    [organisationId],
  );
  const address = cleanAddress(o.address);
  const doc: OrganisationDoc = {
    id: o.id,
    kind: o.kind,
    name: o.name,
    verificationState: o.verification_state,
    members,
    invitations: invitations.rows.map((i) => ({
      id: i.id,
      email: i.email,
      invitedBy: i.invited_by ?? '',
      invitedAt: iso(i.created_at)!,
      expiresAt: iso(i.expires_at)!,
    })),
    createdAt: iso(o.created_at)!,
    updatedAt: iso(o.updated_at)!,
    ...(o.subtype ? { subtype: o.subtype } : {}),
    ...(o.siret ? { siret: o.siret } : {}),
    ...(o.naf_code ? { nafCode: o.naf_code } : {}),
    ...(o.size_band ? { sizeBand: o.size_band } : {}),
    ...(o.sector ? { sector: o.sector } : {}),
    ...(o.phone ? { phone: o.phone } : {}),
    ...(o.email ? { email: o.email } : {}),
    ...(address ? { address } : {}),
    ...(o.parent_id ? { parentId: o.parent_id } : {}),
    ...(o.verification_reason ? { verificationReason: o.verification_reason } : {}),
    ...(o.verification_decided_at ? { verificationDecidedAt: iso(o.verification_decided_at)! } : {}),
    ...(o.created_by ? { createdBy: o.created_by } : {}),
  };
  return doc;
}

/**
 * Rebuilds the replicated document of an organisation from its rows and writes it (members,
 * pending invitations, identity, verification). Call it after every change, in the same
 * transaction. Writes a tombstone when the organisation no longer exists.
 */
export async function writeOrganisationDoc(
  tx: Queryable,
  engine: SyncEngine,
  organisationId: string,
): Promise<OrganisationDoc | null> {
  // The document's `updatedAt` says when anything in it changed (members and invitations too).
  if (isUuid(organisationId))
    await tx.query('update organisations set updated_at = greatest(updated_at, $2) where id = $1', [
      organisationId,
      clock.now().toISOString(),
    ]);
  const doc = await buildOrganisationDoc(tx, organisationId);
  if (!doc) {
    const exists = await tx.query('select 1 from organisation_docs where id = $1', [organisationId]);
    if (exists.rows.length > 0)
      await engine.write(
        tx,
        organisationsCollection,
        organisationsCollection.tombstone(organisationId),
        true,
      );
    return null;
  }
  await engine.write(tx, organisationsCollection, doc as unknown as Doc, false);
  return doc;
}

/**
 * An account left an organisation: every replicated document that organisation's members see
 * (key `org:<id>`, in every collection, the organisation's own document included) leaves that
 * account's replica at its next pull. Documents it still sees through another key stay.
 */
export async function recordMembershipExit(
  tx: Queryable,
  engine: SyncEngine,
  organisationId: string,
  accountId: string,
): Promise<void> {
  for (const collection of Object.values(engine.collections)) {
    const { rows } = await tx.query<{ id: string }>(
      `select id from ${collection.table} where keys && $1::text[]`,
      [[`org:${organisationId}`]],
    );
    await engine.recordScopeExit(
      tx,
      collection,
      accountId,
      rows.map((r) => r.id),
    );
  }
}

/**
 * An account joined an organisation. Its replica's checkpoints may already be past the positions
 * of that organisation's documents, so they are given new positions: the newcomer pulls them, the
 * other members receive them again unchanged (harmless). The organisation's own document is
 * rewritten by `writeOrganisationDoc` anyway.
 */
export async function recordMembershipEntry(
  tx: Queryable,
  engine: SyncEngine,
  organisationId: string,
): Promise<void> {
  for (const collection of Object.values(engine.collections)) {
    if (collection.name === organisationsCollection.name) continue;
    const { rows } = await tx.query<{ id: string }>(
      `update ${collection.table} set txid = ${CURRENT_TXID}, seq = nextval('sync_seq')
        where keys && $1::text[] and not deleted returning id`,
      [[`org:${organisationId}`]],
    );
    if (rows.length > 0) await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, collection.name]);
  }
}

/** The accounts of the platform organisation(s): the moderators. */
export async function moderatorIds(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ account_id: string }>(
    `select distinct m.account_id::text from memberships m join organisations o on o.id = m.organisation_id
      join accounts a on a.id = m.account_id
      where o.kind = 'platform' and a.disabled_at is null`,
  );
  return rows.map((r) => r.account_id);
}

export async function adminsOf(
  tx: Queryable,
  organisationId: string,
): Promise<{ account_id: string; email: string; first_name: string }[]> {
  const { rows } = await tx.query<{ account_id: string; email: string; first_name: string }>(
    `select m.account_id::text, a.email, a.first_name from memberships m join accounts a on a.id = m.account_id
      where m.organisation_id = $1 and m.role = 'admin' and a.disabled_at is null order by m.created_at`,
    [organisationId],
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Identity: creation and edits share these checks.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 .()-]{6,20}$/;

/** Identity values as stored: trimmed, normalised (SIRET digits only, NAF « 62.01Z »). */
export interface Identity {
  name: string;
  subtype?: string;
  siret?: string;
  nafCode?: string;
  sizeBand?: string;
  sector?: string;
  phone?: string;
  email?: string;
  address?: OrganisationAddress;
}

/** Normalises what a client sent; leaves invalid values in place for the validator to report. */
export function normaliseIdentity(input: IdentityInput): Record<IdentityField, unknown> {
  const out = {} as Record<IdentityField, unknown>;
  for (const f of IDENTITY_FIELDS) {
    const v = input[f];
    if (f === 'address') {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const a = v as Record<string, unknown>;
        const addr: Record<string, unknown> = {};
        for (const k of ['street', 'postalCode', 'city', 'communeCode'] as const) {
          if (typeof a[k] === 'string') {
            const t = (a[k] as string).trim();
            if (t) addr[k] = t;
          } else if (a[k] !== undefined && a[k] !== null) addr[k] = a[k];
        }
        if (a.latitude !== undefined && a.latitude !== null) addr.latitude = a.latitude;
        if (a.longitude !== undefined && a.longitude !== null) addr.longitude = a.longitude;
        out.address = addr;
      } else out.address = v ?? undefined;
      continue;
    }
    if (typeof v === 'string') {
      const t = v.trim();
      if (!t) out[f] = undefined;
      else if (f === 'siret') out[f] = normaliseSiret(t);
      else if (f === 'nafCode') out[f] = normaliseNafCode(t);
      else if (f === 'email') out[f] = t.toLowerCase();
      else out[f] = t;
    } else out[f] = v ?? undefined;
  }
  return out;
}

/** Every problem of an identity, in French, with its field. */
export function identityErrors(
  kind: OrganisationKind,
  identity: Record<IdentityField, unknown>,
  ids: { id?: string; parentId?: string } = {},
): FieldError[] {
  const errors: FieldError[] = validateOrganisationInput({
    ...(ids.id ? { id: ids.id } : {}),
    ...(ids.parentId ? { parentId: ids.parentId } : {}),
    kind,
    name: identity.name,
    subtype: identity.subtype,
    siret: identity.siret,
    nafCode: identity.nafCode,
    sizeBand: identity.sizeBand,
    sector: identity.sector,
    address: identity.address,
  });
  if (identity.phone !== undefined && !(typeof identity.phone === 'string' && PHONE.test(identity.phone)))
    errors.push({
      field: 'phone',
      message: 'Le numéro de téléphone n’est pas valide (chiffres, espaces, « + », 20 caractères au plus).',
    });
  if (
    identity.email !== undefined &&
    !(typeof identity.email === 'string' && EMAIL.test(identity.email) && identity.email.length <= 254)
  )
    errors.push({ field: 'email', message: 'L’adresse e-mail de l’organisation n’est pas valide.' });
  return errors;
}

export function asIdentity(v: Record<IdentityField, unknown>): Identity {
  const out: Identity = { name: String(v.name) };
  for (const f of ['subtype', 'siret', 'nafCode', 'sizeBand', 'sector', 'phone', 'email'] as const) {
    if (typeof v[f] === 'string') out[f] = v[f] as string;
  }
  if (v.address && typeof v.address === 'object') out.address = v.address as OrganisationAddress;
  return out;
}

function identityOfRow(o: OrganisationRow): Identity {
  const out: Identity = { name: o.name };
  if (o.subtype) out.subtype = o.subtype;
  if (o.siret) out.siret = o.siret;
  if (o.naf_code) out.nafCode = o.naf_code;
  if (o.size_band) out.sizeBand = o.size_band;
  if (o.sector) out.sector = o.sector;
  if (o.phone) out.phone = o.phone;
  if (o.email) out.email = o.email;
  const address = cleanAddress(o.address);
  if (address) out.address = address;
  return out;
}

/**
 * Another organisation of the same kind, outside this organisation's family (itself, its parent,
 * its antennas), already registered with this SIRET: its name, or null.
 */
export async function siretTakenBy(
  tx: Queryable,
  kind: OrganisationKind,
  siret: string,
  familyRoot: string | null,
): Promise<string | null> {
  const { rows } = await tx.query<{ name: string }>(
    `select name from organisations
      where kind = $1 and siret = $2 and ($3::uuid is null or coalesce(parent_id, id) <> $3::uuid)
      order by created_at limit 1`,
    [kind, siret, familyRoot],
  );
  return rows[0]?.name ?? null;
}

export function siretTakenError(name: string): FieldError {
  return {
    field: 'siret',
    message: `L’organisation « ${name} » est déjà inscrite avec ce SIRET : demandez à ses membres de vous inviter (ou, si vous en êtes administrateur, créez une antenne).`,
  };
}

export type EditOutcome =
  | { ok: true; changed: IdentityField[]; notices: NoticeDraft[]; state: VerificationState }
  | { ok: false; status: number; title: string; message: string; fields?: FieldError[] };

const sameValue = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * An administrator edits the identity of an organisation. `input` holds the identity fields as the
 * client sent them: a field absent from it keeps its value, a field sent empty is cleared (except
 * the name). Updates the row (and the verification, see the module comment) but does not write the
 * replicated document: the caller does (push decision or `writeOrganisationDoc`).
 */
export async function applyIdentityEdit(
  tx: Queryable,
  user: SessionUser,
  organisationId: string,
  input: IdentityInput,
  now: Date,
): Promise<EditOutcome> {
  const o = await loadOrganisation(tx, organisationId, { forUpdate: true });
  const role = o ? await roleOf(tx, organisationId, user.id) : null;
  if (!o || role === null)
    return {
      ok: false,
      status: 404,
      title: 'Organisation introuvable',
      message: 'Cette organisation n’existe pas ou vous n’en êtes pas membre.',
    };
  if (role !== 'admin')
    return {
      ok: false,
      status: 403,
      title: 'Modification refusée',
      message: 'Seuls les administrateurs de l’organisation modifient ses informations.',
    };
  const current = identityOfRow(o);
  const sent = normaliseIdentity(input);
  const merged = { ...current } as Record<IdentityField, unknown>;
  for (const f of IDENTITY_FIELDS) if (Object.hasOwn(input, f)) merged[f] = sent[f];
  const errors = identityErrors(o.kind, merged, {
    id: o.id,
    ...(o.parent_id ? { parentId: o.parent_id } : {}),
  });
  const next = errors.length === 0 ? asIdentity(merged) : null;
  const siretChanged = !!next && !sameSiret(next.siret, current.siret) && next.siret !== current.siret;
  if (next && siretChanged) {
    if (o.parent_id) {
      const parent = await loadOrganisation(tx, o.parent_id);
      errors.push({
        field: 'siret',
        message: `Une antenne partage le SIRET de son organisation mère${parent?.siret ? ` (${formatSiret(parent.siret)})` : ''} : il ne se modifie pas ici.`,
      });
    } else {
      const antennas = await tx.query('select 1 from organisations where parent_id = $1 limit 1', [o.id]);
      if (antennas.rows.length > 0)
        errors.push({
          field: 'siret',
          message:
            'Cette organisation a des antennes qui partagent son SIRET : contactez la modération pour le changer.',
        });
      else if (next.siret) {
        const taken = await siretTakenBy(tx, o.kind, next.siret, o.id);
        if (taken) errors.push(siretTakenError(taken));
      }
    }
  }
  if (errors.length > 0 || !next)
    return {
      ok: false,
      status: 400,
      title: 'Informations refusées',
      message: 'Les informations de l’organisation contiennent des erreurs et n’ont pas été enregistrées.',
      fields: errors,
    };
  const changed = IDENTITY_FIELDS.filter((f) => !sameValue(next[f], current[f]));
  if (changed.length === 0) return { ok: true, changed, notices: [], state: o.verification_state };

  let state = o.verification_state;
  const notices: NoticeDraft[] = [];
  const admins = await adminsOf(tx, o.id);
  if (verificationRequired(o.kind)) {
    if (state === 'verifiee' && siretChanged) state = 'en_attente';
    else if (state === 'informations_demandees' || state === 'refusee') state = 'en_attente';
  }
  if (state !== o.verification_state) {
    for (const a of admins)
      notices.push({
        userId: a.account_id,
        kind: 'information',
        collection: 'organisations',
        documentId: o.id,
        title: 'Organisation renvoyée en vérification',
        message:
          o.verification_state === 'verifiee'
            ? `Le SIRET de « ${next.name} » a changé : la modération vérifie de nouveau l’organisation. Ses offres ne peuvent pas être publiées d’ici là.`
            : `Les informations de « ${next.name} » ont été mises à jour : la modération les examine de nouveau.`,
      });
  }
  if (changed.includes('name') && state === 'verifiee') {
    for (const id of await moderatorIds(tx))
      notices.push({
        userId: id,
        kind: 'moderation',
        collection: 'organisations',
        documentId: o.id,
        title: 'Organisation renommée',
        message: `L’organisation vérifiée « ${o.name} » (${ORGANISATION_KIND_LABELS[o.kind]}) s’appelle désormais « ${next.name} ».`,
      });
  }
  await tx.query(
    `update organisations set name = $2, subtype = $3, siret = $4, naf_code = $5, size_band = $6, sector = $7,
            phone = $8, email = $9, address = $10, verification_state = $11, verified = ($11 = 'verifiee'),
            verification_reason = case when $11 = verification_state then verification_reason else null end,
            updated_at = $12
      where id = $1`,
    [
      o.id,
      next.name,
      next.subtype ?? null,
      next.siret ?? null,
      next.nafCode ?? null,
      next.sizeBand ?? null,
      next.sector ?? null,
      next.phone ?? null,
      next.email ?? null,
      next.address ? JSON.stringify(cleanAddress(next.address)) : null,
      state,
      now.toISOString(),
    ],
  );
  await tx.query(
    `insert into audit_log (actor_id, action, collection, document_id, detail)
     values ($1, 'organisation-modifiee', 'organisations', $2, $3)`,
    [
      user.id,
      o.id,
      JSON.stringify({
        fields: changed,
        ...(changed.includes('name') ? { from: o.name, to: next.name } : {}),
        ...(state !== o.verification_state
          ? { verification: { from: o.verification_state, to: state } }
          : {}),
      }),
    ],
  );
  return { ok: true, changed, notices, state };
}

export function verificationLabel(state: VerificationState): string {
  return VERIFICATION_STATE_LABELS[state];
}

// ---------------------------------------------------------------------------------------------
// The replicated collection.

const refuse = (title: string, message: string, fields?: FieldError[]): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(fields && fields.length > 0 ? { fields } : {}) },
});

export const organisationsCollection: CollectionDef = {
  name: 'organisations',
  table: 'organisation_docs',
  version: organisationSchema.version,
  schema: organisationSchema,
  keysFor(doc) {
    const keys = [`org:${String(doc.id)}`];
    if ((PENDING_VERIFICATION as readonly unknown[]).includes(doc.verificationState)) keys.push('moderation');
    return keys;
  },
  tombstone(id) {
    return {
      id,
      kind: 'employer',
      name: '',
      verificationState: 'en_attente',
      members: [],
      createdAt: '',
      updatedAt: '',
    };
  },
  async decide({ tx, user, now }, master, incoming, incomingDeleted) {
    if (incomingDeleted)
      return refuse(
        'Suppression refusée',
        'Une organisation ne se supprime pas depuis le poste de travail : contactez la modération.',
      );
    if (!master)
      return refuse(
        'Création refusée',
        'Une organisation se crée depuis l’écran « Organisation », connecté au serveur : elle n’a pas été enregistrée.',
      );
    const input: IdentityInput = {};
    for (const f of IDENTITY_FIELDS) input[f] = incoming[f];
    const outcome = await applyIdentityEdit(tx, user, master.id, input, now);
    if (!outcome.ok) return refuse(outcome.title, outcome.message, outcome.fields);
    const doc = await buildOrganisationDoc(tx, master.id);
    if (!doc) return refuse('Organisation introuvable', 'Cette organisation n’existe plus.');
    return {
      kind: 'write',
      doc: doc as unknown as Doc,
      ...(outcome.notices.length > 0 ? { notices: outcome.notices } : {}),
    };
  },
};
