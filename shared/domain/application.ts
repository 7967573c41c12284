/**
 * Applications (DESIGN §4): an application, a capture made at a fair or a proposal, with ONE
 * table of allowed status transitions and who may make each. The server enforces it (candidate
 * routes, pushes from the workstation); the portal and the workstation read it to offer only the
 * actions that will be accepted.
 */

export const APPLICATION_STATUSES = [
  'proposee',
  'nouvelle',
  'a_l_etude',
  'entretien',
  'preselectionnee',
  'embauchee',
  'refusee',
  'retiree',
  'archivee',
  'declinee',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** What the candidate reads (portal: « Mes candidatures », the follow page, e-mails). */
export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  proposee: 'Proposition reçue',
  nouvelle: 'Envoyée',
  a_l_etude: 'En cours d’étude',
  entretien: 'Entretien',
  preselectionnee: 'Présélectionnée',
  embauchee: 'Retenue',
  refusee: 'Non retenue',
  retiree: 'Retirée',
  archivee: 'Archivée',
  declinee: 'Proposition déclinée',
};

/** What recruiters read (workstation pipeline). */
export const APPLICATION_STATUS_RECRUITER_LABELS: Record<ApplicationStatus, string> = {
  proposee: 'Proposée',
  nouvelle: 'Nouvelle',
  a_l_etude: 'À l’étude',
  entretien: 'Entretien',
  preselectionnee: 'Présélectionnée',
  embauchee: 'Embauchée',
  refusee: 'Refusée',
  retiree: 'Retirée par le candidat',
  archivee: 'Archivée',
  declinee: 'Proposition déclinée',
};

export function isApplicationStatus(value: unknown): value is ApplicationStatus {
  return typeof value === 'string' && (APPLICATION_STATUSES as readonly string[]).includes(value);
}

/** Who makes a transition: the candidate (portal), a recruiter or advisor (workstation), the server (jobs). */
export type ApplicationActor = 'candidat' | 'recruteur' | 'systeme';

export interface ApplicationTransition {
  from: ApplicationStatus;
  to: ApplicationStatus;
  by: ApplicationActor;
}

const IN_PROGRESS = ['nouvelle', 'a_l_etude', 'entretien', 'preselectionnee'] as const;

function table(): ApplicationTransition[] {
  const t: ApplicationTransition[] = [
    // A proposal: the candidate accepts (it becomes an application) or declines it.
    { from: 'proposee', to: 'nouvelle', by: 'candidat' },
    { from: 'proposee', to: 'declinee', by: 'candidat' },
    { from: 'proposee', to: 'archivee', by: 'recruteur' },
    { from: 'proposee', to: 'archivee', by: 'systeme' },
    // The recruiter's pipeline.
    { from: 'nouvelle', to: 'a_l_etude', by: 'recruteur' },
    { from: 'nouvelle', to: 'entretien', by: 'recruteur' },
    { from: 'nouvelle', to: 'preselectionnee', by: 'recruteur' },
    { from: 'a_l_etude', to: 'entretien', by: 'recruteur' },
    { from: 'a_l_etude', to: 'preselectionnee', by: 'recruteur' },
    { from: 'entretien', to: 'a_l_etude', by: 'recruteur' },
    { from: 'entretien', to: 'preselectionnee', by: 'recruteur' },
    { from: 'preselectionnee', to: 'entretien', by: 'recruteur' },
    // The recruiter changes their mind about a refusal.
    { from: 'refusee', to: 'a_l_etude', by: 'recruteur' },
    // Closed applications are archived by the recruiter, or by the server when the offer closes.
    { from: 'embauchee', to: 'archivee', by: 'recruteur' },
    { from: 'embauchee', to: 'archivee', by: 'systeme' },
    { from: 'refusee', to: 'archivee', by: 'recruteur' },
    { from: 'refusee', to: 'archivee', by: 'systeme' },
    { from: 'retiree', to: 'archivee', by: 'recruteur' },
    { from: 'retiree', to: 'archivee', by: 'systeme' },
    { from: 'declinee', to: 'archivee', by: 'recruteur' },
    { from: 'declinee', to: 'archivee', by: 'systeme' },
  ];
  for (const from of IN_PROGRESS) {
    t.push({ from, to: 'embauchee', by: 'recruteur' });
    t.push({ from, to: 'refusee', by: 'recruteur' });
    t.push({ from, to: 'archivee', by: 'recruteur' });
    t.push({ from, to: 'archivee', by: 'systeme' });
    // Seed 000: the candidate withdraws (« annuler une candidature ») until a decision is made.
    t.push({ from, to: 'retiree', by: 'candidat' });
  }
  return t;
}

