/**
 * Messaging rules (issue 7; DESIGN §6 « Messaging rules »; seed 000 « Mes messages », « Mes
 * candidats », « Mes CVs »; seed 004): who may write to whom, why a message is refused, and what a
 * draft must hold. Pure: the server looks the facts up and calls `mayWrite`; the portal and the
 * workstation call it with the facts they hold, so the rule is shown before anyone types.
 *
 * A conversation is always between ONE candidate (an account) and ONE organisation, whose members
 * write for it so that colleagues can follow up. Decisions (documented here, tested beside):
 *
 * - Parties by organisation kind (DESIGN §6 roles):
 *   - employer, agency (recruiters): every basis of seed 000. Seed 000 says « membres de type
 *     « employeurs » » for the CV selections; agencies are recruiters too (DESIGN §6: a recruiter is
 *     a member of an employer or agency organisation) and keep « Mes CVs » lists, so they count.
 *   - prescriber (advisors): no offers, so no applications and no company profile; its lists do
 *     not count (seed 000 names the « employeurs »). An advisor may write to a person their
 *     structure proposed for an offer, the person may write back, and an exchange continues.
 *   - training body: consults the CVthèque and keeps lists and notes (DESIGN §6, seed 004), but has
 *     no messaging: neither side may write.
 *   - platform (moderators): read reported conversations (`mayReadConversation`), never write in
 *     them; a candidate reaches the platform through the contact form, not the messaging.
 * - Writing as a candidate needs a candidate account (seed 004: « vous devez disposer d’un compte
 *   candidat ») with a confirmed e-mail address; writing for an organisation needs to be one of its
 *   members, and the organisation verified by the platform.
 * - « Un échange préalable » counts both ways: one message sent by either side in a conversation
 *   between the two parties opens the conversation to both (hidden conversations still count;
 *   an erased account's messages are gone, so they do not).
 * - « Déposé une candidature » (seed 000): an application the candidate filed to one of the
 *   organisation's offers (or a spontaneous one to it), whatever became of it: refused, hired,
 *   archived, however long ago (retention is the RGPD jobs' business: an erased application is no
 *   longer a fact). It does not count when the candidate withdrew it (seed 000: « annuler une
 *   candidature, en la supprimant »), nor for a proposal the candidate has not accepted or declined
 *   (they filed nothing); an archived application counts as what it was before it was archived.
 * - The CV « dans ses sélections »: a CV of the candidate in one of the organisation's lists. The
 *   candidate may always write to an organisation that selected them; the organisation may write
 *   only while that CV is still visible in the CVthèque (seed 004: « contactés … depuis leurs
 *   dossiers de candidatures si ceux-ci sont visibles »).
 * - The company profile (seed 004: « contactés via la fiche de l’entreprise pour une candidature
 *   spontanée ») lets a candidate write to an employer or agency with a published profile; it is no
 *   basis for the organisation to write first.
 * - A block, in either direction, wins over every basis; so does an erased or disabled candidate
 *   account. A block by the organisation is one of the organisation (any member), as the
 *   conversation is.
 */

import type { FieldError } from '../sync/errors';
import { type MemberRole, ORGANISATION_KINDS, type OrganisationKind } from './account';
import type { ApplicationStatus } from './application';
import { formatMegabytes, isSha256, MEGABYTE } from './files';

// ---------------------------------------------------------------------------------------------
// Parties and facts
// ---------------------------------------------------------------------------------------------

export type MessagingDirection = 'candidate-to-organisation' | 'organisation-to-candidate';
export const MESSAGING_DIRECTIONS: readonly MessagingDirection[] = [
  'candidate-to-organisation',
  'organisation-to-candidate',
];

/** active; disabled (suspended by the platform, or closed); erased (RGPD deletion). */
export type CandidateAccountStatus = 'active' | 'disabled' | 'erased';

export interface MessagingCandidate {
  accountId: string;
  status: CandidateAccountStatus;
  /** The candidate confirmed their e-mail address (needed to write, as to apply). */
  emailConfirmed: boolean;
}

