/**
 * Who may call each route of the sync server (issue 9, rights matrix; DESIGN §6). Data, not code:
 * `sync-server/test/rights-matrix.test.ts` generates its tests from it, checks that every route the
 * server registers is listed here (a new route must be classified), and calls each one as each
 * identity. Finer rules (which organisation, which document) are tested per domain; here the rule
 * is the door: a refused identity gets 401 (no session), 403 or 404 before anything it sent is read,
 * an allowed one never gets 401 or 403.
 */

export type RouteAudience =
  /** Anyone, without a session (portal pages, links carrying their own token). */
  | 'public'
  /** Any signed-in account. */
  | 'signed-in'
  /** Candidate accounts (the portal). */
  | 'candidate'
  /** Workstation accounts: recruiters, agencies, advisors, moderators. */
  | 'workstation'
  /** Workstation accounts whose organisation uses the CVthèque (not the platform's moderators). */
  | 'cvtheque'
  /** Employers and agencies (spouse searches). */
  | 'employer'
  /** The platform's moderators. */
  | 'moderator'
  /** The release pipeline, with the publication token (`UPDATES_PUBLISH_TOKEN`); no session counts. */
  | 'publisher';

export interface RouteRule {
  audience: RouteAudience;
  /** Not called by the allowed identities in the generated test (it would close the session or the account, or stays open). */
  refusalsOnly?: true;
}

const r = (audience: RouteAudience, refusalsOnly?: true): RouteRule =>
  refusalsOnly ? { audience, refusalsOnly } : { audience };

