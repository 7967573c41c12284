import { getBridge } from './bridge';

/**
 * Saves a file made or kept by the workstation (exports, dossiers, CVs, attachments): on the
 * desktop with the system's « Enregistrer sous » dialog (files:saveFile), in a browser as a download.
 * Answers `cancelled` when the user closed the dialog; a failure to write rejects (French message).
 */
export async function saveFile(
  data: Blob | Uint8Array,
  fileName: string,
  type = '',
): Promise<'saved' | 'cancelled' | 'downloaded'> {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const bridge = getBridge();
  if (bridge?.saveFile) {
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(await blob.arrayBuffer());
    try {
      const result = await bridge.saveFile(fileName, bytes);
      return result.saved ? 'saved' : 'cancelled';
    } catch {
      throw new Error(
        'Le fichier n’a pas pu être enregistré (dossier protégé en écriture ou disque plein ?).',
      );
    }
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'downloaded';
}

/** A file that could not be written is said, not lost silently (rare: the user chose the folder). */
export function reportSaveFailure(error: unknown): void {
  window.alert(error instanceof Error ? error.message : 'Le fichier n’a pas pu être enregistré.');
}
