/**
 * Fair captures and the recruiter's triage on the server (issue 6): what the applications
 * collection decides beyond the status table (domain/applications.ts calls these).
 *
 * - A capture (`source` « salon » or « session ») is created from the workstation by a member of
 *   the organisation, offline if need be. It is never refused as a duplicate: the server flags it
 *   (`duplicateOf`, `duplicateReasons`, `shared/domain/duplicates.ts`), links it to the candidate
 *   account whose confirmed e-mail it carries (`candidateId`), and queues once per capture
 *   (`captureId`) a follow-up e-mail inviting the person to complete their profile on the portal.
 *   Duplicates are looked for among the organisation's applications only (an application made
 *   with an account is compared with the account's e-mail and profile phone too): `duplicateOf`
 *   always names an application the recruiter can open and merge with. An account that matches
 *   without any application in the organisation is not flagged: with the same confirmed e-mail
 *   the capture is linked to it (nothing to merge); by phone or name alone nothing is said, so
 *   recruiters never learn who has an account on the portal.
 * - A recruiter merges a capture into another application (`mergedInto`): the capture is archived
 *   and the target gets what it lacked (e-mail, phone, job sought, CV file), in one transaction.
 * - A refusal carries a reason (`refusalReason`), whether the candidate sees it (`refusalVisible`)
 *   and an optional message (`refusalMessage`); the candidate gets one e-mail per refusal.
 * - A status change that the table refuses because someone else moved the application first is
 *   refused as « Candidature modifiée entre-temps », naming both versions.
 */
import type { SessionUser } from '../../../shared/domain/account';
import {
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationSource,
  type ApplicationStatus,
  CAPTURE_SOURCES,
  canMoveApplication,
} from '../../../shared/domain/application';
import {
  type DuplicateReason,
  findDuplicates,
  normaliseEmail,
  normalisePhone,
  type PersonIdentity,
} from '../../../shared/domain/duplicates';
import { evaluationIdFor, mergeEvaluations } from '../../../shared/domain/evaluation';
import { OTHER_REFUSAL_REASON, refusalReasonLabel } from '../../../shared/domain/refusal';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { EvaluationDoc } from '../../../shared/schemas/evaluation.schema';
import type { EventDoc } from '../../../shared/schemas/event.schema';
import type { FieldError } from '../../../shared/sync/errors';
import type { Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { isSha256 } from '../files/file-types';
import { recordFileRefs } from '../files/routes';
import type { SyncEngine } from '../sync/engine';
import type { Doc, PushContext, PushDecision } from '../sync/types';
import { applicationFiles, applicationsCollection, type HistoryEntry, moved } from './applications';
import { clampDate, evaluationsCollection } from './evaluations';

// ---------------------------------------------------------------------------------------------
// Settings (set by registerTriageRoutes): where the e-mails' links point, and the engine that
// writes the other application of a merge. Any engine writes through the transaction it is given.

export const triageDeps: { base: () => string; engine: SyncEngine | null } = {
  base: () => 'http://localhost:3000',
  engine: null,
};

/** Sources of a fair or session capture: created from the workstation, never refused as duplicates. */
export const isCapture = (doc: Pick<ApplicationDoc, 'source'>) =>
  CAPTURE_SOURCES.includes(doc.source as ApplicationSource);

/** Organisation kinds whose members capture applicants. */
const CAPTURING_KINDS = new Set(['employer', 'agency', 'prescriber']);

export const userName = (user: SessionUser) =>
  `${user.firstName} ${user.lastName}`.trim().slice(0, 120) || user.email.slice(0, 120);

const refuse = (title: string, message: string, fields: FieldError[] = []): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(fields.length > 0 ? { fields } : {}) },
});

const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

// ---------------------------------------------------------------------------------------------
// Creation

const CAPTURE_TITLE = 'Saisie refusée';

