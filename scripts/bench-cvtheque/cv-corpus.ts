/**
 * Deterministic French CVs for the CVthèque benchmark, the local index tests and the
 * local/server parity test: CVthèque projections (CvDoc) with accents, feminine and plural
 * forms, RQTH statuses, communes with coordinates, workplaces sought, contracts, languages and
 * licences. The same seed gives the same CVs.
 */

import type { CvDoc } from '../../shared/schemas/cv.schema';

/** Mulberry32. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Commune {
  code: string;
  name: string;
  lat: number;
  lon: number;
}

export const COMMUNES: Commune[] = [
  { code: '11069', name: 'Carcassonne', lat: 43.213, lon: 2.3491 },
  { code: '11262', name: 'Narbonne', lat: 43.1837, lon: 3.0042 },
  { code: '11206', name: 'Limoux', lat: 43.0546, lon: 2.2186 },
  { code: '11076', name: 'Castelnaudary', lat: 43.3181, lon: 1.9539 },
  { code: '11203', name: 'Lézignan-Corbières', lat: 43.2006, lon: 2.7578 },
  { code: '11304', name: 'Quillan', lat: 42.8756, lon: 2.1819 },
  { code: '31555', name: 'Toulouse', lat: 43.6045, lon: 1.4442 },
  { code: '34172', name: 'Montpellier', lat: 43.6108, lon: 3.8767 },
  { code: '66136', name: 'Perpignan', lat: 42.6887, lon: 2.8948 },
  { code: '34032', name: 'Béziers', lat: 43.3442, lon: 3.2158 },
  { code: '81004', name: 'Albi', lat: 43.9289, lon: 2.1464 },
  { code: '30189', name: 'Nîmes', lat: 43.8367, lon: 4.3601 },
  { code: '09122', name: 'Foix', lat: 42.9653, lon: 1.6069 },
  { code: '09225', name: 'Pamiers', lat: 43.1164, lon: 1.6108 },
  { code: '34301', name: 'Sète', lat: 43.4028, lon: 3.6928 },
  { code: '12202', name: 'Rodez', lat: 44.3506, lon: 2.575 },
  { code: '65440', name: 'Tarbes', lat: 43.2328, lon: 0.0781 },
  { code: '46042', name: 'Cahors', lat: 44.4475, lon: 1.4419 },
  { code: '75056', name: 'Paris', lat: 48.8566, lon: 2.3522 },
  { code: '69123', name: 'Lyon', lat: 45.764, lon: 4.8357 },
  { code: '13055', name: 'Marseille', lat: 43.2965, lon: 5.3698 },
  { code: '33063', name: 'Bordeaux', lat: 44.8378, lon: -0.5792 },
  { code: '59350', name: 'Lille', lat: 50.6292, lon: 3.0573 },
  { code: '44109', name: 'Nantes', lat: 47.2184, lon: -1.5536 },
];

interface Job {
  titles: [string, string];
  rome: string;
  appellation: string;
  skills: string[];
  tasks: string[];
  diplomas: string[];
}

const JOBS: Job[] = [
  {
    titles: ['Serveur en restauration', 'Serveuse en restauration'],
    rome: 'G1803',
    appellation: '38585',
    skills: [
      'Service en salle',
      'Prise de commandes',
      'Encaissement',
      'Accueil de la clientèle',
      'Dressage des tables',
    ],
    tasks: ['Service des plats et des boissons en brasserie', 'Mise en place de la salle et des terrasses'],
    diplomas: ['CAP Commercialisation et services en hôtel-café-restaurant', 'Bac pro Restauration'],
  },
  {
    titles: ['Boulanger', 'Boulangère'],
    rome: 'D1102',
    appellation: '11573',
    skills: ['Pétrissage', 'Façonnage des pâtons', 'Viennoiseries', 'Cuisson au four', 'Hygiène alimentaire'],
    tasks: ['Fabrication du pain et des viennoiseries', 'Préparation des pâtes levées'],
    diplomas: ['CAP Boulanger', 'Brevet professionnel Boulanger'],
  },
  {
    titles: ['Vendeur en boulangerie-pâtisserie', 'Vendeuse en boulangerie-pâtisserie'],
    rome: 'D1106',
    appellation: '38400',
    skills: ['Conseil client', 'Encaissement', 'Mise en rayon', 'Emballage des pâtisseries'],
    tasks: ['Vente des pains et pâtisseries', 'Tenue de la caisse et accueil des clients'],
    diplomas: ['CAP Équipier polyvalent du commerce', 'Bac pro Métiers du commerce et de la vente'],
  },
  {
    titles: ['Aide-soignant', 'Aide-soignante'],
    rome: 'J1501',
    appellation: '10320',
    skills: [
      'Soins d’hygiène et de confort',
      'Aide à la toilette',
      'Transmissions',
      'Surveillance des constantes',
    ],
    tasks: ['Accompagnement des résidents en EHPAD', 'Soins de confort aux patients hospitalisés'],
    diplomas: ['Diplôme d’État d’aide-soignant', 'Bac pro ASSP'],
  },
  {
    titles: ['Infirmier', 'Infirmière'],
    rome: 'J1506',
    appellation: '16345',
    skills: ['Soins infirmiers', 'Préparation des traitements', 'Pansements', 'Éducation thérapeutique'],
    tasks: ['Soins techniques en service de médecine', 'Suivi des patients à domicile'],
    diplomas: ['Diplôme d’État d’infirmier', 'Licence en soins infirmiers'],
  },
  {
    titles: ['Électricien du bâtiment', 'Électricienne du bâtiment'],
    rome: 'F1602',
    appellation: '12853',
    skills: ['Câblage électrique', 'Lecture de plans', 'Habilitation électrique', 'Mise en conformité'],
    tasks: ['Installation des tableaux électriques sur chantier', 'Rénovation électrique de logements'],
    diplomas: ['CAP Électricien', 'Bac pro MELEC'],
  },
  {
    titles: ['Maçon', 'Maçonne'],
    rome: 'F1703',
    appellation: '15101',
    skills: ['Montage de murs', 'Coffrage', 'Enduits', 'Lecture de plans'],
    tasks: ['Construction de maisons individuelles', 'Travaux de gros œuvre'],
    diplomas: ['CAP Maçon', 'BP Maçon'],
  },
  {
    titles: ['Cariste', 'Cariste'],
    rome: 'N1101',
    appellation: '12112',
    skills: ['Conduite de chariots élévateurs', 'CACES R489', 'Gestion des stocks', 'Chargement des camions'],
    tasks: ['Chargement et déchargement en entrepôt', 'Réception des marchandises'],
    diplomas: ['CACES R489 catégorie 3', 'Titre professionnel Agent magasinier'],
  },
  {
    titles: ['Chauffeur poids lourd', 'Chauffeuse poids lourd'],
    rome: 'N4101',
    appellation: '13237',
    skills: ['Conduite de poids lourds', 'FIMO', 'Arrimage des charges', 'Chronotachygraphe'],
    tasks: ['Livraisons régionales en semi-remorque', 'Transport de marchandises frigorifiques'],
    diplomas: ['Titre professionnel Conducteur routier', 'FIMO marchandises'],
  },
  {
    titles: ['Comptable', 'Comptable'],
    rome: 'M1203',
    appellation: '11990',
    skills: ['Saisie comptable', 'Rapprochements bancaires', 'Déclarations de TVA', 'Logiciel Sage'],
    tasks: ['Tenue de la comptabilité fournisseurs', 'Préparation du bilan annuel'],
    diplomas: ['BTS Comptabilité et gestion', 'DCG'],
  },
  {
    titles: ['Développeur informatique', 'Développeuse informatique'],
    rome: 'M1805',
    appellation: '38971',
    skills: ['JavaScript', 'TypeScript', 'React', 'Bases de données SQL', 'Tests automatisés'],
    tasks: ['Développement d’applications web', 'Maintenance des services en ligne'],
    diplomas: ['BTS SIO', 'Licence professionnelle Développement web'],
  },
  {
    titles: ['Agent d’entretien', 'Agente d’entretien'],
    rome: 'K2204',
    appellation: '10740',
    skills: ['Nettoyage des locaux', 'Produits d’entretien', 'Autolaveuse', 'Tri des déchets'],
    tasks: ['Entretien des bureaux et des parties communes', 'Nettoyage industriel'],
    diplomas: ['CAP Agent de propreté et d’hygiène', 'Titre professionnel Agent de propreté'],
  },
  {
    titles: ['Cuisinier', 'Cuisinière'],
    rome: 'G1602',
    appellation: '12366',
    skills: ['Préparation des entrées', 'Cuisson des viandes', 'Pâtisserie', 'Normes HACCP'],
    tasks: ['Préparation des repas en restauration collective', 'Cuisine traditionnelle en restaurant'],
    diplomas: ['CAP Cuisine', 'Bac pro Cuisine'],
  },
  {
    titles: ['Assistant de direction', 'Assistante de direction'],
    rome: 'M1604',
    appellation: '10606',
    skills: [
      'Gestion des agendas',
      'Rédaction de courriers',
      'Organisation de réunions',
      'Anglais professionnel',
    ],
    tasks: ['Assistance du directeur général', 'Organisation des déplacements'],
    diplomas: ['BTS Support à l’action managériale', 'Licence en gestion'],
  },
  {
    titles: ['Jardinier paysagiste', 'Jardinière paysagiste'],
    rome: 'A1203',
    appellation: '14215',
    skills: ['Taille des haies', 'Tonte', 'Création de massifs', 'Arrosage automatique'],
    tasks: ['Entretien des espaces verts de la commune', 'Aménagement de jardins'],
    diplomas: ['CAPA Jardinier paysagiste', 'Bac pro Aménagements paysagers'],
  },
  {
    titles: ['Mécanicien automobile', 'Mécanicienne automobile'],
    rome: 'I1604',
    appellation: '15345',
    skills: ['Diagnostic électronique', 'Vidange', 'Freinage', 'Distribution'],
    tasks: ['Entretien et réparation des véhicules légers', 'Diagnostic des pannes'],
    diplomas: ['CAP Maintenance des véhicules', 'Bac pro Maintenance des véhicules'],
  },
  {
    titles: ['Coiffeur', 'Coiffeuse'],
    rome: 'D1202',
    appellation: '11955',
    skills: ['Coupe homme', 'Coloration', 'Brushing', 'Conseil en image'],
    tasks: ['Coupes et couleurs en salon', 'Accueil et conseil de la clientèle'],
    diplomas: ['CAP Métiers de la coiffure', 'BP Coiffure'],
  },
  {
    titles: ['Préparateur de commandes', 'Préparatrice de commandes'],
    rome: 'N1103',
    appellation: '16894',
    skills: ['Préparation de commandes', 'Scanner', 'Filmage des palettes', 'Inventaires'],
    tasks: ['Préparation des commandes en entrepôt logistique', 'Contrôle des colis'],
    diplomas: ['Titre professionnel Préparateur de commandes', 'CACES R489 catégorie 1'],
  },
  {
    titles: ['Auxiliaire de vie', 'Auxiliaire de vie'],
    rome: 'K1302',
    appellation: '10975',
    skills: [
      'Aide aux repas',
      'Aide à la mobilité',
      'Courses et ménage',
      'Accompagnement des personnes âgées',
    ],
    tasks: ['Accompagnement à domicile de personnes âgées', 'Aide aux personnes handicapées'],
    diplomas: ['DEAES', 'Titre professionnel Assistant de vie aux familles'],
  },
  {
    titles: ['Animateur socioculturel', 'Animatrice socioculturelle'],
    rome: 'G1202',
    appellation: '10269',
    skills: ['Animation de groupes', 'Projets éducatifs', 'Activités manuelles', 'BAFA'],
    tasks: ['Animation en centre de loisirs', 'Encadrement des enfants en colonie'],
    diplomas: ['BPJEPS Animation sociale', 'BAFA'],
  },
];

const QUALIFICATIONS = [
  'ouvrier_specialise',
  'ouvrier_qualifie_p1p2',
  'ouvrier_qualifie_p3p4',
  'employe_non_qualifie',
  'employe_qualifie',
  'technicien',
  'agent_de_maitrise',
  'cadre',
] as const;
const CONTRACTS = [['CDI'], ['CDD'], ['CDI', 'CDD'], ['INTERIM'], ['ALTERNANCE'], ['CDI', 'INTERIM']];
const AVAILABILITY = ['immediate', 'a_partir_du', 'preavis', 'a_l_ecoute'] as const;
const RQTH = ['non', 'non', 'non', 'non_precise', 'en_cours', 'reconnue', 'reconnue'] as const;
const LANGUAGES = ['Anglais', 'anglais', 'Espagnol', 'Occitan', 'Catalan', 'Allemand', 'Arabe', 'Italien'];
const LEVELS = ['A2', 'B1', 'B2', 'C1', 'Langue maternelle'];
const LICENCES = [['B'], ['B'], [], ['B', 'C', 'CE'], ['B', 'BE'], ['AM'], ['A2', 'B']];
const COMPANIES = [
  'Boulangerie Martin',
  'Brasserie du Canal',
  'EHPAD Les Oliviers',
  'Transports Garcia',
  'Mairie',
];
const FIRST = ['Camille', 'Léa', 'Hugo', 'Inès', 'Lucas', 'Chloé', 'Nathan', 'Manon', 'Yanis', 'Zoé'];
const LAST = ['Martin', 'Bernard', 'Garcia', 'Roux', 'Fournier', 'Lefèvre', 'Moreau', 'Girard'];

/** A stable UUID-shaped id per index. */
export function cvId(i: number): string {
  return `cc${String(i).padStart(6, '0')}-0000-4000-8000-${String(i * 7919).padStart(12, '0')}`.slice(0, 36);
}

