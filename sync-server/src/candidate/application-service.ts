/**
 * The work behind the application routes, without HTTP: where an application goes (offer or
 * company profile), who sends it, the rule of one active application per person and offer, the
 * candidate's moves (withdraw, accept or decline a proposal), the follow link of an application
 * made without an account, and « Mes candidatures ».
 */

import { randomUUID } from 'node:crypto';
import {
  APPLICATION_LIMITS,
  APPLICATION_STATUS_LABELS,
  type ApplicationOfferSnapshot,
  type ApplicationSource,
  type ApplicationStatus,
  type CandidateApplication,
  type CandidateRefusal,
  canAnswerProposal,
  canWithdraw,
  type FollowedApplication,
  type OfferState,
  offerStateOf,
} from '../../../shared/domain/application';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { applicationsCollection, moved, TransitionRefused, writeApplication } from '../domain/applications';
import { frenchDate, newToken } from '../domain/route-helpers';
import { queueEmail } from '../email/outbox';
import { HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { loadCandidateProfile } from './profile';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (v: unknown): v is string => typeof v === 'string' && v.length <= 36 && UUID.test(v);

/** Where an application goes. */
export interface ApplicationTarget {
  organisationId: string;
  offerId?: string;
  companyId?: string;
  jobId?: string;
  snapshot: ApplicationOfferSnapshot;
  source: ApplicationSource;
  /** Text naming the target in messages (« l’offre … », « l’entreprise … »). */
  label: string;
}

export const OFFER_NOT_FOUND = 'Cette offre n’existe pas ou n’est pas en ligne.';
export const COMPANY_NOT_FOUND = 'Cette entreprise n’existe pas ou sa fiche n’est pas en ligne.';

const cut = (v: unknown, n: number) => (typeof v === 'string' ? v.slice(0, n) : undefined);

/** The offer applied to: published, in application mode « portail ». */
export async function offerTarget(q: Queryable, offerId: string): Promise<ApplicationTarget> {
  const { rows } = await q.query<{ doc: Record<string, unknown> }>(
    'select doc from offers where id = $1 and not deleted',
    [offerId],
  );
  const offer = rows[0]?.doc;
  const field = (message: string) => [{ field: 'offerId', message }];
  if (!offer) throw new HttpError(404, 'not-found', OFFER_NOT_FOUND, field(OFFER_NOT_FOUND));
  const status = String(offer.status);
  if (status === 'expiree' || status === 'pourvue' || status === 'archivee') {
    const m = `Cette offre n’est plus en ligne (${status === 'pourvue' ? 'poste pourvu' : 'offre expirée ou retirée'}) : elle ne reçoit plus de candidatures.`;
    throw new HttpError(410, 'gone', m, field(m));
  }
  if (status !== 'publiee') throw new HttpError(404, 'not-found', OFFER_NOT_FOUND, field(OFFER_NOT_FOUND));
  if ((offer.applicationMode ?? 'portail') !== 'portail') {
    const m =
      'Cette offre ne reçoit pas de candidature en ligne : le recruteur demande d’être contacté directement (voir « Comment postuler » sur l’offre).';
    throw new HttpError(409, 'conflict', m, field(m));
  }
  const snapshot: ApplicationOfferSnapshot = {
    title: cut(offer.title, 150) ?? 'Offre',
    companyName: cut(offer.companyName, 150) ?? '',
  };
  if (typeof offer.number === 'string') snapshot.number = offer.number.slice(0, 20);
  if (typeof offer.city === 'string') snapshot.city = offer.city.slice(0, 120);
  if (typeof offer.postalCode === 'string') snapshot.postalCode = offer.postalCode.slice(0, 5);
  return {
    organisationId: String(offer.organisationId),
    offerId,
    snapshot,
    source: 'portail',
    label: `l’offre « ${snapshot.title} »${snapshot.number ? ` (n° ${snapshot.number})` : ''}`,
  };
}

/** A spontaneous application: a published company profile, and optionally one of its published fiches de poste. */
export async function companyTarget(
  q: Queryable,
  companyId: string,
  jobId: string | undefined,
): Promise<ApplicationTarget> {
  const { rows } = await q.query<{ doc: Record<string, unknown> }>(
    "select doc from companies where id = $1 and not deleted and doc->>'published' = 'true'",
    [companyId],
  );
  const company = rows[0]?.doc;
  if (!company)
    throw new HttpError(404, 'not-found', COMPANY_NOT_FOUND, [
      { field: 'companyId', message: COMPANY_NOT_FOUND },
    ]);
  const address = (company.address ?? {}) as Record<string, unknown>;
  let title = 'Candidature spontanée';
  if (jobId !== undefined) {
    const jobs = (company.jobs ?? []) as { id: string; jobTitle: string; published: boolean }[];
    const job = jobs.find((j) => j.id === jobId && j.published);
    if (!job) {
      const m = 'Cette fiche de poste n’existe pas ou n’est plus publiée : choisissez-en une dans la liste.';
      throw new HttpError(404, 'not-found', m, [{ field: 'jobId', message: m }]);
    }
    title = job.jobTitle.slice(0, 150);
  }
  const snapshot: ApplicationOfferSnapshot = { title, companyName: cut(company.name, 150) ?? '' };
  if (typeof address.city === 'string' && address.city) snapshot.city = address.city.slice(0, 120);
  if (typeof address.postalCode === 'string' && address.postalCode)
    snapshot.postalCode = address.postalCode.slice(0, 5);
  return {
    organisationId: String(company.organisationId),
    companyId,
    ...(jobId !== undefined ? { jobId } : {}),
    snapshot,
    source: 'spontanee',
    label:
      jobId !== undefined
        ? `la fiche de poste « ${title} » de ${snapshot.companyName}`
        : `l’entreprise ${snapshot.companyName} (candidature spontanée)`,
  };
}

/** The key of the one-active-application rule (the same expression as the unique indexes). */
function targetKey(t: Pick<ApplicationTarget, 'offerId' | 'companyId' | 'jobId'>): string {
  return t.offerId ?? `entreprise:${t.companyId ?? ''}:${t.jobId ?? ''}`;
}
const TARGET_SQL = `coalesce(doc->>'offerId', 'entreprise:' || coalesce(doc->>'companyId', '') || ':' || coalesce(doc->>'jobId', ''))`;
const ACTIVE_SQL = `doc->>'status' in ('proposee', 'nouvelle', 'a_l_etude', 'entretien', 'preselectionnee', 'embauchee')`;

function alreadyApplied(createdAt: string | null, target: ApplicationTarget, proposal: boolean): HttpError {
  const when = createdAt ? ` le ${frenchDate(createdAt)}` : '';
  const what = target.offerId
    ? 'à cette offre'
    : target.jobId
      ? 'à cette fiche de poste'
      : 'à cette entreprise';
  const message = proposal
    ? `Le recruteur vous a déjà proposé cette offre${when} : acceptez sa proposition dans « Mes candidatures ».`
    : `Vous avez déjà postulé ${what}${when}. Suivez votre candidature dans « Mes candidatures » ; vous pourrez postuler à nouveau si vous la retirez.`;
  return new HttpError(409, 'conflict', message, [
    { field: target.offerId ? 'offerId' : 'companyId', message },
  ]);
}

const isUniqueViolation = (e: unknown) => (e as { code?: unknown }).code === '23505';

/** Serialises the applications of one person to one target (the unique indexes are the backstop). */
async function lockTarget(tx: Queryable, who: string, target: ApplicationTarget): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `application:${who}:${targetKey(target)}`,
  ]);
}

