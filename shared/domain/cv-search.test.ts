import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CvDoc } from '../schemas/cv.schema';
import {
  type CvHit,
  type CvSearchCriteria,
  canonicalCvCriteria,
  compareCvHits,
  cvCriteriaKey,
  cvDistance,
  cvStems,
  fold,
  hasCvCriteria,
  prepareCvSearch,
  queryStems,
  scoreCv,
  stemFr,
  textStems,
  validateCvCriteria,
} from './cv-search';

const NOW = new Date('2026-12-01T12:00:00.000Z');

function cv(id: string, patch: Partial<CvDoc> = {}): CvDoc {
  return {
    id,
    title: 'Agent polyvalent',
    express: false,
    experiences: [],
    diplomas: [],
    skills: [],
    languages: [],
    licences: [],
    completeness: 50,
    anonymous: true,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...patch,
  };
}

function run(criteria: CvSearchCriteria, docs: CvDoc[]): CvHit[] {
  const search = prepareCvSearch(criteria, NOW);
  const hits: CvHit[] = [];
  for (const d of docs) {
    const h = scoreCv(search, d, cvStems(d));
    if (h) hits.push(h);
  }
  return hits.sort(compareCvHits);
}
const ids = (hits: CvHit[]) => hits.map((h) => h.doc.id);

const CARCASSONNE = { code: '11069', label: 'Carcassonne', lat: 43.213, lon: 2.3491 };
const NARBONNE = { code: '11262', name: 'Narbonne', lat: 43.1837, lon: 3.0042 };
const LIMOUX = { code: '11206', name: 'Limoux', lat: 43.0546, lon: 2.2186 };
const TOULOUSE = { code: '31555', name: 'Toulouse', lat: 43.6045, lon: 1.4442 };

describe('normalisation française', () => {
  it('plie la casse, les accents et les ligatures', () => {
    expect(fold('Œuvre ÉLÈVE Cœur Ægée ça')).toBe('oeuvre eleve coeur aegee ca');
    // Ligatures typographiques et formes de compatibilité (NFKD).
    expect(fold('ﬁnance ﬂeuriste')).toBe('finance fleuriste');
    expect(textStems('ÉLECTRICIENNE')).toEqual(textStems('electricienne'));
    expect(textStems('Maçon')).toEqual(['macon']);
  });

  it('ramène pluriels et féminins à une même racine', () => {
    const same: string[][] = [
      ['serveuses', 'serveuse', 'serveur', 'Serveurs'],
      ['infirmière', 'infirmières', 'infirmier', 'infirmiers'],
      ['boulangère', 'boulangères', 'boulanger', 'boulangers'],
      ['directrice', 'directrices', 'directeur', 'directeurs'],
      ['informaticienne', 'informaticien', 'informaticiens'],
      ['commerciale', 'commerciales', 'commercial', 'commerciaux'],
      ['sportive', 'sportives', 'sportif', 'sportifs'],
      ['professionnelle', 'professionnel', 'professionnels'],
      ['employée', 'employées', 'employé', 'employés'],
      ['diplômée', 'diplômé'],
      ['maçonne', 'maçon', 'maçons'],
      ['cheffe', 'chef', 'chefs'],
      ['européenne', 'européen'],
      ['nouveaux', 'nouveau'],
      ['bureaux', 'bureau'],
      ['ingénieure', 'ingénieur'],
      ['gérante', 'gérant', 'gérants'],
      ['agente', 'agents', 'agent'],
      ['bacs', 'bac'],
    ];
    for (const group of same) {
      const stems = new Set(group.map((w) => textStems(w).join(' ')));
      expect([...stems], group.join(', ')).toHaveLength(1);
    }
    expect(textStems('Serveuses')).toEqual(['serveur']);
    expect(textStems('infirmière')).toEqual(['infirmier']);
  });

  it('ne confond pas des métiers différents', () => {
    const distinct = ['serveur', 'vendeur', 'boulanger', 'boucher', 'cuisinier', 'caissier', 'comptable'];
    expect(new Set(distinct.map((w) => textStems(w)[0])).size).toBe(distinct.length);
  });

  it('retire les mots vides et les lettres seules', () => {
    expect(textStems("Agent de l'entretien des espaces verts (H/F)")).toEqual([
      'agent',
      'entretien',
      'espac',
      'vert',
    ]);
    expect(textStems('d’hôtellerie et de la restauration')).toEqual(['hotelleri', 'restauration']);
    expect(textStems('le la les un une des du')).toEqual([]);
  });

  it('coupe les mots composés et garde les chiffres', () => {
    expect(textStems('Aide-soignante')).toEqual(['aide', 'soignant']);
    expect(textStems('aides-soignants')).toEqual(['aide', 'soignant']);
    expect(textStems('Bac+2 BTS MUC')).toEqual(['bac', '2', 'bts', 'muc']);
    expect(textStems('CACES R489 catégorie 3')).toEqual(['cace', 'r489', 'categori', '3']);
    // Les mots avec chiffres sont gardés tels quels.
    expect(stemFr('r489s')).toBe('r489s');
    expect(textStems('C++')).toEqual([]);
  });

  it('les mots courts restent entiers', () => {
    expect(stemFr('bus')).toBe('bus');
    expect(stemFr('cdi')).toBe('cdi');
    expect(stemFr('aide')).toBe('aide');
  });

  it('les mots-clés d’une requête : racines distinctes, dans l’ordre', () => {
    expect(queryStems('Serveuse serveurs, SERVEUR de salle')).toEqual(['serveur', 'sall']);
  });

  it('propriété : normaliser est idempotent et insensible à la casse et aux accents', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Zéèêàçôîûœ' -]{0,40}$/), (s) => {
        expect(textStems(s.toUpperCase())).toEqual(textStems(s));
        expect(textStems(fold(s))).toEqual(textStems(s));
        for (const stem of textStems(s)) expect(stem).toMatch(/^[a-z0-9]+$/);
      }),
    );
  });
});