/** The applicant as stored, or the faults (French, by field) of what the workstation sent. */
export function checkCapturedApplicant(
  applicant: ApplicationDoc['applicant'] | undefined,
  now: Date,
): { applicant: NonNullable<ApplicationDoc['applicant']>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const a = applicant ?? { firstName: '', lastName: '' };
  const firstName = trimmed(a.firstName);
  const lastName = trimmed(a.lastName);
  const email = trimmed(a.email);
  const phone = trimmed(a.phone);
  const jobSought = trimmed(a.jobSought);
  if (!firstName)
    errors.push({ field: 'applicant.firstName', message: 'Saisissez le prénom de la personne.' });
  if (!lastName) errors.push({ field: 'applicant.lastName', message: 'Saisissez le nom de la personne.' });
  if (email && !normaliseEmail(email))
    errors.push({
      field: 'applicant.email',
      message: 'Cette adresse e-mail n’est pas valide (exemple : prenom.nom@exemple.fr).',
    });
  if (phone && !normalisePhone(phone))
    errors.push({
      field: 'applicant.phone',
      message: 'Ce numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78).',
    });
  if (!email && !phone) {
    const message = 'Saisissez une adresse e-mail ou un numéro de téléphone pour recontacter la personne.';
    errors.push({ field: 'applicant.email', message }, { field: 'applicant.phone', message });
  }
  const consentText = trimmed(a.consent?.text);
  if (!a.consent || !consentText)
    errors.push({
      field: 'applicant.consent',
      message:
        'Le consentement de la personne au traitement de ses données est obligatoire : lisez-lui le texte affiché et cochez la case.',
    });
  return {
    applicant: {
      ...(a.civility ? { civility: a.civility } : {}),
      firstName,
      lastName,
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(jobSought ? { jobSought } : {}),
      ...(a.consent && consentText
        ? { consent: { at: clampDate(a.consent.at, now), text: consentText } }
        : {}),
    },
    errors,
  };
}

interface OfferRow {
  organisationId: string;
  title?: string;
  companyName?: string;
  number?: string;
  city?: string;
  postalCode?: string;
}

function snapshotOf(offer: OfferRow): NonNullable<ApplicationDoc['offer']> {
  return {
    title: (offer.title ?? 'Offre').slice(0, 150),
    companyName: (offer.companyName ?? '').slice(0, 150),
    ...(offer.number ? { number: offer.number.slice(0, 20) } : {}),
    ...(offer.city ? { city: offer.city.slice(0, 120) } : {}),
    ...(offer.postalCode ? { postalCode: offer.postalCode.slice(0, 5) } : {}),
  };
}

/** A live candidate account whose confirmed e-mail is this one. */
export async function confirmedCandidateOf(tx: Queryable, email: string | undefined): Promise<string | null> {
  const e = normaliseEmail(email);
  if (!e) return null;
  const { rows } = await tx.query<{ id: string }>(
    `select id::text as id from accounts
      where lower(email) = $1 and kind = 'candidate' and disabled_at is null and email_confirmed_at is not null`,
    [e],
  );
  return rows[0]?.id ?? null;
}

interface DuplicateCandidate {
  id: string;
  offerId: string | null;
  identity: PersonIdentity;
}

/**
 * The application this capture most likely duplicates: among the organisation's live applications
 * (not this capture's own, not merged ones), compared by e-mail, phone and name (the account's
 * e-mail and profile phone too for an application made with an account); the strongest match
 * first, and among equals one to the same offer, then the oldest.
 */
export async function captureDuplicates(
  tx: Queryable,
  doc: Pick<ApplicationDoc, 'id' | 'organisationId' | 'offerId' | 'captureId' | 'applicant'>,
): Promise<{ duplicateOf: string; reasons: DuplicateReason[] } | null> {
  const best = (await duplicateMatches(tx, doc))[0];
  return best ? { duplicateOf: best.id, reasons: best.reasons } : null;
}

