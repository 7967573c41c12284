import { QUALIFICATION_LEVELS } from '../../../shared/domain/offer';
import { offerNumberFromSequence } from '../../../shared/domain/offer-number';
import { hashPassword } from '../auth/password';
import { expiryFor, offersCollection } from '../domain/offers';
import { writeOrganisationDoc } from '../domain/organisations';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import type { Database } from './database';
import { seedDemoCandidate } from './seed-demo-candidate';
import { DEMO_COMPANY_IDS, seedDemoCompanies } from './seed-demo-companies';
import { seedDemoTriage } from './seed-demo-triage';

export const DEMO_PASSWORD = 'demo-demo-demo';

export const DEMO_ORGANISATIONS = {
  boulangerie: {
    id: '0b0e0000-0000-4000-8000-000000000001',
    kind: 'employer',
    subtype: 'entreprise',
    name: 'Boulangeries Martin',
    siret: '73282932000074',
    nafCode: '10.71C',
    sizeBand: '12',
    sector: 'C',
    phone: '04 68 11 22 33',
    email: 'contact@boulangeries-martin.demo.test',
    address: {
      street: '12 rue de Verdun',
      postalCode: '11000',
      city: 'Carcassonne',
      communeCode: '11069',
      latitude: 43.2136,
      longitude: 2.3517,
    },
  },
  transports: {
    id: '0b0e0000-0000-4000-8000-000000000002',
    kind: 'employer',
    subtype: 'entreprise',
    name: 'Transports Garonne',
    siret: '40483304800022',
    nafCode: '49.41A',
    sizeBand: '22',
    sector: 'H',
    phone: '05 61 44 55 66',
    email: 'contact@transports-garonne.demo.test',
    address: {
      street: '5 chemin de la Flambère',
      postalCode: '31300',
      city: 'Toulouse',
      communeCode: '31555',
      latitude: 43.6142,
      longitude: 1.4097,
    },
  },
  agence: {
    id: '0b0e0000-0000-4000-8000-000000000003',
    kind: 'agency',
    subtype: 'agence_interim',
    name: 'Occitanie Intérim',
    siret: '51234567900017',
    nafCode: '78.20Z',
    sizeBand: '03',
    sector: 'N',
    phone: '04 68 77 88 99',
    email: 'contact@occitanie-interim.demo.test',
    address: {
      street: '3 boulevard Gambetta',
      postalCode: '11100',
      city: 'Narbonne',
      communeCode: '11262',
      latitude: 43.1839,
      longitude: 3.0042,
    },
  },
  prescripteur: {
    id: '0b0e0000-0000-4000-8000-000000000004',
    kind: 'prescriber',
    subtype: 'mission_locale',
    name: 'Mission locale de Carcassonne',
    siret: '41768145900034',
    nafCode: '88.99B',
    sizeBand: '11',
    sector: 'Q',
    phone: '04 68 10 20 30',
    email: 'contact@ml-carcassonne.demo.test',
    // No coordinates: the portal's prescriber directory tests place their own organisations.
    address: { street: '2 rue Aimé Ramond', postalCode: '11000', city: 'Carcassonne', communeCode: '11069' },
  },
  plateforme: {
    id: '0b0e0000-0000-4000-8000-000000000005',
    kind: 'platform',
    subtype: 'moderation',
    name: 'Emploi Territoires — modération',
    siret: null,
    nafCode: null,
    sizeBand: null,
    sector: null,
    phone: null,
    email: null,
    address: { postalCode: '11000', city: 'Carcassonne', communeCode: '11069' },
  },
} as const;

