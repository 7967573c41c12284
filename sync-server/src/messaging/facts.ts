/**
 * The facts the messaging rules read (`MessagingFacts`, shared/domain/messaging.ts), looked up in
 * ONE query for a candidate account and an organisation: the candidate's account state, the
 * organisation's kind and verification, a prior exchange (a message either way), the candidate's
 * applications to the organisation, their CVs in the organisation's lists (and whether one is still
 * visible in the CVthèque), a published company profile, a proposal made by one of its members,
 * and the blocks both ways.
 */
import type { OrganisationKind, SessionUser } from '../../../shared/domain/account';
import type {
  CandidateAccountStatus,
  CvListing,
  MessagingApplication,
  MessagingDirection,
  MessagingFacts,
  MessagingSender,
} from '../../../shared/domain/messaging';
import type { Queryable } from '../db/database';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** The sender as the rules read a signed-in user. */
export function senderOf(user: SessionUser): MessagingSender {
  return user.kind === 'candidate'
    ? { accountKind: 'candidate', accountId: user.id }
    : {
        accountKind: 'recruiter',
        accountId: user.id,
        memberships: user.memberships.map((m) => ({
          organisationId: m.organisationId,
          kind: m.kind,
          role: m.role,
        })),
      };
}

export interface LoadedFacts {
  facts: MessagingFacts;
  organisationName: string;
  candidateName: string;
}

interface FactsRow {
  candidate: { disabled: boolean; confirmed: boolean; first_name: string; last_name: string } | null;
  organisation: { kind: OrganisationKind; verified: boolean; name: string } | null;
  prior_exchange: boolean;
  applications: { status: MessagingApplication['status']; history: MessagingApplication['history'] }[];
  cv_listing: CvListing;
  company_published: boolean;
  proposed: boolean;
  blocked_by_candidate: boolean;
  blocked_by_organisation: boolean;
}

/**
 * The facts for this candidate and organisation, or null when the organisation does not exist.
 * An unknown candidate account is an erased one (erasure deletes the account row).
 */
export async function loadMessagingFacts(
  q: Queryable,
  input: {
    candidateAccountId: string;
    organisationId: string;
    direction: MessagingDirection;
    sender: MessagingSender;
  },
): Promise<LoadedFacts | null> {
  if (!isUuid(input.organisationId)) return null;
  const all = await loadMessagingFactsMany(q, { ...input, organisationIds: [input.organisationId] });
  return all.get(input.organisationId.toLowerCase()) ?? null;
}

/**
 * The facts for one candidate and several organisations in ONE query (a page of conversations,
 * the recipients), by organisation id (lower case); organisations that do not exist are left out.
 */
export async function loadMessagingFactsMany(
  q: Queryable,
  input: {
    candidateAccountId: string;
    organisationIds: readonly string[];
    direction: MessagingDirection;
    sender: MessagingSender;
  },
): Promise<Map<string, LoadedFacts>> {
  const out = new Map<string, LoadedFacts>();
  const orgs = [...new Set(input.organisationIds.filter(isUuid).map((o) => o.toLowerCase()))];
  if (orgs.length === 0) return out;
  const cand = input.candidateAccountId;
  const candidateId = isUuid(cand) ? cand : '00000000-0000-4000-8000-000000000000';
  const { rows } = await q.query<FactsRow & { organisation_id: string }>(
    `select t.org::text as organisation_id, f.*
       from unnest($2::uuid[]) as t(org) cross join lateral (select
       (select json_build_object('disabled', a.disabled_at is not null, 'confirmed', a.email_confirmed_at is not null,
                                 'first_name', a.first_name, 'last_name', a.last_name)
          from accounts a where a.id = $1::uuid and a.kind = 'candidate') as candidate,
       (select json_build_object('kind', o.kind, 'verified', o.verified, 'name', o.name)
          from organisations o where o.id = t.org) as organisation,
       exists (select 1 from messages m
                where not m.deleted and m.doc->>'candidateId' = $1::text and m.doc->>'organisationId' = t.org::text) as prior_exchange,
       (select coalesce(json_agg(json_build_object('status', p.doc->>'status', 'history', p.doc->'history')), '[]'::json)
          from applications p
         where not p.deleted and p.doc->>'candidateId' = $1::text and p.doc->>'organisationId' = t.org::text) as applications,
       (select case when count(*) = 0 then 'none' when bool_or(v.visible) then 'visible' else 'hidden' end
          from (select exists (select 1 from cvs c where c.id = e->>'cvId' and not c.deleted) as visible
                  from cv_lists l cross join lateral jsonb_array_elements(l.doc->'entries') e
                 where not l.deleted and l.doc->>'organisationId' = t.org::text and jsonb_typeof(l.doc->'entries') = 'array'
                   and (e->>'addedAt') > coalesce(e->>'removedAt', '')
                   and e->>'cvId' in (select k.id::text from candidate_cvs k where k.account_id = $1::uuid)) v
       ) as cv_listing,
       exists (select 1 from companies co
                where not co.deleted and co.doc->>'organisationId' = t.org::text and co.doc->>'published' = 'true') as company_published,
       exists (select 1 from applications p
                where not p.deleted and p.doc->>'candidateId' = $1::text and p.doc->>'source' = 'proposition'
                  and p.doc->'history'->0->>'by' in
                      (select ms.account_id::text from memberships ms where ms.organisation_id = t.org)) as proposed,
       exists (select 1 from messaging_blocks b
                where b.candidate_account_id = $1::uuid and b.organisation_id = t.org
                  and b.blocked_by = 'candidate') as blocked_by_candidate,
       exists (select 1 from messaging_blocks b
                where b.candidate_account_id = $1::uuid and b.organisation_id = t.org
                  and b.blocked_by = 'organisation') as blocked_by_organisation) f`,
    [candidateId, orgs],
  );
  for (const r of rows) {
    if (!r.organisation) continue;
    const org = r.organisation_id;
    const candidate = r.candidate;
    const status: CandidateAccountStatus = !candidate ? 'erased' : candidate.disabled ? 'disabled' : 'active';
    const facts: MessagingFacts = {
      direction: input.direction,
      sender: input.sender,
      candidate: { accountId: cand, status, emailConfirmed: !!candidate?.confirmed },
      organisation: { id: org, kind: r.organisation.kind, verified: r.organisation.verified === true },
      priorExchange: r.prior_exchange === true,
      applications: (r.applications ?? []).map((a) => ({
        status: a.status,
        ...(Array.isArray(a.history) ? { history: a.history } : {}),
      })),
      cvListing: r.cv_listing ?? 'none',
      companyProfilePublished: r.company_published === true,
      proposedByOrganisation: r.proposed === true,
      blockedByCandidate: r.blocked_by_candidate === true,
      blockedByOrganisation: r.blocked_by_organisation === true,
    };
    out.set(org, {
      facts,
      organisationName: r.organisation.name,
      candidateName: candidate ? `${candidate.first_name} ${candidate.last_name}`.trim() : '',
    });
  }
  return out;
}
