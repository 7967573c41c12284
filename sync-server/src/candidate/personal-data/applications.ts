/**
 * The candidate's applications, proposals and offer selections (RGPD export and erasure).
 *
 * Erasure: every application of the account becomes a tombstone through the engine (the
 * recruiters' replicas drop it at their next pull; the stored row keeps no content, no history),
 * its file references and follow links go, and the offer binder is emptied. The recruiters'
 * evaluations of those applications and of the candidate's CVs become tombstones too.
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

export const APPLICATION_DATA: PersonalDataStep = {
  name: 'candidatures',
  async exportData(q, accountId) {
    const applications = await applicationsOf(q, accountId);
    const { rows: selections } = await q.query<{ offer_id: string; snapshot: unknown; created_at: Date }>(
      'select offer_id, snapshot, created_at from offer_selections where account_id = $1 order by created_at',
      [accountId],
    );
    const files: ExportedFile[] = [];
    for (const a of applications) {
      if (a.cvFile) files.push({ sha256: a.cvFile, name: `candidatures/${a.id}-cv` });
      if (a.letterFile) files.push({ sha256: a.letterFile, name: `candidatures/${a.id}-lettre` });
    }
    return {
      data: {
        candidatures: applications.map(({ organisationId: _o, ...rest }) => rest),
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
    const applications = await applicationsOf(tx, accountId);
    // Recruiters' evaluations of these applications and of the candidate's CVs (issue 6): gone
    // from every replica, as tombstones without content. Before the CVs' own step runs.
    const { rows: cvs } = await tx.query<{ id: string }>(
      'select id::text as id from candidate_cvs where account_id = $1',
      [accountId],
    );
    await eraseEvaluationsOf(tx, engine, [...applications.map((a) => a.id), ...cvs.map((c) => c.id)]);
    for (const doc of applications) {
      await tx.query('delete from application_follow_tokens where application_id = $1', [doc.id]);
      await eraseApplication(tx, engine, doc);
    }
    await tx.query('delete from offer_selections where account_id = $1', [accountId]);
  },
};
