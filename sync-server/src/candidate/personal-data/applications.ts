/**
 * The candidate's applications, proposals and offer selections (RGPD export and erasure).
 *
 * Erasure: every application of the account becomes a tombstone through the engine (the
 * recruiters' replicas drop it at their next pull; the stored row keeps no content, no history),
 * its file references and follow links go, and the offer binder is emptied. The recruiters'
 * evaluations of those applications and of the candidate's CVs become tombstones too.
 *
 * Merged fair captures (issue 6): a capture a recruiter merged into one of these applications
 * (`mergedInto`, capture-service.ts `decideMerge`) is archived with the person's name, phone and
 * e-mail but without `candidateId` (the address may differ from the account's). It is the same
 * person's, so it is exported (`saisiesDeSalon`) and erased with the account the same way
 * (tombstone, evaluations, follow links, file references), and so is a capture merged into one of
 * those (merges may chain) or made in the same capture (`captureId`, one application per offer of
 * interest); the e-mails about them (the follow-up after the fair…) go too.
 */
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';
import type { Queryable } from '../../db/database';
import { eraseApplication } from '../../domain/applications';
import { eraseEvaluationsOf } from '../../domain/evaluations';
import type { ExportedFile, PersonalDataStep } from './types';

async function applicationsOf(q: Queryable, accountId: string): Promise<ApplicationDoc[]> {
  const { rows } = await q.query<{ doc: ApplicationDoc }>(
    `select doc from applications where not deleted and doc->>'candidateId' = $1
      order by doc->>'createdAt', id`,
    [accountId],
  );
  return rows.map((r) => r.doc);
}

/**
 * The fair captures no account holds that are the same person as one of `applications`: merged
 * into it, or into such a capture (merges chain), or made in the same capture (`captureId`: one
 * capture gives one application per offer of interest). Merges and captures stay within one
 * organisation, which the search uses (indexed).
 */
export async function mergedCapturesOf(
  q: Queryable,
  applications: readonly ApplicationDoc[],
): Promise<ApplicationDoc[]> {
  const found: ApplicationDoc[] = [];
  const seen = new Set(applications.map((a) => a.id));
  let from: readonly ApplicationDoc[] = applications;
  while (from.length > 0) {
    const { rows } = await q.query<{ doc: ApplicationDoc }>(
      `select a.doc from applications a
         join unnest($1::text[], $2::text[], $3::text[]) t(id, org, capture)
           on a.doc->>'organisationId' = t.org
          and (a.doc->>'mergedInto' = t.id or a.doc->>'captureId' = t.capture)
        where not a.deleted and a.doc->>'candidateId' is null
        order by a.doc->>'createdAt', a.id`,
      [from.map((a) => a.id), from.map((a) => a.organisationId), from.map((a) => a.captureId ?? null)],
    );
    const next: ApplicationDoc[] = [];
    for (const { doc } of rows) {
      if (seen.has(doc.id)) continue;
      seen.add(doc.id);
      next.push(doc);
    }
    found.push(...next);
    from = next;
  }
  return found;
}

/**
 * Deletes the queued or sent e-mails about these applications (their ids, or a capture's id, in
 * the e-mail's dedupe key: follow-up after a fair, registration, confirmation, refusal…).
 */
export async function deleteEmailsAbout(q: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `delete from email_outbox e
      where e.dedupe_key is not null
        and exists (select 1 from unnest($1::text[]) x where position(x in e.dedupe_key) > 0)`,
    [[...ids]],
  );
}

export const APPLICATION_DATA: PersonalDataStep = {
  name: 'candidatures',
  async exportData(q, accountId) {
    const applications = await applicationsOf(q, accountId);
    const merged = await mergedCapturesOf(q, applications);
    const { rows: selections } = await q.query<{ offer_id: string; snapshot: unknown; created_at: Date }>(
      'select offer_id, snapshot, created_at from offer_selections where account_id = $1 order by created_at',
      [accountId],
    );
    const files: ExportedFile[] = [];
    for (const a of [...applications, ...merged]) {
      if (a.cvFile) files.push({ sha256: a.cvFile, name: `candidatures/${a.id}-cv` });
      if (a.letterFile) files.push({ sha256: a.letterFile, name: `candidatures/${a.id}-lettre` });
    }
    return {
      data: {
        candidatures: applications.map(({ organisationId: _o, ...rest }) => rest),
        // Fair captures of the same person without the account: merged by a recruiter into one of
        // these (archived copy), or made in the same capture.
        saisiesDeSalon: merged.map(({ organisationId: _o, ...rest }) => rest),
        selections: selections.map((s) => ({
          offerId: s.offer_id,
          offre: s.snapshot,
          ajouteeLe: new Date(s.created_at).toISOString(),
        })),
      },
      files,
    };
  },
  async erase(tx, engine, accountId) {
    const own = await applicationsOf(tx, accountId);
    const merged = await mergedCapturesOf(tx, own);
    const applications = [...own, ...merged];
    // Recruiters' evaluations of these applications and of the candidate's CVs (issue 6): gone
    // from every replica, as tombstones without content. Before the CVs' own step runs.
    const { rows: cvs } = await tx.query<{ id: string }>(
      'select id::text as id from candidate_cvs where account_id = $1',
      [accountId],
    );
    await eraseEvaluationsOf(tx, engine, [...applications.map((a) => a.id), ...cvs.map((c) => c.id)]);
    for (const doc of applications) await eraseApplication(tx, engine, doc);
    // E-mails about the merged captures (sent to the address captured, which may not be the
    // account's: rgpd.ts deletes those to the account's address and naming it).
    const emails = new Set(
      merged.map((a) => a.applicant?.email?.trim().toLowerCase()).filter((e): e is string => !!e),
    );
    await deleteEmailsAbout(
      tx,
      merged.flatMap((a) => [a.id, ...(a.captureId ? [a.captureId] : [])]),
    );
    if (emails.size > 0)
      await tx.query('delete from email_outbox where lower(trim(to_address)) = any($1::text[])', [
        [...emails],
      ]);
    await tx.query('delete from offer_selections where account_id = $1', [accountId]);
  },
};
