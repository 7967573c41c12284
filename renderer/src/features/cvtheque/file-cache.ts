import { useEffect, useState } from 'react';
import { isSha256 } from '../../../../shared/domain/files';
import { useSession } from '../../app/session-context';
import { onServerReachableChange } from '../../lib/network-status';
import { type DownloadResult, downloadFile } from '../files/file-api';
import type { FileStore } from '../files/file-store';
import { fileServicesFor } from '../files/files-session';

/**
 * A CV's attached file for in-app viewing: from this workstation's file store (IndexedDB, by
 * SHA-256) when it was seen before, so it opens offline; otherwise downloaded through the
 * authenticated `GET /api/files/:sha256`, checked against its hash, and kept in the store for the
 * next time.
 */

export type CvFileState =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; blob: Blob; fromCache: boolean }
  | { status: 'unavailable'; message: string };

export const CV_FILE_OFFLINE_MESSAGE =
  'Le CV joint n’est pas encore enregistré sur ce poste : il s’affichera dès le retour de la connexion. Les CV consultés en ligne, et ceux de vos listes, restent lisibles hors ligne.';
export const CV_FILE_MISSING_MESSAGE =
  'Le CV joint n’est pas disponible : le candidat l’a peut-être retiré ou ne le rend plus visible.';

export interface FileSource {
  store: Pick<FileStore, 'getFile' | 'putFile'>;
  download: (sha256: string, signal?: AbortSignal) => Promise<DownloadResult>;
}

/** Reads a file from the store, else downloads and keeps it (pure of React, for tests). */
export async function loadCvFile(
  sha256: string,
  source: FileSource,
  signal?: AbortSignal,
): Promise<CvFileState> {
  if (!isSha256(sha256)) return { status: 'unavailable', message: 'Référence de fichier invalide.' };
  const local = await source.store.getFile(sha256).catch(() => null);
  if (local) return { status: 'ready', blob: local.blob, fromCache: true };
  const result = await source.download(sha256, signal);
  switch (result.kind) {
    case 'ok':
      await source.store
        .putFile({
          sha256,
          blob: result.blob,
          mime: result.mime,
          size: result.blob.size,
          storedAt: Date.now(),
        })
        .catch(() => undefined);
      return { status: 'ready', blob: result.blob, fromCache: false };
    case 'offline':
      return { status: 'unavailable', message: CV_FILE_OFFLINE_MESSAGE };
    case 'missing':
      return { status: 'unavailable', message: CV_FILE_MISSING_MESSAGE };
    default:
      return { status: 'unavailable', message: result.message };
  }
}

/** Keeps a file on this workstation ahead of time (CVs put in a list), silently. */
export async function keepCvFileOffline(userId: string, sha256: string): Promise<void> {
  const { store } = fileServicesFor(userId);
  await loadCvFile(sha256, { store, download: downloadFile }).catch(() => undefined);
}

export function useCvFile(sha256: string | null | undefined): CvFileState {
  const { user } = useSession();
  const [state, setState] = useState<CvFileState>({ status: 'none' });
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` changes to try again once the server answers
  useEffect(() => {
    if (!sha256) {
      setState({ status: 'none' });
      return;
    }
    const abort = new AbortController();
    let off: (() => void) | null = null;
    setState({ status: 'loading' });
    const { store } = fileServicesFor(user.id);
    void loadCvFile(sha256, { store, download: downloadFile }, abort.signal).then((s) => {
      if (abort.signal.aborted) return;
      setState(s);
      if (s.status === 'unavailable' && s.message === CV_FILE_OFFLINE_MESSAGE)
        off = onServerReachableChange((reachable) => {
          if (reachable) setRound((n) => n + 1);
        });
    });
    return () => {
      abort.abort();
      off?.();
    };
  }, [sha256, user.id, round]);

  return state;
}
