import { fileStoreNameFor } from '../features/files/file-store';
import { clearUserRecords } from '../lib/local-store';
import { deleteIndexedDb, removeUserDatabase } from './database';
import { forgetLocalDataKey } from './local-key';

/**
 * « Effacer les données de cet ordinateur » (issue 8), also done when the server says this session
 * was revoked from elsewhere: the user's local database (offers, applicants, CVs, messages…), the
 * files kept for offline use, and every small record of theirs in this browser profile. Each part
 * is attempted even if another fails; the answer says whether everything went. On the desktop the
 * user's data key goes first: whatever IndexedDB leaves on the disk (it deletes lazily) of the
 * encrypted fields and files can no longer be read.
 */
export async function wipeUserData(userId: string): Promise<boolean> {
  let complete = true;
  try {
    await forgetLocalDataKey(userId);
  } catch {
    complete = false;
  }
  try {
    await removeUserDatabase(userId);
  } catch {
    complete = false;
  }
  try {
    await deleteIndexedDb(fileStoreNameFor(userId));
  } catch {
    complete = false;
  }
  clearUserRecords(userId);
  return complete;
}
