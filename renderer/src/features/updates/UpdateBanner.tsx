import { useEffect, useState } from 'react';
import type { UpdateStatusView } from '../../../../shared/ipc/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { SyncController } from '../../db/replication';
import { useSyncState } from '../../hooks/use-sync-state';
import { getBridge } from '../../lib/bridge';
import { pendingRestartQuestion, updateBannerModel } from './update-banner-model';

/** How often the desktop app's update status is read (the main process has no push channel). */
const POLL_MS = 3000;

/** The desktop workstation's update: download progress, then « Redémarrer pour mettre à jour ». */
export function UpdateBanner({ sync }: { sync: SyncController }) {
  const bridge = getBridge();
  const { pending } = useSyncState(sync);
  const [status, setStatus] = useState<UpdateStatusView | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const read = bridge?.getUpdateStatus;
    if (!read) return;
    let stopped = false;
    const poll = () =>
      read()
        .then((s) => {
          if (!stopped) setStatus(s);
        })
        .catch(() => undefined);
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [bridge]);

  const banner = updateBannerModel(status);
  if (!banner || !bridge?.restartToUpdate) return null;
  const restart = async (confirmed: boolean) => {
    setError(null);
    try {
      const answer = await bridge.restartToUpdate!(pending, confirmed);
      if (answer === 'confirm-pending') setAsking(true);
      else if (answer === 'nothing-to-install')
        setError('La mise à jour n’est plus disponible : elle sera téléchargée à nouveau.');
    } catch {
      setError('Le redémarrage a échoué : réessayez, ou quittez puis rouvrez l’application.');
    }
  };

  return (
    <div className="update-banner" role="status" aria-live="polite" data-testid="update-banner">
      <span>{banner.text}</span>
      {banner.kind === 'downloading' ? (
        <progress max={100} value={banner.percent} aria-label="Progression du téléchargement" />
      ) : (
        <button type="button" className="button button--primary" onClick={() => void restart(false)}>
          Redémarrer pour mettre à jour
        </button>
      )}
      {error ? <span className="update-banner__error">{error}</span> : null}
      <ConfirmDialog
        open={asking}
        title="Modifications pas encore synchronisées"
        confirmLabel="Redémarrer maintenant"
        cancelLabel="Plus tard"
        onConfirm={() => {
          setAsking(false);
          void restart(true);
        }}
        onCancel={() => setAsking(false)}
      >
        <p>{pendingRestartQuestion(pending)}</p>
      </ConfirmDialog>
    </div>
  );
}
