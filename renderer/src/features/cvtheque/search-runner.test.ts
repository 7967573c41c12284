import { describe, expect, it } from 'vitest';
import type { CvSearchResponse } from '../../../../shared/domain/cv-search';
import { ApiError, NetworkError } from '../../lib/api';
import { pagesMatching } from './pdf-search';
import { CriteriaError, runCvSearch } from './search-runner';

const answer = (source: 'local' | 'serveur', total = 1): CvSearchResponse => ({
  hits: [],
  total,
  source,
  tookMs: 1,
});

describe('where a search runs', () => {
  it('asks the server when online', async () => {
    const out = await runCvSearch(
      {},
      { online: true, server: async () => answer('serveur', 7), local: async () => answer('local') },
    );
    expect(out.response.source).toBe('serveur');
    expect(out.response.total).toBe(7);
    expect(out.localReason).toBeUndefined();
  });

  it('searches the replica offline, without calling the server', async () => {
    let called = false;
    const out = await runCvSearch(
      {},
      {
        online: false,
        server: async () => {
          called = true;
          return answer('serveur');
        },
        local: async () => answer('local', 3),
      },
    );
    expect(called).toBe(false);
    expect(out).toEqual({ response: answer('local', 3), localReason: 'offline' });
  });

  it('falls back on the replica when the server fails or cannot be reached', async () => {
    for (const err of [
      new NetworkError(),
      new ApiError(500, 'internal', 'Erreur'),
      new ApiError(404, 'not-found', 'x'),
    ]) {
      const out = await runCvSearch(
        {},
        {
          online: true,
          server: async () => {
            throw err;
          },
          local: async () => answer('local', 2),
        },
      );
      expect(out.localReason).toBe('server-failed');
      expect(out.response.source).toBe('local');
    }
  });

  it('reports bad criteria with their fields, never falling back', async () => {
    const fields = [
      { field: 'radiusKm', message: 'Le rayon doit être un nombre entier de kilomètres, de 0 à 200.' },
    ];
    await expect(
      runCvSearch(
        {},
        {
          online: true,
          server: async () => {
            throw new ApiError(400, 'validation', 'Critères invalides', fields);
          },
          local: async () => answer('local'),
        },
      ),
    ).rejects.toEqual(expect.objectContaining({ fields }));
    await expect(
      runCvSearch(
        {},
        {
          online: true,
          server: async () => {
            throw new ApiError(400, 'validation', 'x', fields);
          },
          local: async () => answer('local'),
        },
      ),
    ).rejects.toBeInstanceOf(CriteriaError);
  });
});

describe('search in a PDF’s text', () => {
  it('finds pages without case or accents', () => {
    const pages = ['Boulanger  confirmé\nPâtisserie', 'Permis B', 'pâtisserie fine'];
    expect(pagesMatching(pages, 'PATISSERIE')).toEqual([1, 3]);
    expect(pagesMatching(pages, 'boulanger confirme')).toEqual([1]);
    expect(pagesMatching(pages, '  ')).toEqual([]);
    expect(pagesMatching(pages, 'cuisine')).toEqual([]);
  });
});

describe('what the replica holds', () => {
  it('reads the server’s scope summary', async () => {
    const { parseScope } = await import('./OfflineSummary');
    expect(
      parseScope({
        departements: [
          { code: '11', label: 'Aude (11)', domains: ['D', 'G'] },
          { code: '34', label: 'Hérault (34)', domains: [] },
        ],
        domains: [
          { code: 'D', label: 'Commerce (D)' },
          { code: 'G', label: 'Hôtellerie (G)' },
          { code: 'K', label: 'Services (K)' },
        ],
        cvCount: 42,
        cap: 20000,
        whole: false,
      }),
    ).toEqual({
      labels: ['Aude (11) : Commerce (D), Hôtellerie (G)', 'Hérault (34) : tous les domaines'],
      count: 42,
      cap: 20000,
    });
    expect(parseScope(null)).toBeNull();
    expect(parseScope({ cvCount: 'x' })).toEqual({ labels: [] });
  });
});