export const DEMO_ACCOUNTS = [
  {
    id: '0a0c0000-0000-4000-8000-000000000001',
    email: 'recruteur1@demo.test',
    kind: 'recruiter',
    firstName: 'Claire',
    lastName: 'Martin',
    jobTitle: 'Responsable des ressources humaines',
    org: 'boulangerie',
  },
  {
    id: '0a0c0000-0000-4000-8000-000000000002',
    email: 'recruteur2@demo.test',
    kind: 'recruiter',
    firstName: 'Karim',
    lastName: 'Benali',
    jobTitle: 'Directeur d’exploitation',
    org: 'transports',
  },
  {
    id: '0a0c0000-0000-4000-8000-000000000003',
    email: 'agence@demo.test',
    kind: 'recruiter',
    firstName: 'Sophie',
    lastName: 'Roux',
    jobTitle: 'Chargée de recrutement',
    org: 'agence',
  },
  {
    id: '0a0c0000-0000-4000-8000-000000000004',
    email: 'conseiller@demo.test',
    kind: 'recruiter',
    firstName: 'Julien',
    lastName: 'Moreau',
    jobTitle: 'Conseiller en insertion professionnelle',
    org: 'prescripteur',
  },
  {
    id: '0a0c0000-0000-4000-8000-000000000005',
    email: 'moderateur@demo.test',
    kind: 'recruiter',
    firstName: 'Nadia',
    lastName: 'Lefèvre',
    jobTitle: 'Modératrice',
    org: 'plateforme',
  },
  {
    id: '0a0c0000-0000-4000-8000-000000000006',
    email: 'candidat@demo.test',
    kind: 'candidate',
    firstName: 'Thomas',
    lastName: 'Garcia',
    jobTitle: null,
    org: null,
  },
] as const;

/** INSEE code and coordinates of the demo offers' communes (from the communes reference). */
const DEMO_COMMUNES: Record<string, { code: string; lat: number; lon: number }> = {
  Albi: { code: '81004', lat: 43.9298, lon: 2.148 },
  Blagnac: { code: '31069', lat: 43.6328, lon: 1.394 },
  Carcassonne: { code: '11069', lat: 43.2135, lon: 2.3516 },
  Castelnaudary: { code: '11076', lat: 43.3183, lon: 1.9545 },
  Castres: { code: '81065', lat: 43.6059, lon: 2.2399 },
  Colomiers: { code: '31149', lat: 43.6106, lon: 1.3347 },
  Gruissan: { code: '11170', lat: 43.1076, lon: 3.0865 },
  Limoux: { code: '11206', lat: 43.0549, lon: 2.2217 },
  'Lézignan-Corbières': { code: '11203', lat: 43.1977, lon: 2.7614 },
  Montauban: { code: '82121', lat: 44.0182, lon: 1.3643 },
  Narbonne: { code: '11262', lat: 43.184, lon: 3.0014 },
  Toulouse: { code: '31555', lat: 43.6043, lon: 1.4437 },
};

interface OfferSeed {
  title: string;
  jobTitle: string;
  romeCode: string;
  city: string;
  postalCode: string;
  contractTypes: string[];
  salary?: [number, number, 'horaire' | 'mensuel' | 'annuel'];
  seasonal?: boolean;
  description: string;
}

