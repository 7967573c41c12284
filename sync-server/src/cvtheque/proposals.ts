/**
 * Proposals (issue 5 « Contact and proposals », DESIGN §4 `applications`, status « proposée »):
 * from a CV of the CVthèque, a recruiter proposes the person for one of their organisation's
 * published offers (an advisor, member of a prescriber, for any published offer). The result is
 * an application in status `proposee`, source `proposition`, that the candidate accepts
 * (→ « nouvelle ») or declines on the portal (« Mes candidatures »), and an e-mail tells them.
 *
 * The application carries what the recruiter may see of the person: the CV's name only when the
 * CV is not anonymous (« Candidat anonyme » otherwise), contact data only when the CVthèque shows
 * it. The candidate gives the rest by accepting.
 */
import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../../shared/domain/account';
import { APPLICATION_LIMITS, type ApplicationOfferSnapshot } from '../../../shared/domain/application';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { CvDoc } from '../../../shared/schemas/cv.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { cvSnapshot } from '../candidate/applications';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { writeApplication } from '../domain/applications';
import { frenchDate } from '../domain/route-helpers';
import { queueEmail } from '../email/outbox';
import { badRequest, forbidden, HttpError } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { isCvthequeUser } from './session-scope';

export interface ProposalInput {
  cvId: string;
  offerId: string;
  message?: string;
}

export const PROPOSAL_MESSAGE_MAX = APPLICATION_LIMITS.message;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ALLOWED = new Set(['cvId', 'offerId', 'message']);

export const PROPOSAL_FORBIDDEN =
  'Seuls les recruteurs, les conseillers et les organismes de formation membres d’une organisation proposent des candidats.';
export const PROPOSAL_CV_NOT_FOUND = 'Ce CV n’existe pas ou n’est plus visible dans la CVthèque.';
export const PROPOSAL_OFFER_NOT_FOUND = 'Cette offre n’existe pas.';

/** The body of `POST /api/cvtheque/proposals`, checked: a 400 naming each field at fault. */
export function checkProposalInput(body: unknown): ProposalInput {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('Envoyez la proposition : { "cvId", "offerId", "message" }.', [
      { field: 'body', message: 'Un objet JSON est attendu.' },
    ]);
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const k of Object.keys(b)) {
    if (!ALLOWED.has(k))
      errors.push({ field: k.slice(0, 60), message: `Champ inconnu : « ${k.slice(0, 60)} ».` });
  }
  const id = (field: 'cvId' | 'offerId', missing: string) => {
    const v = b[field];
    if (v === undefined || v === null || v === '') errors.push({ field, message: missing });
    else if (typeof v !== 'string' || !UUID.test(v))
      errors.push({ field, message: 'Identifiant invalide : choisissez-le dans la liste.' });
  };
  id('cvId', 'Choisissez le CV de la personne à proposer.');
  id('offerId', 'Choisissez l’offre pour laquelle proposer cette personne.');
  let message: string | undefined;
  if (b.message !== undefined && b.message !== null) {
    if (typeof b.message !== 'string')
      errors.push({ field: 'message', message: 'Le message doit être un texte.' });
    else {
      const t = b.message.trim();
      if (t.length > PROPOSAL_MESSAGE_MAX)
        errors.push({
          field: 'message',
          message: `Le message ne doit pas dépasser ${PROPOSAL_MESSAGE_MAX} caractères (${t.length} saisis).`,
        });
      else if (t) message = t;
    }
  }
  if (errors.length > 0)
    throw badRequest(
      errors.length === 1
        ? errors[0]!.message
        : `La proposition contient ${errors.length} erreurs : corrigez les champs signalés.`,
      errors,
    );
  return { cvId: b.cvId as string, offerId: b.offerId as string, ...(message ? { message } : {}) };
}

interface OfferRow {
  doc: Record<string, unknown>;
}

