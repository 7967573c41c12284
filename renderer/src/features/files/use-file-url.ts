import { useEffect, useState } from 'react';
import { isSha256 } from '../../../../shared/domain/files';
import { useSession } from '../../app/session-context';
import { onServerReachableChange } from '../../lib/network-status';
import { downloadFile } from './file-api';
import { fileServicesFor } from './files-session';

export type FileUrlState =
  | { status: 'none'; url: null; message: null }
  | { status: 'loading'; url: null; message: null }
  | { status: 'ready'; url: string; message: null }
  | { status: 'unavailable'; url: null; message: string };

export const FILE_OFFLINE_MESSAGE =
  'Fichier non disponible hors ligne : il s’affichera au retour de la connexion.';
export const FILE_MISSING_MESSAGE =
  'Fichier pas encore disponible : il n’a pas encore été envoyé au serveur depuis le poste où il a été choisi.';
export const FILE_INVALID_MESSAGE = 'Référence de fichier invalide.';

const MISSING_RETRY_MS = 30_000;

const NONE: FileUrlState = { status: 'none', url: null, message: null };
const LOADING: FileUrlState = { status: 'loading', url: null, message: null };
const unavailable = (message: string): FileUrlState => ({ status: 'unavailable', url: null, message });

/**
 * An object URL for a file named by its hash: from the local file store when the workstation has
 * it (so it works offline), otherwise downloaded through the authenticated `GET /api/files/:sha256`,
 * checked against its hash and kept locally for next time. A file not reachable yet is tried again
 * when the server answers again. The URL is revoked when the hash changes or the component goes.
 */
export function useFileUrl(hash: string | null | undefined): FileUrlState {
  const { user } = useSession();
  const [state, setState] = useState<FileUrlState>(NONE);
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` changes to try again (server back, file sent since)
  useEffect(() => {
    if (!hash) {
      setState(NONE);
      return;
    }
    if (!isSha256(hash)) {
      setState(unavailable(FILE_INVALID_MESSAGE));
      return;
    }
    const { store } = fileServicesFor(user.id);
    const abort = new AbortController();
    let url: string | null = null;
    let waitForServer: (() => void) | null = null;
    let later: ReturnType<typeof setTimeout> | null = null;
    const show = (blob: Blob) => {
      url = URL.createObjectURL(blob);
      setState({ status: 'ready', url, message: null });
    };
    const retryWhenReachable = () => {
      waitForServer = onServerReachableChange((reachable) => {
        if (reachable) setRound((n) => n + 1);
      });
    };
    setState(LOADING);
    void (async () => {
      const local = await store.getFile(hash).catch(() => null);
      if (abort.signal.aborted) return;
      if (local) return show(local.blob);
      const result = await downloadFile(hash, abort.signal);
      if (abort.signal.aborted) return;
      if (result.kind === 'ok') {
        await store
          .putFile({
            sha256: hash,
            blob: result.blob,
            mime: result.mime,
            size: result.blob.size,
            storedAt: Date.now(),
          })
          .catch(() => undefined); // shown anyway; downloaded again next time
        if (!abort.signal.aborted) show(result.blob);
        return;
      }
      if (result.kind === 'error') return setState(unavailable(result.message));
      setState(unavailable(result.kind === 'offline' ? FILE_OFFLINE_MESSAGE : FILE_MISSING_MESSAGE));
      retryWhenReachable();
      // A file another workstation still has to send: look again from time to time.
      if (result.kind === 'missing') later = setTimeout(() => setRound((n) => n + 1), MISSING_RETRY_MS);
    })();
    return () => {
      abort.abort();
      waitForServer?.();
      if (later) clearTimeout(later);
      if (url) URL.revokeObjectURL(url);
    };
  }, [hash, user.id, round]);

  return state;
}
