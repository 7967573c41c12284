/**
 * Wording that may make a job offer discriminatory, for the moderators' automatic checks.
 *
 * French law forbids writing an offer that excludes people on the grounds of Code du travail
 * art. L. 1132-1 (origin, sex, morals, sexual orientation, gender identity, age, family situation
 * or pregnancy, genetic characteristics, economic vulnerability, ethnicity, nation or alleged race,
 * political opinions, trade-union activities, religious beliefs, physical appearance, surname,
 * place of residence or bank domiciliation, health, loss of autonomy or disability, ability to
 * speak a language other than French…), art. L. 1142-1 (sex, family situation, pregnancy) and
 * art. L. 5331-2 (no upper age limit in an offer, unless a law sets one).
 *
 * This list only FLAGS wording for a moderator, who decides; it never blocks. Two levels:
 *  - `critere`: the wording states an unlawful criterion;
 *  - `vigilance`: wording often tolerated or sometimes justified, but risky; the moderator
 *    checks it and may ask the recruiter to reword it.
 *
 * Patterns are regular expressions applied to text normalised by `normaliseForMatch`
 * (moderation-checks.ts): lower case, no accents, œ → oe, every run of punctuation or spaces
 * turned into one space — so « d'enfants » reads « d enfants », « non-fumeur » reads
 * « non fumeur ». Each pattern is wrapped in word boundaries. Write them accent-free.
 *
 * Decisions worth knowing (each tested in moderation-checks.test.ts):
 *  - « jeune » alone is not flagged: jobs with young people (Mission locale, crèche, « jeunes
 *    enfants ») and « jeune entreprise » are fine. « Équipe jeune et dynamique », « jeune homme »,
 *    « profil jeune »… are flagged (classic indirect age discrimination).
 *  - « jeune diplômé » is a level of experience in French job ads, commonly tolerated but risky:
 *    `vigilance`. « junior », « senior », « débutant accepté » are not flagged.
 *  - « personnes âgées », « aide aux personnes âgées de plus de 60 ans », « enfants de moins de
 *    3 ans » describe the people the job serves: not flagged.
 *  - Ages of 16 or more only: « 2 à 5 ans d'expérience » is not an age.
 *  - « nationalité » is flagged; « international(e) », « toutes nationalités » are not.
 *  - « non-fumeur »: smoking is not a criterion of L. 1132-1 and smoking at work is already
 *    forbidden (Code de la santé publique, L. 3512-8), but requiring that a candidate does not
 *    smoke at all touches their private life (Code du travail, L. 1121-1): `vigilance`.
 *  - « bonne condition physique »: the job's physical demands are lawful to describe (port de
 *    charges, station debout); fitness is for the occupational physician to judge: `vigilance`.
 *  - « permis B », « casier judiciaire vierge », « titre de séjour » are lawful requirements: not
 *    flagged. Positive statements (« poste ouvert aux personnes en situation de handicap »,
 *    « sans distinction d'âge, de sexe… ») are not flagged either: what follows such a statement
 *    in the same sentence is skipped (see NON_DISCRIMINATION_STATEMENT).
 */

export const DISCRIMINATION_CRITERIA = {
  age: {
    label: 'âge',
    grounds: 'de leur âge',
    law: 'art. L. 1132-1 et L. 5331-2',
    note: 'Seule une condition d’âge fixée par un texte (apprentissage, contrat de professionnalisation…) peut figurer dans une offre.',
  },
  sexe: { label: 'sexe', grounds: 'de leur sexe', law: 'art. L. 1132-1 et L. 1142-1' },
  origine: {
    label: 'origine, nationalité',
    grounds: 'de leur origine, de leur nationalité ou de leur langue',
    law: 'art. L. 1132-1',
  },
  famille: {
    label: 'situation de famille, grossesse',
    grounds: 'de leur situation de famille ou d’une grossesse',
    law: 'art. L. 1132-1 et L. 1142-1',
  },
  sante: {
    label: 'santé, handicap',
    grounds: 'de leur état de santé ou d’un handicap',
    law: 'art. L. 1132-1',
  },
  apparence: { label: 'apparence physique', grounds: 'de leur apparence physique', law: 'art. L. 1132-1' },
  religion: { label: 'religion', grounds: 'de leurs convictions religieuses', law: 'art. L. 1132-1' },
  orientation: {
    label: 'orientation sexuelle, identité de genre',
    grounds: 'de leur orientation sexuelle ou de leur identité de genre',
    law: 'art. L. 1132-1',
  },
  opinions: {
    label: 'opinions politiques, activités syndicales',
    grounds: 'de leurs opinions politiques ou de leurs activités syndicales',
    law: 'art. L. 1132-1',
  },
  residence: {
    label: 'lieu de résidence',
    grounds: 'de leur lieu de résidence ou de leur domiciliation bancaire',
    law: 'art. L. 1132-1',
  },
  patronyme: { label: 'patronyme', grounds: 'de leur nom', law: 'art. L. 1132-1' },
  precarite: {
    label: 'situation économique',
    grounds: 'de leur situation économique',
    law: 'art. L. 1132-1',
  },
  vie_privee: { label: 'vie privée', grounds: 'de leur vie privée', law: 'art. L. 1121-1' },
} as const;

