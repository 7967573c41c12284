import { loadCandidateProfile } from '../profile';
import type { ExportedFile, PersonalDataStep } from './types';

/**
 * The account and the profile (« Mon profil », « Ma recherche »). Erasure removes the profile, the
 * e-mail tokens, the sessions, the sign-in failures and the e-mails queued to the address; the
 * account row itself is removed by the RGPD orchestrator.
 */
export const PROFILE_DATA: PersonalDataStep = {
  name: 'profil',
  async exportData(q, accountId) {
    const { rows } = await q.query<{
      email: string;
      created_at: Date | string;
      email_confirmed_at: Date | string | null;
      terms_accepted_at: Date | string | null;
    }>(
      `select a.email, a.created_at, a.email_confirmed_at, p.terms_accepted_at
         from accounts a left join candidate_profiles p on p.account_id = a.id where a.id = $1`,
      [accountId],
    );
    const a = rows[0];
    if (!a) return { data: null, files: [] };
    const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);
    const profile = await loadCandidateProfile(q, accountId);
    const files: ExportedFile[] = [];
    if (profile.photo) {
      const mime = await q.query<{ mime: string }>('select mime from files where sha256 = $1', [
        profile.photo,
      ]);
      const ext = mime.rows[0]?.mime === 'image/png' ? 'png' : 'jpg';
      if (mime.rows[0]) files.push({ sha256: profile.photo, name: `profil/photo.${ext}` });
    }
    return {
      data: {
        compte: {
          email: a.email,
          creeLe: iso(a.created_at),
          emailConfirmeLe: iso(a.email_confirmed_at),
          conditionsAccepteesLe: iso(a.terms_accepted_at),
        },
        profil: profile,
      },
      files,
    };
  },
  async erase(tx, _engine, accountId) {
    const { rows } = await tx.query<{ email: string }>('select email from accounts where id = $1', [
      accountId,
    ]);
    const email = rows[0]?.email.toLowerCase();
    const photo = await tx.query<{ photo: string | null }>(
      "select doc->>'photo' as photo from candidate_profiles where account_id = $1",
      [accountId],
    );
    const sha = photo.rows[0]?.photo;
    if (sha) {
      // The photo leaves with the profile, unless someone else sent the same bytes or a document refers to it.
      await tx.query('delete from file_uploaders where sha256 = $1 and account_id = $2', [sha, accountId]);
      await tx.query(
        `delete from files where sha256 = $1
            and not exists (select 1 from file_uploaders where sha256 = $1)
            and not exists (select 1 from file_refs where sha256 = $1)`,
        [sha],
      );
      await tx.query('update files set uploaded_by = null where sha256 = $1 and uploaded_by = $2', [
        sha,
        accountId,
      ]);
    }
    await tx.query('delete from candidate_profiles where account_id = $1', [accountId]);
    await tx.query('delete from email_confirmations where account_id = $1', [accountId]);
    await tx.query('delete from password_resets where account_id = $1', [accountId]);
    await tx.query('delete from email_changes where account_id = $1', [accountId]);
    await tx.query('delete from sessions where account_id = $1', [accountId]);
    await tx.query('delete from login_failures where key = $1', [`account:${accountId}`]);
    if (email) {
      await tx.query('delete from login_failures where key = $1', [`email:${email}`]);
      await tx.query('delete from email_outbox where lower(to_address) = $1', [email]);
    }
  },
};