const BAKERY: OfferSeed[] = [
  {
    title: 'Boulanger / Boulangère H/F',
    jobTitle: 'Boulanger / Boulangère',
    romeCode: 'D1102',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDI'],
    salary: [1900, 2200, 'mensuel'],
    description:
      'Au sein de notre fournil, vous préparez les pains de tradition, les viennoiseries et les spécialités du moment. Travail de nuit en équipe de trois, deux jours de repos consécutifs.',
  },
  {
    title: 'Vendeur / Vendeuse en boulangerie H/F',
    jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
    romeCode: 'D1106',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDD'],
    salary: [11.88, 12.5, 'horaire'],
    description:
      'Vous accueillez la clientèle, conseillez sur les produits, tenez la caisse et veillez à la bonne présentation de la vitrine. Horaires en matinée, un week-end sur deux.',
  },
  {
    title: 'Pâtissier / Pâtissière H/F',
    jobTitle: 'Pâtissier / Pâtissière',
    romeCode: 'D1104',
    city: 'Limoux',
    postalCode: '11300',
    contractTypes: ['CDI'],
    salary: [2000, 2400, 'mensuel'],
    description:
      'Réalisation des entremets, tartes et pâtisseries individuelles, gestion des commandes de fêtes. Une première expérience en pâtisserie artisanale est souhaitée.',
  },
  {
    title: 'Apprenti boulanger H/F',
    jobTitle: 'Boulanger / Boulangère',
    romeCode: 'D1102',
    city: 'Castelnaudary',
    postalCode: '11400',
    contractTypes: ['ALTERNANCE'],
    description:
      'Vous préparez un CAP Boulanger en alternance avec le CFA de l’Aude. Votre tuteur vous transmet les gestes du métier : pétrissage, façonnage, cuisson.',
  },
  {
    title: 'Livreur / Livreuse de pain tournée du matin H/F',
    jobTitle: 'Livreur / Livreuse',
    romeCode: 'N4105',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDD'],
    seasonal: true,
    salary: [11.88, 11.88, 'horaire'],
    description:
      'Tournée de livraison auprès des restaurants et épiceries du Carcassonnais pendant la saison touristique, de 5 h à 10 h. Permis B exigé.',
  },
  {
    title: 'Responsable de magasin H/F',
    jobTitle: 'Responsable de magasin de détail',
    romeCode: 'D1301',
    city: 'Narbonne',
    postalCode: '11100',
    contractTypes: ['CDI'],
    salary: [28000, 32000, 'annuel'],
    description:
      'Vous pilotez une boutique de six personnes : plannings, commandes, suivi du chiffre d’affaires et animation commerciale. Expérience du management exigée.',
  },
  {
    title: 'Aide-boulanger H/F',
    jobTitle: 'Aide-boulanger / Aide-boulangère',
    romeCode: 'D1102',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['INTERIM'],
    description:
      'Renfort de l’équipe de production pour la préparation des pâtes et la mise en four. Débutant accepté, formation assurée en interne.',
  },
  {
    title: 'Agent d’entretien du fournil H/F',
    jobTitle: 'Agent / Agente d’entretien',
    romeCode: 'K2204',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDD'],
    description:
      'Nettoyage et désinfection du fournil et du laboratoire de pâtisserie en fin de production, selon le plan de nettoyage HACCP.',
  },
  {
    title: 'Chauffeur-livreur saisonnier H/F',
    jobTitle: 'Chauffeur-livreur / Chauffeuse-livreuse',
    romeCode: 'N4105',
    city: 'Gruissan',
    postalCode: '11430',
    contractTypes: ['CDD'],
    seasonal: true,
    description:
      'Livraison des points de vente du littoral pendant l’été. Véhicule utilitaire fourni, permis B depuis plus de deux ans.',
  },
  {
    title: 'Préparateur / Préparatrice de commandes H/F',
    jobTitle: 'Préparateur / Préparatrice de commandes',
    romeCode: 'N1103',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['INTERIM'],
    description:
      'Préparation des commandes destinées aux collectivités et aux restaurants scolaires, contrôle qualité et étiquetage.',
  },
  {
    title: 'Pâtissier chocolatier H/F',
    jobTitle: 'Chocolatier / Chocolatière',
    romeCode: 'D1104',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDD'],
    seasonal: true,
    description:
      'Renfort pour la période de Noël et de Pâques : tempérage, moulage, décoration et emballage des créations chocolatées.',
  },
  {
    title: 'Comptable unique H/F',
    jobTitle: 'Comptable',
    romeCode: 'M1203',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDI'],
    salary: [30000, 34000, 'annuel'],
    description:
      'Tenue de la comptabilité des cinq boutiques, déclarations de TVA, préparation du bilan avec l’expert-comptable et suivi de la trésorerie.',
  },
  {
    title: 'Employé / Employée polyvalent(e) de restauration rapide H/F',
    jobTitle: 'Employé / Employée polyvalent(e) de restauration',
    romeCode: 'G1603',
    city: 'Narbonne',
    postalCode: '11100',
    contractTypes: ['CDD'],
    description:
      'Préparation des sandwichs et salades, service au comptoir, encaissement et entretien de l’espace snacking.',
  },
  {
    title: 'Technicien / Technicienne de maintenance fours H/F',
    jobTitle: 'Technicien / Technicienne de maintenance',
    romeCode: 'I1304',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDI'],
    description:
      'Maintenance préventive et curative des fours, chambres de pousse et pétrins des boutiques. Habilitation électrique souhaitée.',
  },
  {
    title: 'Assistant / Assistante RH H/F',
    jobTitle: 'Assistant / Assistante ressources humaines',
    romeCode: 'M1501',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['ALTERNANCE'],
    description:
      'En appui de la responsable RH : suivi administratif du personnel, préparation de la paie, organisation des entretiens de recrutement.',
  },
  {
    title: 'Vendeur / Vendeuse week-end H/F',
    jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
    romeCode: 'D1106',
    city: 'Limoux',
    postalCode: '11300',
    contractTypes: ['CDI'],
    description: 'Temps partiel de 14 heures les samedis et dimanches matin. Accueil, vente et encaissement.',
  },
];