export interface NewApplication {
  target: ApplicationTarget;
  candidateId?: string;
  applicant: ApplicationDoc['applicant'] & { firstName: string; lastName: string };
  cvId?: string;
  cv?: ApplicationDoc['cv'];
  cvFile?: string;
  letterFile?: string;
  message?: string;
  videoUrl?: string;
  folderId?: string;
  byName: string;
}

/**
 * Writes a new application (status « nouvelle ») in its own transaction, or answers 409 when the
 * same person already has an active one for the same target. `then` runs in the same transaction
 * (e-mails, follow token).
 */
export async function createApplication(
  db: Database,
  engine: SyncEngine,
  input: NewApplication,
  then?: (tx: Queryable, doc: ApplicationDoc) => Promise<void>,
): Promise<ApplicationDoc> {
  const { target } = input;
  const email = input.applicant.email?.toLowerCase() ?? '';
  const who = input.candidateId ? `compte:${input.candidateId}` : `email:${email}`;
  try {
    return await db.transaction(async (tx) => {
      await lockTarget(tx, who, target);
      const existing = input.candidateId
        ? await tx.query<{ created: string | null; status: string }>(
            `select doc->>'createdAt' as created, doc->>'status' as status from applications
              where not deleted and doc->>'candidateId' = $1 and ${TARGET_SQL} = $2 and ${ACTIVE_SQL}
                and doc->>'source' in ('portail', 'spontanee', 'proposition') limit 1`,
            [input.candidateId, targetKey(target)],
          )
        : await tx.query<{ created: string | null; status: string }>(
            `select doc->>'createdAt' as created, doc->>'status' as status from applications
              where not deleted and doc->>'candidateId' is null and lower(doc->'applicant'->>'email') = $1
                and ${TARGET_SQL} = $2 and ${ACTIVE_SQL} and doc->>'source' in ('portail', 'spontanee') limit 1`,
            [email, targetKey(target)],
          );
      const found = existing.rows[0];
      if (found) throw alreadyApplied(found.created, target, found.status === 'proposee');
      const now = clock.now().toISOString();
      const doc: ApplicationDoc = {
        id: randomUUID(),
        organisationId: target.organisationId,
        ...(target.offerId ? { offerId: target.offerId } : {}),
        ...(target.companyId ? { companyId: target.companyId } : {}),
        ...(target.jobId ? { jobId: target.jobId } : {}),
        offer: target.snapshot,
        ...(input.candidateId ? { candidateId: input.candidateId } : {}),
        applicant: input.applicant,
        ...(input.cvId ? { cvId: input.cvId } : {}),
        ...(input.cv ? { cv: input.cv } : {}),
        ...(input.cvFile ? { cvFile: input.cvFile } : {}),
        ...(input.letterFile ? { letterFile: input.letterFile } : {}),
        ...(input.message ? { message: input.message } : {}),
        ...(input.videoUrl ? { videoUrl: input.videoUrl } : {}),
        ...(input.folderId ? { folderId: input.folderId } : {}),
        status: 'nouvelle',
        history: [
          {
            at: now,
            to: 'nouvelle',
            ...(input.candidateId ? { by: input.candidateId } : {}),
            byName: input.byName.slice(0, 120),
          },
        ],
        source: target.source,
        createdAt: now,
        updatedAt: now,
      };
      await writeApplication(tx, engine, doc);
      if (then) await then(tx, doc);
      return doc;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyApplied(null, target, false);
    throw error;
  }
}

/** The candidate's e-mail after applying with an account. */
export async function queueCandidateConfirmation(
  tx: Queryable,
  doc: ApplicationDoc,
  to: string,
  label: string,
  base: string,
): Promise<void> {
  await queueEmail(tx, {
    to,
    subject: `Candidature envoyée : ${doc.offer?.title ?? 'votre candidature'}`,
    text: [
      `Bonjour ${doc.applicant?.firstName ?? ''},`,
      '',
      `Votre candidature à ${label} a bien été envoyée au recruteur.`,
      '',
      `Suivez-la et retirez-la si besoin dans « Mes candidatures » : ${base}/mes-candidatures`,
      '',
      'Bonne chance !',
    ].join('\n'),
    dedupeKey: `application-sent:${doc.id}`,
  });
}

/** The follow link of an application made without an account (only the token's hash is kept). */
export async function queueFollowLink(
  tx: Queryable,
  doc: ApplicationDoc,
  label: string,
  base: string,
): Promise<string> {
  const { token, hash } = newToken();
  await tx.query('insert into application_follow_tokens (token_hash, application_id) values ($1, $2)', [
    hash,
    doc.id,
  ]);
  await queueEmail(tx, {
    to: String(doc.applicant?.email),
    subject: `Candidature envoyée : ${doc.offer?.title ?? 'votre candidature'}`,
    text: [
      `Bonjour ${doc.applicant?.firstName ?? ''},`,
      '',
      `Votre candidature à ${label} a bien été envoyée au recruteur. Il vous répondra par e-mail ou par téléphone.`,
      '',
      'Suivez son avancement, ou retirez-la, avec ce lien personnel (ne le transmettez pas) :',
      `${base}/suivi-candidature?jeton=${token}`,
      '',
      'Vous pouvez aussi créer un compte candidat pour retrouver toutes vos candidatures, vos CV et vos alertes.',
    ].join('\n'),
    dedupeKey: `application-follow:${doc.id}`,
  });
  return token;
}

// ---------------------------------------------------------------------------------------------
// The candidate's moves

export type CandidateMove = 'withdraw' | 'accept' | 'decline';
const MOVE_TO: Record<CandidateMove, ApplicationStatus> = {
  withdraw: 'retiree',
  accept: 'nouvelle',
  decline: 'declinee',
};

function refusedMove(move: CandidateMove, from: ApplicationStatus): HttpError {
  const label = APPLICATION_STATUS_LABELS[from];
  const message =
    move === 'withdraw'
      ? from === 'proposee'
        ? 'Cette proposition n’est pas une candidature : déclinez-la si elle ne vous intéresse pas.'
        : `Cette candidature ne peut plus être retirée : son statut est « ${label} ».`
      : `Cette proposition a déjà reçu une réponse : son statut est « ${label} ».`;
  return new HttpError(409, 'conflict', message, [{ field: 'status', message }]);
}

/**
 * Applies a candidate's move to an application (found by `where`: the candidate's own, or the one
 * a follow token names), in one transaction, through the engine.
 */
export async function candidateMove(
  db: Database,
  engine: SyncEngine,
  find: { applicationId: string; candidateId?: string },
  move: CandidateMove,
  actor: { id?: string; name: string },
  reason?: string,
): Promise<ApplicationDoc> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ doc: ApplicationDoc }>(
      `select doc from applications where id = $1 and not deleted
          and ($2::text is null or doc->>'candidateId' = $2) for update`,
      [find.applicationId, find.candidateId ?? null],
    );
    const doc = rows[0]?.doc;
    if (!doc) throw notFound('Cette candidature n’existe pas ou ne vous appartient pas.');
    const from = doc.status as ApplicationStatus;
    let next: ApplicationDoc;
    try {
      next = moved(
        doc,
        MOVE_TO[move],
        { kind: 'candidat', ...(actor.id ? { id: actor.id } : {}), name: actor.name },
        clock.now(),
        move === 'withdraw' && reason ? { withdrawalReason: reason } : {},
      );
    } catch (error) {
      if (error instanceof TransitionRefused) throw refusedMove(move, from);
      throw error;
    }
    // Accepting a proposal makes it an application: the organisation now gets the identity and
    // contact an application gives (DESIGN §6), even when the proposal came from an anonymous CV.
    if (move === 'accept' && doc.candidateId)
      next = { ...next, applicant: await applicantOf(tx, doc.candidateId) };
    await writeApplication(tx, engine, next);
    await noticeRecruiters(tx, engine, next, move);
    return next;
  });
}