/** The offer proposed: published, of the user's organisation (any organisation for an advisor). */
async function proposableOffer(q: Queryable, user: SessionUser, offerId: string) {
  const { rows } = await q.query<OfferRow>('select doc from offers where id = $1 and not deleted', [offerId]);
  const offer = rows[0]?.doc;
  const field = (message: string) => [{ field: 'offerId', message }];
  const ownOrg = offer && user.memberships.some((m) => m.organisationId === offer.organisationId);
  const advisor = user.memberships.some((m) => m.kind === 'prescriber');
  // Another organisation's offer that is not public does not exist for this user.
  if (!offer || (!ownOrg && offer.status !== 'publiee'))
    throw new HttpError(404, 'not-found', PROPOSAL_OFFER_NOT_FOUND, field(PROPOSAL_OFFER_NOT_FOUND));
  if (!ownOrg && !advisor) {
    const m = 'Vous ne proposez des candidats que pour les offres de votre organisation.';
    throw new HttpError(403, 'forbidden', m, field(m));
  }
  if (offer.status !== 'publiee') {
    const m = 'Cette offre n’est pas en ligne : publiez-la avant d’y proposer des candidats.';
    throw new HttpError(409, 'conflict', m, field(m));
  }
  const cut = (v: unknown, n: number) => (typeof v === 'string' ? v.slice(0, n) : undefined);
  const snapshot: ApplicationOfferSnapshot = {
    title: cut(offer.title, 150) ?? 'Offre',
    companyName: cut(offer.companyName, 150) ?? '',
  };
  if (typeof offer.number === 'string') snapshot.number = offer.number.slice(0, 20);
  if (typeof offer.city === 'string') snapshot.city = offer.city.slice(0, 120);
  if (typeof offer.postalCode === 'string') snapshot.postalCode = offer.postalCode.slice(0, 5);
  return { organisationId: String(offer.organisationId), snapshot };
}

/** The person behind a CVthèque CV: their account and the CV as written. */
async function proposedCv(q: Queryable, cvId: string) {
  const { rows } = await q.query<{
    account_id: string;
    email: string;
    cv: Record<string, unknown>;
    projection: CvDoc;
  }>(
    `select c.account_id::text as account_id, a.email, c.doc as cv, v.doc as projection
       from candidate_cvs c
       join accounts a on a.id = c.account_id and a.disabled_at is null and a.kind = 'candidate'
       join cvs v on v.id = c.id::text and not v.deleted
      where c.id = $1 and c.status = 'publie'`,
    [cvId],
  );
  const found = rows[0];
  if (found) return found as typeof found & { account_id: string | null; email: string | null };
  // A spouse's job search (« Rapprochement de conjoints », domain/spouse-searches.ts): written on
  // the person's behalf, who has no account yet; the proposal reaches them by e-mail when given.
  const spouse = await q.query<{ email: string | null; projection: CvDoc }>(
    `select s.email, v.doc as projection
       from spouse_searches s join cvs v on v.id = s.id::text and not v.deleted
      where s.id::text = $1 and s.status = 'en_ligne'`,
    [cvId],
  );
  const s = spouse.rows[0];
  if (s) {
    const p = s.projection;
    return {
      account_id: null as string | null,
      email: s.email,
      cv: {
        title: p.title,
        summary: p.summary,
        target: { appellationLabel: p.appellationLabel, romeCode: p.romeCode },
      } as Record<string, unknown>,
      projection: p,
    };
  }
  throw new HttpError(404, 'not-found', PROPOSAL_CV_NOT_FOUND, [
    { field: 'cvId', message: PROPOSAL_CV_NOT_FOUND },
  ]);
}

function proposalText(
  base: string,
  proposer: string,
  offer: ApplicationOfferSnapshot,
  message?: string,
): string {
  const where = [offer.companyName, offer.city].filter(Boolean).join(', ');
  return [
    'Bonjour,',
    '',
    `${proposer} vous propose l’offre « ${offer.title} »${offer.number ? ` (n° ${offer.number})` : ''}${where ? ` — ${where}` : ''}, après avoir consulté votre CV dans la CVthèque.`,
    ...(message ? ['', 'Son message :', message] : []),
    '',
    `Acceptez la proposition pour en faire une candidature, ou déclinez-la, dans « Mes candidatures » : ${base}/mes-candidatures`,
    '',
    'Tant que vous n’avez pas accepté, le recruteur ne reçoit de vous que ce que votre CV montre dans la CVthèque.',
  ].join('\n');
}

/** The proposal e-mail to a person without an account (« Rapprochement de conjoints »). */
function spouseProposalText(proposer: string, offer: ApplicationOfferSnapshot, message?: string): string {
  const where = [offer.companyName, offer.city].filter(Boolean).join(', ');
  return [
    'Bonjour,',
    '',
    `${proposer} vous propose l’offre « ${offer.title} »${offer.number ? ` (n° ${offer.number})` : ''}${where ? ` — ${where}` : ''}, après avoir consulté votre recherche d’emploi enregistrée au titre du « Rapprochement de conjoints ».`,
    ...(message ? ['', 'Son message :', message] : []),
    '',
    'Le recruteur vous contactera avec les coordonnées que vous avez données ; vous pouvez aussi lui répondre directement.',
  ].join('\n');
}

