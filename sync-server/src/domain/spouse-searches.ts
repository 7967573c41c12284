/**
 * « Rapprochement de conjoints » on the server (issue 6, seed 001 menu; `shared/domain/spouse-search.ts`).
 *
 * - `POST /api/spouse-searches` (a recruiter member of an employer or agency organisation) with
 *   `SpouseSearchInput` → 201 `SpouseSearchSummary`: for an application « embauchée » of one of
 *   the user's organisations, the spouse's job search becomes a CV of the CVthèque written on the
 *   person's behalf (the `cvs` row, same id as the `spouse_searches` row), with `origin` «
 *   conjoint » (the label « Rapprochement de conjoints » and the organisation's name), its
 *   contact shown (the person agreed to be contacted by partner employers), searchable and
 *   replicated like any CV (keys by département × domain, search index). The consent text and its
 *   time are recorded; an e-mail (when an address is given) tells the person and links to the
 *   portal's sign-up page, prefilled, to take the CV over. All in one transaction.
 * - `GET /api/spouse-searches` → `{ searches: SpouseSearchSummary[] }`: the searches registered
 *   by the user's organisations, with what became of them (proposals and applications made with
 *   the CV, status, dates).
 * - `POST /api/spouse-searches/:id/close` `{ status: 'retiree' | 'pourvue' }` → the summary: the
 *   CV leaves the CVthèque (a tombstone to every replica).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import { type CandidateCv, cvCompleteness, MAX_CVS } from '../../../shared/domain/cv';
import { normaliseEmail } from '../../../shared/domain/duplicates';
import {
  SPOUSE_SEARCH_LABEL,
  type SpouseFieldError,
  type SpouseSearchInput,
  type SpouseSearchStatus,
  type SpouseSearchSummary,
  validateSpouseSearch,
} from '../../../shared/domain/spouse-search';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import { requireUser } from '../auth/request-user';
import { saveCv } from '../candidate/cv-store';
import { clock } from '../clock';
import { cvReplicaKeys } from '../cvtheque/keys';
import { locateCommune } from '../cvtheque/places';
import { deleteCvSearch, writeCvSearch } from '../cvtheque/search-index';
import type { Database, Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from '../text-safety';
import { writeApplication } from './applications';
import { type CvOwnerFacts, cvProjection, cvSearchText, cvsCollection, cvTombstone } from './cvs';
import { linkBase } from './route-helpers';

/** Organisation kinds whose recruiters register a spouse's job search. */
const REGISTERING_KINDS = new Set(['employer', 'agency']);

export const SPOUSE_FORBIDDEN =
  'Le rapprochement de conjoints est réservé aux recruteurs membres d’un employeur ou d’une agence.';
export const SPOUSE_NOT_FOUND =
  'Cette recherche d’emploi n’existe pas ou n’a pas été enregistrée par votre organisation.';

function mayRegister(user: SessionUser): boolean {
  return user.kind === 'recruiter' && user.memberships.some((m) => REGISTERING_KINDS.has(m.kind));
}

function validationError(errors: SpouseFieldError[]): HttpError {
  return badRequest(
    errors.length === 1
      ? errors[0]!.message
      : `Le formulaire contient ${errors.length} erreurs : corrigez les champs signalés.`,
    errors,
  );
}