/** Every application of the organisation that looks like this one, strongest first (see above). */
export async function duplicateMatches(
  tx: Queryable,
  doc: Pick<ApplicationDoc, 'id' | 'organisationId' | 'offerId' | 'captureId' | 'applicant'>,
): Promise<{ id: string; offerId: string | null; reasons: DuplicateReason[] }[]> {
  const { rows } = await tx.query<{
    id: string;
    offer_id: string | null;
    applicant: PersonIdentity | null;
    account_email: string | null;
    profile_phone: string | null;
  }>(
    `select a.id, a.doc->>'offerId' as offer_id, a.doc->'applicant' as applicant,
            ac.email as account_email, p.doc->>'phone' as profile_phone
       from applications a
       left join accounts ac on ac.id::text = a.doc->>'candidateId'
       left join candidate_profiles p on p.account_id = ac.id
      where not a.deleted and a.doc->>'organisationId' = $1 and a.id <> $2
        and coalesce(a.doc->>'captureId', '') <> $3 and a.doc->>'mergedInto' is null
      order by (a.doc->>'offerId' is not distinct from $4) desc, a.doc->>'createdAt', a.id`,
    [doc.organisationId, doc.id, doc.captureId ?? '', doc.offerId ?? null],
  );
  const candidates: DuplicateCandidate[] = rows.map((r) => {
    const a = r.applicant ?? {};
    return {
      id: r.id,
      offerId: r.offer_id,
      identity: {
        ...(a.firstName ? { firstName: a.firstName } : {}),
        ...(a.lastName ? { lastName: a.lastName } : {}),
        ...((a.email ?? r.account_email) ? { email: (a.email ?? r.account_email)! } : {}),
        ...((a.phone ?? r.profile_phone) ? { phone: (a.phone ?? r.profile_phone)! } : {}),
      },
    };
  });
  const a = doc.applicant ?? { firstName: '', lastName: '' };
  const person: PersonIdentity = {
    firstName: a.firstName,
    lastName: a.lastName,
    ...(a.email ? { email: a.email } : {}),
    ...(a.phone ? { phone: a.phone } : {}),
  };
  return findDuplicates(person, candidates, (c) => c.identity).map((m) => ({
    id: m.item.id,
    offerId: m.item.offerId,
    reasons: m.reasons,
  }));
}

/**
 * A new application pushed from the workstation: only a fair or session capture, by a member of
 * its organisation, to one of its offers. Server-owned fields are set here; the follow-up e-mail
 * is queued in the push's transaction.
 */