/** What an application tells the organisation about the candidate: names, e-mail, civility, phone. */
async function applicantOf(
  tx: Queryable,
  accountId: string,
): Promise<NonNullable<ApplicationDoc['applicant']>> {
  const profile = await loadCandidateProfile(tx, accountId);
  const { rows } = await tx.query<{ email: string }>('select email from accounts where id = $1', [accountId]);
  const phone = profile.phone.trim();
  return {
    ...(profile.civility ? { civility: profile.civility } : {}),
    firstName: profile.firstName.slice(0, 100),
    lastName: profile.lastName.slice(0, 100),
    ...(rows[0]?.email ? { email: rows[0].email.slice(0, 254) } : {}),
    ...(phone ? { phone: phone.slice(0, 20) } : {}),
  };
}

const MOVE_NOTICES: Record<CandidateMove, { title: string; text: string }> = {
  withdraw: { title: 'Candidature retirée', text: 'a été retirée par le candidat' },
  accept: {
    title: 'Proposition acceptée',
    text: 'a été acceptée par le candidat : elle devient une candidature',
  },
  decline: { title: 'Proposition déclinée', text: 'a été déclinée par le candidat' },
};

/**
 * Tells the recruiters who handle the application (the offer's author and co-recruiters, the
 * person who made a proposal) what the candidate did. The notice names the offer, never the person.
 */