describe('poids des parties du CV', () => {
  it('garde, pour chaque racine, la partie la plus forte', () => {
    const stems = cvStems(
      cv('a', {
        title: 'Serveuse',
        summary: 'Serveur en brasserie, anglais courant',
        skills: [{ id: 's1', label: 'Service en salle', level: 4 }],
        experiences: [
          {
            id: 'e1',
            company: 'Le Central',
            jobTitle: 'Barman',
            start: '2020-01',
            description: 'Préparation des cocktails',
          },
        ],
        diplomas: [{ id: 'd1', title: 'CAP Cuisine', date: '2018-06', description: '' }],
        fileText: 'permis B brasserie',
      }),
    );
    expect(stems.get('serveur')).toBe(3);
    expect(stems.get('salle')).toBeUndefined();
    expect(stems.get('sall')).toBe(2);
    expect(stems.get('barman')).toBe(2);
    expect(stems.get('brasseri')).toBe(1.5);
    expect(stems.get('cocktail')).toBe(1);
    expect(stems.get('cuisin')).toBe(1);
    expect(stems.get('permi')).toBe(0.5);
    // Le nom de l’entreprise n’est pas cherché.
    expect(stems.has('central')).toBe(false);
  });
});

describe('scoreCv : filtres', () => {
  const docs = [
    cv('rqth', {
      title: 'Serveur',
      rqth: 'reconnue',
      commune: { name: 'Carcassonne', code: CARCASSONNE.code, lat: CARCASSONNE.lat, lon: CARCASSONNE.lon },
    }),
    cv('encours', { title: 'Serveuse', rqth: 'en_cours', commune: { ...NARBONNE } }),
    cv('loin', { title: 'Serveur', rqth: 'reconnue', commune: { ...TOULOUSE } }),
    cv('sanslieu', { title: 'Serveur', rqth: 'reconnue' }),
    cv('boulanger', {
      title: 'Boulanger',
      romeCode: 'D1102',
      qualification: 'ouvrier_qualifie_p1p2',
      contractTypes: ['CDI', 'CDD'],
      availability: 'immediate',
      languages: [{ id: 'l', language: ' Anglais ', level: 'B2' }],
      licences: ['B', 'C'],
      commune: { ...LIMOUX },
    }),
  ];

  it('RQTH uniquement : seule la RQTH reconnue passe', () => {
    expect(ids(run({ keywords: 'serveuses', rqthOnly: true }, docs)).sort()).toEqual([
      'loin',
      'rqth',
      'sanslieu',
    ]);
  });

  it('rayon : distance au plus proche lieu, sans lieu exclu', () => {
    const hits = run({ keywords: 'serveur', place: CARCASSONNE, radiusKm: 60 }, docs);
    expect(ids(hits).sort()).toEqual(['encours', 'rqth']);
    const narbonne = hits.find((h) => h.doc.id === 'encours')!;
    expect(narbonne.distanceKm).toBeGreaterThan(50);
    expect(narbonne.distanceKm).toBeLessThan(60);
    expect(hits.find((h) => h.doc.id === 'rqth')!.distanceKm).toBe(0);
    // Rayon 0 : la commune seule.
    expect(ids(run({ place: CARCASSONNE }, docs))).toEqual(['rqth']);
  });

  it('un lieu de travail souhaité compte comme position', () => {
    const d = cv('w', {
      commune: { ...TOULOUSE },
      workplaces: [{ communeCode: '11206', communeName: 'Limoux', lat: LIMOUX.lat, lon: LIMOUX.lon }],
    });
    expect(cvDistance(d, CARCASSONNE)).toBeGreaterThan(10);
    expect(cvDistance(d, CARCASSONNE)).toBeLessThan(25);
    expect(ids(run({ place: CARCASSONNE, radiusKm: 30 }, [d]))).toEqual(['w']);
    // Même code commune sans coordonnées : distance 0.
    expect(cvDistance(cv('c', { commune: { code: '11069', name: 'Carcassonne' } }), CARCASSONNE)).toBe(0);
  });

  it('qualification, domaine, contrat, disponibilité, langues (pliées), permis', () => {
    const one = (c: CvSearchCriteria) => ids(run(c, docs));
    expect(one({ qualifications: ['ouvrier_qualifie_p1p2'] })).toEqual(['boulanger']);
    expect(one({ qualifications: ['cadre'] })).toEqual([]);
    expect(one({ domains: ['D'] })).toEqual(['boulanger']);
    expect(one({ domains: ['F'] })).toEqual([]);
    expect(one({ contractTypes: ['CDD', 'STAGE'] })).toEqual(['boulanger']);
    expect(one({ contractTypes: ['STAGE'] })).toEqual([]);
    expect(one({ availability: ['immediate'] })).toEqual(['boulanger']);
    expect(one({ availability: ['preavis'] })).toEqual([]);
    expect(one({ languages: ['anglais'] })).toEqual(['boulanger']);
    expect(one({ languages: ['ANGLAIS', 'espagnol'] })).toEqual([]);
    expect(one({ licences: ['B', 'C'] })).toEqual(['boulanger']);
    expect(one({ licences: ['B', 'D'] })).toEqual([]);
    expect(one({ romeCodes: ['D1102', 'D1106'] })).toEqual(['boulanger']);
    expect(one({ romeCodes: ['G1803'] })).toEqual([]);
  });

  it('le domaine vient du code ROME, sinon du profil', () => {
    const d = cv('p', { domains: ['G', 'K'] });
    expect(ids(run({ domains: ['K'] }, [d]))).toEqual(['p']);
    expect(ids(run({ domains: ['D'] }, [d]))).toEqual([]);
  });

  it('un mot-clé absent du CV l’exclut ; un seul mot trouvé suffit', () => {
    expect(run({ keywords: 'plombier' }, docs)).toEqual([]);
    expect(ids(run({ keywords: 'plombier boulangère' }, docs))).toEqual(['boulanger']);
  });
});

