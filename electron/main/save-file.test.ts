import { describe, expect, it } from 'vitest';
import { createFileHandlers } from './ipc/files';
import { IpcError } from './ipc/validate';
import { type SaveDialogOptions, safeFileName, saveFileWithDialog } from './save-file';

function fakeDialog(answer: { canceled: boolean; filePath?: string }) {
  const asked: SaveDialogOptions[] = [];
  const written: [string, Uint8Array][] = [];
  return {
    asked,
    written,
    deps: {
      showSaveDialog: async (o: SaveDialogOptions) => {
        asked.push(o);
        return answer;
      },
      writeFile: async (path: string, bytes: Uint8Array) => {
        written.push([path, bytes]);
      },
      downloadsDirectory: () => '/home/claire/Téléchargements',
    },
  };
}

describe('safeFileName', () => {
  it('keeps a clean name and cleans folders and forbidden characters', () => {
    expect(safeFileName('candidats-2026-12-05.csv')).toBe('candidats-2026-12-05.csv');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Windows\\system.ini')).toBe('system.ini');
    expect(safeFileName('dossier: Inès <Benali>?.pdf')).toBe('dossier- Inès -Benali-.pdf');
    expect(safeFileName('a\u0000b\nc.txt')).toBe('a-b-c.txt');
    expect(safeFileName('...')).toBe('fichier');
    expect(safeFileName('  ')).toBe('fichier');
    const long = safeFileName(`${'x'.repeat(400)}.xlsx`);
    expect(long).toHaveLength(150);
    expect(long.endsWith('.xlsx')).toBe(true);
  });
});

describe('saveFileWithDialog', () => {
  it('asks where, in the Downloads folder, with the kind of file, and writes the bytes there', async () => {
    const fake = fakeDialog({ canceled: false, filePath: '/home/claire/Bureau/export.csv' });
    const bytes = new TextEncoder().encode('Nom;Prénom\n');
    expect(await saveFileWithDialog(fake.deps, 'candidats.csv', bytes)).toEqual({
      saved: true,
      fileName: 'export.csv',
    });
    expect(fake.asked[0]).toMatchObject({
      title: 'Enregistrer le fichier',
      defaultPath: '/home/claire/Téléchargements/candidats.csv',
      filters: [
        { name: 'Tableur CSV', extensions: ['csv'] },
        { name: 'Tous les fichiers', extensions: ['*'] },
      ],
    });
    expect(fake.written).toEqual([['/home/claire/Bureau/export.csv', bytes]]);
  });

  it('writes nothing when the user cancels', async () => {
    const fake = fakeDialog({ canceled: true });
    expect(await saveFileWithDialog(fake.deps, 'dossier.pdf', new Uint8Array([1]))).toEqual({ saved: false });
    expect(fake.written).toEqual([]);
  });
});

describe('files:saveFile handler', () => {
  it('refuses a name or content of the wrong kind without opening the dialog', async () => {
    const fake = fakeDialog({ canceled: false, filePath: '/tmp/x' });
    const handlers = createFileHandlers({ saveFile: fake.deps });
    for (const [name, bytes] of [
      [42, new Uint8Array([1])],
      ['', new Uint8Array([1])],
      ['x'.repeat(256), new Uint8Array([1])],
      ['ok.csv', 'du texte'],
      ['ok.csv', [1, 2, 3]],
      ['ok.csv', null],
    ] as [unknown, unknown][])
      await expect(handlers.saveFile(name, bytes)).rejects.toBeInstanceOf(IpcError);
    expect(fake.asked).toEqual([]);
    expect(await handlers.saveFile('ok.csv', new Uint8Array([1]))).toEqual({ saved: true, fileName: 'x' });
  });
});
