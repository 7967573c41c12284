/**
 * Demo company profiles (seed 001 « Ma fiche entreprise ») and groups (seed 004): each employer's
 * published profile, three client companies of the agency (two published, one not), and the
 * groups moderators keep. Called by `seedDemo` inside its transaction.
 */
import type { CompanyDoc } from '../../../shared/schemas/company.schema';
import { companiesCollection } from '../domain/companies';
import { sanitizeRichText } from '../rich-text';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import type { Queryable } from './database';

export const DEMO_GROUPS = {
  entreprisesAdaptees: {
    id: '0c0a0000-0000-4000-8000-000000000001',
    name: 'Réseau des Entreprises Adaptées',
    kind: 'reseau',
  },
  distributionOuest: {
    id: '0c0a0000-0000-4000-8000-000000000002',
    name: 'Groupe Distribution Ouest',
    kind: 'groupe',
  },
  artisansOccitanie: {
    id: '0c0a0000-0000-4000-8000-000000000003',
    name: 'Réseau des artisans d’Occitanie',
    kind: 'reseau',
  },
} as const;

export const DEMO_COMPANY_IDS = {
  boulangerie: '0c0c0000-0000-4000-8000-000000000001',
  transports: '0c0c0000-0000-4000-8000-000000000002',
  domaine: '0c0c0000-0000-4000-8000-000000000003',
  hotel: '0c0c0000-0000-4000-8000-000000000004',
  conserverie: '0c0c0000-0000-4000-8000-000000000005',
} as const;

const PLACES = {
  carcassonne: {
    postalCode: '11000',
    city: 'Carcassonne',
    communeCode: '11069',
    latitude: 43.213,
    longitude: 2.3491,
  },
  toulouse: {
    postalCode: '31000',
    city: 'Toulouse',
    communeCode: '31555',
    latitude: 43.6045,
    longitude: 1.444,
  },
  lezignan: {
    postalCode: '11200',
    city: 'Lézignan-Corbières',
    communeCode: '11203',
    latitude: 43.2006,
    longitude: 2.7578,
  },
  castelnaudary: {
    postalCode: '11400',
    city: 'Castelnaudary',
    communeCode: '11076',
    latitude: 43.3183,
    longitude: 1.9539,
  },
} as const;

type Job = [
  id: string,
  appellationCode: string,
  jobTitle: string,
  romeCode: string,
  description: string,
  published: boolean,
];

interface CompanySeed {
  id: string;
  organisationId: string;
  createdBy: string;
  doc: Omit<CompanyDoc, 'id' | 'organisationId' | 'jobs' | 'createdBy' | 'createdAt' | 'updatedAt'>;
  jobs: Job[];
}

/** Ids of the demo organisations and accounts (from seed-demo.ts). */
export interface DemoIds {
  boulangerie: string;
  transports: string;
  agence: string;
  recruteur1: string;
  recruteur2: string;
  agenceUser: string;
  moderateur: string;
}

