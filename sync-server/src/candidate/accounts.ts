/**
 * Candidate sign-up, e-mail confirmation, forgotten password, profile and search preferences
 * (issue 4 « Accounts and profile », seeds 000, 003, 004).
 *
 * - `POST /api/candidate/register` {email, password, firstName, lastName, city (INSEE), acceptTerms}
 *   → 201 `{ token, user }` and the session cookie; an e-mail with a confirmation link
 *   (`/confirmer-email?jeton=…`, valid 48 h).
 * - `POST /api/candidate/email-confirmation` {token} → `{ email, emailConfirmed: true }`; the fair
 *   captures made with that address are linked to the account (issue 6, « Mes candidatures »), as
 *   they are when a password reset link confirms the address.
 * - `POST /api/candidate/email-confirmation/resend` (signed-in candidate) → 202, a new link.
 * - `POST /api/candidate/password-reset/request` {email} → always 202; an e-mailed link
 *   (`/nouveau-mot-de-passe?jeton=…`, 1 h, single use) when the account exists (any kind).
 * - `POST /api/candidate/password-reset` {token, password} → `{ token, user }`: the password is set,
 *   every other session closed, and this browser signed in.
 * - `GET /api/candidate/profile`, `PUT /api/candidate/profile` → `{ profile }` (see
 *   shared/domain/candidate-profile.ts).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type LoginResponse, MIN_PASSWORD_LENGTH } from '../../../shared/domain/account';
import { emptyProfile, validateCandidateSignup } from '../../../shared/domain/candidate-profile';
import type { FieldError } from '../../../shared/sync/errors';
import { hashPassword } from '../auth/password';
import { requireCandidate } from '../auth/request-user';
import { closeSessionsRemotely, createSession, hashToken, loadUser } from '../auth/sessions';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { linkCapturesToAccount } from '../domain/capture-service';
import {
  asRecord,
  frenchDate,
  isTokenShape,
  linkBase,
  newToken,
  setSessionCookie,
  validEmail,
} from '../domain/route-helpers';
import { claimSpouseSearches } from '../domain/spouse-searches';
import { queueEmail } from '../email/outbox';
import { badRequest, HttpError, notFound } from '../http-error';
import { refreshCandidateCvs } from './cv-store';
import type { CandidateDeps } from './deps';
import {
  checkCandidateProfile,
  communeAddress,
  loadCandidateProfile,
  writeCandidateProfile,
} from './profile';

/** How long a confirmation link works. */
export const EMAIL_CONFIRMATION_HOURS = 48;
/** How long a password reset link works. */
export const PASSWORD_RESET_HOURS = 1;
/** Links sent per address and per hour, beyond which nothing more is sent. */
export const MAIL_LINK_LIMITS = { passwordResetPerHour: 3, confirmationPerHour: 5 };

const SIGNATURE = ['', 'L’équipe Emploi Territoires'];

/** Creates a confirmation token for the account's current address and queues the e-mail. */
async function sendEmailConfirmation(
  tx: Queryable,
  base: string,
  account: { id: string; email: string; firstName: string },
): Promise<{ expiresAt: string }> {
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + EMAIL_CONFIRMATION_HOURS * 3600_000);
  const { token, hash } = newToken();
  const id = randomUUID();
  await tx.query(
    `insert into email_confirmations (id, account_id, email, token_hash, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [id, account.id, account.email, hash, now.toISOString(), expiresAt.toISOString()],
  );
  await queueEmail(tx, {
    to: account.email,
    subject: 'Confirmez votre adresse e-mail',
    text: [
      `Bonjour ${account.firstName},`,
      '',
      'Bienvenue sur Emploi Territoires. Pour confirmer votre adresse e-mail, ouvrez ce lien :',
      `${base}/confirmer-email?jeton=${token}`,
      '',
      `Ce lien est valable jusqu’au ${frenchDate(expiresAt)} (${EMAIL_CONFIRMATION_HOURS} heures). Vous pouvez déjà préparer votre profil et vos CV ; vous pourrez postuler une fois l’adresse confirmée.`,
      '',
      'Si vous n’avez pas créé de compte, ignorez ce message.',
      ...SIGNATURE,
    ].join('\n'),
    dedupeKey: `email-confirmation:${id}`,
  });
  return { expiresAt: expiresAt.toISOString() };
}

async function linksSentSince(
  q: Queryable,
  table: string,
  accountId: string,
  hours: number,
): Promise<number> {
  const since = new Date(clock.now().getTime() - hours * 3600_000).toISOString();
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from ${table} where account_id = $1 and created_at > $2`,
    [accountId, since],
  );
  return Number(rows[0]?.n ?? 0);
}