/**
 * The `i`-th synthetic CV of the corpus `seed` (between 1 and 3 KB of JSON). `base` is the date
 * « now » of the corpus: CVs were updated up to a year before.
 */
export function syntheticCv(i: number, seed = 1, base = Date.parse('2026-12-01T00:00:00.000Z')): CvDoc {
  const r = prng(seed * 1_000_003 + i);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const job = pick(JOBS);
  const feminine = r() < 0.5;
  const title = job.titles[feminine ? 1 : 0];
  const commune = pick(COMMUNES);
  // Spread around the commune (a village nearby, same INSEE code for simplicity of the data).
  const jitter = r() < 0.6 ? 0 : 0.25;
  const lat = Math.round((commune.lat + (r() - 0.5) * jitter) * 10_000) / 10_000;
  const lon = Math.round((commune.lon + (r() - 0.5) * jitter) * 10_000) / 10_000;
  const other = pick(COMMUNES);
  const express = r() < 0.15;
  const skills = job.skills
    .filter(() => r() < 0.7)
    .map((label, k) => ({ id: `s${k}`, label, level: 1 + Math.floor(r() * 5) }));
  const nExp = express ? 0 : 1 + Math.floor(r() * 3);
  const experiences = Array.from({ length: nExp }, (_, k) => {
    const year = 2010 + Math.floor(r() * 14);
    return {
      id: `e${k}`,
      company: pick(COMPANIES),
      jobTitle: k === 0 ? title : pick(pick(JOBS).titles),
      start: `${year}-0${1 + Math.floor(r() * 9)}`,
      ...(k > 0 ? { end: `${year + 1}-06` } : {}),
      description: `${pick(job.tasks)}. ${pick(job.tasks)}.`,
    };
  });
  const diplomas = express
    ? []
    : [{ id: 'd0', title: pick(job.diplomas), date: `${2005 + Math.floor(r() * 18)}-06`, description: '' }];
  const nLang = Math.floor(r() * 3);
  const languages = Array.from({ length: nLang }, (_, k) => ({
    id: `l${k}`,
    language: LANGUAGES[(Math.floor(r() * LANGUAGES.length) + k * 3) % LANGUAGES.length]!,
    level: pick(LEVELS),
  }));
  const anonymous = r() < 0.4;
  const updatedAt = new Date(base - Math.floor(r() * 365 * 86_400_000)).toISOString();
  const doc: CvDoc = {
    id: cvId(i),
    title: r() < 0.2 ? `${title} H/F` : title,
    express,
    appellationCode: job.appellation,
    appellationLabel: job.titles.join(' / '),
    romeCode: job.rome,
    workplaces:
      r() < 0.4 ? [{ communeCode: other.code, communeName: other.name, lat: other.lat, lon: other.lon }] : [],
    contractTypes: [...pick(CONTRACTS)],
    summary: express
      ? ''
      : `${title} ${feminine ? 'motivée' : 'motivé'}, ${1 + Math.floor(r() * 15)} ans d’expérience. ${pick(job.tasks)}.`,
    experiences,
    diplomas,
    skills,
    languages,
    licences: [...pick(LICENCES)],
    rqth: pick(RQTH),
    availability: pick(AVAILABILITY),
    commune: { code: commune.code, name: commune.name, lat, lon },
    qualification: pick(QUALIFICATIONS),
    domains: [job.rome.charAt(0)],
    completeness: 30 + Math.floor(r() * 71),
    anonymous,
    publishedAt: updatedAt,
    updatedAt,
  };
  if (!anonymous) {
    doc.firstName = pick(FIRST);
    doc.lastName = pick(LAST);
  }
  if (r() < 0.3) doc.fileText = `Curriculum vitae. ${title}. ${skills.map((s) => s.label).join(', ')}.`;
  return doc;
}

export function syntheticCvs(n: number, seed = 1, base?: number): CvDoc[] {
  return Array.from({ length: n }, (_, i) => syntheticCv(i, seed, base));
}