/**
 * Proposes the person behind a CV for an offer: the application in status « proposée », written
 * through the engine (the offer's organisation replicates it), and the e-mail to the candidate,
 * in one transaction. 403 without CVthèque rights or for another organisation's offer (employers),
 * 404 for an unknown CV or offer, 409 for an offer not online or a person who already has an
 * active application or proposal for it.
 */
export async function createProposal(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  input: ProposalInput,
  options: { base: string },
): Promise<ApplicationDoc> {
  if (!isCvthequeUser(user)) throw forbidden(PROPOSAL_FORBIDDEN);
  const base = options.base.replace(/\/+$/, '');
  try {
    return await proposeIn(db, engine, user, input, base);
  } catch (error) {
    // Two proposals racing past the check: the unique index is the backstop.
    if ((error as { code?: unknown }).code === '23505') {
      const m = 'Cette personne a déjà une candidature ou une proposition en cours pour cette offre.';
      throw new HttpError(409, 'conflict', m, [{ field: 'offerId', message: m }]);
    }
    throw error;
  }
}

function proposeIn(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  input: ProposalInput,
  base: string,
): Promise<ApplicationDoc> {
  return db.transaction(async (tx) => {
    const offer = await proposableOffer(tx, user, input.offerId);
    const cv = await proposedCv(tx, input.cvId);
    // One active application or proposal per person and offer (the same rule as the portal's).
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      cv.account_id
        ? `application:compte:${cv.account_id}:${input.offerId}`
        : `application:cv:${input.cvId}:${input.offerId}`,
    ]);
    const { rows: existing } = await tx.query<{ created: string | null; status: string }>(
      `select doc->>'createdAt' as created, doc->>'status' as status from applications
        where not deleted and doc->>${cv.account_id ? "'candidateId'" : "'cvId'"} = $1 and doc->>'offerId' = $2
          and doc->>'status' in ('proposee', 'nouvelle', 'a_l_etude', 'entretien', 'preselectionnee', 'embauchee')
        limit 1`,
      [cv.account_id ?? input.cvId, input.offerId],
    );
    const found = existing[0];
    if (found) {
      const when = found.created ? ` depuis le ${frenchDate(found.created)}` : '';
      const m =
        found.status === 'proposee'
          ? `Cette personne a déjà une proposition en attente pour cette offre${when}.`
          : `Cette personne a déjà une candidature en cours pour cette offre${when}.`;
      throw new HttpError(409, 'conflict', m, [{ field: 'offerId', message: m }]);
    }
    const p = cv.projection;
    const named = !p.anonymous && p.firstName && p.lastName;
    const applicant: ApplicationDoc['applicant'] = named
      ? {
          firstName: p.firstName!.slice(0, 100),
          lastName: p.lastName!.slice(0, 100),
          ...(p.email ? { email: p.email.slice(0, 254) } : {}),
          ...(p.phone ? { phone: p.phone.slice(0, 20) } : {}),
        }
      : { firstName: 'Candidat', lastName: 'anonyme' };
    const org =
      user.memberships.find((m) => m.organisationId === offer.organisationId) ?? user.memberships[0];
    const proposer = `${user.firstName} ${user.lastName}${org ? ` (${org.organisationName})` : ''}`.slice(
      0,
      120,
    );
    const now = clock.now().toISOString();
    const doc: ApplicationDoc = {
      id: randomUUID(),
      organisationId: offer.organisationId,
      offerId: input.offerId,
      offer: offer.snapshot,
      ...(cv.account_id ? { candidateId: cv.account_id } : {}),
      applicant,
      cvId: input.cvId,
      cv: cvSnapshot(cv.cv),
      ...(p.file?.sha256 ? { cvFile: p.file.sha256 } : {}),
      ...(input.message ? { message: input.message } : {}),
      status: 'proposee',
      history: [{ at: now, to: 'proposee', by: user.id, byName: proposer }],
      source: 'proposition',
      createdAt: now,
      updatedAt: now,
    };
    // (writeApplication also gives the offer's organisation the CV: `refreshCvKeys`.)
    await writeApplication(tx, engine, doc);
    if (cv.email)
      await queueEmail(tx, {
        to: cv.email,
        subject: `Une offre vous est proposée : ${offer.snapshot.title}`,
        text: cv.account_id
          ? proposalText(base, proposer, offer.snapshot, input.message)
          : spouseProposalText(proposer, offer.snapshot, input.message),
        dedupeKey: `cv-proposal|${doc.id}`,
      });
    await tx.query(
      `insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, 'cv-proposal', 'applications', $2, $3)`,
      [user.id, doc.id, JSON.stringify({ offerId: input.offerId })],
    );
    return doc;
  });
}
