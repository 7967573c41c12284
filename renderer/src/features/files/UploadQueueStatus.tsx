import './files.css';
import { useUploadQueue } from './use-upload-queue';

/** One line for the header: how many files wait to be sent, and why the last attempt failed. */
export function UploadQueueStatus() {
  const { pending, refused, lastError, retry } = useUploadQueue();
  if (pending === 0 && refused === 0) return null;
  const waiting = pending > 0 ? `${pending} fichier${pending > 1 ? 's' : ''} en attente d’envoi` : null;
  const refusedText =
    refused > 0 ? `${refused} fichier${refused > 1 ? 's' : ''} refusé${refused > 1 ? 's' : ''}` : null;
  return (
    <p className={`upload-status${refused > 0 ? ' upload-status--error' : ''}`} role="status">
      <span>{[waiting, refusedText].filter(Boolean).join(' · ')}</span>
      {lastError ? <span className="small">{lastError}</span> : null}
      <button type="button" className="button button--small button--ghost" onClick={retry}>
        Réessayer
      </button>
    </p>
  );
}
