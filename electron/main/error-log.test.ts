import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createErrorLog, describeError, ERROR_LOG_FILE, scrub } from './error-log';

const dir = mkdtempSync(join(tmpdir(), 'poste-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('journal d’erreurs', () => {
  it('ne garde rien de personnel : e-mails, téléphones, jetons, dossier personnel', () => {
    const text = scrub(
      'Échec pour claire.martin@boulangerie.fr (06 12 34 56 78, +33 6 12 34 56 78) Bearer Xr4kP9qLm2Vn8sT5wY1zA3bC6dE0fG7hJ-_kLmNoPq dans /home/claire/.config/poste',
      '/home/claire',
    );
    expect(text).toBe('Échec pour <e-mail> (<téléphone>, <téléphone>) <jeton> dans ~/.config/poste');
    // Offer numbers and short ids stay: they help support and name no one.
    expect(scrub('offre 100014A, conversation 12', '/home/x')).toBe('offre 100014A, conversation 12');
  });

  it('écrit une ligne par erreur, sans retour à la ligne, et garde le fichier précédent au-delà de la taille', () => {
    const log = createErrorLog({
      dir,
      maxBytes: 200,
      now: () => new Date('2026-12-05T10:00:00.000Z'),
      home: '/home/claire',
    });
    expect(log.path).toBe(join(dir, ERROR_LOG_FILE));
    log.write('erreur', describeError(new TypeError('lecture impossible de claire@exemple.fr')));
    const first = readFileSync(log.path, 'utf8');
    expect(first).toMatch(/^2026-12-05T10:00:00\.000Z erreur TypeError: lecture impossible de <e-mail> /);
    expect(first.trim().split('\n')).toHaveLength(1);
    for (let i = 0; i < 5; i++) log.write('info', `ligne ${i} ${'x'.repeat(60)}`);
    expect(readFileSync(`${log.path}.1`, 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(log.path, 'utf8').length).toBeLessThan(400);
  });

  it('ne casse jamais l’application si le dossier est inaccessible', () => {
    // A folder « inside » a file: every write fails (ENOTDIR).
    const file = join(dir, 'un-fichier');
    writeFileSync(file, 'x');
    const log = createErrorLog({ dir: join(file, 'journal') });
    expect(() => log.write('erreur', 'x')).not.toThrow();
  });
});
