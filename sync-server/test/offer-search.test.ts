import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  OfferSearchCriteria,
  OfferSearchResult,
  PublicOfferHit,
} from '../../shared/domain/offer-search';
import { criteriaToQuery, MAX_RESULTS } from '../../shared/domain/offer-search';
import type { OfferDoc } from '../../shared/schemas/offer.schema';
import { clock } from '../src/clock';
import { offersCollection } from '../src/domain/offers';
import { findCommune } from '../src/reference/communes';
import { importRomeBuiltin } from '../src/reference/rome';
import { referenceDataDir } from '../src/reference/versioned-json';
import { cellsCovering, cellsOf, MAX_CELLS } from '../src/search/geo-cells';
import { type OfferSearchOptions, SearchCriteriaError, searchOffers } from '../src/search/offer-search';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Offer search relevance on a fixed French corpus (seed 002 « La recherche d'offres »): accents,
 * plurals, stems, typos, strict mode, exact and close sections, radius, départements and régions,
 * filters, search by number and ROME code, paging with the 150 cap, and bad input.
 */

/** The communes file (`npm run build:reference`), built here when a fresh clone has none yet. */
function ensureReferenceFiles(): void {
  if (existsSync(join(referenceDataDir(), 'communes.json'))) return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/build-reference.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm run build:reference a échoué : ${r.stderr}`);
}

let server: TestServer;
const ORG = '0b0e0000-0000-4000-8000-0000000000aa';
const DAY = 86_400_000;
const ids: Record<string, string> = {};
let numberSeq = 400001;

interface Seed {
  key: string;
  title: string;
  description: string;
  commune: string;
  rome?: string;
  appellation?: string;
  jobTitle?: string;
  contracts?: string[];
  qualification?: OfferDoc['qualification'];
  workingTime?: OfferDoc['workingTime'];
  salary?: [number, OfferDoc['salaryPeriod']];
  seasonal?: boolean;
  ageDays?: number;
  status?: OfferDoc['status'];
}

const CORPUS: Seed[] = [
  {
    key: 'boulanger',
    title: 'Boulanger / Boulangère H/F',
    description: 'Fabrication du pain et des viennoiseries au fournil, cuisson au feu de bois.',
    commune: '35238',
    rome: 'D1102',
    appellation: '11573',
    contracts: ['CDI'],
    qualification: 'ouvrier_qualifie_p3p4',
    workingTime: 'temps_plein',
    salary: [2000, 'mensuel'],
  },
  {
    key: 'nuit',
    title: 'Boulangers de nuit',
    description: 'Notre fournil recherche un boulanger pour l’équipe de nuit, du lundi au samedi.',
    commune: '35051',
    rome: 'D1102',
    appellation: '11573',
    contracts: ['CDD'],
    ageDays: 3,
  },
  {
    key: 'aide',
    title: 'Aide au fournil',
    description: 'Préparation des pâtes, façonnage, nettoyage du laboratoire de fabrication du pain.',
    commune: '35238',
    rome: 'D1102',
    appellation: '10868',
    contracts: ['CDI'],
  },
  {
    key: 'industrielle',
    title: 'Ouvrier en boulangerie industrielle',
    description: 'Conduite de ligne de production de pains précuits.',
    commune: '35360',
    rome: 'D1102',
    appellation: '17407',
    contracts: ['CDI'],
  },
  {
    key: 'patissier',
    title: 'Pâtissier / Pâtissière',
    description: 'Entremets, tartes et petits fours pour notre salon de thé.',
    commune: '35238',
    rome: 'D1104',
    appellation: '17576',
    contracts: ['CDI'],
  },
  {
    key: 'epicerie',
    title: 'Vendeur en épicerie fine',
    description: 'Conseil à la clientèle, mise en rayon et encaissement.',
    commune: '35238',
    rome: 'D1106',
    appellation: '20576',
    contracts: ['CDI'],
    workingTime: 'temps_partiel',
  },
  {
    key: 'vendanges',
    title: 'Ouvrier / Ouvrière viticole',
    description: 'Vendanges manuelles dans le vignoble, hébergement possible.',
    commune: '35238',
    rome: 'A1405',
    contracts: ['CDD'],
  },
  {
    key: 'eleveur',
    title: 'Éleveur / Éleveuse de porcs',
    description: 'Suivi sanitaire du troupeau et alimentation des animaux.',
    commune: '35115',
    rome: 'A1407',
    contracts: ['CDI'],
  },
  {
    key: 'agricole',
    title: 'Ouvrier agricole saisonnier',
    description: 'Récolte et travaux des champs ; participation à l’élevage des volailles.',
    commune: '35360',
    rome: 'A1401',
    contracts: ['CDD'],
    seasonal: true,
  },
  {
    key: 'brest',
    title: 'Boulanger tourier',
    description: 'Pâte feuilletée et viennoiseries pour une boulangerie du centre-ville.',
    commune: '29019',
    rome: 'D1102',
    appellation: '11573',
    contracts: ['CDI'],
  },
  {
    key: 'nantes',
    title: 'Boulanger polyvalent',
    description: 'Fabrication du pain et accueil des clients.',
    commune: '44109',
    rome: 'D1102',
    appellation: '11573',
    contracts: ['CDI'],
  },
  {
    key: 'dev',
    title: 'Développeur / Développeuse web',
    description: 'Applications TypeScript et React pour nos clients, base PostgreSQL.',
    commune: '35238',
    rome: 'M1805',
    contracts: ['CDI'],
    qualification: 'cadre',
    workingTime: 'temps_plein',
    salary: [3200, 'mensuel'],
  },
  {
    key: 'java',
    title: 'Développeuse Java',
    description: 'Maintenance d’applications de gestion en Java.',
    commune: '44109',
    rome: 'M1805',
    contracts: ['CDD'],
    qualification: 'technicien',
    salary: [30000, 'annuel'],
    ageDays: 40,
  },
  {
    key: 'comptable',
    title: 'Comptable',
    description: 'Saisie et rapprochements bancaires, déclarations de TVA.',
    commune: '35238',
    rome: 'M1203',
    contracts: ['INTERIM'],
    workingTime: 'temps_partiel',
    salary: [14, 'horaire'],
  },
  {
    key: 'serveur',
    title: 'Serveur saisonnier',
    description: 'Service en salle & en terrasse <l’été> : « 35 h » par semaine.',
    commune: '35288',
    rome: 'G1803',
    contracts: ['CDD'],
    seasonal: true,
    ageDays: 20,
  },
  {
    key: 'brouillon',
    title: 'Boulanger en brouillon',
    description: 'Cette offre n’est pas publiée et ne doit jamais sortir.',
    commune: '35238',
    rome: 'D1102',
    appellation: '11573',
    contracts: ['CDI'],
    status: 'brouillon',
  },
];

function offerDoc(seed: Seed, id: string, number: string | undefined): OfferDoc {
  const commune = findCommune(seed.commune)!;
  const now = clock.now().getTime();
  const published = new Date(now - (seed.ageDays ?? 1) * DAY).toISOString();
  const doc: OfferDoc = {
    id,
    organisationId: ORG,
    title: seed.title,
    jobTitle: seed.jobTitle ?? seed.title,
    city: commune.name,
    postalCode: commune.postalCodes[0]!,
    communeCode: commune.code,
    latitude: commune.latitude,
    longitude: commune.longitude,
    companyName: 'Entreprise de test',
    contactPhone: '01 99 88 77 66',
    contactName: 'Contact Interne',
    seasonal: seed.seasonal ?? false,
    contractTypes: (seed.contracts ?? ['CDI']) as OfferDoc['contractTypes'],
    description: seed.description,
    status: seed.status ?? 'publiee',
    createdAt: published,
    updatedAt: published,
  };
  if (number) doc.number = number;
  if ((seed.status ?? 'publiee') === 'publiee') {
    doc.publishedAt = published;
    doc.expiresAt = new Date(Date.parse(published) + 60 * DAY).toISOString();
  }
  if (seed.rome) doc.romeCode = seed.rome;
  if (seed.appellation) doc.appellationCode = seed.appellation;
  if (seed.qualification) doc.qualification = seed.qualification;
  if (seed.workingTime) doc.workingTime = seed.workingTime;
  if (seed.salary) {
    doc.salaryMin = seed.salary[0];
    doc.salaryPeriod = seed.salary[1];
  }
  return doc;
}

async function writeOffers(docs: OfferDoc[]) {
  await server.db.transaction(async (tx) => {
    for (const d of docs) await server.app.engine.write(tx, offersCollection, d, false, { notify: false });
  });
}

beforeAll(async () => {
  ensureReferenceFiles();
  server = await startTestServer({ demo: false });
  await importRomeBuiltin(server.db);
  const docs = CORPUS.map((seed) => {
    ids[seed.key] = randomUUID();
    return offerDoc(seed, ids[seed.key]!, `${numberSeq++}A`);
  });
  // 160 more in Saint-Brieuc: more than the 150 shown.
  const many: OfferDoc[] = [];
  for (let i = 0; i < 160; i++) {
    many.push(
      offerDoc(
        {
          key: `m${i}`,
          title: `Manutentionnaire polyvalent ${i}`,
          description: 'Chargement et déchargement des camions, tri des colis.',
          commune: '22278',
          rome: 'N1105',
          contracts: i % 2 ? ['INTERIM'] : ['CDD'],
          ageDays: 1 + (i % 30),
        },
        randomUUID(),
        `${numberSeq++}A`,
      ),
    );
  }
  await writeOffers([...docs, ...many]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const search = (criteria: OfferSearchCriteria, options: OfferSearchOptions = {}) =>
  searchOffers(server.db, criteria, { pageSize: 50, ...options });
const keysOf = (hits: PublicOfferHit[]) =>
  hits.map((h) => Object.entries(ids).find(([, id]) => id === h.id)?.[0] ?? h.title).sort();
const exactKeys = (r: OfferSearchResult) => keysOf(r.exact);
const closeKeys = (r: OfferSearchResult) => keysOf(r.close);

describe('recherche d’offres : mots-clés en français', () => {
  it('ignore les accents et la casse (« eleveur » = « Éleveur »)', async () => {
    for (const kw of ['eleveur', 'éleveur', 'ÉLEVEUR']) {
      const r = await search({ keywords: kw });
      expect(exactKeys(r)).toContain('eleveur');
    }
  });

  it('trouve les pluriels et les formes proches (« boulangers », « boulangerie » / « boulanger »)', async () => {
    const plural = await search({ keywords: 'boulangers', place: { kind: 'departement', code: '35' } });
    expect(exactKeys(plural)).toEqual(expect.arrayContaining(['boulanger', 'nuit', 'industrielle']));
    const stem = await search({ keywords: 'boulangerie', place: { kind: 'departement', code: '35' } });
    expect(exactKeys(stem)).toEqual(expect.arrayContaining(['boulanger', 'nuit', 'industrielle']));
    const singular = await search({ keywords: 'boulanger', place: { kind: 'departement', code: '35' } });
    expect(exactKeys(singular)).toEqual(expect.arrayContaining(['boulanger', 'nuit', 'industrielle']));
    // Never the draft, nothing unrelated.
    expect(exactKeys(singular)).not.toContain('brouillon');
    expect(exactKeys(singular)).not.toContain('dev');
  });

  it('corrige les fautes de frappe (« boulanjer », « devlopeur »)', async () => {
    const r = await search({ keywords: 'boulanjer', place: { kind: 'departement', code: '35' } });
    expect(exactKeys(r)).toEqual(expect.arrayContaining(['boulanger', 'nuit']));
    const dev = await search({ keywords: 'developeur' });
    expect(exactKeys(dev)).toContain('dev');
  });

  it('« strictement » : chaque mot-clé tel quel, sans pluriel ni faute', async () => {
    const loose = await search({ keywords: 'boulangers', place: { kind: 'departement', code: '35' } });
    expect(loose.exact.length).toBeGreaterThan(1);
    const strictPlural = await search({
      keywords: 'boulangers',
      strict: true,
      place: { kind: 'departement', code: '35' },
    });
    expect(exactKeys(strictPlural)).toEqual(['nuit']);
    const both = await search({ keywords: 'boulanger nuit', strict: true });
    expect(exactKeys(both)).toEqual(['nuit']);
    const accents = await search({ keywords: 'ELEVEUR', strict: true });
    expect(exactKeys(accents)).toEqual(['eleveur']);
    const typo = await search({ keywords: 'boulanjer', strict: true });
    expect(typo.exact).toEqual([]);
  });

  it('plusieurs mots-clés : les offres qui en contiennent le plus d’abord', async () => {
    const r = await search({ keywords: 'fournil nuit' });
    expect(r.exact[0]?.id).toBe(ids.nuit);
    expect(exactKeys(r)).toEqual(expect.arrayContaining(['boulanger', 'aide', 'nuit']));
    const scores = r.exact.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s).toBeGreaterThan(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
  });

  it('une racine trop courte ne rapproche pas des mots sans rapport (« vendeur » ≠ « vendanges »)', async () => {
    const r = await search({ keywords: 'vendeur' });
    expect(exactKeys(r)).toContain('epicerie');
    expect(exactKeys(r)).not.toContain('vendanges');
    const vendeuse = await search({ keywords: 'vendeuses' });
    expect(exactKeys(vendeuse)).not.toContain('vendanges');
  });

  it('un préfixe aux très nombreux mots garde la forme préfixe ; un mot des seules descriptions n’est pas « corrigé »', async () => {
    const id = randomUUID();
    await writeOffers([
      offerDoc(
        {
          key: 'x',
          title: 'Agent polyvalent',
          description: 'Entretien du zzqabxyz chaque semaine.',
          commune: '35238',
        },
        id,
        undefined,
      ),
    ]);
    // Listed: the prefix « zzqab » expands to the lexemes that exist.
    expect((await search({ keywords: 'zzqab' })).exact.map((h) => h.id)).toEqual([id]);
    // Past the expansion cap (lexemes of other texts), the prefix stays a prefix and still finds it.
    await server.db.query(
      `insert into offer_search_lexemes (lexeme) select 'zzqab' || lpad(n::text, 4, '0') from generate_series(1, 250) n`,
    );
    try {
      expect((await search({ keywords: 'zzqab' })).exact.map((h) => h.id)).toEqual([id]);
    } finally {
      await server.db.query(`delete from offer_search_lexemes where lexeme ~ '^zzqab[0-9]{4}$'`);
      await writeOffers([
        {
          ...offerDoc({ key: 'x', title: 'Agent', description: '', commune: '35238' }, id, undefined),
          status: 'pourvue',
        },
      ]);
    }
  });

  it('cherche aussi dans la description', async () => {
    const r = await search({ keywords: 'typescript' });
    expect(exactKeys(r)).toEqual(['dev']);
  });
});

describe('recherche d’offres : métier, sections exactes et proches', () => {
  it('une appellation : les autres appellations du même code ROME puis les métiers proches sont « proches »', async () => {
    const r = await search({ appellation: '11573', place: { kind: 'departement', code: '35' } });
    expect(exactKeys(r)).toEqual(['boulanger', 'nuit']);
    expect(closeKeys(r)).toEqual(['aide', 'epicerie', 'industrielle', 'patissier']);
    const aide = r.close.find((h) => h.id === ids.aide)!;
    expect(aide.closeReasons).toEqual(['autre_appellation']);
    const patissier = r.close.find((h) => h.id === ids.patissier)!;
    expect(patissier.closeReasons).toEqual(['metier_proche']);
    // Same appellation first, then other appellations, then nearby jobs (lower relevance).
    expect(aide.score).toBeGreaterThan(patissier.score);
    expect(Math.min(...r.exact.map((h) => h.score))).toBeGreaterThan(aide.score);
    expect(r.exactTotal).toBe(2);
    expect(r.closeTotal).toBe(4);
    expect(r.context.appellation?.label).toBe('Boulanger / Boulangère');
  });

  it('par code ROME : le code exact, puis les codes de la mobilité professionnelle', async () => {
    const r = await search({ romeCode: 'D1102', place: { kind: 'departement', code: '35' } });
    expect(exactKeys(r)).toEqual(['aide', 'boulanger', 'industrielle', 'nuit']);
    expect(closeKeys(r)).toEqual(['epicerie', 'patissier']);
    for (const h of r.close) expect(h.closeReasons).toEqual(['metier_proche']);
  });

  it('par numéro d’offre, les autres critères ignorés ; un numéro inconnu ne donne rien', async () => {
    const { rows } = await server.db.query<{ n: string }>(
      "select doc->>'number' as n from offers where id = $1",
      [ids.eleveur],
    );
    const number = rows[0]!.n;
    const r = await search({ offerNumber: number.toLowerCase(), keywords: 'pâtissier' });
    expect(r.exact.map((h) => h.id)).toEqual([ids.eleveur]);
    const draft = await server.db.query<{ n: string }>(
      "select doc->>'number' as n from offers where id = $1",
      [ids.brouillon],
    );
    expect((await search({ offerNumber: draft.rows[0]!.n })).exact).toEqual([]);
  });
});

describe('recherche d’offres : lieu, rayon et distance', () => {
  it('un rayon autour d’une commune, la distance à vol d’oiseau, puis le rayon élargi', async () => {
    const r = await search({
      keywords: 'boulanger',
      place: { kind: 'commune', code: '35238' },
      radiusKm: 20,
    });
    expect(exactKeys(r)).toEqual(['boulanger', 'nuit']);
    // Vitré, about 35 km: within twice the radius.
    expect(closeKeys(r)).toEqual(['industrielle']);
    expect(r.close[0]!.closeReasons).toEqual(['rayon_elargi']);
    const rennes = r.exact.find((h) => h.id === ids.boulanger)!;
    const cesson = r.exact.find((h) => h.id === ids.nuit)!;
    expect(rennes.distanceKm).toBe(0);
    expect(cesson.distanceKm).toBeGreaterThan(4);
    expect(cesson.distanceKm).toBeLessThan(7);
    expect(r.close[0]!.distanceKm).toBeGreaterThan(30);
    expect(r.close[0]!.distanceKm).toBeLessThan(40);
    expect(r.context.place?.label).toMatch(/^Rennes/);
  });

  it('tri par distance et par date', async () => {
    const byDistance = await search(
      { place: { kind: 'commune', code: '35238' }, radiusKm: 50, contractTypes: ['CDI', 'CDD'] },
      { sort: 'distance' },
    );
    const d = byDistance.exact.map((h) => h.distanceKm!);
    expect(d.length).toBeGreaterThan(4);
    expect([...d].sort((a, b) => a - b)).toEqual(d);
    const byDate = await search({ place: { kind: 'departement', code: '35' } }, { sort: 'date' });
    const dates = byDate.exact.map((h) => h.publishedAt!);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('une commune sans rayon : la commune seule, les voisines dans un rayon élargi', async () => {
    const r = await search({ keywords: 'boulanger', place: { kind: 'commune', code: '35238' } });
    expect(exactKeys(r)).toEqual(['boulanger']);
    expect(closeKeys(r)).toEqual(['nuit']);
  });

  it('par département et par région', async () => {
    const dept = await search({ keywords: 'boulanger', place: { kind: 'departement', code: '29' } });
    expect(exactKeys(dept)).toEqual(['brest']);
    const region = await search({ keywords: 'boulanger', place: { kind: 'region', code: '53' } });
    expect(exactKeys(region)).toEqual(expect.arrayContaining(['boulanger', 'nuit', 'industrielle', 'brest']));
    expect(exactKeys(region)).not.toContain('nantes');
    const loire = await search({ keywords: 'boulanger', place: { kind: 'region', code: '52' } });
    expect(exactKeys(loire)).toEqual(['nantes']);
  });

  it('la base et le serveur nomment les mêmes cellules de la grille, frontières comprises', async () => {
    // On and around cell edges (multiples of 0.1°) as well as anywhere on the globe.
    const edge = fc
      .tuple(fc.integer({ min: -900, max: 900 }), fc.constantFrom(0, 1e-12, -1e-12, 0.05))
      .map(([k, d]) => k / 10 + d);
    const coordinate = fc.oneof(edge, fc.double({ min: -90, max: 90, noNaN: true }));
    await fc.assert(
      fc.asyncProperty(
        coordinate,
        coordinate.map((x) => x * 2),
        async (lat, lon) => {
          const { rows } = await server.db.query<{ f: string[] }>(
            `select offer_search_facets('{CDI,CDD}', $1::float8, $2::float8, '35238', '35') as f`,
            [lat, lon],
          );
          expect(rows[0]!.f).toEqual(['c:CDI', 'c:CDD', 'm:35238', 'd:35', ...cellsOf(lat, lon)]);
        },
      ),
      { numRuns: 150 },
    );
    const { rows } = await server.db.query<{ f: string[] }>(
      `select offer_search_facets('{}', null, null, null, null) as f`,
    );
    expect(rows[0]!.f).toEqual([]);
  });

  it('les cellules couvrant une zone : la grille la plus fine qui reste sous le plafond', () => {
    const around = cellsCovering(48.85, 2.35, 0.1, 0.15)!;
    expect(around.every((c) => c.startsWith('g1:'))).toBe(true);
    expect(around).toContain(cellsOf(48.85, 2.35)[0]);
    expect(around.length).toBeLessThanOrEqual(MAX_CELLS);
    const wide = cellsCovering(48.85, 2.35, 3.6, 5.5)!;
    expect(wide[0]!.startsWith('g5:')).toBe(true);
    expect(wide).toContain(cellsOf(48.85, 2.35)[4]);
    // Beyond the coarsest grid, the caller falls back to the (lat, lon) box.
    expect(cellsCovering(80, 0, 10, 180)).toBeNull();
  });
});

describe('recherche d’offres : filtres', () => {
  it('types de contrat, domaine, qualification, temps de travail', async () => {
    expect(exactKeys(await search({ keywords: 'developpeur', contractTypes: ['CDD'] }))).toEqual(['java']);
    expect(exactKeys(await search({ domain: 'M', place: { kind: 'departement', code: '35' } }))).toEqual([
      'comptable',
      'dev',
    ]);
    expect(exactKeys(await search({ qualifications: ['cadre', 'technicien'] }))).toEqual(['dev', 'java']);
    expect(
      exactKeys(
        await search({ workingTimes: ['temps_partiel'], place: { kind: 'departement', code: '35' } }),
      ),
    ).toEqual(['comptable', 'epicerie']);
  });

  it('salaire mensuel minimum (horaire et annuel ramenés au mois), offres saisonnières, date de publication', async () => {
    // 14 €/h ≈ 2 123 €/mois ; 30 000 €/an = 2 500 €/mois ; 2 000 €/mois ; 3 200 €/mois.
    expect(exactKeys(await search({ salaryMin: 2100 }))).toEqual(['comptable', 'dev', 'java']);
    expect(exactKeys(await search({ salaryMin: 3000 }))).toEqual(['dev']);
    expect(exactKeys(await search({ seasonal: true }))).toEqual(['agricole', 'serveur']);
    const recent = await search({ keywords: 'developpeur', publishedWithinDays: 7 });
    expect(exactKeys(recent)).toEqual(['dev']);
    const since = new Date(clock.now().getTime() - 2 * DAY).toISOString();
    const alerts = await search(
      { keywords: 'boulanger', place: { kind: 'departement', code: '35' } },
      { publishedSince: since },
    );
    expect(exactKeys(alerts)).toEqual(['boulanger', 'industrielle']);
  });

  it('les résultats sont publics : jamais le contact interne', async () => {
    const r = await search({ keywords: 'boulanger' });
    expect(r.exact.length).toBeGreaterThan(0);
    for (const h of r.exact) {
      expect(h).not.toHaveProperty('contactPhone');
      expect(h).not.toHaveProperty('contactName');
      expect(JSON.stringify(h)).not.toContain('01 99 88 77 66');
    }
  });

  it('une offre retirée ou modifiée quitte l’index aussitôt (déclencheur sur offers)', async () => {
    const id = randomUUID();
    const doc = offerDoc(
      { key: 'x', title: 'Cordonnier artisan', description: 'Réparation de chaussures.', commune: '35238' },
      id,
      undefined,
    );
    await writeOffers([doc]);
    expect(exactKeys(await search({ keywords: 'cordonnier' }))).toEqual(['Cordonnier artisan']);
    await writeOffers([{ ...doc, title: 'Sellier artisan', jobTitle: 'Sellier' }]);
    expect((await search({ keywords: 'cordonnier' })).exact).toEqual([]);
    expect((await search({ keywords: 'sellier' })).exact.length).toBe(1);
    await writeOffers([{ ...doc, status: 'pourvue' }]);
    expect((await search({ keywords: 'sellier' })).exact).toEqual([]);
  });
});

describe('recherche d’offres : pages et plafond de 150', () => {
  it('au plus 150 résultats affichés, par pages', async () => {
    const first = await search({ keywords: 'manutentionnaire' }, { pageSize: 50 });
    expect(first.exactTotal).toBe(160);
    expect(first.total).toBe(MAX_RESULTS);
    expect(first.exact).toHaveLength(50);
    const seen = new Set<string>();
    for (let page = 1; page <= 3; page++) {
      const r = await search({ keywords: 'manutentionnaire' }, { page, pageSize: 50 });
      for (const h of r.exact) seen.add(h.id);
    }
    expect(seen.size).toBe(150);
    const last = await search({ keywords: 'manutentionnaire' }, { page: 8, pageSize: 20 });
    expect(last.exact).toHaveLength(10);
    const beyond = await search({ keywords: 'manutentionnaire' }, { page: 4, pageSize: 50 });
    expect(beyond.exact).toEqual([]);
    expect(beyond.total).toBe(150);
  });
});

describe('GET /api/public/search', () => {
  it('décode les critères de l’adresse et répond en JSON', async () => {
    const qs = criteriaToQuery({
      keywords: 'boulanger',
      place: { kind: 'commune', code: '35238' },
      radiusKm: 20,
      contractTypes: ['CDI', 'CDD'],
    });
    const res = await api<OfferSearchResult>(`${server.url}/api/public/search?${qs}&tri=distance`);
    expect(res.status).toBe(200);
    expect(keysOf(res.body.exact)).toEqual(['boulanger', 'nuit']);
    expect(res.body.exact[0]!.distanceKm).toBe(0);
  });

  it('répond 400 avec les champs en faute, jamais 500', async () => {
    const cases: [string, string][] = [
      ['motsCles=un+deux+trois+quatre+cinq+six', 'keywords'],
      ['rayon=abc&commune=35238', 'radiusKm'],
      ['rayon=20', 'radiusKm'],
      ['commune=99999', 'place'],
      ['commune=1234', 'place'],
      ['commune=35238&departement=35', 'place'],
      ['contrat=CDI,PIGISTE', 'contractTypes'],
      ['domaine=Z', 'domain'],
      ['numero=12AB', 'offerNumber'],
      ['appellation=999999', 'appellation'],
      ['salaire=-5', 'salaryMin'],
      ['depuis=0', 'publishedWithinDays'],
      ['page=99', 'page'],
      ['tri=hasard', 'sort'],
      ['motsCles=a&motsCles=b', 'keywords'],
      ['strict=1', 'keywords'],
    ];
    for (const [qs, field] of cases) {
      const res = await api<{ error: { code: string; message: string; fields: { field: string }[] } }>(
        `${server.url}/api/public/search?${qs}`,
      );
      expect(res.status, qs).toBe(400);
      expect(
        res.body.error.fields.map((f) => f.field),
        qs,
      ).toContain(field);
    }
    await expect(search({ keywords: 'un deux trois quatre cinq six' })).rejects.toBeInstanceOf(
      SearchCriteriaError,
    );
  });

  it('jamais de 500, quelles que soient les valeurs de l’adresse', async () => {
    const names = [
      'motsCles',
      'strict',
      'appellation',
      'rome',
      'commune',
      'departement',
      'region',
      'rayon',
      'contrat',
      'domaine',
      'qualification',
      'temps',
      'depuis',
      'salaire',
      'saisonnier',
      'numero',
      'page',
      'tri',
      'parPage',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '35238',
        '35',
        '53',
        'CDI,CDD',
        '20',
        '1',
        '0',
        '-1',
        '1e3',
        "l'été & <b>",
        'boulanger:* | !',
        "'",
        '\\',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 }), async (params) => {
        const qs = new URLSearchParams(params).toString();
        const res = await api(`${server.url}/api/public/search?${qs}`);
        expect([200, 400], qs).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });

  it('propose des lieux : communes, départements, régions', async () => {
    const res = await api<{ items: { kind: string; code: string; label: string }[] }>(
      `${server.url}/api/public/search/places?q=bretagne`,
    );
    expect(res.body.items[0]).toEqual({ kind: 'region', code: '53', label: 'Bretagne (région)' });
    const dept = await api<{ items: { kind: string; code: string }[] }>(
      `${server.url}/api/public/search/places?q=ille`,
    );
    expect(dept.body.items).toContainEqual(expect.objectContaining({ kind: 'departement', code: '35' }));
    const commune = await api<{ items: { kind: string; code: string }[] }>(
      `${server.url}/api/public/search/places?q=rennes`,
    );
    expect(commune.body.items).toContainEqual(expect.objectContaining({ kind: 'commune', code: '35238' }));
  });
});