/** By `METHOD /url/:pattern`, as Fastify registers it (HEAD follows GET). */
export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'GET /api/health': r('public'),
  'POST /api/auth/register': r('public'),
  'POST /api/auth/login': r('public'),
  // Signing out without a session does nothing (204): open to all, never called here (it would close the sessions).
  'POST /api/auth/logout': r('public', true),
  'GET /api/auth/me': r('signed-in'),

  'GET /api/sync': r('workstation'),
  'GET /api/sync/:collection/v:version/pull': r('workstation'),
  'POST /api/sync/:collection/v:version/push': r('workstation'),
  'GET /api/sync/:collection/v:version/stream': r('workstation', true),
  'GET /api/sync/stream': r('workstation', true),

  'POST /api/moderation/offers/:id/decision': r('moderator'),
  'GET /api/moderation/organisations': r('moderator'),
  'POST /api/moderation/organisations/:id/decision': r('moderator'),
  'GET /api/moderation/conversations': r('moderator'),
  'GET /api/moderation/conversations/:id': r('moderator'),
  'POST /api/moderation/conversations/:id/decision': r('moderator'),
  'POST /api/company-groups': r('moderator'),
  'PUT /api/company-groups/:id': r('moderator'),
  'DELETE /api/company-groups/:id': r('moderator'),

  'GET /api/public/offers': r('public'),
  'GET /api/public/offers/:id': r('public'),
  'GET /api/public/offers/:id/jobposting.json': r('public'),
  'POST /api/public/offers/:id/share': r('public'),
  'GET /api/public/search': r('public'),
  'GET /api/public/search/places': r('public'),
  'GET /api/public/companies': r('public'),
  'GET /api/public/companies/:id': r('public'),
  'GET /api/public/prescribers': r('public'),
  'GET /api/company-groups': r('public'),
  'GET /api/public/files/:sha256': r('public'),
  'GET /api/public/events': r('public'),
  'GET /api/public/events/:id': r('public'),
  'POST /api/public/events/:id/registrations': r('public'),
  'POST /api/public/application-files': r('public'),
  'POST /api/public/applications': r('public'),
  'GET /api/public/applications/follow': r('public'),
  'POST /api/public/applications/withdraw': r('public'),
  'POST /api/public/alerts/unsubscribe': r('public'),
  'GET /api/public/alerts/unsubscribe/:token': r('public'),
  'POST /api/public/alerts/unsubscribe/:token': r('public'),
  'GET /flux/offres.rss': r('public'),
  'GET /flux/offres.atom': r('public'),
  'GET /flux/partenaires.xsd': r('public'),
  'GET /flux/partenaires.xml': r('public'),
  'GET /api/reference/rome/appellations': r('public'),
  'GET /api/reference/rome': r('public'),
  'GET /api/reference/versions': r('public'),
  'GET /api/reference/communes': r('public'),
  'GET /api/reference/communes/search': r('public'),
  'GET /api/reference/communes/:code': r('public'),
  'GET /api/reference/naf': r('public'),
  'GET /api/reference/naf/search': r('public'),

  'PUT /api/files/:sha256': r('signed-in'),
  'POST /api/candidate/files': r('signed-in'),
  'POST /api/files/batch': r('signed-in'),
  'GET /api/files/:sha256/status': r('signed-in'),
  'GET /api/files/:sha256': r('signed-in'),

  'POST /api/organisations': r('workstation'),
  'GET /api/organisations/mine': r('signed-in'),
  'GET /api/organisations/:id': r('workstation'),
  'PUT /api/organisations/:id': r('workstation'),
  'POST /api/organisations/:id/invitations': r('workstation'),
  'POST /api/organisations/:id/invitations/:invId/resend': r('workstation'),
  'DELETE /api/organisations/:id/invitations/:invId': r('workstation'),
  'GET /api/invitations/:token': r('public'),
  'POST /api/invitations/:token/accept': r('signed-in'),
  'PUT /api/organisations/:id/members/:accountId': r('workstation'),
  'DELETE /api/organisations/:id/members/:accountId': r('workstation'),
  'GET /api/organisations/prescribers': r('workstation'),

  'GET /api/account': r('signed-in'),
  'PUT /api/account': r('signed-in'),
  'POST /api/account/password': r('signed-in'),
  'POST /api/account/email': r('signed-in'),
  'POST /api/account/email/confirm': r('public'),
  'DELETE /api/account': r('signed-in', true),

  'POST /api/candidate/register': r('public'),
  'POST /api/candidate/email-confirmation': r('public'),
  'POST /api/candidate/email-confirmation/resend': r('candidate'),
  'POST /api/candidate/password-reset/request': r('public'),
  'POST /api/candidate/password-reset': r('public'),
  'GET /api/candidate/profile': r('candidate'),
  'PUT /api/candidate/profile': r('candidate'),
  'GET /api/candidate/cvs': r('candidate'),
  'POST /api/candidate/cvs': r('candidate'),
  'GET /api/candidate/cvs/:id': r('candidate'),
  'PUT /api/candidate/cvs/:id': r('candidate'),
  'POST /api/candidate/cvs/:id/publish': r('candidate'),
  'POST /api/candidate/cvs/:id/suspend': r('candidate'),
  'POST /api/candidate/cvs/:id/resume': r('candidate'),
  'DELETE /api/candidate/cvs/:id': r('candidate'),
  'GET /api/candidate/cvs/:id/pdf': r('candidate'),
  'POST /api/candidate/cvs/:id/send': r('candidate'),
  'GET /api/candidate/cv-sends': r('candidate'),
  'GET /api/candidate/cvs/:id/matching-offers': r('candidate'),
  'GET /api/candidate/folders': r('candidate'),
  'GET /api/candidate/folders/:id': r('candidate'),
  'POST /api/candidate/folders': r('candidate'),
  'PUT /api/candidate/folders/:id': r('candidate'),
  'DELETE /api/candidate/folders/:id': r('candidate'),
  'POST /api/candidate/applications': r('candidate'),
  'GET /api/candidate/applications': r('candidate'),
  'POST /api/candidate/applications/:id/withdraw': r('candidate'),
  'POST /api/candidate/applications/:id/accept': r('candidate'),
  'POST /api/candidate/applications/:id/decline': r('candidate'),
  'GET /api/candidate/selections': r('candidate'),
  'POST /api/candidate/selections': r('candidate'),
  'DELETE /api/candidate/selections': r('candidate'),
  'GET /api/candidate/alerts': r('candidate'),
  'POST /api/candidate/alerts': r('candidate'),
  'PATCH /api/candidate/alerts/:id': r('candidate'),
  'DELETE /api/candidate/alerts/:id': r('candidate'),
  'POST /api/candidate/alerts/:id/renew': r('candidate'),
  'GET /api/candidate/export': r('candidate'),
  'DELETE /api/candidate/account': r('candidate', true),

  'POST /api/cvtheque/search': r('cvtheque'),
  'GET /api/cvtheque/scope': r('cvtheque'),
  'POST /api/cvtheque/proposals': r('cvtheque'),

  'GET /api/events/:id/invitations': r('workstation'),
  'POST /api/events/:id/invitations': r('workstation'),
  'GET /api/triage/applications/:id/duplicates': r('workstation'),

  'POST /api/spouse-searches': r('employer'),
  'GET /api/spouse-searches': r('employer'),
  'POST /api/spouse-searches/:id/close': r('employer'),

  'GET /api/me/conversations': r('candidate'),
  'GET /api/me/conversations/:id': r('candidate'),
  'POST /api/me/conversations/:id/read': r('candidate'),
  'POST /api/me/conversations/hide': r('candidate'),
  'GET /api/me/messaging/recipients': r('candidate'),
  'GET /api/me/messaging/can-write': r('candidate'),
  'POST /api/me/conversations': r('candidate'),
  'POST /api/me/conversations/:id/messages': r('candidate'),
  'POST /api/me/conversations/:id/block': r('candidate'),
  'POST /api/me/conversations/:id/unblock': r('candidate'),
  'POST /api/me/conversations/:id/report': r('candidate'),
  'POST /api/conversations/:id/block': r('workstation'),
  'POST /api/conversations/:id/unblock': r('workstation'),
  'POST /api/conversations/:id/report': r('workstation'),

  'GET /updates/:platform/:file': r('public'),
  'PUT /api/updates/:platform/files/:name': r('publisher'),
  'POST /api/updates/:platform/:channel/releases': r('publisher'),
  'PATCH /api/updates/:platform/:channel': r('publisher'),
  'GET /api/updates/:platform': r('publisher'),
};

/** The demo identities of the generated test, and the audiences each belongs to. */
export const MATRIX_IDENTITIES: Readonly<Record<string, readonly RouteAudience[]>> = {
  anonyme: ['public'],
  'candidat@demo.test': ['public', 'signed-in', 'candidate'],
  'recruteur1@demo.test': ['public', 'signed-in', 'workstation', 'cvtheque', 'employer'],
  'agence@demo.test': ['public', 'signed-in', 'workstation', 'cvtheque', 'employer'],
  'conseiller@demo.test': ['public', 'signed-in', 'workstation', 'cvtheque'],
  'moderateur@demo.test': ['public', 'signed-in', 'workstation', 'moderator'],
  publication: ['public', 'publisher'],
};
