import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type LoginResponse,
  type MemberRole,
  ORGANISATION_KIND_LABELS,
  ORGANISATION_KINDS,
  type OrganisationKind,
  type SessionUser,
  validateRecruiterSignup,
} from '../../../shared/domain/account';
import {
  initialVerificationState,
  membershipConflict,
  stateAfterDecision,
  type VerificationDecision,
  type VerificationState,
  validateVerificationDecision,
} from '../../../shared/domain/organisation';
import { formatSiret } from '../../../shared/domain/siret';
import type { OrganisationDoc } from '../../../shared/schemas/organisation.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { hashPassword } from '../auth/password';
import { optionalUser, requireUser } from '../auth/request-user';
import { createSession, hashToken, loadUser } from '../auth/sessions';
import { clock } from '../clock';
import { cvthequeMembershipEntry, cvthequeMembershipExit } from '../cvtheque';
import type { Database, Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { registerAccountRoutes } from './account-routes';
import {
  adminsOf,
  applyIdentityEdit,
  asIdentity,
  buildOrganisationDoc,
  type IdentityInput,
  identityErrors,
  iso,
  isUuid,
  loadOrganisation,
  membershipKinds,
  moderatorIds,
  normaliseIdentity,
  PENDING_VERIFICATION,
  recordMembershipEntry,
  recordMembershipExit,
  roleOf,
  siretTakenBy,
  siretTakenError,
  writeOrganisationDoc,
} from './organisations';
import {
  asRecord,
  frenchDate,
  isTokenShape,
  linkBase,
  newToken,
  personName,
  setSessionCookie,
  validEmail,
} from './route-helpers';

/** An invitation link works for this many days. */
export const INVITATION_DAYS = 7;
/** Pending invitations an organisation may have at once (the replicated document's bound). */
export const MAX_PENDING_INVITATIONS = 200;
/** Invitations an organisation may send per 24 hours (resends included). */
export const MAX_INVITATIONS_PER_DAY = 100;

export interface OrganisationRouteDeps {
  db: Database;
  engine: SyncEngine;
  /** Base of the links sent by e-mail; defaults to the address the request came to. */
  publicUrl?: string;
  secureCookies: boolean;
}

const NOT_FOUND = 'Cette organisation n’existe pas ou vous n’en êtes pas membre.';

function requireRecruiter(user: SessionUser, message: string): void {
  if (user.kind !== 'recruiter') throw forbidden(message);
}

function isModerator(user: SessionUser): boolean {
  return user.memberships.some((m) => m.kind === 'platform');
}

/** The caller's role in an organisation (404 when not a member: its existence is not revealed). */
async function requireRole(tx: Queryable, organisationId: string, user: SessionUser): Promise<MemberRole> {
  if (!isUuid(organisationId)) throw notFound(NOT_FOUND);
  const role = await roleOf(tx, organisationId, user.id);
  if (!role) throw notFound(NOT_FOUND);
  return role;
}

async function audit(
  tx: Queryable,
  actorId: string | null,
  action: string,
  collection: string,
  documentId: string,
  detail: Record<string, unknown> = {},
) {
  await tx.query(
    'insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, $2, $3, $4, $5)',
    [actorId, action, collection, documentId, JSON.stringify(detail)],
  );
}

// ---------------------------------------------------------------------------------------------
// Invitations

interface InvitationRow {
  id: string;
  organisation_id: string;
  email: string;
  invited_by: string | null;
  created_at: Date | string;
  expires_at: Date | string;
  accepted_at: Date | string | null;
  cancelled_at: Date | string | null;
  replaced_by: string | null;
}

const INVITATION_COLUMNS =
  'id::text, organisation_id::text, email, invited_by::text, created_at, expires_at, accepted_at, cancelled_at, replaced_by::text';

export type InvitationStatus = 'valide' | 'expiree' | 'acceptee' | 'annulee' | 'remplacee';

function invitationStatus(inv: InvitationRow, now: Date): InvitationStatus {
  if (inv.accepted_at) return 'acceptee';
  if (inv.replaced_by) return 'remplacee';
  if (inv.cancelled_at) return 'annulee';
  if (new Date(inv.expires_at).getTime() <= now.getTime()) return 'expiree';
  return 'valide';
}

const UNUSABLE_INVITATION: Record<Exclude<InvitationStatus, 'valide'>, string> = {
  acceptee: 'Cette invitation a déjà été utilisée : connectez-vous pour accéder à l’organisation.',
  remplacee:
    'Cette invitation a été remplacée par une invitation plus récente : utilisez le lien du dernier e-mail reçu.',
  annulee:
    'Cette invitation a été annulée par l’organisation. Demandez à l’un de ses membres de vous inviter de nouveau.',
  expiree: `Cette invitation a expiré (elle était valable ${INVITATION_DAYS} jours). Demandez à un membre de l’organisation de vous l’envoyer de nouveau.`,
};

function invitationGone(status: Exclude<InvitationStatus, 'valide'>): HttpError {
  return new HttpError(410, 'gone', UNUSABLE_INVITATION[status]);
}

async function invitationByToken(tx: Queryable, token: unknown, forUpdate = false): Promise<InvitationRow> {
  if (!isTokenShape(token))
    throw notFound('Cette invitation n’existe pas : vérifiez le lien reçu par e-mail.');
  const { rows } = await tx.query<InvitationRow>(
    `select ${INVITATION_COLUMNS} from invitations where token_hash = $1${forUpdate ? ' for update' : ''}`,
    [hashToken(token)],
  );
  const inv = rows[0];
  if (!inv) throw notFound('Cette invitation n’existe pas : vérifiez le lien reçu par e-mail.');
  return inv;
}

/**
 * Creates (or replaces) the pending invitation of `email` to an organisation and queues its
 * e-mail. A pending invitation of the same address is replaced: its link stops working.
 */
async function sendInvitation(
  tx: Queryable,
  deps: OrganisationRouteDeps,
  request: FastifyRequest,
  inviter: SessionUser,
  organisationId: string,
  email: string,
): Promise<{ id: string; email: string; expiresAt: string }> {
  const org = await loadOrganisation(tx, organisationId, { forUpdate: true });
  if (!org) throw notFound(NOT_FOUND);
  const member = await tx.query(
    `select 1 from memberships m join accounts a on a.id = m.account_id
      where m.organisation_id = $1 and lower(a.email) = $2 and a.disabled_at is null`,
    [organisationId, email],
  );
  if (member.rows.length > 0)
    throw new HttpError(409, 'conflict', 'Cette personne est déjà membre de l’organisation.', [
      { field: 'email', message: 'Cette personne est déjà membre de l’organisation.' },
    ]);
  const now = clock.now();
  const counts = await tx.query<{ pending: number; recent: number }>(
    `select count(*) filter (where accepted_at is null and cancelled_at is null and lower(email) <> $2)::int as pending,
            count(*) filter (where created_at > $3)::int as recent
       from invitations where organisation_id = $1`,
    [organisationId, email, new Date(now.getTime() - 24 * 3600 * 1000).toISOString()],
  );
  if ((counts.rows[0]?.pending ?? 0) >= MAX_PENDING_INVITATIONS)
    throw new HttpError(
      409,
      'conflict',
      `L’organisation a déjà ${MAX_PENDING_INVITATIONS} invitations en attente : annulez celles qui ne servent plus.`,
    );
  if ((counts.rows[0]?.recent ?? 0) >= MAX_INVITATIONS_PER_DAY)
    throw new HttpError(
      429,
      'too-many-requests',
      `Pas plus de ${MAX_INVITATIONS_PER_DAY} invitations par jour et par organisation : réessayez demain.`,
    );
  const id = randomUUID();
  const previous = await tx.query<{ id: string }>(
    `update invitations set cancelled_at = $3, replaced_by = $4
      where organisation_id = $1 and lower(email) = $2 and accepted_at is null and cancelled_at is null
      returning id::text`,
    [organisationId, email, now.toISOString(), id],
  );
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000);
  await tx.query(
    `insert into invitations (id, organisation_id, email, token_hash, invited_by, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [id, organisationId, email, hash, inviter.id, now.toISOString(), expiresAt.toISOString()],
  );
  const link = `${linkBase(deps, request)}/workstation/?invitation=${token}`;
  const inviterName = personName(inviter.firstName, inviter.lastName);
  await queueEmail(tx, {
    to: email,
    subject: `Invitation à rejoindre « ${org.name} » sur Emploi Territoires`,
    text: [
      'Bonjour,',
      '',
      `${inviterName} vous invite à rejoindre l’organisation « ${org.name} » (${ORGANISATION_KIND_LABELS[org.kind]}) sur Emploi Territoires, l’espace recruteur.`,
      '',
      'Pour accepter l’invitation, ouvrez ce lien :',
      link,
      '',
      'Si vous avez déjà un compte avec cette adresse e-mail, connectez-vous pour accepter ; sinon, ce lien vous permet de créer votre compte.',
      `Ce lien est valable jusqu’au ${frenchDate(expiresAt)} (${INVITATION_DAYS} jours). Passé ce délai, demandez à ${inviter.firstName} de vous envoyer une nouvelle invitation.`,
      '',
      'Si vous ne vous attendiez pas à cette invitation, ignorez ce message.',
      '',
      'L’équipe Emploi Territoires',
    ].join('\n'),
    dedupeKey: `invitation:${id}`,
  });
  await audit(
    tx,
    inviter.id,
    previous.rows.length > 0 ? 'invitation-renvoyee' : 'invitation-envoyee',
    'invitations',
    id,
    {
      organisationId,
      ...(previous.rows[0] ? { replaces: previous.rows[0].id } : {}),
    },
  );
  return { id, email, expiresAt: expiresAt.toISOString() };
}

// ---------------------------------------------------------------------------------------------
// Membership

/** Refuses when an account may not join an organisation of this kind (seed 003). */
async function checkMembershipConflict(
  tx: Queryable,
  accountId: string,
  kind: OrganisationKind,
): Promise<void> {
  const conflict = membershipConflict(await membershipKinds(tx, accountId), kind);
  if (conflict) throw new HttpError(409, 'conflict', conflict, [{ field: 'kind', message: conflict }]);
}

async function adminCount(tx: Queryable, organisationId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `select count(*)::int as n from memberships m join accounts a on a.id = m.account_id
      where m.organisation_id = $1 and m.role = 'admin' and a.disabled_at is null`,
    [organisationId],
  );
  return Number(rows[0]?.n ?? 0);
}

async function memberCount(tx: Queryable, organisationId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `select count(*)::int as n from memberships m join accounts a on a.id = m.account_id
      where m.organisation_id = $1 and a.disabled_at is null`,
    [organisationId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Adds an account to an organisation as a member and brings the organisation's data to its replica. */
async function joinOrganisation(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
  organisationId: string,
  role: MemberRole,
  at: Date,
): Promise<boolean> {
  const inserted = await tx.query(
    `insert into memberships (account_id, organisation_id, role, created_at) values ($1, $2, $3, $4)
     on conflict do nothing returning 1`,
    [accountId, organisationId, role, at.toISOString()],
  );
  if (inserted.rows.length === 0) return false;
  await recordMembershipEntry(tx, engine, organisationId);
  await cvthequeMembershipEntry(tx, engine, organisationId);
  return true;
}

// ---------------------------------------------------------------------------------------------

export async function registerOrganisationRoutes(app: FastifyInstance, deps: OrganisationRouteDeps) {
  const { db, engine } = deps;

  /** Creates an organisation (or an antenna of one): the creator becomes its administrator. */
  app.post('/api/organisations', async (request, reply) => {
    const user = await requireUser(db, request);
    requireRecruiter(
      user,
      'Un compte candidat ne peut pas créer d’organisation : créez un compte recruteur.',
    );
    const body = asRecord(request.body);
    const parentId =
      typeof body.parentId === 'string' && body.parentId.trim() ? body.parentId.trim() : undefined;
    const result = await db.transaction(async (tx) => {
      const now = clock.now();
      const fields: FieldError[] = [];
      let kind: OrganisationKind | undefined = (ORGANISATION_KINDS as readonly unknown[]).includes(body.kind)
        ? (body.kind as OrganisationKind)
        : undefined;
      const identity = normaliseIdentity(body as IdentityInput);
      let state: VerificationState;
      if (parentId !== undefined) {
        const parent = isUuid(parentId) ? await loadOrganisation(tx, parentId, { forUpdate: true }) : null;
        const parentRole = parent ? await roleOf(tx, parent.id, user.id) : null;
        if (!parent || !parentRole)
          throw badRequest('Organisation de rattachement introuvable.', [
            { field: 'parentId', message: 'Choisissez une organisation dont vous êtes membre.' },
          ]);
        if (parentRole !== 'admin')
          throw forbidden(`Seuls les administrateurs de « ${parent.name} » peuvent lui créer une antenne.`);
        if (parent.parent_id)
          throw badRequest('Une antenne ne peut pas avoir d’antenne.', [
            {
              field: 'parentId',
              message: 'Rattachez la nouvelle antenne à l’organisation mère, pas à une autre antenne.',
            },
          ]);
        if (parent.kind === 'prescriber' || parent.kind === 'platform')
          throw forbidden(
            'Les antennes d’une organisation prescriptrice sont créées par l’équipe de la plateforme : contactez la modération en indiquant le nom et l’adresse de chaque antenne.',
          );
        if (body.kind !== undefined && body.kind !== parent.kind)
          fields.push({ field: 'kind', message: 'Une antenne est du même type que son organisation mère.' });
        kind = parent.kind;
        if (identity.siret === undefined) identity.siret = parent.siret ?? undefined;
        else if (identity.siret !== parent.siret)
          fields.push({
            field: 'siret',
            message: `Une antenne partage le SIRET de son organisation mère${parent.siret ? ` (${formatSiret(parent.siret)})` : ''}.`,
          });
        state = parent.verification_state === 'verifiee' ? 'verifiee' : initialVerificationState(parent.kind);
      } else {
        if (kind === 'platform')
          throw forbidden(
            'L’organisation de modération de la plateforme ne se crée pas depuis le poste de travail.',
          );
        state = kind ? initialVerificationState(kind) : 'en_attente';
      }
      if (!kind) {
        throw badRequest('Choisissez le type d’organisation.', [
          { field: 'kind', message: 'Choisissez le type d’organisation.' },
          ...identityErrors('employer', identity).filter((e) => e.field !== 'kind'),
        ]);
      }
      fields.push(...identityErrors(kind, identity, parentId ? { parentId } : {}));
      if (fields.length > 0)
        throw badRequest('Les informations de l’organisation contiennent des erreurs.', fields);
      await checkMembershipConflict(tx, user.id, kind);
      const values = asIdentity(identity);
      if (!parentId && values.siret) {
        const taken = await siretTakenBy(tx, kind, values.siret, null);
        if (taken) {
          const e = siretTakenError(taken);
          throw new HttpError(409, 'conflict', e.message, [e]);
        }
      }
      const id = randomUUID();
      await tx.query(
        `insert into organisations (id, kind, subtype, name, siret, naf_code, size_band, sector, phone, email, address,
                                    parent_id, verification_state, verified, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)`,
        [
          id,
          kind,
          values.subtype ?? null,
          values.name,
          values.siret ?? null,
          values.nafCode ?? null,
          values.sizeBand ?? null,
          values.sector ?? null,
          values.phone ?? null,
          values.email ?? null,
          values.address ? JSON.stringify(values.address) : null,
          parentId ?? null,
          state,
          state === 'verifiee',
          user.id,
          now.toISOString(),
        ],
      );
      await tx.query(
        "insert into memberships (account_id, organisation_id, role, created_at) values ($1, $2, 'admin', $3)",
        [user.id, id, now.toISOString()],
      );
      await audit(tx, user.id, parentId ? 'antenne-creee' : 'organisation-creee', 'organisations', id, {
        kind,
        ...(parentId ? { parentId } : {}),
      });
      const doc = await writeOrganisationDoc(tx, engine, id);
      if ((PENDING_VERIFICATION as readonly string[]).includes(state)) {
        for (const moderator of await moderatorIds(tx))
          await engine.addNotice(tx, {
            userId: moderator,
            kind: 'moderation',
            collection: 'organisations',
            documentId: id,
            title: 'Organisation à vérifier',
            message: `« ${values.name} » (${ORGANISATION_KIND_LABELS[kind]}) attend sa vérification.`,
          });
      }
      return { organisation: doc };
    });
    reply.code(201);
    return { ...result, user: await loadUser(db, user.id) };
  });

  /** The caller's organisations, with their replicated documents and the caller's role. */
  app.get('/api/organisations/mine', async (request) => {
    const user = await requireUser(db, request);
    const organisations = [];
    for (const m of user.memberships) {
      const doc = await buildOrganisationDoc(db, m.organisationId);
      if (doc) organisations.push({ organisation: doc, role: m.role });
    }
    return { organisations };
  });

  app.get<{ Params: { id: string } }>('/api/organisations/:id', async (request) => {
    const user = await requireUser(db, request);
    const id = request.params.id;
    if (!isModerator(user)) await requireRole(db, id, user);
    const doc = isUuid(id) ? await buildOrganisationDoc(db, id) : null;
    if (!doc) throw notFound(NOT_FOUND);
    return { organisation: doc };
  });

  /** Administrators edit the identity fields (the same rules as a push of the document). */
  app.put<{ Params: { id: string } }>('/api/organisations/:id', async (request) => {
    const user = await requireUser(db, request);
    const body = asRecord(request.body);
    const input: IdentityInput = {};
    for (const [k, v] of Object.entries(body)) (input as Record<string, unknown>)[k] = v;
    return db.transaction(async (tx) => {
      await requireRole(tx, request.params.id, user);
      const outcome = await applyIdentityEdit(tx, user, request.params.id, input, clock.now());
      if (!outcome.ok) {
        if (outcome.status === 400) throw badRequest(outcome.message, outcome.fields);
        throw new HttpError(
          outcome.status,
          outcome.status === 403 ? 'forbidden' : 'not-found',
          outcome.message,
        );
      }
      for (const n of outcome.notices) await engine.addNotice(tx, n);
      const organisation = await writeOrganisationDoc(tx, engine, request.params.id);
      return { organisation, changed: outcome.changed };
    });
  });

  // --- Invitations -----------------------------------------------------------------------------

  app.post<{ Params: { id: string } }>('/api/organisations/:id/invitations', async (request, reply) => {
    const user = await requireUser(db, request);
    // Membership first: someone else learns nothing of the expected body (checked again below).
    await requireRole(db, request.params.id, user);
    const body = asRecord(request.body);
    const email = validEmail(body.email);
    if (!email)
      throw badRequest('L’adresse e-mail n’est pas valide.', [
        { field: 'email', message: 'Saisissez l’adresse e-mail de la personne à inviter.' },
      ]);
    const result = await db.transaction(async (tx) => {
      await requireRole(tx, request.params.id, user);
      const invitation = await sendInvitation(tx, deps, request, user, request.params.id, email);
      const organisation = await writeOrganisationDoc(tx, engine, request.params.id);
      return { invitation, organisation };
    });
    reply.code(201);
    return result;
  });

  app.post<{ Params: { id: string; invId: string } }>(
    '/api/organisations/:id/invitations/:invId/resend',
    async (request, reply) => {
      const user = await requireUser(db, request);
      const result = await db.transaction(async (tx) => {
        await requireRole(tx, request.params.id, user);
        const inv = isUuid(request.params.invId)
          ? (
              await tx.query<InvitationRow>(
                `select ${INVITATION_COLUMNS} from invitations where id = $1 and organisation_id = $2 for update`,
                [request.params.invId, request.params.id],
              )
            ).rows[0]
          : undefined;
        if (!inv) throw notFound('Cette invitation n’existe pas.');
        if (inv.accepted_at) throw new HttpError(409, 'conflict', 'Cette invitation a déjà été acceptée.');
        if (inv.cancelled_at)
          throw new HttpError(
            409,
            'conflict',
            'Cette invitation a été annulée ou remplacée : invitez de nouveau la personne si besoin.',
          );
        const invitation = await sendInvitation(
          tx,
          deps,
          request,
          user,
          request.params.id,
          inv.email.toLowerCase(),
        );
        const organisation = await writeOrganisationDoc(tx, engine, request.params.id);
        return { invitation, organisation };
      });
      reply.code(201);
      return result;
    },
  );

  app.delete<{ Params: { id: string; invId: string } }>(
    '/api/organisations/:id/invitations/:invId',
    async (request) => {
      const user = await requireUser(db, request);
      return db.transaction(async (tx) => {
        await requireRole(tx, request.params.id, user);
        const inv = isUuid(request.params.invId)
          ? (
              await tx.query<InvitationRow>(
                `select ${INVITATION_COLUMNS} from invitations where id = $1 and organisation_id = $2 for update`,
                [request.params.invId, request.params.id],
              )
            ).rows[0]
          : undefined;
        if (!inv) throw notFound('Cette invitation n’existe pas.');
        if (inv.accepted_at)
          throw new HttpError(
            409,
            'conflict',
            'Cette invitation a déjà été acceptée : retirez la personne de la liste des membres si besoin.',
          );
        if (!inv.cancelled_at) {
          await tx.query('update invitations set cancelled_at = $2 where id = $1', [
            inv.id,
            clock.now().toISOString(),
          ]);
          await audit(tx, user.id, 'invitation-annulee', 'invitations', inv.id, {
            organisationId: request.params.id,
          });
        }
        const organisation = await writeOrganisationDoc(tx, engine, request.params.id);
        return { organisation };
      });
    },
  );

  /** Public preview of an invitation (the token is the secret): who invites, to what, still valid? */
  app.get<{ Params: { token: string } }>('/api/invitations/:token', async (request) => {
    const inv = await invitationByToken(db, request.params.token);
    const org = await loadOrganisation(db, inv.organisation_id);
    if (!org) throw notFound('Cette invitation n’existe pas : vérifiez le lien reçu par e-mail.');
    const inviter = inv.invited_by
      ? (
          await db.query<{ first_name: string; last_name: string }>(
            'select first_name, last_name from accounts where id = $1 and disabled_at is null',
            [inv.invited_by],
          )
        ).rows[0]
      : undefined;
    const account = await db.query('select 1 from accounts where lower(email) = $1 and disabled_at is null', [
      inv.email.toLowerCase(),
    ]);
    const status = invitationStatus(inv, clock.now());
    return {
      invitation: {
        email: inv.email,
        organisationName: org.name,
        organisationKind: org.kind,
        invitedBy: inviter ? personName(inviter.first_name, inviter.last_name) : null,
        invitedAt: iso(inv.created_at),
        expiresAt: iso(inv.expires_at),
        status,
        expired: status === 'expiree',
        accountExists: account.rows.length > 0,
        ...(status === 'valide' ? {} : { message: UNUSABLE_INVITATION[status] }),
      },
    };
  });

  /**
   * Accepts an invitation: a signed-in account whose e-mail is the invited one joins; without a
   * session, the sign-up fields create the account (with the invited e-mail) and it joins.
   */
  app.post<{ Params: { token: string } }>('/api/invitations/:token/accept', async (request, reply) => {
    const signedIn = await optionalUser(db, request);
    const body = request.body === undefined || request.body === null ? {} : asRecord(request.body);
    let passwordHash: string | null = null;
    if (!signedIn) {
      if (typeof body.password !== 'string')
        throw new HttpError(
          401,
          'unauthenticated',
          'Connectez-vous avec le compte de l’adresse invitée, ou créez votre compte, pour accepter l’invitation.',
        );
      const preview = await invitationByToken(db, request.params.token);
      const previewStatus = invitationStatus(preview, clock.now());
      if (previewStatus !== 'valide') throw invitationGone(previewStatus);
      const errors = validateRecruiterSignup({ ...body, email: preview.email });
      if (errors.length > 0) throw badRequest('Le formulaire d’inscription contient des erreurs.', errors);
      passwordHash = await hashPassword(body.password);
    }
    const outcome = await db.transaction(async (tx) => {
      const inv = await invitationByToken(tx, request.params.token, true);
      const now = clock.now();
      const status = invitationStatus(inv, now);
      if (status !== 'valide') throw invitationGone(status);
      const org = await loadOrganisation(tx, inv.organisation_id, { forUpdate: true });
      if (!org) throw notFound('Cette organisation n’existe plus.');
      let accountId: string;
      let created = false;
      if (signedIn) {
        if (signedIn.kind !== 'recruiter')
          throw forbidden(
            'Un compte candidat ne peut pas rejoindre une organisation : créez un compte recruteur avec une autre adresse e-mail.',
          );
        if (signedIn.email.toLowerCase() !== inv.email.toLowerCase())
          throw forbidden(
            `Cette invitation a été envoyée à ${inv.email} : connectez-vous avec ce compte, ou demandez une invitation pour votre adresse (${signedIn.email}).`,
          );
        accountId = signedIn.id;
      } else {
        accountId = randomUUID();
        const inserted = await tx.query(
          `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title, created_at)
           values ($1, $2, $3, 'recruiter', $4, $5, $6, $7)
           on conflict ((lower(email))) do nothing returning id`,
          [
            accountId,
            inv.email.toLowerCase(),
            passwordHash,
            String(body.firstName).trim(),
            String(body.lastName).trim(),
            String(body.jobTitle).trim(),
            now.toISOString(),
          ],
        );
        if (inserted.rows.length === 0)
          throw new HttpError(
            409,
            'email-taken',
            'Un compte existe déjà avec cette adresse e-mail : connectez-vous pour accepter l’invitation.',
            [{ field: 'email', message: 'Un compte existe déjà avec cette adresse e-mail.' }],
          );
        created = true;
      }
      await checkMembershipConflict(tx, accountId, org.kind);
      const joined = await joinOrganisation(tx, engine, accountId, org.id, 'member', now);
      await tx.query('update invitations set accepted_at = $2, accepted_by = $3 where id = $1', [
        inv.id,
        now.toISOString(),
        accountId,
      ]);
      await audit(tx, accountId, 'invitation-acceptee', 'invitations', inv.id, { organisationId: org.id });
      const organisation = await writeOrganisationDoc(tx, engine, org.id);
      if (joined && inv.invited_by && inv.invited_by !== accountId) {
        const who = (
          await tx.query<{ first_name: string; last_name: string }>(
            'select first_name, last_name from accounts where id = $1',
            [accountId],
          )
        ).rows[0];
        await engine.addNotice(tx, {
          userId: inv.invited_by,
          kind: 'information',
          collection: 'organisations',
          documentId: org.id,
          title: 'Invitation acceptée',
          message: `${who ? personName(who.first_name, who.last_name) : inv.email} a rejoint « ${org.name} ».`,
        });
      }
      return { accountId, created, joined, organisation };
    });
    const user = await loadUser(db, outcome.accountId);
    if (outcome.created) {
      const token = await createSession(db, outcome.accountId, request.headers['user-agent']);
      setSessionCookie(reply, token, deps.secureCookies);
      reply.code(201);
      return { token, user, organisation: outcome.organisation } as LoginResponse & {
        organisation: OrganisationDoc | null;
      };
    }
    return { user, organisation: outcome.organisation, alreadyMember: !outcome.joined };
  });

  // --- Members ---------------------------------------------------------------------------------

  app.put<{ Params: { id: string; accountId: string } }>(
    '/api/organisations/:id/members/:accountId',
    async (request) => {
      const user = await requireUser(db, request);
      if ((await requireRole(db, request.params.id, user)) !== 'admin')
        throw forbidden(
          'Seuls les administrateurs de l’organisation nomment ou retirent les administrateurs.',
        );
      const body = asRecord(request.body);
      if (body.role !== 'admin' && body.role !== 'member')
        throw badRequest('Rôle inconnu.', [
          { field: 'role', message: 'Choisissez « administrateur » (admin) ou « membre » (member).' },
        ]);
      const role = body.role;
      return db.transaction(async (tx) => {
        const myRole = await requireRole(tx, request.params.id, user);
        if (myRole !== 'admin')
          throw forbidden(
            'Seuls les administrateurs de l’organisation nomment ou retirent les administrateurs.',
          );
        const org = await loadOrganisation(tx, request.params.id, { forUpdate: true });
        if (!org) throw notFound(NOT_FOUND);
        const target = isUuid(request.params.accountId)
          ? await roleOf(tx, org.id, request.params.accountId)
          : null;
        if (!target) throw notFound('Cette personne n’est pas membre de l’organisation.');
        if (target !== role) {
          if (target === 'admin' && (await adminCount(tx, org.id)) <= 1)
            throw new HttpError(
              409,
              'conflict',
              'L’organisation doit garder au moins un administrateur : nommez-en un autre avant de retirer ce rôle.',
            );
          await tx.query('update memberships set role = $3 where organisation_id = $1 and account_id = $2', [
            org.id,
            request.params.accountId,
            role,
          ]);
          await audit(
            tx,
            user.id,
            role === 'admin' ? 'administrateur-nomme' : 'administrateur-retire',
            'organisations',
            org.id,
            {
              accountId: request.params.accountId,
            },
          );
          if (request.params.accountId !== user.id)
            await engine.addNotice(tx, {
              userId: request.params.accountId,
              kind: 'information',
              collection: 'organisations',
              documentId: org.id,
              title: role === 'admin' ? 'Vous êtes administrateur' : 'Rôle d’administrateur retiré',
              message:
                role === 'admin'
                  ? `${personName(user.firstName, user.lastName)} vous a nommé administrateur de « ${org.name} ».`
                  : `${personName(user.firstName, user.lastName)} vous a retiré le rôle d’administrateur de « ${org.name} ».`,
            });
        }
        const organisation = await writeOrganisationDoc(tx, engine, org.id);
        return { organisation };
      });
    },
  );

  /** An administrator removes a member, or a member leaves. The organisation's data leaves their replica. */
  app.delete<{ Params: { id: string; accountId: string } }>(
    '/api/organisations/:id/members/:accountId',
    async (request) => {
      const user = await requireUser(db, request);
      const targetId = request.params.accountId;
      const leaving = targetId === user.id;
      const result = await db.transaction(async (tx) => {
        const myRole = await requireRole(tx, request.params.id, user);
        if (!leaving && myRole !== 'admin')
          throw forbidden('Seuls les administrateurs retirent un membre de l’organisation.');
        const org = await loadOrganisation(tx, request.params.id, { forUpdate: true });
        if (!org) throw notFound(NOT_FOUND);
        const target = isUuid(targetId) ? await roleOf(tx, org.id, targetId) : null;
        if (!target) throw notFound('Cette personne n’est pas membre de l’organisation.');
        if ((await memberCount(tx, org.id)) <= 1)
          throw new HttpError(
            409,
            'conflict',
            `Vous êtes le seul membre de « ${org.name} » : invitez un collègue et nommez-le administrateur avant de partir.`,
          );
        if (target === 'admin' && (await adminCount(tx, org.id)) <= 1)
          throw new HttpError(
            409,
            'conflict',
            `Vous êtes le seul administrateur de « ${org.name} » : nommez un autre administrateur avant de quitter l’organisation.`,
          );
        await tx.query('delete from memberships where organisation_id = $1 and account_id = $2', [
          org.id,
          targetId,
        ]);
        await recordMembershipExit(tx, engine, org.id, targetId);
        await cvthequeMembershipExit(tx, engine, org.id, targetId);
        await audit(tx, user.id, leaving ? 'membre-parti' : 'membre-retire', 'organisations', org.id, {
          accountId: targetId,
        });
        if (!leaving)
          await engine.addNotice(tx, {
            userId: targetId,
            kind: 'information',
            collection: 'organisations',
            documentId: org.id,
            title: 'Retiré de l’organisation',
            message: `${personName(user.firstName, user.lastName)} vous a retiré de « ${org.name} » : ses données ne sont plus sur votre poste.`,
          });
        const organisation = await writeOrganisationDoc(tx, engine, org.id);
        return { organisation: leaving ? null : organisation };
      });
      return { ...result, user: await loadUser(db, user.id) };
    },
  );

  // --- Verification by moderators --------------------------------------------------------------

  app.get<{ Querystring: { state?: string } }>('/api/moderation/organisations', async (request) => {
    const user = await requireUser(db, request);
    if (!isModerator(user))
      throw forbidden('Seuls les modérateurs de la plateforme vérifient les organisations.');
    const wanted = request.query.state;
    let states: readonly string[] = PENDING_VERIFICATION;
    if (wanted !== undefined) {
      if (wanted === 'tous') states = ['en_attente', 'informations_demandees', 'verifiee', 'refusee'];
      else if (['en_attente', 'informations_demandees', 'verifiee', 'refusee'].includes(String(wanted)))
        states = [String(wanted)];
      else
        throw badRequest('État de vérification inconnu.', [
          {
            field: 'state',
            message: 'Choisissez en_attente, informations_demandees, verifiee, refusee ou tous.',
          },
        ]);
    }
    const { rows } = await db.query<{
      id: string;
      siret: string | null;
      kind: OrganisationKind;
      parent_id: string | null;
      parent_name: string | null;
      creator_first: string | null;
      creator_last: string | null;
      creator_email: string | null;
      creator_job: string | null;
    }>(
      `select o.id::text, o.siret, o.kind, o.parent_id::text, p.name as parent_name,
              a.first_name as creator_first, a.last_name as creator_last, a.email as creator_email,
              a.job_title as creator_job
         from organisations o
         left join organisations p on p.id = o.parent_id
         left join accounts a on a.id = o.created_by and a.disabled_at is null
        where o.verification_state = any($1::text[]) and o.kind <> 'platform'
        order by o.updated_at, o.id limit 500`,
      [states],
    );
    const items = [];
    for (const r of rows) {
      const organisation = await buildOrganisationDoc(db, r.id);
      if (!organisation) continue;
      const sameSiret = r.siret
        ? (
            await db.query<{ name: string; kind: OrganisationKind }>(
              `select name, kind from organisations
                where siret = $1 and id <> $2 and coalesce(parent_id, id) <> coalesce($3::uuid, $2::uuid)
                order by name limit 10`,
              [r.siret, r.id, r.parent_id],
            )
          ).rows
        : [];
      items.push({
        organisation,
        creator:
          r.creator_email !== null
            ? {
                name: personName(r.creator_first ?? '', r.creator_last ?? ''),
                email: r.creator_email,
                ...(r.creator_job ? { jobTitle: r.creator_job } : {}),
              }
            : null,
        ...(r.parent_name ? { parentName: r.parent_name } : {}),
        sameSiret: sameSiret.map((s) => ({ name: s.name, kind: s.kind })),
      });
    }
    return { organisations: items };
  });

  app.post<{ Params: { id: string } }>('/api/moderation/organisations/:id/decision', async (request) => {
    const user = await requireUser(db, request);
    if (!isModerator(user))
      throw forbidden('Seuls les modérateurs de la plateforme vérifient les organisations.');
    const body = asRecord(request.body);
    const decisionInput =
      typeof body.decision === 'string' ? body.decision.replace(/-/g, '_') : body.decision;
    const errors = validateVerificationDecision({ decision: decisionInput, reason: body.reason });
    if (errors.length > 0) throw badRequest('La décision est incomplète.', errors);
    const decision = decisionInput as VerificationDecision;
    const reason = decision === 'accepter' ? null : String(body.reason).trim();
    return db.transaction(async (tx) => {
      const org = await loadOrganisation(tx, request.params.id, { forUpdate: true });
      if (!org || org.kind === 'platform') throw notFound('Cette organisation n’existe pas.');
      const to = stateAfterDecision(decision);
      if (to === 'verifiee' && org.verification_state === 'verifiee')
        throw new HttpError(409, 'conflict', 'Cette organisation est déjà vérifiée.');
      const now = clock.now();
      await tx.query(
        `update organisations set verification_state = $2, verified = ($2 = 'verifiee'), verification_reason = $3,
                verification_decided_at = $4, verification_decided_by = $5, updated_at = $4
          where id = $1`,
        [org.id, to, reason, now.toISOString(), user.id],
      );
      await audit(tx, user.id, `verification-${decision.replace(/_/g, '-')}`, 'organisations', org.id, {
        from: org.verification_state,
        to,
        ...(reason ? { reason } : {}),
      });
      const organisation = await writeOrganisationDoc(tx, engine, org.id);
      const title =
        decision === 'accepter'
          ? 'Organisation vérifiée'
          : decision === 'refuser'
            ? 'Vérification refusée'
            : 'Informations demandées par la modération';
      const message =
        decision === 'accepter'
          ? `« ${org.name} » a été vérifiée par la modération : ses offres peuvent désormais être publiées.`
          : decision === 'refuser'
            ? `La vérification de « ${org.name} » a été refusée : ${reason}`
            : `La modération demande des précisions sur « ${org.name} » : ${reason} Complétez les informations de l’organisation (écran « Organisation ») : elle sera de nouveau examinée.`;
      for (const admin of await adminsOf(tx, org.id)) {
        await engine.addNotice(tx, {
          userId: admin.account_id,
          kind: 'moderation',
          collection: 'organisations',
          documentId: org.id,
          title,
          message,
        });
        await queueEmail(tx, {
          to: admin.email,
          subject: `${title} — ${org.name}`,
          text: [
            `Bonjour ${admin.first_name},`,
            '',
            message,
            '',
            'Retrouvez le détail dans l’écran « Organisation » de votre espace recruteur.',
            '',
            'L’équipe Emploi Territoires',
          ].join('\n'),
          dedupeKey: `verification:${org.id}:${now.toISOString()}:${admin.account_id}`,
        });
      }
      return { organisation };
    });
  });

  await registerAccountRoutes(app, deps);
}