/** The one table of allowed transitions (DESIGN §4). */
export const APPLICATION_TRANSITIONS: readonly ApplicationTransition[] = Object.freeze(table());

export function canMoveApplication(
  from: ApplicationStatus,
  to: ApplicationStatus,
  by: ApplicationActor,
): boolean {
  return APPLICATION_TRANSITIONS.some((t) => t.from === from && t.to === to && t.by === by);
}

/** The statuses this actor may move an application to from `from`. */
export function nextStatuses(from: ApplicationStatus, by: ApplicationActor): ApplicationStatus[] {
  return APPLICATION_TRANSITIONS.filter((t) => t.from === from && t.by === by).map((t) => t.to);
}

/** How long the recruiter who moved an application may take the move back (« annuler »). */
export const UNDO_WINDOW_MS = 15 * 60_000;

/**
 * Whether moving the application back to `to` undoes this user's own last move, made less than
 * `UNDO_WINDOW_MS` ago: allowed even where the table has no such transition (« à l'étude » back to
 * « nouvelle »), so that the triage's « annuler » works after the move was synced.
 */
export function canUndoLastMove(
  doc: { status: string; history?: readonly { at: string; from?: string; to: string; by?: string }[] },
  to: ApplicationStatus,
  userId: string,
  now: Date,
): boolean {
  const last = doc.history?.at(-1);
  if (!last || last.by !== userId || last.to !== doc.status || last.from !== to) return false;
  const at = Date.parse(last.at);
  return Number.isFinite(at) && now.getTime() - at <= UNDO_WINDOW_MS && now.getTime() - at >= -60_000;
}

/** The candidate may withdraw (nouvelle, à l'étude, entretien, présélectionnée). */
export const canWithdraw = (status: ApplicationStatus) => canMoveApplication(status, 'retiree', 'candidat');
/** A proposal waiting for the candidate's answer. */
export const canAnswerProposal = (status: ApplicationStatus) => status === 'proposee';

/**
 * Whether the application is still open: a candidate has at most one active application per
 * offer on the portal (a proposal waiting for an answer counts).
 */
export function isActive(status: ApplicationStatus): boolean {
  return status !== 'refusee' && status !== 'retiree' && status !== 'archivee' && status !== 'declinee';
}
export const ACTIVE_APPLICATION_STATUSES: readonly ApplicationStatus[] =
  APPLICATION_STATUSES.filter(isActive);

/** How the application reached the organisation. */
export const APPLICATION_SOURCES = [
  'portail',
  'email',
  'salon',
  'proposition',
  'session',
  'spontanee',
] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];
export const APPLICATION_SOURCE_LABELS: Record<ApplicationSource, string> = {
  portail: 'Candidature en ligne',
  email: 'Candidature par e-mail',
  salon: 'Saisie sur un salon',
  proposition: 'Proposition',
  session: 'Session de recrutement',
  spontanee: 'Candidature spontanée',
};
/** Applications a recruiter entered (a fair, a recruitment session): captures (issue 6). */
export const CAPTURE_SOURCES: readonly ApplicationSource[] = ['salon', 'session'];

/**
 * Whether a recruiter may give this application a CV file later (dropped on the applicant, chosen
 * on the disk): a capture without one. Null when allowed, otherwise why not (server and workstation).
 */