export interface MessagingOrganisation {
  id: string;
  kind: OrganisationKind;
  /** Verified by the platform (an unverified organisation may prepare, not write). */
  verified: boolean;
}

/** Who sends: the candidate themself, or a member writing for the organisation. */
export type MessagingSender =
  | { accountKind: 'candidate'; accountId: string }
  | {
      accountKind: 'recruiter';
      accountId: string;
      /** The sender's memberships (a `SessionUser`'s fit). */
      memberships: readonly { organisationId: string; kind: OrganisationKind; role?: MemberRole }[];
    };

/** An application as the rules read it (an `ApplicationDoc` fits). */
export interface MessagingApplication {
  status: ApplicationStatus;
  history?: readonly { from?: string; to: string }[];
}

/**
 * Where the candidate's CVs stand in the organisation's lists: `none` in none of them; `visible` at
 * least one listed CV is still visible in the CVthèque; `hidden` listed, but none visible any more.
 */
export type CvListing = 'none' | 'visible' | 'hidden';

/** The facts the server looks up (or the client holds) for one candidate and one organisation. */
export interface MessagingFacts {
  direction: MessagingDirection;
  sender: MessagingSender;
  candidate: MessagingCandidate;
  organisation: MessagingOrganisation;
  /** A message was already sent, by either side, in a conversation between the two. */
  priorExchange: boolean;
  /** The candidate's applications to the organisation's offers (and spontaneous ones to it). */
  applications: readonly MessagingApplication[];
  cvListing: CvListing;
  /** The organisation has a published company profile (fiche entreprise) the candidate can write from. */
  companyProfilePublished: boolean;
  /** An advisor of the organisation proposed the candidate for an offer (any answer). */
  proposedByOrganisation: boolean;
  /** The candidate blocked the organisation. */
  blockedByCandidate: boolean;
  /** A member of the organisation blocked the candidate (for the whole organisation). */
  blockedByOrganisation: boolean;
}

// ---------------------------------------------------------------------------------------------
// The rules table
// ---------------------------------------------------------------------------------------------

export type MessagingBasis =
  | 'prior-exchange'
  | 'application'
  | 'cv-selection'
  | 'company-profile'
  | 'proposal';

export interface MessagingRule {
  basis: MessagingBasis;
  direction: MessagingDirection;
  /** The organisation kinds the rule applies to. */
  organisationKinds: readonly OrganisationKind[];
  /** The rule as the sender reads it (« Vous pouvez envoyer des messages uniquement : … »). */
  label: string;
  /** Where the rule comes from. */
  source: string;
}

/**
 * What each organisation kind does in the messaging (DESIGN §6): `rules` writes and is written to
 * under the table below; `read-reported` (moderators) reads reported conversations, never writes;
 * `none` (training bodies) has no messaging. A kind added later must be decided here.
 */
export const MESSAGING_KIND_POLICY: Record<OrganisationKind, 'rules' | 'read-reported' | 'none'> = {
  employer: 'rules',
  agency: 'rules',
  prescriber: 'rules',
  training: 'none',
  platform: 'read-reported',
};

const RECRUITING: readonly OrganisationKind[] = ['employer', 'agency'];
const WITH_MESSAGING: readonly OrganisationKind[] = ORGANISATION_KINDS.filter(
  (k) => MESSAGING_KIND_POLICY[k] === 'rules',
);

/**
 * THE rules table: `mayWrite` allows a message exactly when one row matches the direction, the
 * organisation's kind and the facts; the UI shows the same rows (« À qui puis-je écrire ? »).
 * Order matters: the first matching row gives the basis.
 */
