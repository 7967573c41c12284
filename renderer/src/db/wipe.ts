import { fileStoreNameFor } from '../features/files/file-store';
import { clearUserRecords } from '../lib/local-store';
import { deleteIndexedDb, removeUserDatabase } from './database';

/**
 * « Effacer les données de cet ordinateur » (issue 8), also done when the server says this session
 * was revoked from elsewhere: the user's local database (offers, applicants, CVs, messages…), the
 * files kept for offline use, and every small record of theirs in this browser profile. Each part
 * is attempted even if another fails; the answer says whether everything went.
 */
export async function wipeUserData(userId: string): Promise<boolean> {
  let complete = true;
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