function passwordErrors(password: unknown, field = 'password'): FieldError[] {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)
    return [{ field, message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.` }];
  if (password.length > 200)
    return [{ field, message: 'Le mot de passe ne doit pas dépasser 200 caractères.' }];
  return [];
}

function tokenOf(body: Record<string, unknown>): string {
  if (!isTokenShape(body.token))
    throw badRequest('Ce lien n’est pas valide : ouvrez le lien reçu par e-mail, en entier.', [
      { field: 'token', message: 'Ouvrez le lien reçu par e-mail, en entier.' },
    ]);
  return body.token;
}

export async function registerCandidateAccountRoutes(
  app: FastifyInstance,
  deps: CandidateDeps,
): Promise<void> {
  const { db } = deps;
  const base = (request: FastifyRequest) => linkBase(deps, request);

  app.post('/api/candidate/register', async (request, reply) => {
    const body = asRecord(request.body);
    const errors = validateCandidateSignup(body, MIN_PASSWORD_LENGTH);
    const city = typeof body.city === 'string' ? body.city.trim().toUpperCase() : '';
    const commune = errors.some((e) => e.field === 'city') ? null : communeAddress(city);
    if (!commune && !errors.some((e) => e.field === 'city'))
      errors.push({ field: 'city', message: 'Ville inconnue : choisissez-la dans la liste proposée.' });
    if (errors.length > 0) throw badRequest('Le formulaire d’inscription contient des erreurs.', errors);
    const email = String(body.email).trim().toLowerCase();
    const firstName = String(body.firstName).trim();
    const lastName = String(body.lastName).trim();
    const passwordHash = await hashPassword(String(body.password));
    const id = randomUUID();
    const token = await db.transaction(async (tx) => {
      const inserted = await tx.query(
        `insert into accounts (id, email, password_hash, kind, first_name, last_name)
         values ($1, $2, $3, 'candidate', $4, $5)
         on conflict ((lower(email))) do nothing returning id`,
        [id, email, passwordHash, firstName, lastName],
      );
      if (inserted.rows.length === 0)
        throw new HttpError(409, 'email-taken', 'Un compte existe déjà avec cette adresse e-mail.', [
          {
            field: 'email',
            message:
              'Un compte existe déjà avec cette adresse e-mail : connectez-vous, ou utilisez « Mot de passe oublié ».',
          },
        ]);
      await writeCandidateProfile(tx, id, {
        ...emptyProfile(firstName, lastName),
        address: commune?.address ?? null,
      });
      await tx.query('update candidate_profiles set terms_accepted_at = $2 where account_id = $1', [
        id,
        clock.now().toISOString(),
      ]);
      await sendEmailConfirmation(tx, base(request), { id, email, firstName });
      return createSession(tx, id, request.headers['user-agent']);
    });
    const user = await loadUser(db, id);
    setSessionCookie(reply, token, deps.secureCookies);
    reply.code(201);
    return { token, user } as LoginResponse;
  });

  app.post('/api/candidate/email-confirmation', async (request) => {
    const token = tokenOf(asRecord(request.body));
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        id: string;
        account_id: string;
        email: string;
        expires_at: Date | string;
        confirmed_at: Date | string | null;
        current_email: string;
        account_confirmed: boolean;
      }>(
        `select c.id::text, c.account_id::text, c.email, c.expires_at, c.confirmed_at, a.email as current_email,
                a.email_confirmed_at is not null as account_confirmed
           from email_confirmations c join accounts a on a.id = c.account_id and a.disabled_at is null
          where c.token_hash = $1 for update of c`,
        [hashToken(token)],
      );
      const c = rows[0];
      if (!c) throw notFound('Ce lien de confirmation n’existe pas : vérifiez le lien reçu par e-mail.');
      if (c.email.toLowerCase() !== c.current_email.toLowerCase())
        throw new HttpError(
          410,
          'gone',
          'Ce lien concerne une ancienne adresse de votre compte : il ne sert plus.',
        );
      if (c.confirmed_at || c.account_confirmed) return { email: c.current_email, emailConfirmed: true };
      const now = clock.now();
      if (new Date(c.expires_at).getTime() <= now.getTime())
        throw new HttpError(
          410,
          'gone',
          `Ce lien a expiré (il était valable ${EMAIL_CONFIRMATION_HOURS} heures) : connectez-vous et demandez un nouveau lien avec « Renvoyer le lien ».`,
        );
      await tx.query('update email_confirmations set confirmed_at = $2 where id = $1', [
        c.id,
        now.toISOString(),
      ]);
      await tx.query('update accounts set email_confirmed_at = $2 where id = $1', [
        c.account_id,
        now.toISOString(),
      ]);
      // Fair captures made with this address now show in « Mes candidatures ».
      await linkCapturesToAccount(tx, deps.engine, c.account_id, c.current_email);
      // A spouse's job search registered by a recruiter becomes this person's own CV (issue 6).
      await claimSpouseSearches(tx, deps.engine, c.account_id, c.current_email);
      return { email: c.current_email, emailConfirmed: true };
    });
  });

  app.post('/api/candidate/email-confirmation/resend', async (request, reply) => {
    const user = await requireCandidate(db, request);
    if (user.emailConfirmed) throw new HttpError(409, 'conflict', 'Votre adresse e-mail est déjà confirmée.');
    const result = await db.transaction(async (tx) => {
      const sent = await linksSentSince(tx, 'email_confirmations', user.id, 1);
      if (sent >= MAIL_LINK_LIMITS.confirmationPerHour)
        throw new HttpError(
          429,
          'too-many-requests',
          'Plusieurs liens vous ont déjà été envoyés dans l’heure : vérifiez vos courriers indésirables, ou réessayez plus tard.',
          undefined,
          { 'retry-after': '3600' },
        );
      return sendEmailConfirmation(tx, base(request), user);
    });
    reply.code(202);
    return { email: user.email, ...result };
  });

  app.post('/api/candidate/password-reset/request', async (request, reply) => {
    const body = asRecord(request.body);
    const email = validEmail(body.email);
    if (!email)
      throw badRequest('L’adresse e-mail n’est pas valide.', [
        { field: 'email', message: 'Saisissez l’adresse e-mail de votre compte (exemple : nom@exemple.fr).' },
      ]);
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; email: string; first_name: string }>(
        'select id::text, email, first_name from accounts where lower(email) = $1 and disabled_at is null',
        [email],
      );
      const account = rows[0];
      if (!account) return;
      // Silently capped: answering otherwise would tell who has an account.
      if (
        (await linksSentSince(tx, 'password_resets', account.id, 1)) >= MAIL_LINK_LIMITS.passwordResetPerHour
      )
        return;
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + PASSWORD_RESET_HOURS * 3600_000);
      const { token, hash } = newToken();
      const id = randomUUID();
      await tx.query(
        `insert into password_resets (id, account_id, token_hash, created_at, expires_at)
         values ($1, $2, $3, $4, $5)`,
        [id, account.id, hash, now.toISOString(), expiresAt.toISOString()],
      );
      await queueEmail(tx, {
        to: account.email,
        subject: 'Choisissez un nouveau mot de passe',
        text: [
          `Bonjour ${account.first_name},`,
          '',
          'Vous avez demandé à changer le mot de passe de votre compte Emploi Territoires. Pour en choisir un nouveau, ouvrez ce lien :',
          `${base(request)}/nouveau-mot-de-passe?jeton=${token}`,
          '',
          `Ce lien fonctionne une seule fois, pendant ${PASSWORD_RESET_HOURS} heure.`,
          '',
          'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe ne changera pas.',
          ...SIGNATURE,
        ].join('\n'),
        dedupeKey: `password-reset:${id}`,
      });
    });
    reply.code(202);
    return {
      message:
        'Si un compte existe avec cette adresse, un e-mail vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe.',
    };
  });

  app.post('/api/candidate/password-reset', async (request, reply) => {
    const body = asRecord(request.body);
    const token = tokenOf(body);
    const errors = passwordErrors(body.password);
    if (errors.length > 0) throw badRequest('Le nouveau mot de passe ne convient pas.', errors);
    const passwordHash = await hashPassword(String(body.password));
    const { accountId, session } = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{
        id: string;
        account_id: string;
        expires_at: Date | string;
        used_at: Date | null;
        email: string;
        first_name: string;
        kind: string;
      }>(
        `select r.id::text, r.account_id::text, r.expires_at, r.used_at, a.email, a.first_name, a.kind
           from password_resets r join accounts a on a.id = r.account_id and a.disabled_at is null
          where r.token_hash = $1 for update of r`,
        [hashToken(token)],
      );
      const r = rows[0];
      if (!r)
        throw notFound('Ce lien n’existe pas : demandez un nouveau lien depuis « Mot de passe oublié ».');
      if (r.used_at)
        throw new HttpError(
          410,
          'gone',
          'Ce lien a déjà servi : demandez un nouveau lien depuis « Mot de passe oublié ».',
        );
      const now = clock.now();
      if (new Date(r.expires_at).getTime() <= now.getTime())
        throw new HttpError(
          410,
          'gone',
          `Ce lien a expiré (il était valable ${PASSWORD_RESET_HOURS} heure) : demandez un nouveau lien depuis « Mot de passe oublié ».`,
        );
      await tx.query('update password_resets set used_at = $2 where account_id = $1 and used_at is null', [
        r.account_id,
        now.toISOString(),
      ]);
      // The link came to the address: it is confirmed too.
      await tx.query(
        `update accounts set password_hash = $2, email_confirmed_at = coalesce(email_confirmed_at, $3)
          where id = $1`,
        [r.account_id, passwordHash, now.toISOString()],
      );
      // Fair captures made with this (now confirmed) address show in « Mes candidatures ».
      if (r.kind === 'candidate') {
        await linkCapturesToAccount(tx, deps.engine, r.account_id, r.email);
        await claimSpouseSearches(tx, deps.engine, r.account_id, r.email);
      }
      // A reset may follow a lost or stolen password: every session closes, and the workstations
      // that held one learn it was revoked (their local copy is wiped at their next contact).
      await closeSessionsRemotely(tx, r.account_id);
      await tx.query('delete from login_failures where key = $1 or key = $2', [
        `email:${r.email.toLowerCase()}`,
        `account:${r.account_id}`,
      ]);
      await tx.query(
        `insert into audit_log (actor_id, action, collection, document_id, detail)
         values ($1, 'mot-de-passe-reinitialise', 'accounts', $2, '{}')`,
        [r.account_id, r.account_id],
      );
      await queueEmail(tx, {
        to: r.email,
        subject: 'Votre mot de passe a été modifié',
        text: [
          `Bonjour ${r.first_name},`,
          '',
          `Le mot de passe de votre compte Emploi Territoires a été changé le ${frenchDate(now)} avec un lien « Mot de passe oublié ». Vos autres sessions ont été fermées.`,
          '',
          'Si vous n’êtes pas à l’origine de ce changement, contactez-nous sans attendre.',
          ...SIGNATURE,
        ].join('\n'),
        dedupeKey: `password-reset-done:${r.id}`,
      });
      return {
        accountId: r.account_id,
        session: await createSession(tx, r.account_id, request.headers['user-agent']),
      };
    });
    const user = await loadUser(db, accountId);
    setSessionCookie(reply, session, deps.secureCookies);
    return { token: session, user } as LoginResponse;
  });

  app.get('/api/candidate/profile', async (request) => {
    const user = await requireCandidate(db, request);
    return { profile: await loadCandidateProfile(db, user.id) };
  });

  app.put('/api/candidate/profile', async (request) => {
    const user = await requireCandidate(db, request);
    const profile = await checkCandidateProfile(db, user.id, asRecord(request.body));
    await db.transaction(async (tx) => {
      await writeCandidateProfile(tx, user.id, profile);
      // The CVthèque shows the commune, RQTH, availability and (when allowed) the contact data.
      await refreshCandidateCvs(tx, deps.engine, user.id);
    });
    return { profile: await loadCandidateProfile(db, user.id), user: await loadUser(db, user.id) };
  });
}