export const MESSAGING_RULES: readonly MessagingRule[] = Object.freeze(
  [
    {
      basis: 'prior-exchange',
      direction: 'candidate-to-organisation',
      organisationKinds: WITH_MESSAGING,
      label: 'Aux membres avec qui vous avez déjà eu un échange préalable.',
      source: 'seed 000 « Mes messages »',
    },
    {
      basis: 'application',
      direction: 'candidate-to-organisation',
      organisationKinds: RECRUITING,
      label: 'Aux membres ayant posté des annonces pour lesquelles vous avez déposé une candidature.',
      source: 'seed 000 « Mes messages »',
    },
    {
      basis: 'cv-selection',
      direction: 'candidate-to-organisation',
      organisationKinds: RECRUITING,
      label:
        'Aux membres de type « employeurs » (entreprises et agences) ayant mis votre CV dans leurs sélections.',
      source: 'seed 000 « Mes messages »',
    },
    {
      basis: 'company-profile',
      direction: 'candidate-to-organisation',
      organisationKinds: RECRUITING,
      label:
        'Aux recruteurs d’une entreprise, depuis sa fiche entreprise (pour une candidature spontanée par exemple).',
      source: 'seed 004',
    },
    {
      basis: 'proposal',
      direction: 'candidate-to-organisation',
      organisationKinds: ['prescriber'],
      label: 'Aux conseillers d’une structure qui vous a proposé pour une offre.',
      source: 'DESIGN §6 (prescripteurs)',
    },
    {
      basis: 'prior-exchange',
      direction: 'organisation-to-candidate',
      organisationKinds: WITH_MESSAGING,
      label: 'Aux candidats avec qui votre organisation a déjà eu un échange préalable.',
      source: 'seed 000 « Mes messages »',
    },
    {
      basis: 'application',
      direction: 'organisation-to-candidate',
      organisationKinds: RECRUITING,
      label: 'Aux candidats ayant déposé une candidature pour une de vos annonces (« Mes candidats »).',
      source: 'seed 000 « Mes candidats »',
    },
    {
      basis: 'cv-selection',
      direction: 'organisation-to-candidate',
      organisationKinds: RECRUITING,
      label:
        'Aux candidats dont vous avez mis le CV dans vos sélections (« Mes CVs »), tant que ce CV reste visible dans la CVthèque.',
      source: 'seed 000 « Mes CVs », seed 004',
    },
    {
      basis: 'proposal',
      direction: 'organisation-to-candidate',
      organisationKinds: ['prescriber'],
      label: 'Aux personnes que votre structure a proposées pour une offre.',
      source: 'DESIGN §6 (prescripteurs)',
    },
  ].map((r) => Object.freeze({ ...r, organisationKinds: Object.freeze([...r.organisationKinds]) })),
) as readonly MessagingRule[];

/** Headings of the « À qui puis-je écrire ? » panel. */
export const MESSAGING_RULES_TITLE = 'À qui puis-je écrire ?';
export const MESSAGING_RULES_INTRO = 'Vous pouvez envoyer des messages uniquement :';

/** What never allows a message, whatever the rows above say (shown under them). */
export const MESSAGING_LIMITS: readonly string[] = Object.freeze([
  'Un blocage, dans un sens ou dans l’autre, empêche tout nouveau message.',
  'Les organismes de formation n’utilisent pas la messagerie.',
  'Les modérateurs lisent les conversations signalées mais n’y écrivent pas.',
]);

/** The rows a sender reads: a candidate (no kind) or a member of an organisation of this kind. */
export function messagingRulesFor(direction: MessagingDirection, kind?: OrganisationKind): MessagingRule[] {
  return MESSAGING_RULES.filter(
    (r) => r.direction === direction && (kind === undefined || r.organisationKinds.includes(kind)),
  ).filter((r, i, all) => all.findIndex((o) => o.label === r.label) === i);
}

/** Statuses of an application that was never filed by the candidate, or that they cancelled. */
const NOT_FILED: readonly string[] = ['proposee', 'declinee', 'retiree'];

/**
 * Whether an application counts as « une candidature déposée »: filed by the candidate, whatever
 * became of it, unless they withdrew it; an archived one counts as what it was before.
 */