interface SpouseRow {
  id: string;
  organisation_id: string;
  application_id: string;
  created_by_name: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  doc: SpouseSearchInput;
  status: SpouseSearchStatus;
  email_sent: boolean;
  claimed_at: Date | string | null;
  claimed_cv_status: string | null;
  created_at: Date | string;
  hired_first: string | null;
  hired_last: string | null;
  offer_title: string | null;
  proposals: number;
  applications: number;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function summaryOf(row: SpouseRow, user: SessionUser): SpouseSearchSummary {
  return {
    id: row.id,
    cvId: row.id,
    applicationId: row.application_id,
    organisationId: row.organisation_id,
    organisationName:
      user.memberships.find((m) => m.organisationId === row.organisation_id)?.organisationName ?? '',
    hiredName: `${row.hired_first ?? ''} ${row.hired_last ?? ''}`.trim(),
    offerTitle: row.offer_title ?? '',
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    appellationLabel: row.doc.job?.appellationLabel ?? '',
    communes: row.doc.communes ?? [],
    radiusKm: row.doc.radiusKm ?? 0,
    // Once claimed, the CV is the person's: online while they keep it published.
    status:
      row.claimed_at && row.status === 'en_ligne' && row.claimed_cv_status !== 'publie'
        ? 'retiree'
        : row.status,
    createdAt: iso(row.created_at)!,
    createdByName: row.created_by_name,
    claimedAt: iso(row.claimed_at),
    proposals: Number(row.proposals),
    applications: Number(row.applications),
    emailSent: row.email_sent,
  };
}

const SELECT = `
  select s.id::text as id, s.organisation_id::text as organisation_id, s.application_id, s.created_by_name,
         s.first_name, s.last_name, s.email, s.phone, s.doc, s.status, s.email_sent, s.claimed_at, s.created_at,
         (select c.status from candidate_cvs c where c.id = s.id) as claimed_cv_status,
         a.doc->'applicant'->>'firstName' as hired_first, a.doc->'applicant'->>'lastName' as hired_last,
         a.doc->'offer'->>'title' as offer_title,
         (select count(*)::int from applications p
           where not p.deleted and p.doc->>'cvId' = s.id::text and p.doc->>'source' = 'proposition') as proposals,
         (select count(*)::int from applications p
           where not p.deleted and p.doc->>'cvId' = s.id::text and p.doc->>'source' <> 'proposition') as applications
    from spouse_searches s
    left join applications a on a.id = s.application_id`;

/** The searches registered by the user's organisations (newest first), with their follow-up. */
export async function listSpouseSearches(q: Queryable, user: SessionUser): Promise<SpouseSearchSummary[]> {
  if (!mayRegister(user)) throw forbidden(SPOUSE_FORBIDDEN);
  const orgIds = user.memberships.filter((m) => REGISTERING_KINDS.has(m.kind)).map((m) => m.organisationId);
  const { rows } = await q.query<SpouseRow>(
    `${SELECT} where s.organisation_id = any($1::uuid[]) order by s.created_at desc, s.id limit 500`,
    [orgIds],
  );
  return rows.map((r) => summaryOf(r, user));
}

async function loadSummary(q: Queryable, user: SessionUser, id: string): Promise<SpouseSearchSummary> {
  const { rows } = await q.query<SpouseRow>(`${SELECT} where s.id = $1`, [id]);
  const row = rows[0];
  if (!row || !user.memberships.some((m) => m.organisationId === row.organisation_id))
    throw notFound(SPOUSE_NOT_FOUND);
  return summaryOf(row, user);
}

/** The CV as if the person had written it: target, presentation, published, contact shown. */
export function spouseCv(id: string, input: SpouseSearchInput, now: string): CandidateCv {
  const cv: CandidateCv = {
    id,
    express: false,
    status: 'publie',
    title: input.job.appellationLabel.slice(0, 150),
    target: {
      appellationCode: input.job.appellationCode,
      appellationLabel: input.job.appellationLabel,
      romeCode: input.job.romeCode,
      workplaces: input.communes.map((c) => ({ communeCode: c.code, communeName: c.name })),
      contractTypes: [...input.contractTypes],
      workingTimes: [],
    },
    summary: input.presentation,
    experiences: [],
    diplomas: [],
    skills: [],
    languages: [],
    licences: [],
    file: null,
    publication: { cvtheque: true, anonymous: false, showContact: true, advisorsMayShare: true },
    completeness: 0,
    createdAt: now,
    updatedAt: now,
    publishedAt: now,
  };
  cv.completeness = cvCompleteness(cv);
  return cv;
}

function spouseOwner(input: SpouseSearchInput): CvOwnerFacts {
  const first = input.communes[0]!;
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email ?? '',
    phone: input.phone ?? '',
    showPhone: true,
    rqth: null,
    availability: input.availability,
    availableFrom: input.availableFrom ?? null,
    commune: { code: first.code, name: first.name },
    qualification: null,
    domains: [],
  };
}