const TRANSPORT: OfferSeed[] = [
  {
    title: 'Conducteur / Conductrice poids lourd H/F',
    jobTitle: 'Conducteur / Conductrice de poids lourd',
    romeCode: 'N4101',
    city: 'Toulouse',
    postalCode: '31000',
    contractTypes: ['CDI'],
    salary: [2300, 2700, 'mensuel'],
    description:
      'Transport régional de marchandises, retour au dépôt chaque soir. Permis C et FIMO à jour, carte conducteur exigée.',
  },
  {
    title: 'Conducteur / Conductrice super poids lourd H/F',
    jobTitle: 'Conducteur / Conductrice de super poids lourd',
    romeCode: 'N4101',
    city: 'Toulouse',
    postalCode: '31000',
    contractTypes: ['CDI'],
    salary: [2500, 2900, 'mensuel'],
    description:
      'Grands déplacements sur l’Espagne et le Portugal, découchés du lundi au vendredi. Permis CE, FCO à jour.',
  },
  {
    title: 'Exploitant / Exploitante transport H/F',
    jobTitle: 'Exploitant / Exploitante en transport routier de marchandises',
    romeCode: 'N1301',
    city: 'Montauban',
    postalCode: '82000',
    contractTypes: ['CDI'],
    salary: [28000, 33000, 'annuel'],
    description:
      'Organisation des tournées, affrètement, suivi des conducteurs et relation avec la clientèle industrielle.',
  },
  {
    title: 'Mécanicien / Mécanicienne poids lourd H/F',
    jobTitle: 'Mécanicien / Mécanicienne poids lourds',
    romeCode: 'I1604',
    city: 'Toulouse',
    postalCode: '31000',
    contractTypes: ['CDI'],
    description:
      'Entretien et réparation de la flotte de 80 véhicules : diagnostic électronique, freinage, hydraulique.',
  },
  {
    title: 'Cariste H/F',
    jobTitle: 'Cariste',
    romeCode: 'N1101',
    city: 'Colomiers',
    postalCode: '31770',
    contractTypes: ['INTERIM'],
    salary: [12, 13, 'horaire'],
    description:
      'Chargement et déchargement des semi-remorques, gestion des emplacements au quai. CACES R489 catégories 1 et 3 exigés.',
  },
  {
    title: 'Agent / Agente de quai H/F',
    jobTitle: 'Agent / Agente de quai',
    romeCode: 'N1103',
    city: 'Colomiers',
    postalCode: '31770',
    contractTypes: ['INTERIM'],
    description:
      'Tri des colis, contrôle des bons de livraison et préparation des expéditions du soir. Poste en équipe de 14 h à 21 h.',
  },
  {
    title: 'Chauffeur-livreur VL H/F',
    jobTitle: 'Chauffeur-livreur / Chauffeuse-livreuse',
    romeCode: 'N4105',
    city: 'Blagnac',
    postalCode: '31700',
    contractTypes: ['CDD'],
    description:
      'Livraison de colis aux professionnels de l’agglomération toulousaine, 60 points par jour en moyenne.',
  },
  {
    title: 'Assistant / Assistante d’exploitation H/F',
    jobTitle: 'Assistant / Assistante d’exploitation en transport',
    romeCode: 'N1301',
    city: 'Toulouse',
    postalCode: '31000',
    contractTypes: ['ALTERNANCE'],
    description:
      'Préparation d’un BTS Gestion des transports et logistique associée ; vous participez au suivi des tournées et à la facturation.',
  },
  {
    title: 'Responsable d’agence transport H/F',
    jobTitle: 'Responsable d’agence de transport',
    romeCode: 'N1302',
    city: 'Albi',
    postalCode: '81000',
    contractTypes: ['CDI'],
    salary: [42000, 48000, 'annuel'],
    description:
      'Direction d’une agence de 35 personnes : résultats, sécurité, développement commercial et management des exploitants.',
  },
  {
    title: 'Laveur / Laveuse de véhicules H/F',
    jobTitle: 'Laveur / Laveuse de véhicules',
    romeCode: 'K2204',
    city: 'Toulouse',
    postalCode: '31000',
    contractTypes: ['CDD'],
    description:
      'Nettoyage intérieur et extérieur des véhicules de la flotte, contrôle visuel et signalement des dommages.',
  },
  {
    title: 'Conducteur / Conductrice d’autocar scolaire H/F',
    jobTitle: 'Conducteur / Conductrice d’autocar',
    romeCode: 'N4103',
    city: 'Castres',
    postalCode: '81100',
    contractTypes: ['CDI'],
    description:
      'Circuits scolaires matin et soir, temps partiel possible. Permis D et FIMO voyageurs exigés.',
  },
  {
    title: 'Gestionnaire de parc H/F',
    jobTitle: 'Gestionnaire de parc automobile',
    romeCode: 'N1301',
    city: 'Toulouse',
    postalCode: '31000',
    contractTypes: ['CDI'],
    description:
      'Suivi des contrats de location, des contrôles techniques, des sinistres et des coûts de la flotte.',
  },
];

