import type { ApplicationFolder } from '../../../../shared/domain/application-folder';
import { listFolders } from '../folders';
import type { ExportedFile, PersonalDataStep } from './types';

/** A name safe inside the export archive. */
const safe = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'fichier';

/**
 * Application folders (seed 004) and the CVs sent by e-mail (seed 002): the folders with their CV
 * file and letter file, the log of CVs sent; erased with the e-mails of those sends still in the
 * outbox (they carry the candidate's name, address and CV).
 */
export const FOLDER_DATA: PersonalDataStep = {
  name: 'dossiers',
  async exportData(q, accountId) {
    const folders = await listFolders(q, accountId);
    const files: ExportedFile[] = [];
    const fileOf = (folder: ApplicationFolder, kind: string, file: ApplicationFolder['cvFile']) => {
      if (!file) return null;
      const name = `dossiers/${safe(folder.name)}-${folder.id.slice(0, 8)}/${kind}-${safe(file.name)}`;
      files.push({ sha256: file.sha256, name });
      return name;
    };
    const { rows: sends } = await q.query<{
      to_address: string;
      cc_addresses: string[] | null;
      subject: string;
      cv_id: string;
      sent_at: Date | string;
    }>(
      `select to_address, cc_addresses, subject, cv_id::text, sent_at
         from cv_sends where account_id = $1 order by sent_at`,
      [accountId],
    );
    return {
      data: {
        dossiers: folders.map((f) => ({
          nom: f.name,
          cv: f.cvId ? { id: f.cvId, titre: f.cvTitle } : null,
          fichierCv: fileOf(f, 'cv', f.cvFile),
          lettreDeMotivation: f.letterText,
          fichierLettre: fileOf(f, 'lettre', f.letterFile),
          video: f.videoUrl,
          creeLe: f.createdAt,
          modifieLe: f.updatedAt,
        })),
        cvEnvoyesParCourriel: sends.map((s) => ({
          destinataire: s.to_address,
          copie: s.cc_addresses ?? [],
          objet: s.subject,
          cv: s.cv_id,
          envoyeLe: new Date(s.sent_at).toISOString(),
        })),
      },
      files,
    };
  },
  async erase(tx, _engine, accountId) {
    await tx.query(
      `delete from email_outbox where id in
         (select outbox_id from cv_sends where account_id = $1 and outbox_id is not null)`,
      [accountId],
    );
    await tx.query('delete from cv_sends where account_id = $1', [accountId]);
    await tx.query('delete from application_folders where account_id = $1', [accountId]);
  },
};