/** Writes the CVthèque row of a spouse's search (projection with `origin`, keys, search index). */
async function writeSpouseCv(
  tx: Queryable,
  engine: SyncEngine,
  id: string,
  input: SpouseSearchInput,
  organisationName: string,
  now: string,
): Promise<void> {
  const projected = cvProjection(spouseCv(id, input, now), spouseOwner(input), { locate: locateCommune });
  const { email: _e, ...rest } = projected;
  const doc = {
    ...rest,
    ...(input.email ? { email: input.email.slice(0, 254) } : {}),
    origin: {
      kind: 'conjoint',
      byOrganisationName: organisationName.slice(0, 200),
      radiusKm: input.radiusKm,
    },
  };
  await engine.write(tx, cvsCollection, doc as unknown as Doc, false, { keys: cvReplicaKeys(doc) });
  await tx.query('update cvs set search = $2 where id = $1', [id, cvSearchText(doc, '')]);
  await writeCvSearch(tx, doc);
}

/** The ROME appellation must exist in the referential (when the server has one); its ROME code is the referential's. */
async function checkJob(tx: Queryable, input: SpouseSearchInput): Promise<SpouseSearchInput> {
  const { rows } = await tx.query<{ present: boolean; rome_code: string | null }>(
    `select exists (select 1 from rome_appellations) as present,
            (select rome_code from rome_appellations where code_ogr = $1) as rome_code`,
    [input.job.appellationCode],
  );
  const row = rows[0];
  if (!row?.present) return input;
  if (!row.rome_code) {
    const message = 'Ce métier est inconnu du répertoire ROME : choisissez-le dans la liste proposée.';
    throw badRequest(message, [{ field: 'job', message }]);
  }
  return { ...input, job: { ...input.job, romeCode: row.rome_code } };
}

function emailText(
  base: string,
  input: SpouseSearchInput,
  organisationName: string,
  cvLabel: string,
): string {
  const q = new URLSearchParams();
  if (input.email) q.set('email', input.email);
  q.set('prenom', input.firstName);
  q.set('nom', input.lastName);
  return [
    `Bonjour ${input.firstName},`,
    '',
    `À votre demande, ${organisationName} a enregistré votre recherche d’emploi (« ${cvLabel} ») dans la CVthèque au titre du « ${SPOUSE_SEARCH_LABEL} ».`,
    'Les employeurs partenaires peuvent la consulter et vous contacter.',
    '',
    `Pour reprendre ce CV à votre compte, le compléter et suivre vos candidatures, créez votre espace candidat avec cette adresse e-mail : ${base}/inscription?${q.toString()}`,
    '',
    `Vous pouvez à tout moment demander à ${organisationName} de retirer ce CV de la CVthèque.`,
  ].join('\n');
}

