import { useCallback, useSyncExternalStore } from 'react';
import { useSession } from '../../app/session-context';
import { fileServicesFor } from './files-session';
import type { UploadQueueSummary } from './upload-queue-logic';

export interface UploadQueueState extends UploadQueueSummary {
  /** Tries every waiting or refused file again now. */
  retry: () => void;
}

/** The signed-in user's upload queue: files waiting to be sent, and the last failure in French. */
export function useUploadQueue(): UploadQueueState {
  const { user } = useSession();
  const { queue } = fileServicesFor(user.id);
  const summary = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  const retry = useCallback(() => void queue.retryAll().catch(() => undefined), [queue]);
  return { ...summary, retry };
}
