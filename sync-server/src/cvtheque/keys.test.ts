import { describe, expect, it } from 'vitest';
import { type CandidateCv, DEFAULT_PUBLICATION } from '../../../shared/domain/cv';
import { distanceKm } from '../../../shared/domain/cv-search';
import type { CvDoc } from '../../../shared/schemas/cv.schema';
import { cvProjection, publicFileText } from '../domain/cvs';
import { cellOf, cellsAround, cvFacets, cvReplicaKeys, departementOf, scopeCovers } from './keys';
import { planScope } from './scope-plan';

const base: CvDoc = {
  id: 'cv-1',
  title: 'Boulangère',
  express: false,
  experiences: [],
  diplomas: [],
  skills: [],
  languages: [{ id: 'l', language: ' Anglais ', level: 'courant' }],
  licences: ['B'],
  completeness: 80,
  anonymous: false,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('replication keys and facets of a CV (cvtheque/keys.ts)', () => {
  it('crosses the départements of the commune and workplaces with the domains', () => {
    expect(departementOf('11069')).toBe('11');
    expect(departementOf('2A004')).toBe('2A');
    expect(departementOf('97411')).toBe('974');
    const doc: CvDoc = {
      ...base,
      romeCode: 'D1102',
      domains: ['G', 'D'],
      commune: { code: '11069', name: 'Carcassonne', lat: 43.21, lon: 2.35 },
      workplaces: [
        { communeCode: '31555', communeName: 'Toulouse' },
        { communeCode: '11262', communeName: 'Narbonne' },
      ],
    };
    expect(cvReplicaKeys(doc).sort()).toEqual(
      ['cvt:all', 'cvt:11:*', 'cvt:11:D', 'cvt:11:G', 'cvt:31:*', 'cvt:31:D', 'cvt:31:G'].sort(),
    );
    expect(cvReplicaKeys(base)).toEqual(['cvt:all', 'cvt:-:*', 'cvt:-:-']);
  });

  it('lists every filter as a facet', () => {
    const doc: CvDoc = {
      ...base,
      romeCode: 'D1102',
      rqth: 'reconnue',
      qualification: 'employe_qualifie',
      contractTypes: ['CDI', 'CDD'],
      availability: 'immediate',
      commune: { code: '11069', name: 'Carcassonne', lat: 43.21, lon: 2.35 },
    };
    expect(cvFacets(doc).sort()).toEqual(
      [
        'r:reconnue',
        'q:employe_qualifie',
        'd:D',
        'c:CDI',
        'c:CDD',
        'a:immediate',
        'l:B',
        'n:anglais',
        'o:D1102',
        'g:11',
        'm:11069',
        cellOf(43.21, 2.35),
      ].sort(),
    );
  });

  it('covers every point within the radius with grid cells', () => {
    const [lat, lon] = [43.21, 2.35];
    const cells = new Set(cellsAround(lat, lon, 50));
    for (let i = 0; i < 360; i += 10) {
      // Points 49.9 km away in every direction.
      const rad = (i * Math.PI) / 180;
      const pLat = lat + (49.9 / 111.19) * Math.cos(rad);
      const pLon = lon + (49.9 / (111.19 * Math.cos((pLat * Math.PI) / 180))) * Math.sin(rad);
      expect(distanceKm(lat, lon, pLat, pLon)).toBeLessThan(50.5);
      expect(cells.has(cellOf(pLat, pLon))).toBe(true);
    }
    expect(cells.has(cellOf(lat + 1.5, lon))).toBe(false);
  });
});

describe('scope planning (cvtheque/scope-plan.ts)', () => {
  const counts = new Map([
    ['cvt:11:D', 3],
    ['cvt:11:N', 5],
    ['cvt:31:D', 2],
    ['cvt:75:D', 10],
  ]);
  it('adds the nearest départements first, the organisation’s domains first, up to the cap', () => {
    const plan = planScope({ departements: ['-', '11', '31', '75'], domains: ['D'], counts, cap: 5 });
    expect(plan.keys).toEqual(['cvt:-:D', 'cvt:-:-', 'cvt:11:D', 'cvt:11:-', 'cvt:31:D', 'cvt:31:-']);
    expect(plan.estimate).toBe(5);
    // With room left, the other domains follow, nearest first, until the cap is reached.
    const wide = planScope({ departements: ['-', '11', '31', '75'], domains: ['D'], counts, cap: 15 });
    // Whole départements are one key each.
    expect(wide.keys).toContain('cvt:75:D');
    expect(wide.keys).toContain('cvt:-:*');
    expect(wide.keys).not.toContain('cvt:-:A');
    expect(wide.keys).not.toContain('cvt:11:N');
    expect(scopeCovers(wide.keys, '-', 'A')).toBe(true);
    expect(scopeCovers(wide.keys, '11', 'N')).toBe(false);
    expect(wide.estimate).toBe(15);
    // Within the cap, the whole CVthèque: one key.
    expect(
      planScope({ departements: ['-', '11', '31', '75'], domains: ['D'], counts, cap: 20 }).keys,
    ).toEqual(['cvt:all']);
    expect(planScope({ departements: ['-', '11'], domains: ['D'], counts, cap: 2 }).keys).toEqual([
      'cvt:-:D',
      'cvt:-:-',
    ]);
  });
});

describe('the file text in the projection', () => {
  const cv: CandidateCv = {
    id: '0c500000-0000-4000-8000-00000000000a',
    express: true,
    status: 'publie',
    title: 'Boulangère',
    target: {
      appellationCode: '11573',
      appellationLabel: 'Boulanger / Boulangère',
      romeCode: 'D1102',
      workplaces: [{ communeCode: '31555', communeName: 'Toulouse' }],
      contractTypes: ['CDI'],
      workingTimes: ['temps_plein'],
    },
    summary: '',
    experiences: [],
    diplomas: [],
    skills: [],
    languages: [],
    licences: [],
    file: { sha256: 'a'.repeat(64), name: 'cv.pdf', mime: 'application/pdf', size: 10 },
    publication: { ...DEFAULT_PUBLICATION, anonymous: true, showContact: true },
    completeness: 50,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    publishedAt: '2026-01-01T00:00:00.000Z',
  };
  const owner = {
    firstName: 'Marie-Ange',
    lastName: 'Santoni',
    email: 'marie@exemple.fr',
    phone: '06 12 34 56 78',
    showPhone: true,
    rqth: 'reconnue',
    availability: null,
    availableFrom: null,
    commune: { code: '2A004', name: 'Ajaccio' },
    qualification: 'employe_qualifie',
    domains: ['D', 'G'],
  };
  const text =
    'MARIE-ANGE SANTONI\nmarie@exemple.fr — 06.12.34.56.78 — +33 6 12 34 56 78\nBoulangère depuis 2015, Santonibis. ' +
    'pain '.repeat(2000);

  it('keeps no name or contact of an anonymous CV, and at most 3,000 characters', () => {
    const out = publicFileText(text, cv, owner);
    expect(out).not.toMatch(/marie|santoni\b|06.12|\+33|@/i);
    expect(out).toContain('Boulangère depuis 2015');
    expect(out).toContain('Santonibis'); // only whole words are names
    expect(Array.from(out).length).toBe(3000);
    // A character cut in two by the first bound never reaches PostgreSQL.
    const cut = publicFileText(`${' '.repeat(11_999)}😀 pain`, cv, owner);
    expect(cut).toBe('');
    expect(publicFileText('pain\u0000 😀', cv, owner)).toBe('pain 😀');
    const open = publicFileText(text, { ...cv, publication: { ...cv.publication, anonymous: false } }, owner);
    expect(open).toContain('marie@exemple.fr');
    expect(open).toContain('MARIE-ANGE SANTONI');
  });

  it('adds qualification, domains, coordinates of the workplaces and commune', () => {
    const doc = cvProjection(cv, owner, {
      fileText: text,
      locate: (code) =>
        code === '31555' ? { lat: 43.6, lon: 1.44 } : code === '2A004' ? { lat: 41.9, lon: 8.7 } : null,
    });
    expect(doc).toMatchObject({
      qualification: 'employe_qualifie',
      domains: ['D', 'G'],
      workplaces: [{ communeCode: '31555', communeName: 'Toulouse', lat: 43.6, lon: 1.44 }],
      commune: { code: '2A004', name: 'Ajaccio', lat: 41.9, lon: 8.7 },
    });
    expect(doc.fileText).toContain('Boulangère depuis 2015');
    expect(JSON.stringify(doc)).not.toMatch(/Santoni\b|marie@/i);
  });
});
