import {
  checkFileContent,
  checkFileSize,
  type FilePurpose,
  type FileType,
} from '../../../../shared/domain/files';
import { sha256Hex } from './sha256';

/**
 * Checks a chosen file exactly as the server will (size for its use, type by content) and names it
 * by its SHA-256, before anything is kept or queued: a file the workstation accepts offline is
 * accepted by the server later.
 */

export type PreparedFile =
  | { ok: true; sha256: string; type: FileType; mime: string; size: number; blob: Blob }
  | { ok: false; message: string };

export const UNREADABLE_FILE_MESSAGE = 'Impossible de lire ce fichier. Choisissez-le à nouveau.';

export async function prepareFile(purpose: FilePurpose, file: Blob): Promise<PreparedFile> {
  // The size first: a large file is refused without being read.
  const sizeError = checkFileSize(purpose, file.size);
  if (sizeError) return { ok: false, message: sizeError.message };
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, message: UNREADABLE_FILE_MESSAGE };
  }
  const check = checkFileContent(purpose, bytes);
  if (!check.ok) return { ok: false, message: check.message };
  return {
    ok: true,
    sha256: await sha256Hex(bytes),
    type: check.type,
    mime: check.mime,
    size: bytes.length,
    // Stored with the type found in the content, whatever the file's name said.
    blob: new Blob([bytes], { type: check.mime }),
  };
}