describe('scoreCv : ordre', () => {
  it('le titre pèse plus que le résumé, qui pèse plus que le fichier', () => {
    const docs = [
      cv('fichier', { fileText: 'infirmière diplômée' }),
      cv('titre', { title: 'Infirmière' }),
      cv('resume', { summary: 'Infirmier de nuit' }),
    ];
    expect(ids(run({ keywords: 'infirmiers' }, docs))).toEqual(['titre', 'resume', 'fichier']);
  });

  it('plus de mots-clés trouvés : plus haut', () => {
    const docs = [cv('un', { title: 'Cuisinier' }), cv('deux', { title: 'Cuisinier pâtissier' })];
    expect(ids(run({ keywords: 'cuisinière pâtissière' }, docs))).toEqual(['deux', 'un']);
  });

  it('appellation, complétude, fraîcheur, proximité départagent', () => {
    expect(
      ids(
        run({ keywords: 'serveur', appellationCode: '38585' }, [
          cv('autre', { title: 'Serveur', appellationCode: '1' }),
          cv('meme', { title: 'Serveur', appellationCode: '38585' }),
        ]),
      ),
    ).toEqual(['meme', 'autre']);
    expect(
      ids(
        run({ keywords: 'serveur' }, [
          cv('peu', { title: 'Serveur', completeness: 20 }),
          cv('complet', { title: 'Serveur', completeness: 90 }),
        ]),
      ),
    ).toEqual(['complet', 'peu']);
    expect(
      ids(
        run({ keywords: 'serveur' }, [
          cv('vieux', { title: 'Serveur', updatedAt: '2026-03-01T00:00:00.000Z' }),
          cv('recent', { title: 'Serveur', updatedAt: '2026-11-30T00:00:00.000Z' }),
        ]),
      ),
    ).toEqual(['recent', 'vieux']);
    expect(
      ids(
        run({ place: CARCASSONNE, radiusKm: 100 }, [
          cv('narbonne', { commune: { ...NARBONNE } }),
          cv('limoux', { commune: { ...LIMOUX } }),
        ]),
      ),
    ).toEqual(['limoux', 'narbonne']);
  });

  it('à score égal : le plus récent, puis l’identifiant (ordre total)', () => {
    const a = cv('a', { title: 'Serveur', updatedAt: '2026-11-01T00:00:00.000Z' });
    const b = cv('b', { title: 'Serveur', updatedAt: '2026-11-01T00:00:00.000Z' });
    const hits = run({ keywords: 'serveur' }, [b, a]);
    expect(hits[0]!.score).toBe(hits[1]!.score);
    expect(ids(hits)).toEqual(['a', 'b']);
    const h = (id: string, score: number, updatedAt: string): CvHit => ({
      doc: cv(id, { updatedAt }),
      score,
    });
    expect(compareCvHits(h('x', 0.5, '2026-01-01'), h('y', 0.6, '2025-01-01'))).toBeGreaterThan(0);
    expect(compareCvHits(h('x', 0.5, '2026-01-01'), h('y', 0.5, '2025-01-01'))).toBeLessThan(0);
    expect(compareCvHits(h('x', 0.5, '2026-01-01'), h('x', 0.5, '2026-01-01'))).toBe(0);
  });

  it('le score reste entre 0 et 1, arrondi à 4 décimales', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 400 }),
        (completeness, days) => {
          const updatedAt = new Date(NOW.getTime() - days * 86_400_000).toISOString();
          const [hit] = run({ keywords: 'serveur' }, [
            cv('x', { title: 'Serveur', completeness, updatedAt }),
          ]);
          expect(hit!.score).toBeGreaterThan(0);
          expect(hit!.score).toBeLessThanOrEqual(1);
          expect(Math.round(hit!.score * 10000) / 10000).toBe(hit!.score);
        },
      ),
    );
  });
});