/** Registers a spouse's job search (see the file comment). */
export async function createSpouseSearch(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  raw: unknown,
  options: { base: string },
): Promise<SpouseSearchSummary> {
  if (!mayRegister(user)) throw forbidden(SPOUSE_FORBIDDEN);
  const { value, errors } = validateSpouseSearch(raw);
  const unstorable = findUnstorableText(raw);
  if (unstorable) errors.push({ field: unstorable, message: UNSTORABLE_TEXT_MESSAGE });
  if (!value || errors.length > 0) throw validationError(errors);
  const base = options.base.replace(/\/+$/, '');
  const id = randomUUID();
  try {
    await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ doc: ApplicationDoc }>(
        'select doc from applications where id = $1 and not deleted for update',
        [value.applicationId],
      );
      const application = rows[0]?.doc;
      const membership = application
        ? user.memberships.find((m) => m.organisationId === application.organisationId)
        : undefined;
      if (!application || !membership) {
        const message = 'Cette candidature n’existe pas ou n’appartient pas à votre organisation.';
        throw new HttpError(404, 'not-found', message, [{ field: 'applicationId', message }]);
      }
      if (!REGISTERING_KINDS.has(membership.kind)) throw forbidden(SPOUSE_FORBIDDEN);
      if (application.status !== 'embauchee') {
        const message =
          'Le rapprochement de conjoints se propose pour une personne embauchée : passez d’abord la candidature au statut « Embauchée ».';
        throw new HttpError(409, 'conflict', message, [{ field: 'applicationId', message }]);
      }
      const { rows: existing } = await tx.query<{ id: string }>(
        `select id::text as id from spouse_searches where application_id = $1 and status = 'en_ligne'`,
        [value.applicationId],
      );
      if (existing[0]) {
        const message =
          'La recherche d’emploi du conjoint de cette personne est déjà enregistrée : retrouvez-la dans « Rapprochements de conjoints ».';
        throw new HttpError(409, 'conflict', message, [{ field: 'applicationId', message }]);
      }
      const input = await checkJob(tx, value);
      const now = clock.now().toISOString();
      await writeSpouseCv(tx, engine, id, input, membership.organisationName, now);
      const emailSent = input.email
        ? await queueEmail(tx, {
            to: input.email,
            subject: `Votre recherche d’emploi est en ligne (${SPOUSE_SEARCH_LABEL})`,
            text: emailText(base, input, membership.organisationName, input.job.appellationLabel),
            dedupeKey: `spouse-search:${id}`,
          })
        : false;
      const byName = `${user.firstName} ${user.lastName}`.trim().slice(0, 120) || user.email.slice(0, 120);
      const { firstName, lastName, email, phone, consentText, ...doc } = input;
      await tx.query(
        `insert into spouse_searches (id, organisation_id, application_id, created_by, created_by_name,
            first_name, last_name, email, phone, doc, consent_text, consent_at, status, email_sent, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'en_ligne', $13, $12, $12)`,
        [
          id,
          application.organisationId,
          value.applicationId,
          user.id,
          byName,
          firstName,
          lastName,
          email ?? null,
          phone ?? null,
          JSON.stringify(doc),
          consentText,
          now,
          emailSent,
        ],
      );
      await tx.query(
        `insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, 'spouse-search', 'cvs', $2, $3)`,
        [user.id, id, JSON.stringify({ applicationId: value.applicationId })],
      );
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') {
      const message = 'La recherche d’emploi du conjoint de cette personne est déjà enregistrée.';
      throw new HttpError(409, 'conflict', message, [{ field: 'applicationId', message }]);
    }
    throw error;
  }
  return loadSummary(db, user, id);
}

/** Takes a search out of the CVthèque: « retirée », or « pourvue » (the person found a job). */
export async function closeSpouseSearch(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  id: string,
  raw: unknown,
): Promise<SpouseSearchSummary> {
  if (!mayRegister(user)) throw forbidden(SPOUSE_FORBIDDEN);
  const status = raw && typeof raw === 'object' ? (raw as { status?: unknown }).status : undefined;
  if (status !== 'retiree' && status !== 'pourvue') {
    const message = 'Choisissez « retirée » ou « pourvue » (emploi trouvé).';
    throw badRequest(message, [{ field: 'status', message }]);
  }
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ organisation_id: string; status: string }>(
      'select organisation_id::text as organisation_id, status from spouse_searches where id = $1 for update',
      [id],
    );
    const row = rows[0];
    if (!row || !user.memberships.some((m) => m.organisationId === row.organisation_id))
      throw notFound(SPOUSE_NOT_FOUND);
    if (row.status !== 'en_ligne') {
      const message = 'Cette recherche d’emploi n’est plus en ligne.';
      throw new HttpError(409, 'conflict', message, [{ field: 'status', message }]);
    }
    await tx.query('update spouse_searches set status = $2, updated_at = $3 where id = $1', [
      id,
      status,
      clock.now().toISOString(),
    ]);
    await deleteCvSearch(tx, id);
    const { rows: cv } = await tx.query<{ keys: string[]; deleted: boolean }>(
      'select keys, deleted from cvs where id = $1 for update',
      [id],
    );
    if (cv[0] && !cv[0].deleted) {
      await engine.write(tx, cvsCollection, cvTombstone(id), true, {
        keys: cv[0].keys,
        previousKeys: cv[0].keys,
      });
      await tx.query("update cvs set search = '' where id = $1", [id]);
    }
  });
  return loadSummary(db, user, id);
}

