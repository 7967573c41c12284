/**
 * « Rapprochement de conjoints » (issue 6, `domain/spouse-searches.ts`): the job searches a
 * recruiter registered on a spouse's behalf (RGPD export and erasure).
 *
 * Whose data: a spouse search holds the SPOUSE's data (name, contact, job sought, places,
 * presentation, consent). It is the account's own when the account claimed it
 * (`claimed_account_id`), or when it was registered with the account's e-mail address, once that
 * address is confirmed (the same rule as `claimSpouseSearches`; a search the claim skipped — CV
 * limit, same job — is still theirs).
 *
 * Export (`conjoint`): each of those searches with what the recruiter registered, in French field
 * names, and the proposals and applications made with its CV that are not linked to the account
 * (those linked are in `candidatures`). Neither the hired person nor their application is
 * exported: they are someone else's.
 *
 * Erasure, for the account's own searches: the proposals and applications made with the CV
 * become tombstones (with their evaluations, follow links), the CVthèque row becomes a tombstone
 * (search index and file references go), the notices that name the person become tombstones, the
 * e-mails to them or naming them go, audit entries lose the id and any detail naming them, and
 * the `spouse_searches` row is deleted.
 *
 * Decision — a search registered for the spouse of an applicant who erases their account (the
 * account is the HIRED person, `application_id` one of their applications): the search is the
 * spouse's, given with the spouse's own consent, so it stays (the spouse can still be contacted,
 * claim it, or have it withdrawn), but nothing of the applicant may remain. The hired application
 * becomes a content-free tombstone (step `candidatures`), so the organisation's list shows no
 * hired name nor offer any more; the only link left is that opaque id. The free text the
 * recruiter wrote (the presentation, also the CV's « summary » in the CVthèque) may name the
 * applicant: when it mentions their first or last name (as a word, accents and case ignored),
 * e-mail or phone, it is removed from the search and from the CV (rewritten for every replica).
 * A search the spouse already claimed is the spouse's own CV: its text is theirs to edit, and is
 * left as it is. This step runs before `candidatures`, while the applications still say whose
 * they are.
 */
import { normaliseEmail, normalisePhone } from '../../../../shared/domain/duplicates';
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { NoticeDoc } from '../../../../shared/schemas/notice.schema';
import { deleteCvSearch, writeCvSearch } from '../../cvtheque/search-index';
import type { Queryable } from '../../db/database';
import { eraseApplication } from '../../domain/applications';
import { cvSearchText, cvsCollection, syncCvProjection } from '../../domain/cvs';
import { eraseEvaluationsOf } from '../../domain/evaluations';
import { noticesCollection } from '../../domain/notices';
import { deleteUnusedFiles, fileRefsOf } from '../../files/routes';
import type { SyncEngine } from '../../sync/engine';
import type { Doc } from '../../sync/types';
import type { PersonalDataStep } from './types';