describe('critères', () => {
  it('messages en français, champ par champ', () => {
    const errors = validateCvCriteria({
      keywords: 'a b c d e f g h i j k l m n o p q r s t u v w x y z '.replace(/ /g, 'x '),
      radiusKm: 15.5,
      qualifications: ['chef' as never],
      licences: ['Z' as never],
      place: { code: 'abc', label: '', lat: 0, lon: 0 },
    });
    expect(errors.map((e) => e.field).sort()).toEqual([
      'keywords',
      'licences',
      'place',
      'qualifications',
      'radiusKm',
    ]);
    expect(validateCvCriteria({ radiusKm: 10 })).toEqual([
      { field: 'place', message: 'Choisissez une commune pour chercher dans un rayon.' },
    ]);
    expect(
      validateCvCriteria({ keywords: 'serveur', place: CARCASSONNE, radiusKm: 30, rqthOnly: true }),
    ).toEqual([]);
  });

  it('forme canonique et clé : « Serveuses » et « serveuse » sont une même recherche', () => {
    expect(cvCriteriaKey({ keywords: 'Serveuses ' })).toBe(cvCriteriaKey({ keywords: 'serveuse' }));
    expect(cvCriteriaKey({ licences: ['C', 'B'] })).toBe(cvCriteriaKey({ licences: ['B', 'C', 'B'] }));
    expect(cvCriteriaKey({ rqthOnly: true })).not.toBe(cvCriteriaKey({}));
    expect(canonicalCvCriteria({ keywords: '  ', radiusKm: 10, rqthOnly: false })).toEqual({});
    expect(hasCvCriteria({ keywords: 'de la' })).toBe(false);
    expect(hasCvCriteria({ rqthOnly: true })).toBe(true);
  });
});