export function applicationOpensMessaging(application: MessagingApplication): boolean {
  let status: string = application.status;
  if (status === 'archivee') {
    const archived = application.history?.findLast((h) => h.to === 'archivee');
    status = archived?.from ?? 'archivee';
  }
  return !NOT_FILED.includes(status);
}

/** How each basis is checked, per direction; typed so that every basis has its check. */
const HOLDS: Record<MessagingBasis, (f: MessagingFacts) => boolean> = {
  'prior-exchange': (f) => f.priorExchange,
  application: (f) => f.applications.some(applicationOpensMessaging),
  'cv-selection': (f) =>
    f.direction === 'candidate-to-organisation' ? f.cvListing !== 'none' : f.cvListing === 'visible',
  'company-profile': (f) => f.companyProfilePublished,
  proposal: (f) => f.proposedByOrganisation,
};

/** The first row of the table that allows this message, or null. */
export function messagingBasis(facts: MessagingFacts): MessagingBasis | null {
  const row = MESSAGING_RULES.find(
    (r) =>
      r.direction === facts.direction &&
      r.organisationKinds.includes(facts.organisation.kind) &&
      HOLDS[r.basis](facts),
  );
  return row?.basis ?? null;
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

export type MessagingRefusalCode =
  | 'candidate-account-required'
  | 'not-a-member'
  | 'candidate-erased'
  | 'candidate-disabled'
  | 'email-not-confirmed'
  | 'moderators-read-only'
  | 'messaging-not-offered'
  | 'organisation-not-verified'
  | 'blocked-by-sender'
  | 'blocked-by-recipient'
  | 'no-basis';

export const MESSAGING_REFUSAL_CODES: readonly MessagingRefusalCode[] = [
  'candidate-account-required',
  'not-a-member',
  'candidate-erased',
  'candidate-disabled',
  'email-not-confirmed',
  'moderators-read-only',
  'messaging-not-offered',
  'organisation-not-verified',
  'blocked-by-sender',
  'blocked-by-recipient',
  'no-basis',
];

/** The refusal messages, as the sender reads them: `candidate` when writing as a candidate. */
export const MESSAGING_REFUSAL_MESSAGES: Record<
  Exclude<MessagingRefusalCode, 'no-basis'>,
  { candidate: string; organisation: string }
> = {
  'candidate-account-required': {
    candidate:
      'Pour contacter par messagerie les recruteurs d’une entreprise, vous devez disposer d’un compte candidat : connectez-vous avec votre compte candidat.',
    organisation:
      'Ce compte n’est pas un compte recruteur : pour écrire à un candidat, connectez-vous avec votre compte recruteur.',
  },
  'not-a-member': {
    candidate:
      'Vous ne pouvez pas écrire au nom d’un autre candidat : envoyez vos messages depuis votre propre compte.',
    organisation:
      'Vous n’êtes pas membre de cette organisation : vous ne pouvez pas écrire en son nom. Demandez une invitation à l’un de ses membres.',
  },
  'candidate-erased': {
    candidate: 'Ce compte candidat a été supprimé : il ne peut plus envoyer de messages.',
    organisation:
      'Ce candidat a supprimé son compte : vous ne pouvez plus lui écrire. Ses messages ont été effacés.',
  },
  'candidate-disabled': {
    candidate:
      'Votre compte est suspendu : vous ne pouvez pas envoyer de messages. Contactez la plateforme par le formulaire de contact.',
    organisation: 'Le compte de ce candidat est suspendu : vous ne pouvez pas lui écrire pour le moment.',
  },
  'email-not-confirmed': {
    candidate:
      'Votre adresse e-mail n’est pas encore confirmée : cliquez sur le lien reçu lors de votre inscription, puis envoyez votre message.',
    organisation:
      'Votre adresse e-mail n’est pas encore confirmée : cliquez sur le lien reçu lors de votre inscription, puis envoyez votre message.',
  },
  'moderators-read-only': {
    candidate:
      'Les modérateurs de la plateforme ne répondent pas par la messagerie : pour les contacter, utilisez le formulaire de contact.',
    organisation:
      'Les modérateurs lisent les conversations signalées mais n’y écrivent pas : pour joindre un candidat, passez par le formulaire de contact de la plateforme.',
  },
  'messaging-not-offered': {
    candidate:
      'Cette structure n’utilise pas la messagerie : pour la contacter, utilisez les coordonnées indiquées sur sa fiche.',
    organisation:
      'Les organismes de formation n’ont pas accès à la messagerie : contactez la personne par les coordonnées de son CV, si elle les rend visibles.',
  },
  'organisation-not-verified': {
    candidate:
      'Cette organisation n’a pas encore été vérifiée par la plateforme : vous pourrez lui écrire une fois la vérification faite.',
    organisation:
      'Votre organisation n’a pas encore été vérifiée par la plateforme : vous pourrez écrire aux candidats une fois la vérification faite.',
  },
  'blocked-by-sender': {
    candidate:
      'Vous avez bloqué cette organisation : débloquez-la depuis « Mes messages » pour lui écrire à nouveau.',
    organisation:
      'Votre organisation a bloqué ce candidat : débloquez-le depuis la conversation pour lui écrire à nouveau.',
  },
  'blocked-by-recipient': {
    candidate: 'Cette organisation ne reçoit plus vos messages : vous ne pouvez plus lui écrire.',
    organisation:
      'Ce candidat ne souhaite plus recevoir de messages de votre organisation : vous ne pouvez plus lui écrire.',
  },
};

/** Why no row allows the message, and what to do, for this sender. */
export function noBasisMessage(facts: MessagingFacts): string {
  const kind = facts.organisation.kind;
  if (facts.direction === 'candidate-to-organisation') {
    if (kind === 'prescriber')
      return 'Vous ne pouvez pas encore écrire à cette structure : vous pourrez lui écrire quand l’un de ses conseillers vous aura proposé pour une offre ou vous aura écrit.';
    return (
      'Vous n’avez pas encore d’échange avec cette entreprise, vous n’avez postulé à aucune de ses offres et elle n’a pas mis votre CV dans ses sélections. ' +
      'Vous pourrez écrire à cette entreprise après avoir postulé à l’une de ses offres, ou depuis sa fiche entreprise dès qu’elle sera publiée.'
    );
  }
  if (kind === 'prescriber')
    return 'Vous ne pouvez pas écrire à cette personne : votre structure ne l’a proposée pour aucune offre et vous n’avez pas d’échange préalable avec elle. Proposez-la pour une offre pour pouvoir lui écrire.';
  if (facts.cvListing === 'hidden')
    return 'Le CV de ce candidat est dans vos sélections, mais il ne l’a plus rendu visible dans la CVthèque : vous ne pouvez plus lui écrire, sauf s’il postule à l’une de vos offres ou vous écrit.';
  return 'Vous ne pouvez pas écrire à ce candidat : il n’a postulé à aucune de vos annonces, son CV n’est pas dans vos sélections et vous n’avez pas d’échange préalable avec lui. Ajoutez son CV à l’une de vos listes depuis la CVthèque, ou attendez sa candidature.';
}

export type MayWriteResult =
  | { allowed: true; basis: MessagingBasis }
  | { allowed: false; code: MessagingRefusalCode; message: string };

function refuse(code: Exclude<MessagingRefusalCode, 'no-basis'>, facts: MessagingFacts): MayWriteResult {
  const side = facts.direction === 'candidate-to-organisation' ? 'candidate' : 'organisation';
  return { allowed: false, code, message: MESSAGING_REFUSAL_MESSAGES[code][side] };
}

/**
 * Whether this sender may write this message now. Checked in this order: who writes (a candidate
 * as themself, a member for their organisation), the candidate's account, the organisation's kind
 * and verification, the candidate's e-mail confirmation, blocks (which win over every basis), then
 * the rules table.
 */
export function mayWrite(facts: MessagingFacts): MayWriteResult {
  const { direction, sender, candidate, organisation } = facts;
  const fromCandidate = direction === 'candidate-to-organisation';

  if (fromCandidate) {
    if (sender.accountKind !== 'candidate') return refuse('candidate-account-required', facts);
    if (sender.accountId !== candidate.accountId) return refuse('not-a-member', facts);
  } else {
    if (
      sender.accountKind !== 'recruiter' ||
      !sender.memberships.some((m) => m.organisationId === organisation.id)
    )
      return refuse('not-a-member', facts);
  }
  if (candidate.status === 'erased') return refuse('candidate-erased', facts);
  if (candidate.status === 'disabled') return refuse('candidate-disabled', facts);
  const policy = MESSAGING_KIND_POLICY[organisation.kind];
  if (policy === 'read-reported') return refuse('moderators-read-only', facts);
  if (policy !== 'rules') return refuse('messaging-not-offered', facts);
  if (!organisation.verified) return refuse('organisation-not-verified', facts);
  if (fromCandidate && !candidate.emailConfirmed) return refuse('email-not-confirmed', facts);

  const blockedBySender = fromCandidate ? facts.blockedByCandidate : facts.blockedByOrganisation;
  const blockedByRecipient = fromCandidate ? facts.blockedByOrganisation : facts.blockedByCandidate;
  if (blockedBySender) return refuse('blocked-by-sender', facts);
  if (blockedByRecipient) return refuse('blocked-by-recipient', facts);

  const basis = messagingBasis(facts);
  if (basis) return { allowed: true, basis };
  return { allowed: false, code: 'no-basis', message: noBasisMessage(facts) };
}

/**
 * Who reads a conversation: its candidate, every member of its organisation (colleagues follow
 * up), and a moderator (member of the platform organisation) only once it was reported.
 */
export function mayReadConversation(
  reader: MessagingSender,
  conversation: { candidateAccountId: string; organisationId: string; reported: boolean },
): boolean {
  if (reader.accountKind === 'candidate') return reader.accountId === conversation.candidateAccountId;
  if (reader.memberships.some((m) => m.organisationId === conversation.organisationId)) return true;
  return conversation.reported && reader.memberships.some((m) => m.kind === 'platform');
}

// ---------------------------------------------------------------------------------------------
// Drafts
// ---------------------------------------------------------------------------------------------

export const MESSAGE_LIMITS = {
  subject: 150,
  body: 10_000,
  attachments: 5,
  attachmentName: 200,
  /** Per attachment, in bytes (the content is checked by the server on upload). */
  attachmentBytes: 5 * MEGABYTE,
} as const;

export interface MessageAttachment {
  sha256: string;
  name: string;
  size: number;
}

export interface MessageDraft {
  subject: string;
  body: string;
  attachments: MessageAttachment[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
const LINE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a body keeps its newlines and tabs.
const TEXT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export const MESSAGE_DRAFT_MESSAGES = {
  subjectRequired: 'L’objet du message est obligatoire.',
  subjectTooLong: `L’objet du message ne doit pas dépasser ${MESSAGE_LIMITS.subject} caractères.`,
  subjectControl:
    'L’objet du message contient des caractères invisibles non autorisés (retours à la ligne, tabulations…).',
  bodyRequired: 'Le message est vide : écrivez votre message.',
  bodyTooLong: `Le message ne doit pas dépasser ${MESSAGE_LIMITS.body.toLocaleString('fr-FR')} caractères.`,
  bodyControl:
    'Le message contient des caractères invisibles non autorisés : copiez-le à nouveau en texte simple.',
  attachmentsList: 'Les pièces jointes sont invalides : joignez vos fichiers à nouveau.',
  attachmentsTooMany: `Vous pouvez joindre au plus ${MESSAGE_LIMITS.attachments} fichiers à un message.`,
  attachmentFile: 'Pièce jointe invalide : joignez ce fichier à nouveau.',
  attachmentName: `Nom de fichier invalide (${MESSAGE_LIMITS.attachmentName} caractères au plus, sans / ni \\).`,
  attachmentTooLarge: `La pièce jointe dépasse ${formatMegabytes(MESSAGE_LIMITS.attachmentBytes)}.`,
  attachmentDuplicate: 'Ce fichier est déjà joint au message.',
} as const;

/** Characters as a person counts them (an emoji is one). */
function charCount(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

function attachment(value: unknown, field: string, errors: FieldError[]): MessageAttachment | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field, message: MESSAGE_DRAFT_MESSAGES.attachmentFile });
    return null;
  }
  const { sha256, name, size } = value as Record<string, unknown>;
  if (!isSha256(sha256)) {
    errors.push({ field, message: MESSAGE_DRAFT_MESSAGES.attachmentFile });
    return null;
  }
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (
    !trimmed ||
    charCount(trimmed) > MESSAGE_LIMITS.attachmentName ||
    LINE_CONTROL.test(trimmed) ||
    /[\\/]/.test(trimmed)
  ) {
    errors.push({ field, message: MESSAGE_DRAFT_MESSAGES.attachmentName });
    return null;
  }
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    errors.push({ field, message: MESSAGE_DRAFT_MESSAGES.attachmentFile });
    return null;
  }
  if (size > MESSAGE_LIMITS.attachmentBytes) {
    errors.push({ field, message: MESSAGE_DRAFT_MESSAGES.attachmentTooLarge });
    return null;
  }
  return { sha256, name: trimmed, size };
}

