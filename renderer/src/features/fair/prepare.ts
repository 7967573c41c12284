import { isSha256 } from '../../../../shared/domain/files';
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import {
  type BatchEvent,
  CORRUPT_DOWNLOAD_MESSAGE,
  type DownloadResult,
  FILE_BATCH_MAX,
} from '../files/file-api';
import type { FileStore } from '../files/file-store';
import { sha256Hex } from '../files/sha256';

/**
 * « Préparer le salon » (issue 6), pure of React: what an event needs on this workstation before
 * leaving (its offers, their applications, the applicants' CVs and every file they refer to),
 * what is still missing, and the download of the missing files into the local file store, with
 * progress and an error per file.
 */

export type FileRole = 'cv-candidature' | 'lettre' | 'cv-cvtheque';

export const FILE_ROLE_LABELS: Record<FileRole, string> = {
  'cv-candidature': 'CV joint à la candidature',
  lettre: 'Lettre de motivation',
  'cv-cvtheque': 'CV du profil',
};

export interface FileNeed {
  sha256: string;
  role: FileRole;
  /** Whose file, for the error list (« Léa Martin — Lettre de motivation »). */
  owner: string;
}

export interface PreparationPlan {
  /** Offers presented that this workstation does not hold (yet). */
  missingOffers: string[];
  /** Applications to the offers presented, and the event's own candidates. */
  applications: ApplicationDoc[];
  /** CVs the applications refer to that this workstation does not hold (yet). */
  missingCvs: string[];
  /** Every file needed, once each. */
  files: FileNeed[];
}

function ownerOf(a: Pick<ApplicationDoc, 'applicant' | 'id'>): string {
  const name = `${a.applicant?.firstName ?? ''} ${a.applicant?.lastName ?? ''}`.trim();
  return name || 'Candidat sans nom';
}

/**
 * What the event needs, from what the replica holds: `offers` and `cvs` by id, `applications`
 * of the organisation (those of the offers presented, or of the event, are kept).
 */
export function preparationPlan(
  event: Pick<EventDoc, 'id' | 'offerIds'>,
  offers: ReadonlyMap<string, unknown>,
  applications: readonly ApplicationDoc[],
  cvs: ReadonlyMap<string, Pick<CvDoc, 'id' | 'file'>>,
): PreparationPlan {
  const offerIds = new Set(event.offerIds);
  const missingOffers = event.offerIds.filter((id) => !offers.has(id));
  const kept = applications.filter(
    (a) => (a.offerId !== undefined && offerIds.has(a.offerId)) || a.eventId === event.id,
  );
  const files = new Map<string, FileNeed>();
  const missingCvs = new Set<string>();
  const add = (sha256: string | undefined, role: FileRole, owner: string) => {
    if (sha256 && isSha256(sha256) && !files.has(sha256)) files.set(sha256, { sha256, role, owner });
  };
  for (const a of kept) {
    const owner = ownerOf(a);
    add(a.cvFile, 'cv-candidature', owner);
    add(a.letterFile, 'lettre', owner);
    if (a.cvId) {
      const cv = cvs.get(a.cvId);
      if (!cv) missingCvs.add(a.cvId);
      else add(cv.file?.sha256, 'cv-cvtheque', owner);
    }
  }
  return { missingOffers, applications: kept, missingCvs: [...missingCvs], files: [...files.values()] };
}

/** The files of `needs` that the store does not hold. */
export async function missingFiles(
  needs: readonly FileNeed[],
  store: Pick<FileStore, 'getFile'>,
): Promise<FileNeed[]> {
  const out: FileNeed[] = [];
  for (const n of needs) {
    const local = await store.getFile(n.sha256).catch(() => null);
    if (!local) out.push(n);
  }
  return out;
}

export type FileOutcome = { status: 'local' } | { status: 'error'; message: string };

export interface PreparationProgress {
  total: number;
  /** Files now on this workstation. */
  done: number;
  errors: { need: FileNeed; message: string }[];
}

export const OFFLINE_FILE_MESSAGE =
  'Pas de connexion au serveur : le fichier sera téléchargé au retour du réseau.';
export const MISSING_FILE_MESSAGE =
  'Le fichier n’est plus disponible sur le serveur (retiré par le candidat, ou accès retiré).';

function messageOf(result: Exclude<DownloadResult, { kind: 'ok' }>): string {
  if (result.kind === 'offline') return OFFLINE_FILE_MESSAGE;
  if (result.kind === 'missing') return MISSING_FILE_MESSAGE;
  return result.message;
}

