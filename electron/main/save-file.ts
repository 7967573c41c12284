/**
 * « Enregistrer sous » for what the workstation makes (CSV and Excel exports, PDF dossiers, a CV
 * kept offline): the system's save dialog, then the bytes written where the user chose. The name
 * the renderer suggests is only a suggestion: it is cleaned of path separators and characters
 * Windows refuses, and the dialog starts in the Downloads folder. Plain Node (dialog injected).
 */
import { basename, extname, join } from 'node:path';
import type { SaveFileResult } from '../../shared/ipc/contract';

export interface SaveDialogOptions {
  title: string;
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
}

export interface SaveFileDeps {
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** e.g. `app.getPath('downloads')` */
  downloadsDirectory(): string;
}

/** The kinds of file the workstation saves, by extension, as the dialog names them. */
const FILTERS: Record<string, string> = {
  csv: 'Tableur CSV',
  xlsx: 'Classeur Excel',
  pdf: 'Document PDF',
  docx: 'Document Word',
  doc: 'Document Word',
  odt: 'Document OpenDocument',
  jpg: 'Image JPEG',
  jpeg: 'Image JPEG',
  png: 'Image PNG',
  txt: 'Texte',
};

/**
 * A file name safe on every system: no folders, no control characters, none of `<>:"/\|?*`, no
 * trailing dots or spaces, at most 150 characters (extension kept), never empty.
 */
export function safeFileName(suggested: string): string {
  const withoutControls = Array.from(suggested, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? '-' : c;
  }).join('');
  const cleaned = basename(withoutControls.replaceAll('\\', '/'))
    .replace(/[<>:"/\\|?*]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .trim();
  const name = cleaned === '' ? 'fichier' : cleaned;
  if (name.length <= 150) return name;
  const ext = extname(name).slice(0, 10);
  return `${name.slice(0, 150 - ext.length)}${ext}`;
}

export async function saveFileWithDialog(
  deps: SaveFileDeps,
  suggestedName: string,
  bytes: Uint8Array,
): Promise<SaveFileResult> {
  const name = safeFileName(suggestedName);
  const ext = extname(name).slice(1).toLowerCase();
  const known = FILTERS[ext];
  const choice = await deps.showSaveDialog({
    title: 'Enregistrer le fichier',
    defaultPath: join(deps.downloadsDirectory(), name),
    buttonLabel: 'Enregistrer',
    filters: [
      ...(known ? [{ name: known, extensions: [ext] }] : []),
      { name: 'Tous les fichiers', extensions: ['*'] },
    ],
  });
  if (choice.canceled || !choice.filePath) return { saved: false };
  await deps.writeFile(choice.filePath, bytes);
  return { saved: true, fileName: basename(choice.filePath) };
}
