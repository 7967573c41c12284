import { createHash } from 'node:crypto';

/**
 * File types and per-use limits, decided by content (magic bytes and structure), never by name or
 * declared type. The rules themselves live in `shared/domain/files.ts` so the workstation checks
 * the same before it uploads; this module adds what only the server does.
 */
export {
  checkFileContent,
  checkFileSize,
  type Detection,
  detectFileType,
  FILE_PURPOSES,
  FILE_TYPES,
  type FileCheck,
  type FilePurpose,
  type FileType,
  fileTypeOfMime,
  isFilePurpose,
  isImageMime,
  isSha256,
  MAX_FILE_BYTES,
} from '../../../shared/domain/files';

/** SHA-256 of bytes, lowercase hexadecimal. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