interface SearchRow {
  id: string;
  organisation_name: string | null;
  created_by_name: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  doc: {
    job?: { appellationCode?: string; appellationLabel?: string; romeCode?: string };
    communes?: { code: string; name: string }[];
    radiusKm?: number;
    contractTypes?: string[];
    availability?: string;
    availableFrom?: string;
    presentation?: string;
  };
  consent_text: string;
  consent_at: Date | string;
  status: string;
  email_sent: boolean;
  claimed_account_id: string | null;
  claimed_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

const SEARCH_COLUMNS = `s.id::text as id, o.name as organisation_name, s.created_by_name, s.first_name, s.last_name,
            s.email, s.phone, s.doc, s.consent_text, s.consent_at, s.status, s.email_sent,
            s.claimed_account_id::text as claimed_account_id, s.claimed_at, s.created_at, s.updated_at`;

/** The spouse searches that are the account's own (claimed, or registered with its confirmed e-mail). */
async function ownSearches(q: Queryable, accountId: string, lock = false): Promise<SearchRow[]> {
  const { rows } = await q.query<SearchRow>(
    `select ${SEARCH_COLUMNS}
       from spouse_searches s
       join accounts a on a.id = $1
       left join organisations o on o.id = s.organisation_id
      where s.claimed_account_id = a.id
         or (a.email_confirmed_at is not null and s.email is not null
             and lower(trim(s.email)) = lower(trim(a.email)))
      order by s.created_at, s.id${lock ? ' for update of s' : ''}`,
    [accountId],
  );
  return rows;
}

/** Proposals and applications made with the search's CV that no account holds (the person's, still). */
async function unlinkedApplications(q: Queryable, cvId: string, lock = false): Promise<ApplicationDoc[]> {
  const { rows } = await q.query<{ doc: ApplicationDoc }>(
    `select doc from applications where not deleted and doc->>'cvId' = $1 and doc->>'candidateId' is null
      order by doc->>'createdAt', id${lock ? ' for update' : ''}`,
    [cvId],
  );
  return rows.map((r) => r.doc);
}

function exported(row: SearchRow, applications: ApplicationDoc[]) {
  const d = row.doc ?? {};
  return {
    identifiant: row.id,
    dispositif: 'Rapprochement de conjoints',
    organisation: row.organisation_name,
    enregistreePar: row.created_by_name,
    enregistreeLe: iso(row.created_at),
    modifieeLe: iso(row.updated_at),
    prenom: row.first_name,
    nom: row.last_name,
    email: row.email,
    telephone: row.phone,
    metierRecherche: d.job?.appellationLabel ?? null,
    codeRome: d.job?.romeCode ?? null,
    communes: (d.communes ?? []).map((c) => c.name),
    rayonKm: d.radiusKm ?? null,
    typesDeContrat: d.contractTypes ?? [],
    disponibilite: d.availability ?? null,
    disponibleLe: d.availableFrom ?? null,
    presentation: d.presentation ?? '',
    consentement: { texte: row.consent_text, recueilliLe: iso(row.consent_at) },
    statut: row.status,
    emailEnvoye: row.email_sent,
    repriseParVotreCompteLe: iso(row.claimed_at),
    propositionsEtCandidatures: applications.map(({ organisationId: _o, ...rest }) => rest),
  };
}

function phoneForms(phone: string | null | undefined): string[] {
  if (!phone) return [];
  const forms = new Set<string>([phone.trim()]);
  const normalised = normalisePhone(phone);
  if (normalised) {
    forms.add(normalised);
    if (normalised.startsWith('+33') && normalised.length === 12) {
      const national = `0${normalised.slice(3)}`;
      forms.add(national);
      forms.add(national.replace(/(\d{2})(?=\d)/g, '$1 '));
      forms.add(national.replace(/(\d{2})(?=\d)/g, '$1.'));
    }
  }
  return [...forms].filter((f) => f.length >= 8);
}

/** Strings that identify the person in free text and e-mails (compared case-insensitively). */
function needlesOf(row: SearchRow): string[] {
  const needles = new Set<string>([row.id]);
  const full = `${row.first_name} ${row.last_name}`.trim();
  if (full.length >= 5) {
    needles.add(full);
    needles.add(`${row.last_name} ${row.first_name}`.trim());
  }
  const email = normaliseEmail(row.email);
  if (email) needles.add(email);
  for (const p of phoneForms(row.phone)) needles.add(p);
  return [...needles];
}

/** Erases one of the account's own searches and everything derived from it (see the file comment). */
async function eraseOwnSearch(tx: Queryable, engine: SyncEngine, row: SearchRow): Promise<void> {
  const applications = await unlinkedApplications(tx, row.id, true);
  await eraseEvaluationsOf(tx, engine, [row.id, ...applications.map((a) => a.id)]);
  for (const doc of applications) await eraseApplication(tx, engine, doc);
  // The CVthèque row (still the search's, or the claimed CV's: the CV step finds it already gone),
  // and its CV file's bytes when nothing else uses them.
  const files = await fileRefsOf(tx, 'cvs', row.id);
  await syncCvProjection(tx, engine, row.id, null, null);
  await deleteUnusedFiles(tx, files);
  await deleteCvSearch(tx, row.id);
  await tx.query('delete from cv_search_alerts where cv_id = $1', [row.id]);

  const needles = needlesOf(row);
  const email = normaliseEmail(row.email);
  // Notices to recruiters about them (a proposal, a refusal…): tombstones every replica drops.
  const ids = [row.id, ...applications.map((a) => a.id)];
  const { rows: notices } = await tx.query<{ doc: NoticeDoc }>(
    `select doc from notices n where not n.deleted
        and (n.doc->>'documentId' = any($1::text[])
             or exists (select 1 from unnest($2::text[]) x where position(lower(x) in lower(n.doc::text)) > 0))
      for update`,
    [ids, needles],
  );
  for (const { doc } of notices) await engine.write(tx, noticesCollection, doc as unknown as Doc, true);
  // E-mails to them (the registration, proposals) and e-mails naming them.
  await tx.query(
    `delete from email_outbox e
      where ($1::text is not null and lower(trim(e.to_address)) = $1)
         or e.dedupe_key = $3
         or exists (select 1 from unnest($2::text[]) x where position(lower(x) in lower(e::text)) > 0)`,
    [email, needles, `spouse-search:${row.id}`],
  );
  await tx.query('update audit_log set document_id = null where document_id = any($1::text[])', [ids]);
  await tx.query(
    `update audit_log set detail = null
      where detail is not null
        and exists (select 1 from unnest($1::text[]) x where position(lower(x) in lower(detail::text)) > 0)`,
    [needles],
  );
  await tx.query('delete from spouse_searches where id = $1', [row.id]);
}

/**
 * Erases a spouse search by id and everything derived from it, as for its person's own erasure
 * (the retention job's way out for searches nobody claimed). The caller holds the row's lock.
 */
export async function eraseSpouseSearch(tx: Queryable, engine: SyncEngine, id: string): Promise<boolean> {
  const { rows } = await tx.query<SearchRow>(
    `select ${SEARCH_COLUMNS} from spouse_searches s
       left join organisations o on o.id = s.organisation_id
      where s.id = $1::uuid`,
    [id],
  );
  if (!rows[0]) return false;
  await eraseOwnSearch(tx, engine, rows[0]);
  return true;
}

// ─── The hired applicant erases their account ───────────────────────────────────────────────

const plain = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether free text mentions the person: a name as a word, the e-mail, the phone number. */
export function mentionsPerson(
  text: string,
  person: { names: string[]; emails: string[]; phones: string[] },
): boolean {
  if (!text.trim()) return false;
  const t = plain(text);
  for (const name of person.names) {
    const n = plain(name).trim();
    if (n.length < 2) continue;
    if (new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(n)}(?=$|[^\\p{L}\\p{N}])`, 'u').test(t)) return true;
  }
  for (const e of person.emails) if (e && t.includes(plain(e))) return true;
  const digits = text.replace(/\D/g, '');
  for (const p of person.phones) {
    const d = p.replace(/\D/g, '');
    // The subscriber number (last 9 digits) whatever the prefix (0…, +33…, 0033…).
    if (d.length >= 9 && digits.includes(d.slice(-9))) return true;
  }
  return false;
}

/** What identifies the account's holder: the account, the profile's phone, their applications. */
async function personOf(
  tx: Queryable,
  accountId: string,
  applications: ApplicationDoc[],
): Promise<{ names: string[]; emails: string[]; phones: string[] }> {
  const names = new Set<string>();
  const emails = new Set<string>();
  const phones = new Set<string>();
  const { rows } = await tx.query<{ email: string; first_name: string; last_name: string; phone: unknown }>(
    `select a.email, a.first_name, a.last_name, p.doc->'phone' as phone
       from accounts a left join candidate_profiles p on p.account_id = a.id where a.id = $1`,
    [accountId],
  );
  const add = (first?: string, last?: string, email?: string, phone?: unknown) => {
    if (first) names.add(first);
    if (last) names.add(last);
    if (email) emails.add(email.trim().toLowerCase());
    if (typeof phone === 'string' && phone) phones.add(phone);
  };
  if (rows[0]) add(rows[0].first_name, rows[0].last_name, rows[0].email, rows[0].phone);
  for (const a of applications)
    add(a.applicant?.firstName, a.applicant?.lastName, a.applicant?.email, a.applicant?.phone);
  return { names: [...names], emails: [...emails], phones: [...phones] };
}

/** Removes, from the searches registered for the spouse of the hired account, any text naming it. */
async function forgetHiredApplicant(tx: Queryable, engine: SyncEngine, accountId: string): Promise<void> {
  const { rows: apps } = await tx.query<{ doc: ApplicationDoc }>(
    `select doc from applications where not deleted and doc->>'candidateId' = $1`,
    [accountId],
  );
  if (apps.length === 0) return;
  const { rows: searches } = await tx.query<{
    id: string;
    doc: SearchRow['doc'];
    claimed_account_id: string | null;
  }>(
    `select id::text as id, doc, claimed_account_id::text as claimed_account_id from spouse_searches
      where application_id = any($1::text[]) order by id for update`,
    [apps.map((a) => a.doc.id)],
  );
  if (searches.length === 0) return;
  const person = await personOf(
    tx,
    accountId,
    apps.map((a) => a.doc),
  );
  for (const s of searches) {
    if (!mentionsPerson(s.doc?.presentation ?? '', person)) continue;
    const { presentation: _p, ...doc } = s.doc;
    await tx.query('update spouse_searches set doc = $2 where id = $1', [s.id, JSON.stringify(doc)]);
    if (s.claimed_account_id) continue; // the spouse's own CV now (see the file comment)
    const { rows: cv } = await tx.query<{ doc: CvDoc & { origin?: { kind?: string } }; keys: string[] }>(
      'select doc, keys from cvs where id = $1 and not deleted for update',
      [s.id],
    );
    const current = cv[0];
    if (current?.doc.origin?.kind !== 'conjoint') continue;
    const { summary: _s, ...rest } = current.doc;
    const next = rest as CvDoc;
    await engine.write(tx, cvsCollection, next as unknown as Doc, false, {
      keys: current.keys,
      previousKeys: current.keys,
    });
    await tx.query('update cvs set search = $2 where id = $1', [s.id, cvSearchText(next, '')]);
    await writeCvSearch(tx, next);
  }
}

export const SPOUSE_SEARCH_DATA: PersonalDataStep = {
  name: 'conjoint',
  async exportData(q, accountId) {
    const searches = await ownSearches(q, accountId);
    const data = [];
    for (const s of searches) data.push(exported(s, await unlinkedApplications(q, s.id)));
    return { data, files: [] };
  },
  async erase(tx, engine, accountId) {
    await forgetHiredApplicant(tx, engine, accountId);
    for (const row of await ownSearches(tx, accountId, true)) await eraseOwnSearch(tx, engine, row);
  },
};