export async function decideCapture(ctx: PushContext, incoming: ApplicationDoc): Promise<PushDecision> {
  const { tx, user, now } = ctx;
  if (!isCapture(incoming)) {
    const message =
      'Depuis le poste de travail, seules les saisies d’un salon ou d’une session de recrutement créent une candidature (source « salon » ou « session ») ; les autres arrivent par le portail.';
    return refuse('Candidature refusée', message, [{ field: 'source', message }]);
  }
  // The capturer: a member of the organisation, or (issue 6, recruitment sessions) an advisor of the
  // prescriber that organises the session for it, capturing attendees into its offers.
  let membership = user.memberships.find((m) => m.organisationId === incoming.organisationId) ?? null;
  let partnerEvent: { offerIds: string[]; requestOffer: string | null } | null = null;
  if (!membership && incoming.eventId) {
    const { rows } = await tx.query<{ doc: EventDoc }>(
      'select doc from events where id = $1 and not deleted',
      [incoming.eventId],
    );
    const event = rows[0]?.doc;
    const partner = event?.partnerOrganisationId
      ? user.memberships.find(
          (m) => m.organisationId === event.partnerOrganisationId && m.kind === 'prescriber',
        )
      : undefined;
    if (event && event.kind === 'session' && event.organisationId === incoming.organisationId && partner) {
      membership = partner;
      partnerEvent = { offerIds: event.offerIds, requestOffer: event.request?.offerId ?? null };
    }
  }
  if (!membership || !CAPTURING_KINDS.has(membership.kind)) {
    const message =
      'Vous ne pouvez saisir un candidat qu’au nom d’une organisation dont vous êtes membre (employeur, agence ou prescripteur), ou pour une session de recrutement que votre organisation organise.';
    return refuse(CAPTURE_TITLE, message, [{ field: 'organisationId', message }]);
  }
  const { applicant, errors } = checkCapturedApplicant(incoming.applicant, now);
  if (incoming.status !== 'nouvelle')
    errors.push({
      field: 'status',
      message: `Une saisie commence au statut « ${APPLICATION_STATUS_RECRUITER_LABELS.nouvelle} ».`,
    });
  if (incoming.cvFile !== undefined && !isSha256(incoming.cvFile))
    errors.push({
      field: 'cvFile',
      message: 'La référence du fichier du CV est invalide (empreinte SHA-256 attendue).',
    });
  if (partnerEvent) {
    const allowed = new Set([
      ...partnerEvent.offerIds,
      ...(partnerEvent.requestOffer ? [partnerEvent.requestOffer] : []),
    ]);
    if (!incoming.offerId || !allowed.has(incoming.offerId))
      errors.push({
        field: 'offerId',
        message: 'À une session de recrutement, choisissez l’une des offres de la session.',
      });
  }

  let snapshot: NonNullable<ApplicationDoc['offer']> = {
    title: 'Candidature spontanée',
    companyName: membership.organisationName.slice(0, 150),
  };
  if (incoming.offerId) {
    const { rows } = await tx.query<{ doc: OfferRow }>(
      'select doc from offers where id = $1 and not deleted',
      [incoming.offerId],
    );
    const offer = rows[0]?.doc;
    if (!offer) errors.push({ field: 'offerId', message: 'Cette offre n’existe pas ou a été supprimée.' });
    else if (offer.organisationId !== incoming.organisationId)
      errors.push({
        field: 'offerId',
        message: partnerEvent
          ? 'Cette offre n’est pas une offre de l’organisation qui a demandé la session.'
          : `Cette offre n’est pas une offre de ${membership.organisationName} : choisissez une offre de votre organisation.`,
      });
    else snapshot = snapshotOf(offer);
  }
  let eventName: string | null = null;
  if (incoming.eventId) {
    // An event created offline may reach the server after its captures: only one known to
    // belong to someone else is refused.
    const { rows } = await tx.query<{
      organisation_id: string | null;
      partner: string | null;
      name: string | null;
    }>(
      `select doc->>'organisationId' as organisation_id, doc->>'partnerOrganisationId' as partner, doc->>'name' as name
         from events where id = $1 and not deleted`,
      [incoming.eventId],
    );
    const event = rows[0];
    if (
      event &&
      event.organisation_id !== incoming.organisationId &&
      event.partner !== incoming.organisationId
    )
      errors.push({
        field: 'eventId',
        message: 'Cet événement n’est pas organisé par votre organisation ni avec elle.',
      });
    eventName = event?.name ?? null;
  }
  if (errors.length > 0) {
    const who = `${applicant.firstName} ${applicant.lastName}`.trim() || 'ce candidat';
    return refuse(
      CAPTURE_TITLE,
      `La saisie de ${who} n’a pas été enregistrée : ${errors[0]!.message}`,
      errors,
    );
  }

  // Two colleagues' captures of the same person are compared one after the other.
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
    `captures:${incoming.organisationId}`,
  ]);
  const createdAt = clampDate(incoming.createdAt, now);
  const byName = userName(user);
  const captureId = incoming.captureId ?? incoming.id;
  const candidateId = await confirmedCandidateOf(tx, applicant.email);
  let doc: ApplicationDoc = {
    id: incoming.id,
    organisationId: incoming.organisationId,
    ...(incoming.offerId ? { offerId: incoming.offerId } : {}),
    offer: snapshot,
    ...(candidateId ? { candidateId } : {}),
    applicant,
    ...(incoming.cvFile ? { cvFile: incoming.cvFile } : {}),
    status: 'nouvelle',
    history: [{ at: createdAt, to: 'nouvelle', by: user.id, byName }],
    source: incoming.source,
    ...(incoming.eventId ? { eventId: incoming.eventId } : {}),
    captureId,
    capturedBy: user.id,
    capturedByName: byName,
    createdAt,
    updatedAt: now.toISOString(),
  };
  const duplicate = await captureDuplicates(tx, doc);
  if (duplicate) doc = { ...doc, duplicateOf: duplicate.duplicateOf, duplicateReasons: duplicate.reasons };
  const followUpAt = await queueCaptureFollowUp(tx, doc, { eventName, now });
  if (followUpAt) doc = { ...doc, followUpAt };
  await recordFileRefs(tx, 'applications', doc.id, applicationFiles(doc));
  return { kind: 'write', doc: doc as unknown as Doc };
}