const AGENCY: OfferSeed[] = [
  {
    title: 'Ouvrier / Ouvrière viticole H/F',
    jobTitle: 'Ouvrier / Ouvrière viticole',
    romeCode: 'A1405',
    city: 'Lézignan-Corbières',
    postalCode: '11200',
    contractTypes: ['CDD'],
    seasonal: true,
    description:
      'Vendanges manuelles dans les Corbières pour l’un de nos clients viticulteurs. Hébergement possible sur place.',
  },
  {
    title: 'Serveur / Serveuse en restauration H/F',
    jobTitle: 'Serveur / Serveuse en restauration',
    romeCode: 'G1803',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['INTERIM'],
    seasonal: true,
    description:
      'Service en salle et en terrasse dans un restaurant de la Cité, pour la saison estivale. Anglais apprécié.',
  },
  {
    title: 'Agent / Agente de production agroalimentaire H/F',
    jobTitle: 'Agent / Agente de fabrication en industrie agroalimentaire',
    romeCode: 'H2102',
    city: 'Castelnaudary',
    postalCode: '11400',
    contractTypes: ['INTERIM'],
    description:
      'Conditionnement de cassoulet en conserverie : alimentation de ligne, contrôle des poids et des sertis.',
  },
  {
    title: 'Aide à domicile H/F',
    jobTitle: 'Aide à domicile',
    romeCode: 'K1304',
    city: 'Narbonne',
    postalCode: '11100',
    contractTypes: ['CDI'],
    description:
      'Accompagnement de personnes âgées dans les actes de la vie quotidienne. Permis B et véhicule indispensables.',
  },
  {
    title: 'Maçon / Maçonne H/F',
    jobTitle: 'Maçon / Maçonne',
    romeCode: 'F1703',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['INTERIM'],
    salary: [13, 15, 'horaire'],
    description:
      'Gros œuvre sur chantiers de maisons individuelles. Lecture de plans et trois ans d’expérience demandés.',
  },
  {
    title: 'Réceptionniste d’hôtel H/F',
    jobTitle: 'Réceptionniste en hôtellerie',
    romeCode: 'G1703',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDD'],
    seasonal: true,
    description:
      'Accueil des clients, gestion des réservations et des encaissements dans un hôtel quatre étoiles. Anglais courant exigé.',
  },
  {
    title: 'Électricien / Électricienne du bâtiment H/F',
    jobTitle: 'Électricien / Électricienne du bâtiment',
    romeCode: 'F1602',
    city: 'Narbonne',
    postalCode: '11100',
    contractTypes: ['INTERIM'],
    description:
      'Installation électrique de logements neufs : saignées, tirage de câbles, pose d’appareillage. Habilitation B1V souhaitée.',
  },
  {
    title: 'Plombier chauffagiste H/F',
    jobTitle: 'Plombier chauffagiste / Plombière chauffagiste',
    romeCode: 'F1603',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['INTERIM'],
    salary: [14, 16, 'horaire'],
    description:
      'Installation et dépannage de chaudières et de réseaux sanitaires chez les particuliers. Véhicule de service fourni.',
  },
  {
    title: 'Commis de cuisine H/F',
    jobTitle: 'Commis de cuisine',
    romeCode: 'G1602',
    city: 'Gruissan',
    postalCode: '11430',
    contractTypes: ['CDD'],
    seasonal: true,
    description:
      'Mise en place, préparations froides et plonge dans un restaurant de bord de mer, de mai à septembre. Logement possible.',
  },
  {
    title: 'Assistant / Assistante administratif(ve) H/F',
    jobTitle: 'Assistant / Assistante administratif(ve)',
    romeCode: 'M1602',
    city: 'Narbonne',
    postalCode: '11100',
    contractTypes: ['CDD'],
    description:
      'Accueil téléphonique, saisie des commandes, classement et suivi des factures pour une PME du négoce de vins.',
  },
  {
    title: 'Auxiliaire de puériculture H/F',
    jobTitle: 'Auxiliaire de puériculture',
    romeCode: 'J1304',
    city: 'Carcassonne',
    postalCode: '11000',
    contractTypes: ['CDI'],
    description:
      'Accueil des enfants de 10 semaines à 3 ans dans une crèche associative de 40 berceaux. Diplôme d’État exigé.',
  },
  {
    title: 'Opérateur / Opératrice de tri des déchets H/F',
    jobTitle: 'Agent / Agente de tri des déchets',
    romeCode: 'K2304',
    city: 'Lézignan-Corbières',
    postalCode: '11200',
    contractTypes: ['CDD'],
    description: 'Tri manuel sur chaîne en centre de tri, port des équipements de protection obligatoire.',
  },
];

