import { reportSaveFailure, saveFile } from '../../lib/save-file';

/** Saves bytes made in the workstation as a file (desktop: the system's save dialog; browser: a download). */
export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  void saveFile(bytes, fileName, type).catch(reportSaveFailure);
}
