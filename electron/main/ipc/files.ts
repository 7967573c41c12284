import { MAX_SAVED_FILE_BYTES } from '../../../shared/ipc/contract';
import { type SaveFileDeps, saveFileWithDialog } from '../save-file';
import type { IpcHandlers } from './types';
import { expectString, invalidArgument } from './validate';

export interface FileHandlerDeps {
  saveFile: SaveFileDeps;
}

export function createFileHandlers({ saveFile }: FileHandlerDeps) {
  return {
    saveFile: async (suggestedName: unknown, bytes: unknown) => {
      const name = expectString(suggestedName, 'Nom du fichier', { max: 255 });
      if (!(bytes instanceof Uint8Array)) throw invalidArgument('Contenu du fichier : octets attendus.');
      if (bytes.byteLength > MAX_SAVED_FILE_BYTES)
        throw invalidArgument(
          `Contenu du fichier : ${Math.round(MAX_SAVED_FILE_BYTES / 1024 / 1024)} Mo au plus.`,
        );
      return saveFileWithDialog(saveFile, name, bytes);
    },
  } satisfies IpcHandlers<'files'>;
}