export type DiscriminationCriterion = keyof typeof DISCRIMINATION_CRITERIA;

export interface DiscriminationTerm {
  criterion: DiscriminationCriterion;
  /** Regular expression over normalised text (see above), without the word boundaries. */
  pattern: RegExp;
  level: 'critere' | 'vigilance';
  /** What the moderator may suggest instead; replaces the default sentence. */
  advice?: string;
}

/** An age a person may have in a job offer (16 to 69). */
const AGE = '(?:1[6-9]|[2-6][0-9])';
/** Words after « N ans » that make it a duration, not an age. */
const NOT_AN_AGE =
  '(?! (?:d |de |en |au moins d )?(?:experience|anciennete|existence|activite|pratique|metier|carriere|service|services|presence|savoir faire|expertise|garantie|contrat))';
/** People a job serves rather than the candidates (« enfants de moins de 16 ans », « personnes âgées de… »). */
const SERVED =
  '(?:personnes|personne|patients?|residents?|enfants?|jeunes|eleves|mineurs|publics?|beneficiaires?|usagers?|adultes?|seniors?|clients?|clientele|accueillis|malades)';
const PERSON =
  '(?:candidate?s?|profils?|personnes?|collaborat(?:eur|rice)s?|recrues?|salariee?s?|employee?s?|personnel|equipiers?|equipieres?)';
const SERVED_BEFORE = `(?<!${SERVED} (?:de |d |agee?s? de |agee?s? |entre )?)`;

const t = (
  criterion: DiscriminationCriterion,
  pattern: string,
  level: 'critere' | 'vigilance' = 'critere',
  advice?: string,
): DiscriminationTerm => ({
  criterion,
  pattern: new RegExp(pattern),
  level,
  ...(advice ? { advice } : {}),
});