// ---------------------------------------------------------------------------------------------
// Follow-up e-mail

/** The portal's sign-up page, prefilled (the page reads `email`, `prenom`, `nom`). */
export function signupLink(base: string, applicant: NonNullable<ApplicationDoc['applicant']>): string {
  const q = new URLSearchParams();
  if (applicant.email) q.set('email', applicant.email);
  if (applicant.firstName) q.set('prenom', applicant.firstName);
  if (applicant.lastName) q.set('nom', applicant.lastName);
  return `${base}/inscription?${q}`;
}

/**
 * Once per capture with an e-mail: the invitation to complete a profile on the portal (or, for a
 * person who already has an account, to find the application in « Mes candidatures »). Returns
 * when it was sent (the capture's other applications copy it), or null without an e-mail.
 */
export async function queueCaptureFollowUp(
  tx: Queryable,
  doc: ApplicationDoc,
  options: { eventName: string | null; now: Date },
): Promise<string | null> {
  const email = doc.applicant?.email;
  if (!email || !normaliseEmail(email)) return null;
  const captureId = doc.captureId ?? doc.id;
  const { rows } = await tx.query<{ at: string }>(
    `select doc->>'followUpAt' as at from applications
      where doc->>'captureId' = $1 and doc->>'organisationId' = $2 and doc->>'followUpAt' is not null limit 1`,
    [captureId, doc.organisationId],
  );
  if (rows[0]?.at) return rows[0].at;
  const base = triageDeps.base().replace(/\/+$/, '');
  const company = doc.offer?.companyName || 'Le recruteur';
  const where = options.eventName ? ` au « ${options.eventName} »` : '';
  const what = doc.offerId && doc.offer ? ` pour l’offre « ${doc.offer.title} »` : '';
  const lines = [
    `Bonjour ${doc.applicant?.firstName ?? ''},`,
    '',
    `Merci pour notre rencontre${where}. ${company} a bien enregistré votre candidature${what}.`,
    '',
  ];
  if (doc.candidateId) {
    lines.push(
      'Elle apparaît dans votre espace candidat, rubrique « Mes candidatures » :',
      `${base}/mes-candidatures`,
      '',
      `Complétez votre profil et vos CV pour que le recruteur vous connaisse mieux : ${base}/mon-compte`,
    );
  } else {
    lines.push(
      'Pour suivre votre candidature et compléter votre profil (CV, métiers recherchés, disponibilités), créez votre compte candidat avec cette adresse e-mail :',
      signupLink(base, doc.applicant!),
      '',
      'Vos candidatures saisies ce jour-là y apparaîtront dès que votre adresse sera confirmée.',
    );
  }
  lines.push(
    '',
    'Vous avez accepté que vos données soient traitées pour votre candidature ; vous pouvez demander leur suppression à tout moment en répondant à ce message.',
  );
  await queueEmail(tx, {
    to: email,
    subject: `Suite à notre rencontre : ${company}`.slice(0, 300),
    text: lines.join('\n'),
    dedupeKey: `capture-follow-up:${doc.organisationId}:${captureId}`,
  });
  return options.now.toISOString();
}