export const LOCAL_SAVE_MESSAGE =
  'Impossible d’enregistrer le fichier sur ce poste (espace de stockage plein ?).';

/** Downloads one file into the store (nothing to do when it is already there). */
export async function fetchOne(
  need: FileNeed,
  store: Pick<FileStore, 'getFile' | 'putFile'>,
  download: (sha256: string, signal?: AbortSignal) => Promise<DownloadResult>,
  signal?: AbortSignal,
): Promise<FileOutcome> {
  if (await store.getFile(need.sha256).catch(() => null)) return { status: 'local' };
  const result = await download(need.sha256, signal);
  if (result.kind !== 'ok') return { status: 'error', message: messageOf(result) };
  try {
    await store.putFile({
      sha256: need.sha256,
      blob: result.blob,
      mime: result.mime,
      size: result.blob.size,
      storedAt: Date.now(),
    });
    return { status: 'local' };
  } catch {
    return { status: 'error', message: LOCAL_SAVE_MESSAGE };
  }
}

/** The downloads `fetchMany` uses: the batch route, the single one, and the hash check. */
export interface FileDownloads {
  batch: (hashes: readonly string[], signal?: AbortSignal) => AsyncIterable<BatchEvent>;
  single: (sha256: string, signal?: AbortSignal) => Promise<DownloadResult>;
  /** SHA-256 of bytes received, lowercase hex (`sha256Hex` by default). */
  hash?: (bytes: Uint8Array) => Promise<string>;
}

/** Runs `task` over `items`, `concurrency` at a time, until `signal` aborts. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/**
 * Makes every file of `needs` local: those already in the store at once, the others by batches of
 * up to 100 (`batchSize`), `concurrency` (2) requests in flight. Each file received is checked
 * (its SHA-256 must be its name) before it is stored. Files the server defers, and every file when
 * it does not know the batch route (an older server, 404) or when a batch fails on the way, are
 * downloaded one by one (`fetchOne`, 3 at a time). `onOutcome` once per file as soon as it is
 * known; nothing more once `signal` aborts.
 */
export async function fetchMany(
  needs: readonly FileNeed[],
  store: Pick<FileStore, 'getFile' | 'putFile'>,
  downloads: FileDownloads,
  onOutcome: (need: FileNeed, outcome: FileOutcome) => void,
  options: { batchSize?: number; concurrency?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const { signal } = options;
  const hash = downloads.hash ?? ((bytes: Uint8Array) => sha256Hex(bytes));
  const batchSize = Math.max(1, Math.min(FILE_BATCH_MAX, options.batchSize ?? FILE_BATCH_MAX));
  const report = (need: FileNeed, outcome: FileOutcome) => {
    if (!signal?.aborted) onOutcome(need, outcome);
  };

  const unique = [...new Map(needs.map((n) => [n.sha256, n])).values()];
  const singles = (list: readonly FileNeed[]) =>
    pool(
      list,
      3,
      async (need) => report(need, await fetchOne(need, store, downloads.single, signal)),
      signal,
    );

  let batchRoute = true;
  const chunks: FileNeed[][] = [];
  for (let i = 0; i < unique.length; i += batchSize) chunks.push(unique.slice(i, i + batchSize));

  const runChunk = async (all: FileNeed[]) => {
    // Files already here are done (looked up together, not one after the other).
    const here = await Promise.all(all.map((n) => store.getFile(n.sha256).catch(() => null)));
    const chunk = all.filter((need, i) => {
      if (here[i]) report(need, { status: 'local' });
      return !here[i];
    });
    if (chunk.length === 0 || signal?.aborted) return;
    if (!batchRoute) return singles(chunk);
    const pending = new Map(chunk.map((n) => [n.sha256, n]));
    const later: FileNeed[] = [];
    let finished = false;
    for await (const event of downloads.batch([...pending.keys()], signal)) {
      if (signal?.aborted) return;
      if (event.kind === 'file') {
        const need = pending.get(event.sha256);
        if (!need) continue; // not asked for: ignored
        pending.delete(event.sha256);
        report(need, await keep(need, event, store, hash));
        continue;
      }
      finished = true;
      if (event.kind === 'end') {
        for (const sha256 of event.missing) {
          const need = pending.get(sha256);
          if (!need) continue;
          pending.delete(sha256);
          report(need, { status: 'error', message: MISSING_FILE_MESSAGE });
        }
        // `deferred`, and anything the answer forgot: one by one.
        later.push(...pending.values());
      } else if (event.kind === 'offline') {
        for (const need of pending.values()) report(need, { status: 'error', message: OFFLINE_FILE_MESSAGE });
      } else {
        if (event.kind === 'unsupported') batchRoute = false;
        // An older server, or a batch that failed on the way: the single route says it per file.
        later.push(...pending.values());
      }
      break;
    }
    if (!finished) later.push(...pending.values());
    if (later.length > 0 && !signal?.aborted) await singles(later);
  };

  await pool(chunks, Math.max(1, options.concurrency ?? 2), runChunk, signal);
}

/** Checks a file of a batch against its name, then stores it. */
async function keep(
  need: FileNeed,
  file: Extract<BatchEvent, { kind: 'file' }>,
  store: Pick<FileStore, 'putFile'>,
  hash: (bytes: Uint8Array) => Promise<string>,
): Promise<FileOutcome> {
  let actual: string;
  try {
    actual = await hash(file.bytes);
  } catch {
    actual = '';
  }
  if (actual !== need.sha256) return { status: 'error', message: CORRUPT_DOWNLOAD_MESSAGE };
  try {
    const blob = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime });
    await store.putFile({
      sha256: need.sha256,
      blob,
      mime: file.mime,
      size: blob.size,
      storedAt: Date.now(),
    });
    return { status: 'local' };
  } catch {
    return { status: 'error', message: LOCAL_SAVE_MESSAGE };
  }
}

