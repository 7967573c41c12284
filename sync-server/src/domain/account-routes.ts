import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MIN_PASSWORD_LENGTH, type SessionUser } from '../../../shared/domain/account';
import type { FieldError } from '../../../shared/sync/errors';
import { getDummyHash, hashPassword, verifyPassword } from '../auth/password';
import { requestToken, requireUser } from '../auth/request-user';
import { LOGIN_LIMITS } from '../auth/routes';
import { clearSessionCookie, closeSessionsRemotely, hashToken, loadUser } from '../auth/sessions';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import { linkCapturesToAccount } from './capture-service';
import { iso, writeOrganisationDoc } from './organisations';
import { asRecord, frenchDate, isTokenShape, linkBase, newToken, validEmail } from './route-helpers';
import { claimSpouseSearches } from './spouse-searches';

/** A confirmation link for a new e-mail address works for this many hours. */
export const EMAIL_CHANGE_HOURS = 48;

interface AccountDeps {
  db: Database;
  engine: SyncEngine;
  publicUrl?: string;
  secureCookies: boolean;
}

const NAME_FIELDS = { lastName: 'Le nom', firstName: 'Le prénom', jobTitle: 'Le poste occupé' } as const;

/** Checks the profile fields of « Mes paramètres » (seed 001): nom, prénom, poste occupé. */
export function validateProfile(
  body: Record<string, unknown>,
  kind: SessionUser['kind'],
): { errors: FieldError[]; values: { firstName: string; lastName: string; jobTitle: string | null } } {
  const errors: FieldError[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  for (const [field, label] of Object.entries(NAME_FIELDS)) {
    const v = str(body[field]);
    const required = field !== 'jobTitle' || kind === 'recruiter';
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== 'string')
      errors.push({ field, message: `${label} doit être un texte.` });
    else if (required && !v) errors.push({ field, message: `${label} est obligatoire.` });
    else if (v.length > 100) errors.push({ field, message: `${label} ne doit pas dépasser 100 caractères.` });
  }
  return {
    errors,
    values: {
      firstName: str(body.firstName),
      lastName: str(body.lastName),
      jobTitle: str(body.jobTitle) || null,
    },
  };
}