/**
 * The person takes their CV over: once the account with the e-mail the recruiter gave is
 * confirmed, each search still online becomes one of the candidate's own CVs (same id, « publié »,
 * now projected from the account: the label goes), the proposals and applications made with it
 * are linked to the account, and the search records the claim. A search whose job the candidate
 * already has a CV for, or beyond their CV limit, stays as it is. Call it in the transaction that
 * confirms the address (as `linkCapturesToAccount`). Returns how many CVs were taken over.
 */
export async function claimSpouseSearches(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
  email: string,
): Promise<number> {
  const e = normaliseEmail(email);
  if (!e) return 0;
  const { rows } = await tx.query<{
    id: string;
    first_name: string;
    last_name: string;
    email: string | null;
    phone: string | null;
    doc: Omit<SpouseSearchInput, 'firstName' | 'lastName' | 'email' | 'phone' | 'consentText'>;
    created_at: Date | string;
  }>(
    `select id::text as id, first_name, last_name, email, phone, doc, created_at from spouse_searches
      where lower(email) = $1 and status = 'en_ligne' and claimed_account_id is null
      order by created_at for update`,
    [e],
  );
  let claimed = 0;
  for (const row of rows) {
    const { rows: owned } = await tx.query<{ n: number; same: boolean }>(
      `select count(*)::int as n, coalesce(bool_or(rome_code = $2), false) as same
         from candidate_cvs where account_id = $1`,
      [accountId, row.doc.job?.romeCode ?? ''],
    );
    if ((owned[0]?.n ?? 0) >= MAX_CVS || owned[0]?.same) continue;
    const input: SpouseSearchInput = {
      ...row.doc,
      firstName: row.first_name,
      lastName: row.last_name,
      ...(row.email ? { email: row.email } : {}),
      ...(row.phone ? { phone: row.phone } : {}),
      consentText: '',
    };
    const now = clock.now().toISOString();
    const cv = spouseCv(row.id, input, now);
    cv.createdAt = new Date(row.created_at).toISOString();
    // The candidate chooses again what recruiters see; until then, as the search was.
    await saveCv(tx, engine, accountId, cv, true);
    await tx.query(
      'update spouse_searches set claimed_account_id = $2, claimed_at = $3, updated_at = $3 where id = $1',
      [row.id, accountId, now],
    );
    const { rows: apps } = await tx.query<{ doc: ApplicationDoc }>(
      `select doc from applications where not deleted and doc->>'cvId' = $1 and doc->>'candidateId' is null
        for update`,
      [row.id],
    );
    for (const { doc } of apps)
      await writeApplication(tx, engine, { ...doc, candidateId: accountId, updatedAt: now });
    claimed++;
  }
  return claimed;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown }).id;
  if (typeof id !== 'string' || !UUID.test(id)) throw notFound(SPOUSE_NOT_FOUND);
  return id;
}

export async function registerSpouseSearchRoutes(
  app: FastifyInstance,
  deps: { db: Database; engine: SyncEngine; publicUrl?: string },
): Promise<void> {
  const { db, engine } = deps;
  app.post('/api/spouse-searches', async (request, reply) => {
    const user = await requireUser(db, request);
    const summary = await createSpouseSearch(db, engine, user, request.body, {
      base: linkBase(deps, request),
    });
    reply.code(201);
    return summary;
  });
  app.get('/api/spouse-searches', async (request) => {
    const user = await requireUser(db, request);
    return { searches: await listSpouseSearches(db, user) };
  });
  app.post('/api/spouse-searches/:id/close', async (request) => {
    const user = await requireUser(db, request);
    return closeSpouseSearch(db, engine, user, idParam(request), request.body);
  });
}