const STATUS_CYCLE = [
  'publiee',
  'publiee',
  'publiee',
  'en_attente',
  'brouillon',
  'publiee',
  'refusee',
  'expiree',
  'pourvue',
  'archivee',
  'supprimee',
  'publiee',
  'en_attente',
  'brouillon',
] as const;

const PHONES = ['04 68 11 22 33', '05 61 44 55 66', '04 68 77 88 99'];

/**
 * Seeds the demo data of DESIGN §5 once: accounts (password `demo-demo-demo`), their
 * organisations and forty offers in every status. Does nothing when already seeded.
 */
/**
 * `triage`: also the demo applicants of the triage (`npm start`, `npm run server -- --demo`); the
 * test suites seed without them, so that their counts stay those of DESIGN §5.
 */
export async function seedDemo(
  db: Database,
  engine: SyncEngine,
  options: { triage?: boolean } = {},
): Promise<boolean> {
  await db.query(
    'create table if not exists seed_state (name text primary key, at timestamptz not null default now())',
  );
  const done = await db.query("select 1 from seed_state where name = 'demo'");
  if (done.rows.length > 0) return false;
  const hash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(727002)');
    const again = await tx.query("select 1 from seed_state where name = 'demo'");
    if (again.rows.length > 0) return false;
    for (const o of Object.values(DEMO_ORGANISATIONS)) {
      await tx.query(
        `insert into organisations (id, kind, subtype, name, siret, naf_code, size_band, sector, phone, email, address,
                                    verified, verification_state)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, 'verifiee') on conflict do nothing`,
        [
          o.id,
          o.kind,
          o.subtype,
          o.name,
          o.siret,
          o.nafCode,
          o.sizeBand,
          o.sector,
          o.phone,
          o.email,
          JSON.stringify(o.address),
        ],
      );
    }
    for (const a of DEMO_ACCOUNTS) {
      await tx.query(
        `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
        [a.id, a.email, hash, a.kind, a.firstName, a.lastName, a.jobTitle],
      );
      if (a.org) {
        await tx.query(
          "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'admin') on conflict do nothing",
          [a.id, DEMO_ORGANISATIONS[a.org].id],
        );
      }
    }
    // Each demo organisation was created by its administrator; then its replicated document.
    await tx.query(
      `update organisations o set created_by = m.account_id from memberships m
        where m.organisation_id = o.id and o.id = any($1::uuid[])`,
      [Object.values(DEMO_ORGANISATIONS).map((o) => o.id)],
    );
    for (const o of Object.values(DEMO_ORGANISATIONS)) await writeOrganisationDoc(tx, engine, o.id);
    const groups: [keyof typeof DEMO_ORGANISATIONS, string, string, OfferSeed[]][] = [
      ['boulangerie', DEMO_ACCOUNTS[0].id, 'Boulangeries Martin', BAKERY],
      ['transports', DEMO_ACCOUNTS[1].id, 'Transports Garonne', TRANSPORT],
      ['agence', DEMO_ACCOUNTS[2].id, 'Domaine des Corbières', AGENCY],
    ];
    let n = 0;
    const day = 24 * 3600 * 1000;
    const base = Date.now();
    for (const [orgKey, authorId, companyName, seeds] of groups) {
      for (const s of seeds) {
        const status = STATUS_CYCLE[n % STATUS_CYCLE.length]!;
        const created = new Date(base - (60 - n) * day * 0.9);
        const { rows } = await tx.query<{ n: string }>("select nextval('offer_number_seq')::text as n");
        const doc: Record<string, unknown> = {
          id: `0f0f0000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`,
          organisationId: DEMO_ORGANISATIONS[orgKey].id,
          number: offerNumberFromSequence(Number(rows[0]!.n)),
          title: s.title,
          jobTitle: s.jobTitle,
          romeCode: s.romeCode,
          city: s.city,
          postalCode: s.postalCode,
          ...demoCompany(orgKey, s.title, companyName),
          contactName:
            orgKey === 'agence' ? 'Sophie Roux' : orgKey === 'boulangerie' ? 'Claire Martin' : 'Karim Benali',
          contactPhone: PHONES[n % PHONES.length]!,
          contactEmail: `recrutement${n % 3}@demo.test`,
          seasonal: s.seasonal ?? false,
          contractTypes: s.contractTypes,
          description: `${s.description}\n\nPoste à pourvoir dès que possible. Envoyez votre candidature en ligne : nous répondons à chaque candidat sous quinze jours.`,
          status,
          authorId,
          createdAt: created.toISOString(),
          updatedAt: new Date(created.getTime() + day).toISOString(),
        };
        if (s.salary)
          Object.assign(doc, { salaryMin: s.salary[0], salaryMax: s.salary[1], salaryPeriod: s.salary[2] });
        // Place and job as the offer form records them: commune with coordinates (distances in the
        // search), and the most common ROME appellation of the job's code.
        const commune = DEMO_COMMUNES[s.city];
        if (commune)
          Object.assign(doc, { communeCode: commune.code, latitude: commune.lat, longitude: commune.lon });
        const appellation = await tx.query<{ code_ogr: string }>(
          'select code_ogr from rome_appellations where rome_code = $1 order by rarely_used, code_ogr limit 1',
          [s.romeCode],
        );
        if (appellation.rows[0]) doc.appellationCode = appellation.rows[0].code_ogr;
        if (status !== 'brouillon') doc.submittedAt = new Date(created.getTime() + day / 2).toISOString();
        if (['publiee', 'expiree', 'pourvue', 'archivee'].includes(status)) {
          const published = new Date(created.getTime() + day);
          doc.publishedAt = published.toISOString();
          doc.expiresAt =
            status === 'expiree' ? new Date(base - 2 * day).toISOString() : expiryFor(published);
        }
        if (status === 'refusee')
          doc.moderationReason =
            'La mention H/F est absente du titre et la description comporte un critère discriminatoire (âge).';
        if (status === 'supprimee') doc.previousStatus = 'brouillon';
        Object.assign(doc, {
          posts: 1 + (n % 3),
          qualification: QUALIFICATION_LEVELS[(n * 5) % QUALIFICATION_LEVELS.length],
          workingTime: n % 4 === 3 ? 'temps_partiel' : 'temps_plein',
          weeklyHours: n % 4 === 3 ? 24 : 35,
          applicationMode: n % 5 === 4 ? 'contact' : 'portail',
          ...(n % 5 === 4 ? { applicationContact: { email: `candidatures${n % 3}@demo.test` } } : {}),
          history: demoHistory(
            status,
            created,
            day,
            { id: authorId, name: authorName(authorId) },
            doc.expiresAt as string | undefined,
          ),
        });
        await engine.write(tx, offersCollection, doc as Doc, false);
        n++;
      }
    }
    await seedDemoCompanies(tx, engine, {
      boulangerie: DEMO_ORGANISATIONS.boulangerie.id,
      transports: DEMO_ORGANISATIONS.transports.id,
      agence: DEMO_ORGANISATIONS.agence.id,
      recruteur1: DEMO_ACCOUNTS[0].id,
      recruteur2: DEMO_ACCOUNTS[1].id,
      agenceUser: DEMO_ACCOUNTS[2].id,
      moderateur: DEMO_ACCOUNTS[4].id,
    });
    const published = await tx.query<{ id: string }>(
      "select id from offers where doc->>'status' = 'publiee' and not deleted order by doc->>'number'",
    );
    await seedDemoCandidate(tx, engine, {
      candidate: DEMO_ACCOUNTS[5].id,
      offerIds: published.rows.map((r) => r.id),
    });
    if (options.triage) {
      await seedDemoTriage(tx, engine, {
        organisationId: DEMO_ORGANISATIONS.boulangerie.id,
        recruiterId: DEMO_ACCOUNTS[0].id,
        recruiterName: authorName(DEMO_ACCOUNTS[0].id),
      });
    }
    await tx.query("insert into seed_state (name) values ('demo')");
    return true;
  });
}

function authorName(id: string): string {
  const a = DEMO_ACCOUNTS.find((x) => x.id === id);
  return a ? `${a.firstName} ${a.lastName}` : '';
}

/** A plausible history for a demo offer in this status. */
function demoHistory(
  status: string,
  created: Date,
  day: number,
  author: { id: string; name: string },
  expiresAt?: string,
) {
  const at = (d: number) => new Date(created.getTime() + d * day).toISOString();
  const by = { by: author.id, byName: author.name };
  const moderator = {
    by: DEMO_ACCOUNTS[4].id,
    byName: `${DEMO_ACCOUNTS[4].firstName} ${DEMO_ACCOUNTS[4].lastName} (modération)`,
  };
  const h: Record<string, unknown>[] = [{ at: at(0), action: 'creation', to: 'brouillon', ...by }];
  if (status === 'brouillon') return h;
  if (status === 'supprimee')
    return [...h, { at: at(1), action: 'suppression', from: 'brouillon', to: 'supprimee', ...by }];
  h.push({ at: at(0.5), action: 'soumission', from: 'brouillon', to: 'en_attente', ...by });
  if (status === 'en_attente') return h;
  if (status === 'refusee')
    return [
      ...h,
      {
        at: at(1),
        action: 'refus',
        from: 'en_attente',
        to: 'refusee',
        ...moderator,
        reason:
          'La mention H/F est absente du titre et la description comporte un critère discriminatoire (âge).',
      },
    ];
  h.push({ at: at(1), action: 'publication', from: 'en_attente', to: 'publiee', ...moderator });
  if (status === 'expiree')
    h.push({ at: expiresAt ?? at(2), action: 'expiration', from: 'publiee', to: 'expiree' });
  if (status === 'pourvue') h.push({ at: at(5), action: 'pourvue', from: 'publiee', to: 'pourvue', ...by });
  if (status === 'archivee')
    h.push({ at: at(5), action: 'archivage', from: 'publiee', to: 'archivee', ...by });
  return h;
}

/** The company profile a demo offer is for: the employer's own, or the agency client the job fits. */
function demoCompany(
  orgKey: string,
  title: string,
  employerName: string,
): { companyId: string; companyName: string } {
  if (orgKey === 'boulangerie') return { companyId: DEMO_COMPANY_IDS.boulangerie, companyName: employerName };
  if (orgKey === 'transports') return { companyId: DEMO_COMPANY_IDS.transports, companyName: employerName };
  if (/serveu|réception|commis|cuisin|électric|plomb/i.test(title))
    return { companyId: DEMO_COMPANY_IDS.hotel, companyName: 'Hôtel de la Cité' };
  if (/agroalimentaire|production|conserv/i.test(title))
    return { companyId: DEMO_COMPANY_IDS.conserverie, companyName: 'Conserverie du Lauragais' };
  return { companyId: DEMO_COMPANY_IDS.domaine, companyName: 'Domaine des Corbières' };
}