/**
 * Makes every file of `needs` local, a few at a time; `onProgress` after each one. Files already
 * there count as done at once. Stops early (without errors for the rest) when `signal` aborts.
 */
export async function prepareFiles(
  needs: readonly FileNeed[],
  store: Pick<FileStore, 'getFile' | 'putFile'>,
  download: (sha256: string, signal?: AbortSignal) => Promise<DownloadResult>,
  onProgress: (p: PreparationProgress) => void,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<PreparationProgress> {
  const progress: PreparationProgress = { total: needs.length, done: 0, errors: [] };
  onProgress({ ...progress, errors: [] });
  let next = 0;
  const worker = async () => {
    while (next < needs.length && !options.signal?.aborted) {
      const need = needs[next++]!;
      const outcome = await fetchOne(need, store, download, options.signal);
      if (options.signal?.aborted) return;
      if (outcome.status === 'local') progress.done++;
      else progress.errors.push({ need, message: outcome.message });
      onProgress({ ...progress, errors: [...progress.errors] });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 3) }, worker));
  return progress;
}

export interface Readiness {
  ready: boolean;
  /** What still stands in the way, in French (empty when ready). */
  reasons: string[];
}

/**
 * « Prêt pour le hors-ligne »: the replication caught up (online, nothing pending, a pull since
 * the preparation started), nothing missing, every file local.
 */
export function readiness(
  plan: Pick<PreparationPlan, 'missingOffers' | 'missingCvs'>,
  files: { total: number; done: number; errors: number },
  sync: { online: boolean; pending: number; caughtUp: boolean },
): Readiness {
  const reasons: string[] = [];
  if (!sync.online) reasons.push('Le serveur est injoignable : la synchronisation n’a pas pu être vérifiée.');
  else if (!sync.caughtUp || sync.pending > 0) reasons.push('Synchronisation en cours…');
  if (plan.missingOffers.length > 0)
    reasons.push(
      `${plan.missingOffers.length} offre${plan.missingOffers.length > 1 ? 's' : ''} présentée${plan.missingOffers.length > 1 ? 's' : ''} pas encore sur ce poste.`,
    );
  if (plan.missingCvs.length > 0) reasons.push(`${plan.missingCvs.length} CV pas encore sur ce poste.`);
  if (files.errors > 0)
    reasons.push(`${files.errors} fichier${files.errors > 1 ? 's' : ''} en erreur : réessayez.`);
  else if (files.done < files.total)
    reasons.push(
      `${files.total - files.done} fichier${files.total - files.done > 1 ? 's' : ''} à télécharger.`,
    );
  return { ready: reasons.length === 0, reasons };
}

/** « 12 fichiers sur 40 » */
export function progressText(done: number, total: number): string {
  return `${done} fichier${done > 1 ? 's' : ''} sur ${total}`;
}