function newPasswordErrors(password: unknown, field: string): FieldError[] {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)
    return [{ field, message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.` }];
  if (password.length > 200)
    return [{ field, message: 'Le mot de passe ne doit pas dépasser 200 caractères.' }];
  return [];
}

/**
 * Checks the password of the signed-in account before a sensitive change. Failures count like
 * failed sign-ins (same limits), so a stolen session cannot guess the password.
 */
async function checkPassword(
  db: Database,
  accountId: string,
  password: unknown,
  field: string,
): Promise<void> {
  const key = `account:${accountId}`;
  const { rows: recent } = await db.query<{ n: number; oldest: Date }>(
    `select count(*)::int as n, min(at) as oldest from login_failures
      where key = $1 and at > now() - make_interval(mins => $2)`,
    [key, LOGIN_LIMITS.windowMinutes],
  );
  if (Number(recent[0]?.n ?? 0) >= LOGIN_LIMITS.perEmail) {
    const retry = Math.max(
      1,
      Math.ceil(
        (new Date(recent[0]!.oldest).getTime() + LOGIN_LIMITS.windowMinutes * 60_000 - Date.now()) / 1000,
      ),
    );
    throw new HttpError(
      429,
      'too-many-requests',
      `Trop de mots de passe incorrects. Réessayez dans ${Math.ceil(retry / 60)} minute(s).`,
      undefined,
      { 'retry-after': String(retry) },
    );
  }
  if (typeof password !== 'string' || !password || password.length > 200)
    throw badRequest('Saisissez votre mot de passe actuel.', [
      { field, message: 'Saisissez votre mot de passe actuel.' },
    ]);
  const { rows } = await db.query<{ password_hash: string }>(
    'select password_hash from accounts where id = $1 and disabled_at is null',
    [accountId],
  );
  const ok = await verifyPassword(password, rows[0]?.password_hash ?? (await getDummyHash()));
  if (!ok) {
    await db.query('insert into login_failures (key) values ($1)', [key]);
    throw badRequest('Le mot de passe est incorrect.', [
      { field, message: 'Le mot de passe est incorrect.' },
    ]);
  }
  await db.query('delete from login_failures where key = $1', [key]);
}

/** Rewrites the documents of every organisation an account belongs to (member names, e-mail). */
async function rewriteMemberships(tx: Queryable, engine: SyncEngine, accountId: string): Promise<void> {
  const { rows } = await tx.query<{ organisation_id: string }>(
    'select organisation_id::text from memberships where account_id = $1',
    [accountId],
  );
  for (const r of rows) await writeOrganisationDoc(tx, engine, r.organisation_id);
}

async function accountView(db: Queryable, user: SessionUser) {
  const { rows } = await db.query<{ created_at: Date | string }>(
    'select created_at from accounts where id = $1',
    [user.id],
  );
  const pending = await db.query<{ new_email: string; expires_at: Date | string }>(
    `select new_email, expires_at from email_changes
      where account_id = $1 and confirmed_at is null and cancelled_at is null and expires_at > $2
      order by created_at desc limit 1`,
    [user.id, clock.now().toISOString()],
  );
  const orgs = await db.query<{
    id: string;
    name: string;
    kind: string;
    role: string;
    siret: string | null;
    sector: string | null;
    size_band: string | null;
    verification_state: string;
  }>(
    `select o.id::text, o.name, o.kind, m.role, o.siret, o.sector, o.size_band, o.verification_state
       from memberships m join organisations o on o.id = m.organisation_id
      where m.account_id = $1 order by o.name`,
    [user.id],
  );
  return {
    account: {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      jobTitle: user.jobTitle ?? null,
      kind: user.kind,
      createdAt: iso(rows[0]?.created_at) ?? null,
    },
    pendingEmailChange: pending.rows[0]
      ? { newEmail: pending.rows[0].new_email, expiresAt: iso(pending.rows[0].expires_at) }
      : null,
    organisations: orgs.rows.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      role: o.role,
      siret: o.siret,
      sector: o.sector,
      sizeBand: o.size_band,
      verificationState: o.verification_state,
    })),
  };
}

export async function registerAccountRoutes(app: FastifyInstance, deps: AccountDeps) {
  const { db, engine } = deps;

  /** « Mes paramètres » (seed 001): the account, its organisations, a pending e-mail change. */
  app.get('/api/account', async (request) => {
    const user = await requireUser(db, request);
    return accountView(db, user);
  });

  app.put('/api/account', async (request) => {
    const user = await requireUser(db, request);
    const { errors, values } = validateProfile(asRecord(request.body), user.kind);
    if (errors.length > 0) throw badRequest('Vos informations contiennent des erreurs.', errors);
    await db.transaction(async (tx) => {
      await tx.query('update accounts set first_name = $2, last_name = $3, job_title = $4 where id = $1', [
        user.id,
        values.firstName,
        values.lastName,
        values.jobTitle,
      ]);
      await rewriteMemberships(tx, engine, user.id);
    });
    const fresh = await loadUser(db, user.id);
    return { user: fresh, ...(fresh ? await accountView(db, fresh) : {}) };
  });

  /** Changes the password; every other session of the account is signed out. */
  app.post('/api/account/password', async (request) => {
    const user = await requireUser(db, request);
    const body = asRecord(request.body);
    const errors = newPasswordErrors(body.newPassword, 'newPassword');
    if (typeof body.currentPassword === 'string' && body.currentPassword === body.newPassword)
      errors.push({ field: 'newPassword', message: 'Choisissez un mot de passe différent de l’actuel.' });
    await checkPassword(db, user.id, body.currentPassword, 'currentPassword');
    if (errors.length > 0) throw badRequest('Le nouveau mot de passe ne convient pas.', errors);
    const hash = await hashPassword(String(body.newPassword));
    const current = requestToken(request);
    const revoked = await db.transaction(async (tx) => {
      await tx.query('update accounts set password_hash = $2 where id = $1', [user.id, hash]);
      const closed = await closeSessionsRemotely(tx, user.id, current ? hashToken(current) : '');
      await tx.query(
        `insert into audit_log (actor_id, action, collection, document_id, detail)
         values ($1, 'mot-de-passe-modifie', 'accounts', $2, $3)`,
        [user.id, user.id, JSON.stringify({ sessionsClosed: closed })],
      );
      const now = clock.now();
      await queueEmail(tx, {
        to: user.email,
        subject: 'Votre mot de passe a été modifié',
        text: [
          `Bonjour ${user.firstName},`,
          '',
          `Le mot de passe de votre compte Emploi Territoires a été modifié le ${frenchDate(now)}. Vos autres sessions ont été fermées.`,
          '',
          'Si vous n’êtes pas à l’origine de ce changement, contactez-nous sans attendre.',
          '',
          'L’équipe Emploi Territoires',
        ].join('\n'),
        dedupeKey: `password-changed:${user.id}:${now.toISOString()}`,
      });
      return closed;
    });
    return { sessionsClosed: revoked };
  });

  /** Asks to change the e-mail address: a confirmation link goes to the new address. */
  app.post('/api/account/email', async (request, reply) => {
    const user = await requireUser(db, request);
    const body = asRecord(request.body);
    const newEmail = validEmail(body.newEmail);
    if (!newEmail)
      throw badRequest('La nouvelle adresse e-mail n’est pas valide.', [
        { field: 'newEmail', message: 'Saisissez une adresse e-mail valide (par exemple nom@exemple.fr).' },
      ]);
    if (newEmail === user.email.toLowerCase())
      throw badRequest('C’est déjà l’adresse de votre compte.', [
        { field: 'newEmail', message: 'C’est déjà l’adresse de votre compte.' },
      ]);
    await checkPassword(db, user.id, body.password, 'password');
    const result = await db.transaction(async (tx) => {
      const taken = await tx.query('select 1 from accounts where lower(email) = $1 and id <> $2', [
        newEmail,
        user.id,
      ]);
      if (taken.rows.length > 0)
        throw new HttpError(409, 'email-taken', 'Un compte existe déjà avec cette adresse e-mail.', [
          { field: 'newEmail', message: 'Un compte existe déjà avec cette adresse e-mail.' },
        ]);
      const now = clock.now();
      await tx.query(
        `update email_changes set cancelled_at = $2
          where account_id = $1 and confirmed_at is null and cancelled_at is null`,
        [user.id, now.toISOString()],
      );
      const id = randomUUID();
      const { token, hash } = newToken();
      const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_HOURS * 3600 * 1000);
      await tx.query(
        `insert into email_changes (id, account_id, new_email, token_hash, created_at, expires_at)
         values ($1, $2, $3, $4, $5, $6)`,
        [id, user.id, newEmail, hash, now.toISOString(), expiresAt.toISOString()],
      );
      // A candidate confirms on the portal (« Mon compte › Paramètres »), a recruiter in the workstation.
      const link =
        user.kind === 'candidate'
          ? `${linkBase(deps, request)}/mon-compte/parametres?changement-email=${token}`
          : `${linkBase(deps, request)}/workstation/?email-change=${token}`;
      await queueEmail(tx, {
        to: newEmail,
        subject: 'Confirmez votre nouvelle adresse e-mail',
        text: [
          `Bonjour ${user.firstName},`,
          '',
          'Vous avez demandé à utiliser cette adresse pour votre compte Emploi Territoires. Pour confirmer, ouvrez ce lien :',
          link,
          '',
          `Ce lien est valable jusqu’au ${frenchDate(expiresAt)} (${EMAIL_CHANGE_HOURS} heures). Une fois l’adresse confirmée, vous serez déconnecté : reconnectez-vous avec votre nouvelle adresse.`,
          '',
          'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre adresse ne changera pas.',
          '',
          'L’équipe Emploi Territoires',
        ].join('\n'),
        dedupeKey: `email-change:${id}`,
      });
      await queueEmail(tx, {
        to: user.email,
        subject: 'Demande de changement d’adresse e-mail',
        text: [
          `Bonjour ${user.firstName},`,
          '',
          'Une demande de changement de l’adresse e-mail de votre compte Emploi Territoires a été faite. L’adresse actuelle reste valable tant que la nouvelle n’est pas confirmée.',
          '',
          'Si vous n’êtes pas à l’origine de cette demande, changez votre mot de passe et contactez-nous.',
          '',
          'L’équipe Emploi Territoires',
        ].join('\n'),
        dedupeKey: `email-change-alert:${id}`,
      });
      await tx.query(
        `insert into audit_log (actor_id, action, collection, document_id, detail)
         values ($1, 'changement-email-demande', 'accounts', $2, '{}')`,
        [user.id, user.id],
      );
      return { newEmail, expiresAt: expiresAt.toISOString() };
    });
    reply.code(202);
    return { pendingEmailChange: result };
  });

  /** Confirms a new address (the token came by e-mail to it); every session is then closed. */
  app.post('/api/account/email/confirm', async (request, reply) => {
    const body = asRecord(request.body);
    const token = body.token;
    if (!isTokenShape(token))
      throw badRequest('Lien de confirmation invalide.', [
        { field: 'token', message: 'Ouvrez le lien reçu par e-mail.' },
      ]);
    const email = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        id: string;
        account_id: string;
        new_email: string;
        expires_at: Date | string;
        confirmed_at: Date | null;
        cancelled_at: Date | null;
      }>(
        `select id::text, account_id::text, new_email, expires_at, confirmed_at, cancelled_at
           from email_changes where token_hash = $1 for update`,
        [hashToken(token)],
      );
      const change = rows[0];
      if (!change) throw notFound('Ce lien de confirmation n’existe pas : vérifiez le lien reçu par e-mail.');
      if (change.confirmed_at)
        throw new HttpError(410, 'gone', 'Cette adresse a déjà été confirmée : connectez-vous avec elle.');
      if (change.cancelled_at)
        throw new HttpError(
          410,
          'gone',
          'Ce lien a été remplacé par une demande plus récente : utilisez le lien du dernier e-mail reçu.',
        );
      const now = clock.now();
      if (new Date(change.expires_at).getTime() <= now.getTime())
        throw new HttpError(
          410,
          'gone',
          `Ce lien a expiré (il était valable ${EMAIL_CHANGE_HOURS} heures) : refaites la demande depuis « Mes paramètres ».`,
        );
      const taken = await tx.query('select 1 from accounts where lower(email) = $1 and id <> $2', [
        change.new_email.toLowerCase(),
        change.account_id,
      ]);
      if (taken.rows.length > 0)
        throw new HttpError(409, 'email-taken', 'Un autre compte utilise déjà cette adresse e-mail.');
      const updated = await tx.query<{ kind: string }>(
        'update accounts set email = $2 where id = $1 and disabled_at is null returning kind',
        [change.account_id, change.new_email],
      );
      if (updated.rows.length === 0) throw notFound('Ce compte n’existe plus.');
      // A candidate now reachable at this address finds the fair captures made with it (issue 6).
      if (updated.rows[0]!.kind === 'candidate') {
        await linkCapturesToAccount(tx, engine, change.account_id, change.new_email);
        await claimSpouseSearches(tx, engine, change.account_id, change.new_email);
      }
      await tx.query('update email_changes set confirmed_at = $2 where id = $1', [
        change.id,
        now.toISOString(),
      ]);
      await tx.query('delete from sessions where account_id = $1', [change.account_id]);
      await tx.query(
        `insert into audit_log (actor_id, action, collection, document_id, detail)
         values ($1, 'email-modifie', 'accounts', $2, '{}')`,
        [change.account_id, change.account_id],
      );
      await rewriteMemberships(tx, engine, change.account_id);
      return change.new_email;
    });
    clearSessionCookie(reply);
    return { email, signedOut: true };
  });

  /**
   * Deletes (erases) the signed-in recruiter's account: refused while it is the only administrator
   * of an organisation that has other members. Personal data leaves the account row, the member
   * lists and the outbox; sessions end; the audit log keeps the fact, not the person.
   */
  app.delete('/api/account', async (request: FastifyRequest, reply) => {
    const user = await requireUser(db, request);
    if (user.kind !== 'recruiter')
      throw forbidden('Un compte candidat se supprime depuis le portail candidat (« Mon compte »).');
    const body = request.body === undefined || request.body === null ? {} : asRecord(request.body);
    await checkPassword(db, user.id, body.password, 'password');
    await db.transaction(async (tx) => {
      const blocking = await tx.query<{ name: string }>(
        `select o.name from memberships m join organisations o on o.id = m.organisation_id
          where m.account_id = $1 and m.role = 'admin'
            and not exists (select 1 from memberships x join accounts xa on xa.id = x.account_id
                             where x.organisation_id = m.organisation_id and x.role = 'admin'
                               and x.account_id <> $1 and xa.disabled_at is null)
            and exists (select 1 from memberships y join accounts ya on ya.id = y.account_id
                         where y.organisation_id = m.organisation_id and y.account_id <> $1
                           and ya.disabled_at is null)
          order by o.name`,
        [user.id],
      );
      if (blocking.rows.length > 0) {
        const names = blocking.rows.map((r) => `« ${r.name} »`).join(', ');
        throw new HttpError(
          409,
          'conflict',
          `Vous êtes le seul administrateur de ${names} : nommez un autre administrateur avant de supprimer votre compte.`,
        );
      }
      const memberships = await tx.query<{ organisation_id: string }>(
        'delete from memberships where account_id = $1 returning organisation_id::text',
        [user.id],
      );
      const old = await tx.query<{ email: string }>('select email from accounts where id = $1', [user.id]);
      await tx.query(
        `update accounts set email = $2, password_hash = '!', first_name = '', last_name = '', job_title = null,
                disabled_at = $3
          where id = $1`,
        [user.id, `compte-supprime-${user.id}@invalid.invalid`, clock.now().toISOString()],
      );
      await closeSessionsRemotely(tx, user.id);
      await tx.query('delete from email_changes where account_id = $1', [user.id]);
      const oldEmail = old.rows[0]?.email.toLowerCase();
      if (oldEmail) {
        await tx.query('delete from email_outbox where lower(to_address) = $1', [oldEmail]);
        await tx.query('delete from login_failures where key = $1 or key = $2', [
          `email:${oldEmail}`,
          `account:${user.id}`,
        ]);
      }
      await tx.query(
        `insert into audit_log (actor_id, action, collection, document_id, detail)
         values (null, 'compte-supprime', 'accounts', $1, $2)`,
        [user.id, JSON.stringify({ organisations: memberships.rows.length })],
      );
      for (const m of memberships.rows) await writeOrganisationDoc(tx, engine, m.organisation_id);
      await eraseRecruiterWork(tx, engine, user.id);
    });
    clearSessionCookie(reply);
    reply.code(204).send();
  });
}

/**
 * What a deleted recruiter leaves in the replicated collections (RGPD): their search history, their
 * own (unshared) CV lists and their notices leave every replica; the lists they shared stay with the
 * organisation; their evaluations stay the organisation's working notes, without their name.
 */
export async function eraseRecruiterWork(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
): Promise<void> {
  const erase = async (name: string, where: string) => {
    const def = engine.collection(name);
    if (!def) return;
    const { rows } = await tx.query<{ doc: Doc }>(
      `select doc from ${def.table} where not deleted and ${where}`,
      [accountId],
    );
    for (const r of rows) await engine.write(tx, def, r.doc, true);
  };
  // The alerts' bookkeeping first: once erased, a search no longer says whose it was.
  for (const table of ['cv_search_alerts', 'cv_search_alert_runs'])
    await tx.query(
      `delete from ${table} where search_id in (select id from searches where doc->>'ownerId' = $1)`,
      [accountId],
    );
  await erase('searches', "doc->>'ownerId' = $1");
  await erase('cvLists', "doc->>'ownerId' = $1 and coalesce((doc->>'shared')::boolean, false) = false");
  await erase('notices', "doc->>'userId' = $1");
  const evaluations = engine.collection('evaluations');
  if (evaluations) {
    const { rows } = await tx.query<{ doc: Doc }>(
      "select doc from evaluations where not deleted and doc->>'authorId' = $1",
      [accountId],
    );
    for (const r of rows)
      await engine.write(tx, evaluations, { ...r.doc, authorName: 'Ancien membre (compte supprimé)' }, false);
  }
}