export function whyNoCvAttachment(doc: { source: string; cvFile?: string }): string | null {
  if (doc.cvFile) return 'Cette candidature a déjà un CV joint : il n’est pas remplacé.';
  if (!CAPTURE_SOURCES.includes(doc.source as ApplicationSource))
    return 'Seules les candidatures saisies à un salon ou une session reçoivent un CV joint par le recruteur : les autres gardent les documents envoyés par le candidat.';
  return null;
}

/** Sources where the server refuses a second active application (fair captures are flagged instead). */
export const UNIQUE_APPLICATION_SOURCES: readonly ApplicationSource[] = [
  'portail',
  'spontanee',
  'proposition',
];

export const CIVILITIES = ['madame', 'monsieur'] as const;
export type Civility = (typeof CIVILITIES)[number];
export const CIVILITY_LABELS: Record<Civility, string> = { madame: 'Madame', monsieur: 'Monsieur' };

/** Limits shared by the forms and the server. */
export const APPLICATION_LIMITS = {
  message: 5000,
  name: 100,
  phone: 20,
  email: 254,
  reason: 500,
  videoUrl: 500,
} as const;

/** The consent text shown on the form without an account (stored with the application). */
export const APPLICATION_CONSENT_TEXT =
  'J’accepte que mes données (identité, coordonnées, CV et message) soient transmises au recruteur de cette offre et conservées pour le traitement de ma candidature, au plus 2 ans. Je peux retirer ma candidature à tout moment grâce au lien de suivi reçu par e-mail.';

/** Where the offer of an application stands, as « Mes candidatures » and « Mes sélections » show it. */
export const OFFER_STATES = ['en_ligne', 'pourvue', 'expiree', 'retiree'] as const;
export type OfferState = (typeof OFFER_STATES)[number];
export const OFFER_STATE_LABELS: Record<OfferState, string> = {
  en_ligne: 'Offre en ligne',
  pourvue: 'Offre pourvue',
  expiree: 'Offre expirée',
  retiree: 'Offre retirée',
};

/** The offer state of an offer status (null: the offer no longer exists). */
export function offerStateOf(status: string | null | undefined): OfferState {
  if (status === 'publiee') return 'en_ligne';
  if (status === 'pourvue') return 'pourvue';
  if (status === 'expiree') return 'expiree';
  return 'retiree';
}

/** What `GET /api/candidate/applications` lists (« Mes candidatures »). */
export interface CandidateApplication {
  id: string;
  status: ApplicationStatus;
  statusLabel: string;
  source: ApplicationSource;
  createdAt: string;
  updatedAt: string;
  offerId: string | null;
  companyId: string | null;
  jobId: string | null;
  offer: ApplicationOfferSnapshot;
  /** Only for an application to an offer; for a spontaneous one: whether the company profile is still online. */
  offerState: OfferState;
  canWithdraw: boolean;
  canAnswer: boolean;
  message: string | null;
  history: { at: string; from?: ApplicationStatus; to: ApplicationStatus; byName?: string }[];
  /**
   * Issue 6 (additive): a refused application's refusal as the candidate may read it: the reason
   * only when the recruiter chose to show it, and the recruiter's message. Absent otherwise.
   */
  refusal?: CandidateRefusal;
}

export interface CandidateRefusal {
  reason?: string;
  message?: string;
}

/** The offer (or company / fiche de poste) as it was when the candidate applied. */
export interface ApplicationOfferSnapshot {
  number?: string;
  title: string;
  companyName: string;
  city?: string;
  postalCode?: string;
}

/** What `GET /api/candidate/selections` lists (« Mes sélections »). */
export interface OfferSelection {
  offerId: string;
  addedAt: string;
  offer: ApplicationOfferSnapshot;
  offerState: OfferState;
}

/** What the follow page without an account shows. */
export interface FollowedApplication {
  id: string;
  status: ApplicationStatus;
  statusLabel: string;
  createdAt: string;
  offer: ApplicationOfferSnapshot;
  offerId: string | null;
  offerState: OfferState;
  canWithdraw: boolean;
  firstName: string;
  /** Issue 6 (additive): as in `CandidateApplication`. */
  refusal?: CandidateRefusal;
}