export const DISCRIMINATION_TERMS: readonly DiscriminationTerm[] = [
  // ── Âge ─────────────────────────────────────────────────────────────────────────────────────
  t('age', '(?:jeunes? et dynamiques?|dynamiques? et jeunes?)'),
  t('age', '(?:equipe jeune|jeunes? equipes?)'),
  t(
    'age',
    'jeunes? (?:gens|candidate?s?|profils?|recrues?|collaborat(?:eur|rice)s?|vendeu(?:r|se)s?|serveu(?:r|se)s?|commerciale?s?|talents?)',
  ),
  t('age', `${PERSON} jeunes?(?! diplomee?s?)`),
  t(
    'age',
    'jeunes? diplomee?s?',
    'vigilance',
    '« Jeune diplômé » désigne souvent un niveau d’expérience, mais peut écarter des candidats selon leur âge : préférer « débutant accepté » ou « première expérience ».',
  ),
  t('age', `${SERVED_BEFORE}moins de ${AGE} ans${NOT_AN_AGE}`),
  t('age', `${SERVED_BEFORE}(?:agee?s?|avoir|ayant|etre age) (?:de )?plus de ${AGE} ans${NOT_AN_AGE}`),
  t('age', `${SERVED_BEFORE}(?:entre|de) ${AGE} (?:et|a) ${AGE} ans${NOT_AN_AGE}`),
  t('age', `${SERVED_BEFORE}${AGE} (?:a )?${AGE} ans${NOT_AN_AGE}`),
  t(
    'age',
    `${SERVED_BEFORE}agee?s? (?:de|d au moins|d au plus|entre|au minimum|au maximum|minimum|maximum) ${AGE}`,
  ),
  t('age', `${AGE} ans (?:maximum|max|maxi|au plus|au maximum)${NOT_AN_AGE}`),
  t(
    'age',
    '(?:age (?:maximum|minimum|maxi|mini|max|min|limite|requis|souhaite|exige|ideal)|(?<!(?:pas de|sans|aucune) )limite d age)',
  ),
  t('age', '(?:seniors? (?:s abstenir|exclus|non acceptes?)|pas de seniors?|retraitee?s? s abstenir)'),
  t('age', '(?:generation (?:z|y)|millennials?)'),

  // ── Sexe ────────────────────────────────────────────────────────────────────────────────────
  t('sexe', 'sexe (?:masculin|feminin)'),
  t('sexe', 'gent (?:feminine|masculine)'),
  t(
    'sexe',
    '(?:uniquement|exclusivement|seulement|reservee? a|reservee? aux) (?:des |les |un |une |aux )?(?:femmes?|hommes?|filles?|garcons?|candidates? (?:feminines?|masculins?)|profils? (?:masculins?|feminins?))',
  ),
  t(
    'sexe',
    '(?:femmes?|hommes?|filles?|garcons?) (?:uniquement|exclusivement|seulement|de preference|souhaitee?s?|privilegiee?s?|exigee?s?)',
  ),
  t(
    'sexe',
    '(?:de preference|preferablement|idealement|plutot) (?:un |une |des )?(?:femmes?|hommes?|filles?|garcons?)',
  ),
  t('sexe', `${PERSON} (?:masculin|feminin)e?s?`),
  t('sexe', 'reservee?s? (?:aux|a des|a une|a un) (?:hommes?|femmes?|filles?|garcons?)'),
  t(
    'sexe',
    '(?:recherch|recrut|cherch)[a-z]* (?:un|une|des) (?:hommes?|femmes?|filles?|garcons?)(?! (?:ou|et) (?:une |un |des )?(?:femmes?|hommes?))(?! (?:de chambre|de menage|d entretien|toutes mains))',
  ),
  t('sexe', 'jeunes? (?:femmes?|hommes?|filles?|garcons?)'),

  // ── Origine, nationalité, langue ───────────────────────────────────────────────────────────────
  t('origine', '(?<!toutes (?:les )?)nationalites?'),
  t(
    'origine',
    '(?:(?:francaise?s?|europeenne?s?|gaulois[a-z]*) de souche|de souche (?:francaise|europeenne|gauloise))',
  ),
  t(
    'origine',
    '(?:de )?(?:type|physique|profil|apparence) (?:europeen|caucasien|africain|asiatique|maghrebin|mediterraneen|nordique|antillais|arabe|occidental|latin|slave|blanc|noir)(?:ne|he|e)?s?',
  ),
  t('origine', `${PERSON} (?:d |de )?origines? (?:[a-z]+)`),
  t(
    'origine',
    '(?:race (?:blanche|noire|jaune)|races? humaines?|ethnies?|couleur de (?:la )?peau|peau (?:blanche|claire|noire|mate|foncee))',
  ),
  t('origine', '(?<!(?:cuisine|restaurant|restauration|epicerie|produits|mode|bijoux) )ethniques?'),
  t('origine', '(?:etrangers? (?:s abstenir|exclus|non acceptes?)|pas d etrangers?|aucun etranger)'),
  t(
    'origine',
    'langues? maternelles?',
    'critere',
    'Exiger une langue « maternelle » écarte des candidats selon leur origine : indiquer plutôt le niveau attendu (« anglais courant », « niveau C1 »).',
  ),
  t(
    'origine',
    '(?:sans|pas d|aucun) accent',
    'vigilance',
    'Un accent ne dit rien de la maîtrise de la langue : indiquer plutôt le niveau d’expression attendu.',
  ),

  // ── Patronyme ───────────────────────────────────────────────────────────────────────────────
  t(
    'patronyme',
    '(?:(?:nom|patronyme|prenom)s? (?:a consonance(?: [a-z]+)?|francaise?s?|europeene?s?|d origine(?: [a-z]+)?)|consonances?(?: [a-z]+)?)',
  ),

  // ── Situation de famille, grossesse ─────────────────────────────────────────────────────────
  t(
    'famille',
    '(?:sans (?:enfants?|famille|charges? de famille|attaches?(?: familiales?)?|vie de famille)|pas d enfants?|aucun enfant|pas de (?:charges? de famille|vie de famille))',
  ),
  t('famille', '(?:sans|pas de|aucune) contraintes? familiales?'),
  t('famille', 'celibataires?'),
  t('famille', `(?:etre|${PERSON}) mariee?s?`),
  t('famille', 'situation (?:de famille|familiale|matrimoniale|maritale)'),
  t('famille', '(?:mere|pere|maman|papa)s? de famille'),
  t('famille', '(?:(?:pas|non|ne pas etre) enceintes?|enceintes? (?:s abstenir|exclues?))'),
  t('famille', '(?:pas de|sans|aucune|hors|exclusion des?) (?:projet de )?grossesses?'),
  t('famille', 'projets? (?:de grossesse|d enfants?|de maternite|de bebe)'),

  // ── Santé, handicap ─────────────────────────────────────────────────────────────────────────
  t('sante', '(?:bonne|parfaite|excellente) sante(?! (?:financiere|economique))'),
  t(
    'sante',
    '(?:pas de|sans|aucun|aucune|non|ni) (?:handicap|handicapee?s?|rqth|travailleurs? handicapes?|problemes? de sante|antecedents? medicaux|maladies?(?: chroniques?)?|arrets? (?:de travail|maladie)|restrictions? medicales?)',
  ),
  t('sante', '(?:handicapee?s?|rqth|travailleurs? handicapes?) (?:s abstenir|exclus|non acceptes?|refuses?)'),
  t('sante', '(?:seropositi(?:f|ve)s?|diabetiques?|epileptiques?|obeses?|obesite)'),
  t(
    'sante',
    '(?:bonne|excellente|parfaite) (?:condition|forme) physique',
    'vigilance',
    'Décrire plutôt les contraintes du poste (port de charges, station debout) : l’aptitude relève du médecin du travail.',
  ),

  // ── Apparence physique ──────────────────────────────────────────────────────────────────────
  t(
    'apparence',
    'bonne presentation',
    'critere',
    'Exiger une « bonne présentation » écarte des candidats selon leur apparence : préciser plutôt la tenue professionnelle attendue.',
  ),
  t(
    'apparence',
    '(?:presentation|apparence|tenue physique) (?:soignee|impeccable|irreprochable)',
    'vigilance',
    'Une tenue adaptée au poste peut être demandée ; préciser laquelle plutôt que juger l’apparence.',
  ),
  t(
    'apparence',
    '(?:physique (?:agreable|avantageux|attrayant|plaisant|seduisant|avenant|irreprochable|de mannequin)|(?:bon|beau|joli) physique|belle (?:apparence|allure|silhouette|prestance|plastique)|(?:jolie?|belle|beau) (?:fille|garcon|femme|homme|visage|gueule|sourire))',
  ),
  t(
    'apparence',
    '(?:taille mannequin|minces?|minceur|surpoids|poids (?:maximum|max|proportionne|ideal|inferieur))',
  ),
  t(
    'apparence',
    '(?:(?:sans|pas de|aucun|non) (?:tatouages?|tatoue|tatouee|piercings?)|(?:tatouages?|piercings?) (?:interdits?|non visibles|non acceptes?))',
  ),
  t('apparence', '(?:mesurer|taille (?:minimum|minimale|min|requise)) (?:au moins |minimum )?1 ?m ?[0-9]{2}'),

  // ── Religion ────────────────────────────────────────────────────────────────────────────────
  t(
    'religion',
    '(?<!(?:etablissement|ecole|college|lycee|enseignement|institution|association|paroisse|diocese|eglise|communaute|prive|privee) )(?:catholiques?|musulmane?s?|juifs?|juives?|chretien(?:ne)?s?|protestante?s?|bouddhistes?|hindous?|athees?|croyante?s?)',
  ),
  t(
    'religion',
    '(?:religions?|confessions? religieuses?|convictions? religieuses?|pratiquante?s? religieu(?:x|ses?))',
  ),
  t(
    'religion',
    '(?:sans|pas de|interdiction (?:du|des|de)|port (?:du|de|des)|porter (?:le|un|des)|ne pas porter (?:le|de|un)) (?:voile|foulard|kippa|turban|signes? religieux|tenue religieuse)',
    'vigilance',
    'Une clause de neutralité n’est possible que si le règlement intérieur la prévoit et la justifie (Code du travail, art. L. 1321-2-1).',
  ),

  // ── Orientation sexuelle, identité de genre ─────────────────────────────────────────────────
  t(
    'orientation',
    '(?:heterosexuel(?:le)?s?|homosexuel(?:le)?s?|bisexuel(?:le)?s?|gays?(?! lussac)|lesbiennes?|orientation sexuelle|transgenres?|transsexuel(?:le)?s?|identite de genre)',
  ),

  // ── Opinions politiques, activités syndicales ───────────────────────────────────────────────
  t(
    'opinions',
    '(?:(?:non|pas|jamais) syndiquee?s?|syndiquee?s? (?:s abstenir|exclus)|syndicalistes? s abstenir|(?:pas de|aucun) (?:syndicats?|syndicalistes?)|(?:sans|pas d|aucune) (?:appartenance|activite|engagement|affiliation|adhesion) (?:syndicale|politique)|opinions? politiques?|(?:militante?s?|sympathisante?s?) (?:politiques?|syndicaux|syndicales?))',
  ),

  // ── Lieu de résidence, domiciliation bancaire ───────────────────────────────────────────────
  t(
    'residence',
    '(?:(?:pas de|sans|hors|aucun) (?:candidats? )?(?:de |des |venant de |venant des |issus? de |issus? des )?(?:banlieues?|cites|quartiers?(?: sensibles| prioritaires| nord)?|zup|zus|qpv)|banlieusards?|domiciliation bancaire)',
  ),
  t(
    'residence',
    '(?:habit|resid|domicili|demeur|viv)[a-z]* (?:obligatoirement|imperativement|uniquement|exclusivement|necessairement) (?:a|au|aux|dans|en|sur)',
  ),
  t(
    'residence',
    '(?:habiter|resider|etre domicilie|vivre|habitant|residant) (?:a proximite|pres|dans un rayon|a moins de [0-9]+ ?(?:km|kilometres|minutes))',
    'vigilance',
    'Le lieu de résidence n’est pas un critère de recrutement ; si le poste comporte des astreintes, indiquer plutôt le délai d’intervention attendu.',
  ),

  // ── Situation économique ────────────────────────────────────────────────────────────────────
  t(
    'precarite',
    '(?:(?:chomeurs?|demandeurs? d emploi(?: de longue duree)?|beneficiaires? du rsa|rmistes?|allocataires?|sans emploi) (?:s abstenir|exclus|refuses?|non acceptes?)|pas de (?:chomeurs?|rsa|rmistes?|beneficiaires? du rsa|demandeurs? d emploi))',
  ),

  // ── Vie privée ──────────────────────────────────────────────────────────────────────────────
  t(
    'vie_privee',
    '(?:non fumeure?s?|fumeurs? s abstenir|pas de fumeurs?)',
    'vigilance',
    'Fumer est déjà interdit sur le lieu de travail ; exiger d’un candidat qu’il ne fume pas du tout touche à sa vie privée.',
  ),
];

/**
 * Statements that the employer does NOT discriminate (« nous recrutons sans distinction d'âge,
 * de sexe, d'origine… », « poste ouvert aux personnes en situation de handicap ») quote the
 * criteria on purpose: what follows such a statement in the same sentence is not flagged.
 * Over normalised text.
 */
export const NON_DISCRIMINATION_STATEMENT =
  /\b(?:sans (?:aucune )?(?:distinction|discrimination)|quel(?:le)?s? que soi(?:en)?t|independamment (?:de|du|des)|egalite des chances|egalite professionnelle|non discrimination|lutte contre (?:les|toute forme de) discriminations?|(?:charte|label|politique|engagement) (?:de la |de |en faveur de la |pour la )?diversite|handi ?accueillant|(?:ouverts?|accessibles?) (?:a tous|a toutes|aux personnes (?:en situation de )?handicap)|a competences egales|(?:rqth|travailleurs? handicapes?) (?:bienvenue?s?|acceptee?s?)|handicap (?:bienvenue?s?|accepte))\b/;