/**
 * Checks a draft as a client sent it (seed 000: « l’objet du message ; le corps du message »):
 * subject 1–150 characters on one line, body 1–10 000 characters (newlines kept, `\r\n` made
 * `\n`), both trimmed, no control characters; at most 5 attachments referred to by SHA-256, each
 * named and within the size limit. Errors name the field (`subject`, `body`, `attachments`,
 * `attachments.<i>`).
 */
export function validateMessageDraft(
  input: unknown,
): { ok: true; value: MessageDraft } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const b = (input && typeof input === 'object' && !Array.isArray(input) ? input : {}) as Record<
    string,
    unknown
  >;

  const subject = typeof b.subject === 'string' ? b.subject.trim() : '';
  if (!subject) errors.push({ field: 'subject', message: MESSAGE_DRAFT_MESSAGES.subjectRequired });
  else if (charCount(subject) > MESSAGE_LIMITS.subject)
    errors.push({ field: 'subject', message: MESSAGE_DRAFT_MESSAGES.subjectTooLong });
  else if (LINE_CONTROL.test(subject))
    errors.push({ field: 'subject', message: MESSAGE_DRAFT_MESSAGES.subjectControl });

  const body = typeof b.body === 'string' ? b.body.replace(/\r\n?/g, '\n').trim() : '';
  if (!body) errors.push({ field: 'body', message: MESSAGE_DRAFT_MESSAGES.bodyRequired });
  else if (charCount(body) > MESSAGE_LIMITS.body)
    errors.push({ field: 'body', message: MESSAGE_DRAFT_MESSAGES.bodyTooLong });
  else if (TEXT_CONTROL.test(body))
    errors.push({ field: 'body', message: MESSAGE_DRAFT_MESSAGES.bodyControl });

  const attachments: MessageAttachment[] = [];
  if (b.attachments !== undefined && b.attachments !== null) {
    if (!Array.isArray(b.attachments))
      errors.push({ field: 'attachments', message: MESSAGE_DRAFT_MESSAGES.attachmentsList });
    else if (b.attachments.length > MESSAGE_LIMITS.attachments)
      errors.push({ field: 'attachments', message: MESSAGE_DRAFT_MESSAGES.attachmentsTooMany });
    else
      b.attachments.forEach((a, i) => {
        const field = `attachments.${i}`;
        const checked = attachment(a, field, errors);
        if (!checked) return;
        if (attachments.some((o) => o.sha256 === checked.sha256))
          errors.push({ field, message: MESSAGE_DRAFT_MESSAGES.attachmentDuplicate });
        else attachments.push(checked);
      });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { subject, body, attachments } };
}