/**
 * Links the fair captures made with this e-mail to the candidate's account, so they appear in
 * « Mes candidatures ». Call it when the account's address is confirmed (in that transaction).
 */
export async function linkCapturesToAccount(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
  email: string,
): Promise<number> {
  const e = normaliseEmail(email);
  if (!e) return 0;
  const { rows } = await tx.query<{ doc: ApplicationDoc }>(
    `select doc from applications
      where not deleted and lower(doc->'applicant'->>'email') = $1 and doc->>'candidateId' is null
        and doc->>'source' in ('salon', 'session')
      for update`,
    [e],
  );
  for (const { doc } of rows) {
    await engine.write(
      tx,
      applicationsCollection,
      { ...doc, candidateId: accountId } as unknown as Doc,
      false,
    );
  }
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Refusal

export const REFUSAL_TITLE = 'Refus incomplet';

/** The refusal fields as stored, or the faults. `reason` is the label (or the typed reason). */
export function checkRefusal(incoming: ApplicationDoc): {
  reason: string;
  visible: boolean;
  message: string;
  errors: FieldError[];
} {
  const errors: FieldError[] = [];
  let reason = trimmed(incoming.refusalReason);
  if (reason === OTHER_REFUSAL_REASON) {
    errors.push({ field: 'refusalReason', message: 'Précisez le motif du refus (« Autre motif »).' });
    reason = '';
  } else if (reason) reason = refusalReasonLabel(reason) ?? reason;
  if (!reason && errors.length === 0)
    errors.push({
      field: 'refusalReason',
      message: 'Choisissez le motif du refus : il est obligatoire pour refuser une candidature.',
    });
  const message = trimmed(incoming.refusalMessage);
  return { reason, visible: incoming.refusalVisible === true, message, errors };
}

/** Where the candidate reads e-mails: the account's address, or the one given in the application. */
async function candidateAddress(tx: Queryable, doc: ApplicationDoc): Promise<string | null> {
  if (doc.candidateId) {
    const { rows } = await tx.query<{ email: string }>(
      'select email from accounts where id::text = $1 and disabled_at is null',
      [doc.candidateId],
    );
    if (rows[0]?.email) return rows[0].email;
  }
  return normaliseEmail(doc.applicant?.email) ? doc.applicant!.email! : null;
}

/** The e-mail telling the candidate the application was not retained (once per refusal). */
export async function queueRefusalEmail(
  tx: Queryable,
  doc: ApplicationDoc,
  refusedAt: string,
): Promise<boolean> {
  const to = await candidateAddress(tx, doc);
  if (!to) return false;
  const base = triageDeps.base().replace(/\/+$/, '');
  const title = doc.offer?.title ?? 'votre candidature';
  const company = doc.offer?.companyName ? ` chez ${doc.offer.companyName}` : '';
  const number = doc.offer?.number ? ` (n° ${doc.offer.number})` : '';
  const lines = [
    `Bonjour ${doc.applicant?.firstName ?? ''},`,
    '',
    doc.offerId
      ? `Votre candidature à l’offre « ${title} »${number}${company} n’a pas été retenue.`
      : `Votre candidature${company} n’a pas été retenue.`,
  ];
  if (doc.refusalVisible && doc.refusalReason) lines.push('', `Motif : ${doc.refusalReason}`);
  if (doc.refusalMessage) lines.push('', 'Message du recruteur :', doc.refusalMessage);
  if (doc.candidateId)
    lines.push('', `Retrouvez vos candidatures dans « Mes candidatures » : ${base}/mes-candidatures`);
  lines.push('', 'Nous vous souhaitons une bonne continuation dans vos recherches.');
  return queueEmail(tx, {
    to,
    subject: `Votre candidature : ${title}`.slice(0, 300),
    text: lines.join('\n'),
    dedupeKey: `application-refused:${doc.id}:${refusedAt}`,
  });
}

// ---------------------------------------------------------------------------------------------
// « Modifiée entre-temps »

const parisDay = (iso: string) =>
  new Date(iso).toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', timeZone: 'Europe/Paris' });
const parisTime = (iso: string) =>
  new Date(iso).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

/**
 * The refusal of a status change the table does not allow from the master's status: when someone
 * else moved the application after what this user saw (the last history entry is theirs, and the
 * pushed document is not newer than the master, as a rebased one is, or is older than that
 * entry), it says so with both versions; otherwise null (a plain refusal).
 */
export function changedMeanwhile(
  user: SessionUser,
  master: ApplicationDoc,
  incoming: ApplicationDoc,
): { title: string; message: string; fields: FieldError[] } | null {
  const last = master.history?.at(-1) as HistoryEntry | undefined;
  if (!last || last.by === user.id || last.to !== master.status) return null;
  const incomingAt = incoming.updatedAt ?? '';
  if (!(last.at > incomingAt || incomingAt <= master.updatedAt)) return null;
  const wanted = APPLICATION_STATUS_RECRUITER_LABELS[incoming.status as ApplicationStatus];
  const now = APPLICATION_STATUS_RECRUITER_LABELS[master.status as ApplicationStatus];
  // Without an author: the server moved it (an offer closed, a retention job).
  const who = last.byName || (last.by ? 'un collègue' : 'le serveur');
  const person = `${master.applicant?.firstName ?? ''} ${master.applicant?.lastName ?? ''}`.trim();
  const message =
    `Vous vouliez la passer à « ${wanted} » ; entre-temps, ${who} l’a passée à « ${now} » le ${parisDay(last.at)} à ${parisTime(last.at)}.` +
    (person
      ? ` (Candidature de ${person}${master.offer?.title ? `, offre « ${master.offer.title} »` : ''}.)`
      : '');
  return { title: 'Candidature modifiée entre-temps', message, fields: [{ field: 'status', message }] };
}

// ---------------------------------------------------------------------------------------------
// Merge

const MERGE_TITLE = 'Fusion refusée';

/**
 * The recruiter confirmed that this capture is the same person as `incoming.mergedInto`: the
 * capture is archived (with its history entry) and records the merge; the target gets the e-mail,
 * phone, job sought and CV file it lacked, and loses a duplicate hint pointing at the capture;
 * other hints pointing at the capture now point at the target, and the capture's evaluations move
 * to the target. All in the push's transaction.
 */
export async function decideMerge(
  ctx: PushContext,
  master: ApplicationDoc,
  incoming: ApplicationDoc,
  mayHandle: (doc: ApplicationDoc) => Promise<boolean>,
): Promise<PushDecision> {
  const { tx, user, now } = ctx;
  const fail = (message: string) => refuse(MERGE_TITLE, message, [{ field: 'mergedInto', message }]);
  if (master.mergedInto)
    return fail('Cette saisie a déjà été fusionnée avec une autre candidature : une fusion ne s’annule pas.');
  if (!isCapture(master))
    return fail(
      'Seule une saisie de salon ou de session se fusionne dans une autre candidature ; archivez ou refusez les autres.',
    );
  const targetId = incoming.mergedInto!;
  if (targetId === master.id) return fail('Une candidature ne peut pas être fusionnée avec elle-même.');
  const engine = triageDeps.engine;
  if (!engine)
    return fail('La fusion n’est pas disponible sur ce serveur pour le moment : réessayez plus tard.');
  const { rows } = await tx.query<{ doc: ApplicationDoc }>(
    'select doc from applications where id = $1 and not deleted for update',
    [targetId],
  );
  const target = rows[0]?.doc;
  if (!target || target.organisationId !== master.organisationId)
    return fail(
      'La candidature choisie pour la fusion n’existe plus ou n’appartient pas à votre organisation.',
    );
  if (target.mergedInto)
    return fail('La candidature choisie a elle-même été fusionnée dans une autre : choisissez celle-ci.');
  if (!(await mayHandle(target)))
    return fail('Vous ne traitez pas les candidatures de l’offre choisie pour la fusion.');

  const at = now.toISOString();
  let next: ApplicationDoc = master;
  const actor = { kind: 'recruteur' as const, id: user.id, name: userName(user) };
  if (master.status !== 'archivee') {
    if (!canMoveApplication(master.status as ApplicationStatus, 'archivee', 'recruteur'))
      return fail(
        `Une candidature « ${APPLICATION_STATUS_RECRUITER_LABELS[master.status as ApplicationStatus]} » ne peut pas être archivée.`,
      );
    next = moved(master, 'archivee', actor, now);
  }
  next = { ...next, mergedInto: target.id, updatedAt: at };

  // What the target lacked.
  const from = master.applicant;
  const into = target.applicant ?? { firstName: from?.firstName ?? '', lastName: from?.lastName ?? '' };
  const applicant = {
    ...into,
    ...(!into.email && from?.email ? { email: from.email } : {}),
    ...(!into.phone && from?.phone ? { phone: from.phone } : {}),
    ...(!into.jobSought && from?.jobSought ? { jobSought: from.jobSought } : {}),
  };
  let merged: ApplicationDoc = {
    ...target,
    applicant,
    ...(!target.cvFile && master.cvFile ? { cvFile: master.cvFile } : {}),
    updatedAt: at,
  };
  if (merged.duplicateOf === master.id) {
    const { duplicateOf: _d, duplicateReasons: _r, ...rest } = merged;
    merged = rest;
  }
  await engine.write(tx, applicationsCollection, merged as unknown as Doc, false);
  await recordFileRefs(tx, 'applications', merged.id, applicationFiles(merged));

  // Other hints pointing at the capture now point at the application it was merged into.
  const { rows: pointing } = await tx.query<{ doc: ApplicationDoc }>(
    `select doc from applications where not deleted and doc->>'duplicateOf' = $1 and id <> $2 and id <> $3
      for update`,
    [master.id, target.id, master.id],
  );
  for (const { doc } of pointing) {
    await engine.write(
      tx,
      applicationsCollection,
      { ...doc, duplicateOf: target.id, updatedAt: at } as unknown as Doc,
      false,
    );
  }
  await moveEvaluations(tx, engine, master, target);
  await recordFileRefs(tx, 'applications', next.id, applicationFiles(next));
  return { kind: 'write', doc: next as unknown as Doc };
}

/**
 * The evaluations of a merged capture follow the person: each author's evaluation moves to the
 * target (merged by rule with the one they already wrote there: notes appended, latest rating,
 * tags united), and the capture's becomes a tombstone.
 */
async function moveEvaluations(
  tx: Queryable,
  engine: SyncEngine,
  from: ApplicationDoc,
  to: ApplicationDoc,
): Promise<void> {
  const { rows } = await tx.query<{ doc: EvaluationDoc }>(
    `select doc from evaluations where not deleted and doc->>'subjectKind' = 'application'
        and doc->>'subjectId' = $1 for update`,
    [from.id],
  );
  for (const { doc } of rows) {
    const id = evaluationIdFor(doc.authorId, to.id);
    const { offerId: _o, ...rest } = doc;
    let moved: EvaluationDoc = {
      ...rest,
      id,
      subjectId: to.id,
      organisationId: to.organisationId,
      ...(to.offerId ? { offerId: to.offerId } : {}),
    };
    const { rows: existing } = await tx.query<{ doc: EvaluationDoc }>(
      'select doc from evaluations where id = $1 and not deleted for update',
      [id],
    );
    if (existing[0]) moved = { ...mergeEvaluations(existing[0].doc, moved), id, subjectId: to.id };
    await engine.write(tx, evaluationsCollection, moved as unknown as Doc, false);
    await engine.write(tx, evaluationsCollection, doc as unknown as Doc, true);
  }
}