async function noticeRecruiters(
  tx: Queryable,
  engine: SyncEngine,
  doc: ApplicationDoc,
  move: CandidateMove,
): Promise<void> {
  const recipients = new Set<string>();
  if (doc.offerId) {
    const { rows } = await tx.query<{ author: string | null; co: string[] | null }>(
      `select doc->>'authorId' as author,
              array(select jsonb_array_elements_text(coalesce(doc->'coRecruiterIds', '[]'::jsonb))) as co
         from offers where id = $1`,
      [doc.offerId],
    );
    if (rows[0]?.author) recipients.add(rows[0].author);
    for (const id of rows[0]?.co ?? []) recipients.add(id);
  }
  const proposer = doc.source === 'proposition' ? doc.history?.[0]?.by : undefined;
  if (proposer && proposer !== doc.candidateId) recipients.add(proposer);
  const { rows: known } = await tx.query<{ id: string }>(
    "select id::text as id from accounts where id::text = any($1::text[]) and kind = 'recruiter'",
    [[...recipients]],
  );
  const n = MOVE_NOTICES[move];
  const what = doc.offerId
    ? `${move === 'withdraw' ? 'Une candidature à votre offre' : 'Votre proposition pour l’offre'} « ${doc.offer?.title ?? ''} »${doc.offer?.number ? ` (n° ${doc.offer.number})` : ''}`
    : `Une candidature spontanée (« ${doc.offer?.title ?? ''} »)`;
  for (const r of known) {
    await engine.addNotice(tx, {
      userId: r.id,
      kind: 'information',
      collection: 'applications',
      documentId: doc.id,
      title: n.title,
      message: `${what} ${n.text}.`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

interface ListedRow {
  doc: ApplicationDoc;
  offer_status: string | null;
  company_published: boolean | null;
  job_published: boolean | null;
}

function stateOf(row: ListedRow): OfferState {
  if (row.doc.offerId) return offerStateOf(row.offer_status);
  if (!row.company_published) return 'retiree';
  if (row.doc.jobId && !row.job_published) return 'retiree';
  return 'en_ligne';
}

const LISTED_SQL = `
  select a.doc, o.doc->>'status' as offer_status,
         (c.id is not null and not c.deleted and c.doc->>'published' = 'true') as company_published,
         exists (select 1 from jsonb_array_elements(coalesce(c.doc->'jobs', '[]'::jsonb)) j
                  where j->>'id' = a.doc->>'jobId' and j->>'published' = 'true') as job_published
    from applications a
    left join offers o on o.id = a.doc->>'offerId' and not o.deleted
    left join companies c on c.id = a.doc->>'companyId'`;

function listed(row: ListedRow): CandidateApplication {
  const d = row.doc;
  const status = d.status as ApplicationStatus;
  return {
    id: d.id,
    status,
    statusLabel: APPLICATION_STATUS_LABELS[status],
    source: d.source as CandidateApplication['source'],
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    offerId: d.offerId ?? null,
    companyId: d.companyId ?? null,
    jobId: d.jobId ?? null,
    offer: (d.offer as ApplicationOfferSnapshot | undefined) ?? { title: 'Offre', companyName: '' },
    offerState: stateOf(row),
    canWithdraw: canWithdraw(status),
    canAnswer: canAnswerProposal(status),
    message: d.message ?? null,
    history: (d.history ?? []).map((h) => ({
      at: h.at,
      ...(h.from ? { from: h.from as ApplicationStatus } : {}),
      to: h.to as ApplicationStatus,
      // The candidate reads who acted only for their own moves; recruiters stay « le recruteur ».
      ...(h.by && h.by === d.candidateId && h.byName ? { byName: h.byName } : {}),
    })),
    ...refusalOf(d),
  };
}

/** What the candidate reads of a refusal: the reason only if the recruiter shows it, the message. */
function refusalOf(d: ApplicationDoc): { refusal?: CandidateRefusal } {
  if (d.status !== 'refusee') return {};
  const reason = d.refusalVisible === true && d.refusalReason ? d.refusalReason : undefined;
  const message = d.refusalMessage || undefined;
  if (!reason && !message) return {};
  return { refusal: { ...(reason ? { reason } : {}), ...(message ? { message } : {}) } };
}

/** « Mes candidatures », newest first (proposals included). */
export async function listCandidateApplications(
  q: Queryable,
  candidateId: string,
): Promise<CandidateApplication[]> {
  const { rows } = await q.query<ListedRow>(
    `${LISTED_SQL}
      where not a.deleted and a.doc->>'candidateId' = $1
      order by a.doc->>'createdAt' desc, a.id limit 1000`,
    [candidateId],
  );
  return rows.map(listed);
}

/** The application a follow token names (null when the token is unknown or its application erased). */
export async function followedApplication(
  q: Queryable,
  tokenHash: string,
): Promise<{ application: FollowedApplication; doc: ApplicationDoc } | null> {
  const { rows } = await q.query<ListedRow>(
    `${LISTED_SQL}
      join application_follow_tokens t on t.application_id = a.id
      where t.token_hash = $1 and not a.deleted`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return null;
  const l = listed(row);
  return {
    doc: row.doc,
    application: {
      id: l.id,
      status: l.status,
      statusLabel: l.statusLabel,
      createdAt: l.createdAt,
      offer: l.offer,
      offerId: l.offerId,
      offerState: l.offerState,
      canWithdraw: l.canWithdraw,
      firstName: row.doc.applicant?.firstName ?? '',
      ...(l.refusal ? { refusal: l.refusal } : {}),
    },
  };
}

/** Field checks shared by the routes. */
export function textField(
  body: Record<string, unknown>,
  field: string,
  max: number,
  errors: FieldError[],
  options: { required?: string } = {},
): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) {
    if (options.required) errors.push({ field, message: options.required });
    return undefined;
  }
  if (typeof v !== 'string') {
    errors.push({ field, message: 'Ce champ doit être un texte.' });
    return undefined;
  }
  const t = v.trim();
  if (t.length > max) {
    errors.push({ field, message: `Ce champ ne doit pas dépasser ${max} caractères (${t.length} saisis).` });
    return undefined;
  }
  return t;
}

export const PHONE = /^\+?[0-9 .()-]{6,20}$/;
export const MESSAGE_MAX = APPLICATION_LIMITS.message;

/** The engine's collection, for callers that only import this module. */
export { applicationsCollection };