function seeds(ids: DemoIds): CompanySeed[] {
  return [
    {
      id: DEMO_COMPANY_IDS.boulangerie,
      organisationId: ids.boulangerie,
      createdBy: ids.recruteur1,
      doc: {
        name: 'Boulangeries Martin',
        siret: '73282932000074',
        phone: '04 68 11 22 33',
        email: 'recrutement@boulangeries-martin.test',
        sector: 'C',
        companyType: 'pme',
        employeeCount: 48,
        foundedOn: '1987-03-02',
        address: { street: '12 rue de Verdun', ...PLACES.carcassonne },
        description:
          '<h2>Qui sommes-nous ?</h2><p>Depuis 1987, les <strong>Boulangeries Martin</strong> font le pain de l’Aude : cinq boutiques à Carcassonne, Limoux et Narbonne, un fournil central et une équipe de 48 personnes.</p>' +
          '<h3>Ce que nous offrons</h3><ul><li>Des horaires fixes et deux jours de repos consécutifs</li><li>Une formation interne aux gestes du métier</li><li>Une prime d’intéressement chaque année</li></ul>' +
          '<p>Découvrez notre fournil en vidéo : <a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">visite du fournil</a>.</p>' +
          '<blockquote>« Ici, on apprend le métier avec les anciens. » — Lucie, boulangère depuis 2015</blockquote>',
        links: {
          website: 'https://www.boulangeries-martin.test',
          facebook: 'https://www.facebook.com/boulangeriesmartin',
          instagram: 'https://www.instagram.com/boulangeriesmartin',
        },
        groupId: DEMO_GROUPS.artisansOccitanie.id,
        published: true,
      },
      jobs: [
        [
          '0c0d0000-0000-4000-8000-000000000001',
          '11573',
          'Boulanger / Boulangère',
          'D1102',
          'Fabrication des pains de tradition et des viennoiseries, travail de nuit en équipe.',
          true,
        ],
        [
          '0c0d0000-0000-4000-8000-000000000002',
          '20560',
          'Vendeur / Vendeuse en boulangerie-pâtisserie',
          'D1106',
          'Accueil, conseil et encaissement en boutique.',
          true,
        ],
        [
          '0c0d0000-0000-4000-8000-000000000003',
          '17576',
          'Pâtissier / Pâtissière',
          'D1104',
          'Entremets, tartes et commandes de fêtes.',
          false,
        ],
      ],
    },
    {
      id: DEMO_COMPANY_IDS.transports,
      organisationId: ids.transports,
      createdBy: ids.recruteur2,
      doc: {
        name: 'Transports Garonne',
        siret: '40483304800022',
        phone: '05 61 44 55 66',
        email: 'rh@transports-garonne.test',
        sector: 'H',
        companyType: 'pme',
        employeeCount: 120,
        foundedOn: '1998-06-15',
        address: { street: '45 avenue des Minimes', ...PLACES.toulouse },
        description:
          '<p>Transporteur régional de marchandises depuis 1998, <strong>Transports Garonne</strong> relie chaque jour l’Occitanie à l’Espagne et au Portugal avec 80 véhicules.</p>' +
          '<h3>Nos engagements</h3><ol><li>Des véhicules récents et entretenus dans notre atelier</li><li>Retour au dépôt chaque soir sur les lignes régionales</li><li>Financement des formations FIMO et FCO</li></ol>' +
          '<p>Suivez-nous sur <a href="https://www.linkedin.com/company/transports-garonne">LinkedIn</a>.</p>',
        links: {
          website: 'https://www.transports-garonne.test',
          linkedin: 'https://www.linkedin.com/company/transports-garonne',
          youtube: 'https://www.youtube.com/@transportsgaronne',
        },
        groupId: DEMO_GROUPS.distributionOuest.id,
        published: true,
      },
      jobs: [
        [
          '0c0d0000-0000-4000-8000-000000000011',
          '13132',
          'Conducteur / Conductrice de poids lourd',
          'N4101',
          'Transport régional, retour au dépôt chaque soir. Permis C et FIMO.',
          true,
        ],
        [
          '0c0d0000-0000-4000-8000-000000000012',
          '11679',
          'Cariste',
          'N1101',
          'Chargement des semi-remorques au quai de Colomiers. CACES R489.',
          true,
        ],
        [
          '0c0d0000-0000-4000-8000-000000000013',
          '16528',
          'Mécanicien / Mécanicienne poids lourds',
          'I1613',
          'Entretien de la flotte dans notre atelier de Toulouse.',
          true,
        ],
      ],
    },
    {
      id: DEMO_COMPANY_IDS.domaine,
      organisationId: ids.agence,
      createdBy: ids.agenceUser,
      doc: {
        name: 'Domaine des Corbières',
        phone: '04 68 27 00 00',
        email: 'contact@domaine-corbieres.test',
        sector: 'A',
        companyType: 'micro',
        employeeCount: 8,
        foundedOn: '1952-09-01',
        address: { street: 'Route de Fabrezan', ...PLACES.lezignan },
        description:
          '<p>Domaine familial de 40 hectares au cœur des Corbières, en agriculture biologique depuis 2010. Nous recrutons chaque automne pour les vendanges manuelles, avec l’appui d’Occitanie Intérim.</p>' +
          '<p>Hébergement possible sur place pendant la saison.</p>',
        links: { website: 'https://www.domaine-corbieres.test' },
        published: true,
      },
      jobs: [
        [
          '0c0d0000-0000-4000-8000-000000000021',
          '20510',
          'Vendangeur / Vendangeuse',
          'A1401',
          'Vendanges manuelles de septembre à octobre.',
          true,
        ],
      ],
    },
    {
      id: DEMO_COMPANY_IDS.hotel,
      organisationId: ids.agence,
      createdBy: ids.agenceUser,
      doc: {
        name: 'Hôtel de la Cité',
        phone: '04 68 71 98 71',
        email: 'emploi@hotel-cite.test',
        sector: 'I',
        companyType: 'pme',
        employeeCount: 65,
        foundedOn: '1909-05-01',
        address: { street: 'Place Auguste-Pierre Pont', ...PLACES.carcassonne },
        description:
          '<h2>Un hôtel quatre étoiles dans la Cité médiévale</h2><p>Soixante chambres, un restaurant gastronomique et une équipe de 65 personnes qui accueille des visiteurs du monde entier.</p>' +
          '<ul><li>Repas pris sur place</li><li>Logement possible pour les saisonniers</li><li>Anglais ou espagnol appréciés</li></ul>' +
          '<p>Visite virtuelle : <a href="https://vimeo.com/123456789">voir l’hôtel</a>.</p>',
        links: {
          website: 'https://www.hotel-cite.test',
          instagram: 'https://www.instagram.com/hoteldelacite',
          twitter: 'https://x.com/hoteldelacite',
        },
        published: true,
      },
      jobs: [
        [
          '0c0d0000-0000-4000-8000-000000000031',
          '18325',
          'Réceptionniste en hôtellerie',
          'G1703',
          'Accueil et réservations, anglais courant.',
          true,
        ],
        [
          '0c0d0000-0000-4000-8000-000000000032',
          '19430',
          'Serveur / Serveuse en restauration',
          'G1803',
          'Service en salle et en terrasse.',
          true,
        ],
        [
          '0c0d0000-0000-4000-8000-000000000033',
          '20500',
          'Valet / Femme de chambre',
          'G1501',
          'Entretien des chambres et des parties communes.',
          true,
        ],
      ],
    },
    {
      id: DEMO_COMPANY_IDS.conserverie,
      organisationId: ids.agence,
      createdBy: ids.agenceUser,
      doc: {
        name: 'Conserverie du Lauragais',
        phone: '04 68 23 10 10',
        sector: 'C',
        companyType: 'pme',
        employeeCount: 34,
        address: { street: 'Zone artisanale de la Fourcade', ...PLACES.castelnaudary },
        description:
          '<p>Entreprise adaptée qui prépare et conditionne le cassoulet de Castelnaudary. Fiche en cours de rédaction.</p>',
        groupId: DEMO_GROUPS.entreprisesAdaptees.id,
        published: false,
      },
      jobs: [
        [
          '0c0d0000-0000-4000-8000-000000000041',
          '10405',
          'Agent / Agente de conditionnement et de manutention',
          'H3302',
          'Conditionnement des conserves sur ligne.',
          false,
        ],
      ],
    },
  ];
}

export async function seedDemoCompanies(tx: Queryable, engine: SyncEngine, ids: DemoIds): Promise<void> {
  for (const g of Object.values(DEMO_GROUPS)) {
    await tx.query(
      'insert into company_groups (id, name, kind, created_by) values ($1, $2, $3, $4) on conflict do nothing',
      [g.id, g.name, g.kind, ids.moderateur],
    );
  }
  const day = 24 * 3600 * 1000;
  const base = Date.now();
  let n = 0;
  for (const s of seeds(ids)) {
    const createdAt = new Date(base - (90 - n * 7) * day).toISOString();
    const updatedAt = new Date(base - (10 - n) * day).toISOString();
    const doc: Record<string, unknown> = {
      ...s.doc,
      id: s.id,
      organisationId: s.organisationId,
      jobs: s.jobs.map(([id, appellationCode, jobTitle, romeCode, description, published]) => ({
        id,
        appellationCode,
        jobTitle,
        romeCode,
        description,
        published,
        createdAt,
      })),
      createdBy: s.createdBy,
      createdAt,
      updatedAt,
    };
    if (typeof doc.description === 'string') doc.description = sanitizeRichText(doc.description);
    await engine.write(tx, companiesCollection, doc as Doc, false);
    n++;
  }
}
