/**
 * The candidate's CVs (RGPD). Export: every CV as written, and its attached file. Erasure: the CV
 * rows are deleted, their CVthèque projections become tombstones (no content, every replica drops
 * them at its next pull), their file references go, and the attached files leave with them (with
 * their extracted text) unless someone else sent the same bytes or another document refers to them.
 */
import { FILE_TYPES, fileTypeOfMime } from '../../../../shared/domain/files';
import { syncCvProjection } from '../../domain/cvs';
import { listCandidateCvs } from '../cv-store';
import type { ExportedFile, PersonalDataStep } from './types';

function safeName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80) || 'cv';
}

export const CV_DATA: PersonalDataStep = {
  name: 'cv',
  async exportData(q, accountId) {
    const cvs = await listCandidateCvs(q, accountId);
    const files: ExportedFile[] = [];
    cvs.forEach((cv, i) => {
      if (!cv.file) return;
      const type = fileTypeOfMime(cv.file.mime);
      const ext = type ? FILE_TYPES[type].extension : 'bin';
      const base = safeName(cv.file.name.replace(/\.[A-Za-z0-9]{1,5}$/, ''));
      files.push({ sha256: cv.file.sha256, name: `cv/${i + 1}-${base}.${ext}` });
    });
    return { data: cvs, files };
  },
  async erase(tx, engine, accountId) {
    const cvs = await listCandidateCvs(tx, accountId);
    const hashes = [...new Set(cvs.flatMap((cv) => (cv.file ? [cv.file.sha256] : [])))];
    await tx.query('delete from candidate_cvs where account_id = $1', [accountId]);
    for (const cv of cvs) await syncCvProjection(tx, engine, cv.id, null, null);
    // CV files this candidate sent (attached or not), with their extracted text.
    const sent = await tx.query<{ sha256: string }>(
      `select u.sha256 from file_uploaders u join files f on f.sha256 = u.sha256
        where u.account_id = $1 and f.purpose = 'cv'`,
      [accountId],
    );
    const all = [...new Set([...hashes, ...sent.rows.map((r) => r.sha256)])];
    if (all.length === 0) return;
    await tx.query('delete from file_uploaders where account_id = $1 and sha256 = any($2::text[])', [
      accountId,
      all,
    ]);
    const gone = await tx.query<{ sha256: string }>(
      `delete from files f where f.sha256 = any($1::text[])
          and not exists (select 1 from file_uploaders u where u.sha256 = f.sha256)
          and not exists (select 1 from file_refs r where r.sha256 = f.sha256)
        returning f.sha256`,
      [all],
    );
    await tx.query(
      `delete from cv_file_texts t where t.sha256 = any($1::text[])
          and not exists (select 1 from files f where f.sha256 = t.sha256)`,
      [gone.rows.map((r) => r.sha256)],
    );
  },
};
