import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCRIMINATION_CRITERIA, DISCRIMINATION_TERMS } from './discrimination-terms';
import {
  descriptionSimilarity,
  findDiscriminatoryTerms,
  findDuplicates,
  hasGenderMention,
  MAX_MODERATION_FLAGS,
  type ModerationFlag,
  moderationFlags,
  normaliseForMatch,
  normaliseMapped,
  type OfferToCheck,
  type PublishedOfferForCheck,
  plainText,
  titleSimilarity,
} from './moderation-checks';

const clean: OfferToCheck = {
  title: 'Boulanger (H/F)',
  description:
    'Au sein de notre boulangerie artisanale, vous préparez les pains et viennoiseries du jour. Horaires de nuit, travail en équipe.',
  salaryMin: 1900,
  salaryMax: 2200,
  contactName: 'Claire Martin',
  contactPhone: '04 68 00 00 00',
  contactEmail: 'recrutement@boulangeries-martin.test',
  romeCode: 'D1102',
  city: 'Carcassonne',
  companyName: 'Boulangeries Martin',
};

const codes = (flags: ModerationFlag[]) => flags.map((f) => f.code);
const discriminatory = (description: string, title = 'Vendeur (H/F)') =>
  moderationFlags({ ...clean, title, description }).filter((f) => f.code === 'critere-discriminatoire');

describe('normaliseForMatch', () => {
  it('lower-cases, strips accents, expands ligatures and collapses punctuation', () => {
    expect(normaliseForMatch('Æther straße ½')).toBe('aether strasse 1 2');
    expect(normaliseForMatch('  Âgé(e) de 25 à 35 ans !! ')).toBe('age e de 25 a 35 ans');
    expect(normaliseForMatch('Cœur de métier — L’ŒUVRE')).toBe('coeur de metier l oeuvre');
    expect(normaliseForMatch('non-fumeur, d’enfants')).toBe('non fumeur d enfants');
    expect(normaliseForMatch('Vendeur·euse')).toBe('vendeur euse');
    expect(normaliseForMatch('Cafe\u0301')).toBe('cafe'); // decomposed accent
    expect(normaliseForMatch('')).toBe('');
  });

  it('gives the same text as the index-keeping version used for quotes, and maps back to the source', () => {
    const chars = [..."aàâäeéèêëiîïoôöuùûüçœæAÉÈÇŒ 0123456789 -’'·.,;:!?()/«»\u00a0\u0301"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const mapped = normaliseMapped(text);
        if (mapped.text !== normaliseForMatch(text)) return false;
        if (mapped.map.length !== mapped.text.length) return false;
        return mapped.map.every((i, k) => i >= 0 && i < text.length && (k === 0 || i >= mapped.map[k - 1]!));
      }),
      { numRuns: 500 },
    );
  });
});

describe('plainText', () => {
  it('removes tags and decodes entities', () => {
    expect(plainText('<p>Équipe <b>jeune</b>&nbsp;et&#160;dynamique</p><ul><li>A</li></ul>')).toBe(
      ' Équipe  jeune  et dynamique\n  A\n ',
    );
    expect(plainText('&eacute;t&eacute; &amp; &#x2019; &unknown;')).toBe('été & ’ &unknown;');
    expect(plainText('a&nbsp;b&#160;c\u202fd')).toBe('a b c d');
  });
});

describe('H/F mention', () => {
  const compliant = [
    'Vendeur H/F',
    'Vendeur (H/F)',
    'Vendeur (F/H)',
    'vendeur h/f',
    'Vendeur H / F',
    'Vendeur H-F',
    'Vendeur F-H',
    'Vendeur – F–H',
    'Vendeur (H/F/X)',
    'Développeur web F/H/NB',
    'Vendeur (HF)',
    'Vendeur homme/femme',
    'Vendeur Femme / Homme',
    'Vendeur, homme ou femme',
    'Vendeur / Vendeuse',
    'Vendeur ou vendeuse en boulangerie',
    'Directeur-Directrice d’agence',
    'Infirmier / Infirmière de nuit',
    'Vendeur·euse',
    'Vendeur•euse en prêt-à-porter',
    'Vendeur.euse',
    'Technicien·ne de maintenance',
    'Employé(e) libre-service',
    'Vendeur(se)',
    'Chargé-e de recrutement',
    'Chef / Cheffe de rayon',
    'Serveuse / Serveur',
  ];
  for (const title of compliant) {
    it(`accepts « ${title} »`, () => {
      expect(hasGenderMention(title)).toBe(true);
      expect(codes(moderationFlags({ ...clean, title }))).not.toContain('mention-hf-absente');
    });
  }

  const missing = [
    'Vendeur',
    'Vendeuse en boulangerie',
    'Serveuse',
    'Hôtesse d’accueil',
    'Comptable',
    'Chef de partie - Le Bistrot',
    'Aide-soignant Saint-Jean-le-Blanc',
    'Boulanger / Pâtissier',
    'Chauffeur PL / SPL',
    'Agent d’entretien (CDI)',
    'Femme de chambre',
    'Technicien HVAC',
    'CHEF DE RANG',
  ];
  for (const title of missing) {
    it(`flags « ${title} »`, () => {
      expect(hasGenderMention(title)).toBe(false);
      const flag = moderationFlags({ ...clean, title }).find((f) => f.code === 'mention-hf-absente');
      expect(flag?.field).toBe('title');
      expect(flag?.message).toContain(`« ${title} »`);
      expect(flag?.message).toContain('H/F');
    });
  }

  it('does not flag an empty title (the form requires one anyway)', () => {
    expect(codes(moderationFlags({ ...clean, title: '  ' }))).not.toContain('mention-hf-absente');
  });
});

describe('discriminatory criteria', () => {
  const mustFlag: [string, keyof typeof DISCRIMINATION_CRITERIA, string][] = [
    ['Vous intégrerez une équipe jeune et dynamique.', 'age', 'équipe jeune et dynamique'],
    ['Candidat de moins de 30 ans.', 'age', 'moins de 30 ans'],
    ['Profil recherché : entre 25 et 35 ans.', 'age', 'entre 25 et 35 ans'],
    ['Vous êtes âgé de 20 à 30 ans.', 'age', 'âgé de 20'],
    ['Âge maximum : 45 ans.', 'age', 'Âge maximum'],
    ['Idéalement 25-35 ans, motivé.', 'age', '25-35 ans'],
    ['Nous recherchons un jeune homme sérieux.', 'sexe', 'jeune homme'],
    ['Poste réservé aux hommes (port de charges).', 'sexe', 'réservé aux hommes'],
    ['Personne de sexe masculin uniquement.', 'sexe', 'sexe masculin'],
    ['Nous recrutons uniquement des femmes pour ce poste.', 'sexe', 'uniquement des femmes'],
    ['Candidats de nationalité française exclusivement.', 'origine', 'nationalité'],
    ['Vendeuse de type européen.', 'origine', 'type européen'],
    ['Française de souche de préférence.', 'origine', 'Française de souche'],
    ['Français langue maternelle exigé.', 'origine', 'langue maternelle'],
    ['Idéal pour une personne sans enfant.', 'famille', 'sans enfant'],
    ['Poste pour célibataire, déplacements fréquents.', 'famille', 'célibataire'],
    ['Pas de projet de grossesse dans l’année.', 'famille', 'Pas de projet de grossesse'],
    ['Idéal pour mère de famille.', 'famille', 'mère de famille'],
    ['Être en bonne santé.', 'sante', 'bonne santé'],
    ['Pas de handicap.', 'sante', 'Pas de handicap'],
    ['Exigences : bonne présentation.', 'apparence', 'bonne présentation'],
    ['Physique agréable exigé pour l’accueil.', 'apparence', 'Physique agréable'],
    ['Pas de tatouages visibles.', 'apparence', 'Pas de tatouages'],
    ['Catholique pratiquant souhaité.', 'religion', 'Catholique'],
    ['Candidats homosexuels s’abstenir.', 'orientation', 'homosexuels'],
    ['Personnes syndiquées s’abstenir ; non syndiqué de préférence.', 'opinions', 'syndiquées s’abstenir'],
    ['Pas de candidats de banlieue.', 'residence', 'Pas de candidats de banlieue'],
    ['Nom à consonance française.', 'patronyme', 'Nom à consonance française'],
    ['Chômeurs s’abstenir.', 'precarite', 'Chômeurs s’abstenir'],
  ];
  for (const [text, criterion, quoted] of mustFlag) {
    it(`flags « ${text} » (${criterion})`, () => {
      const matches = findDiscriminatoryTerms(text);
      expect(matches.map((m) => m.term.criterion)).toContain(criterion);
      const flags = discriminatory(text);
      expect(flags.length).toBeGreaterThan(0);
      const flag = flags.find((f) => f.message.includes(DISCRIMINATION_CRITERIA[criterion].label))!;
      expect(flag.field).toBe('description');
      // The message quotes the offending words as the recruiter wrote them.
      expect(flag.message).toContain(quoted);
      expect(flag.message.length).toBeLessThanOrEqual(500);
    });
  }

  const softer: [string, string][] = [
    ['Poste ouvert aux jeunes diplômés.', 'jeunes diplômés'],
    ['Non-fumeur de préférence.', 'Non-fumeur'],
    ['Bonne condition physique indispensable.', 'Bonne condition physique'],
    ['Présentation soignée.', 'Présentation soignée'],
    ['Habiter à proximité du magasin.', 'Habiter à proximité'],
  ];
  for (const [text, quoted] of softer) {
    it(`flags « ${text} » with a softer message`, () => {
      const flags = discriminatory(text);
      expect(flags).toHaveLength(1);
      expect(flags[0]!.message).toMatch(/^Formulation à vérifier/);
      expect(flags[0]!.message).toContain(`« ${quoted} »`);
    });
  }

  const mustNotFlag = [
    'Aide à domicile auprès des personnes âgées (H/F) : aide aux personnes âgées de plus de 60 ans.',
    'Auxiliaire de puériculture en crèche : accueil des jeunes enfants de moins de 3 ans.',
    'Garde d’enfants à domicile, sortie d’école.',
    'Permis B exigé, véhicule de service fourni.',
    'Entreprise internationale présente dans 40 pays.',
    'Une multinationale de l’agroalimentaire.',
    'Poste de développeur junior, débutant accepté.',
    'Profil senior : 10 ans d’expérience minimum.',
    'Vous justifiez de 2 à 5 ans d’expérience et de 3 ans d’ancienneté.',
    'Entre 20 et 30 ans d’expérience dans le bâtiment.',
    'Depuis plus de 50 ans, notre entreprise familiale forme ses apprentis.',
    'Une jeune entreprise innovante du numérique.',
    'Conseiller en insertion (H/F) : vous accompagnez les jeunes de 16 à 25 ans vers l’emploi.',
    'Accompagner des jeunes âgés de 16 à 25 ans dans leur parcours d’insertion.',
    'Auxiliaire de puériculture : enfants âgés de 10 semaines à 3 ans.',
    'Vendeur en hi-fi : enceintes, amplificateurs. Travail dans l’enceinte de l’aéroport.',
    'Coiffeur mixte pour salon hommes et femmes, rayon prêt-à-porter femme.',
    'Entreprise familiale créée il y a plus de 30 ans ; 2 ans d’expérience minimum.',
    'Remplacement d’un congé maternité de 4 mois.',
    'Sage-femme (H/F) : suivi de grossesse et consultations des femmes enceintes.',
    'Vendeur en boutique de robes de mariée.',
    'Femme de chambre / Valet de chambre : entretien des chambres.',
    'Homme d’entretien polyvalent.',
    'Nous recrutons sans distinction d’âge, de sexe, d’origine, d’orientation sexuelle ou de religion.',
    'Tous nos postes sont ouverts aux personnes en situation de handicap.',
    'Poste ouvert aux travailleurs handicapés, RQTH bienvenue.',
    'Casier judiciaire vierge, aucun antécédent judiciaire.',
    'Port de charges lourdes, station debout prolongée.',
    'Notre groupe affiche une excellente santé financière.',
    'Cuisinier en restaurant de cuisine ethnique.',
    'Éducateur sportif pour l’équipe jeunes du club.',
    'Enseignant en établissement catholique sous contrat.',
    'Pas de limite d’âge, débutants et seniors bienvenus.',
    'Contrat d’apprentissage, travail en équipe, horaires variables.',
    'Anglais courant, niveau C1.',
    'Lycée Gay-Lussac : agent d’accueil.',
    'Votre mission : préparer les commandes des clients.',
    'Titre de séjour autorisant à travailler en France.',
  ];
  for (const text of mustNotFlag) {
    it(`does not flag « ${text} »`, () => {
      expect(findDiscriminatoryTerms(text)).toEqual([]);
      expect(discriminatory(text)).toEqual([]);
    });
  }

  it('checks the title too, and reports the field', () => {
    const flags = discriminatory('Vente en boutique.', 'Jeune vendeur dynamique (H/F)');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.field).toBe('title');
    expect(flags[0]!.message).toContain('dans le titre');
    expect(flags[0]!.message).toContain('« Jeune vendeur »');
  });

  it('reads rich-text descriptions and quotes them without tags', () => {
    const flags = discriminatory('<p>Rejoignez une <strong>équipe jeune</strong> et soudée.</p>');
    expect(flags).toHaveLength(1);
    expect(flags[0]!.message).toContain('« équipe jeune »');
  });

  it('still flags a criterion stated before a non-discrimination statement in the sentence', () => {
    expect(discriminatory('Équipe jeune et dynamique engagée pour la diversité.')).toHaveLength(1);
    expect(
      discriminatory('Nous recrutons sans distinction d’âge. Candidat de moins de 30 ans.').map(
        (f) => f.message,
      ),
    ).toEqual([expect.stringContaining('moins de 30 ans')]);
  });

  it('reports each wording once and cites the law', () => {
    const flags = discriminatory('Moins de 30 ans. Vraiment : moins de 30 ans ! Et sans enfant.');
    expect(flags).toHaveLength(2);
    expect(flags[0]!.message).toContain('L. 5331-2');
    expect(flags[0]!.message).toContain('contrat de professionnalisation');
    expect(flags[1]!.message).toContain('L. 1132-1');
  });

  it('matches accents, case and punctuation loosely', () => {
    expect(discriminatory('EQUIPE JEUNE ET DYNAMIQUE')).toHaveLength(1);
    expect(discriminatory('agee de 25 ans')).toHaveLength(1);
    expect(discriminatory('non fumeur')).toHaveLength(1);
  });

  it('every term belongs to a known criterion and compiles with word boundaries', () => {
    for (const term of DISCRIMINATION_TERMS) {
      expect(DISCRIMINATION_CRITERIA[term.criterion]).toBeDefined();
      expect(() => new RegExp(`\\b(?:${term.pattern.source})\\b`, 'g')).not.toThrow();
      // No pattern matches the empty string.
      expect(new RegExp(`^(?:${term.pattern.source})$`).test('')).toBe(false);
    }
  });
});

describe('salary and contact', () => {
  it('flags a missing salary', () => {
    const flags = moderationFlags({ ...clean, salaryMin: undefined, salaryMax: null });
    expect(codes(flags)).toEqual(['salaire-absent']);
    expect(flags[0]!.field).toBe('salaryMin');
  });
  it('accepts a minimum or a maximum alone', () => {
    expect(moderationFlags({ ...clean, salaryMax: undefined })).toEqual([]);
    expect(moderationFlags({ ...clean, salaryMin: undefined })).toEqual([]);
    expect(codes(moderationFlags({ ...clean, salaryMin: 0, salaryMax: Number.NaN }))).toEqual([
      'salaire-absent',
    ]);
  });
  it('flags a missing contact, and accepts a phone or an e-mail', () => {
    expect(codes(moderationFlags({ ...clean, contactPhone: '', contactEmail: '  ' }))).toEqual([
      'contact-absent',
    ]);
    expect(moderationFlags({ ...clean, contactPhone: undefined })).toEqual([]);
    expect(moderationFlags({ ...clean, contactEmail: null })).toEqual([]);
  });
  it('flags a contact without a name, the case a submitted offer can still have', () => {
    const flags = moderationFlags({ ...clean, contactName: '  ' });
    expect(codes(flags)).toEqual(['contact-absent']);
    expect(flags[0]!.field).toBe('contactName');
    expect(flags[0]!.message).toMatch(/sans savoir qui joindre/);
    expect(codes(moderationFlags({ ...clean, contactName: undefined, contactEmail: '' }))).toEqual([
      'contact-absent',
    ]);
  });
  it('gives a clean offer no flag at all', () => {
    expect(moderationFlags(clean)).toEqual([]);
  });
});

describe('duplicates', () => {
  const published: PublishedOfferForCheck = {
    id: 'p1',
    number: '100042A',
    title: 'Boulanger H/F',
    description: clean.description,
    companyName: 'BOULANGERIES MARTIN',
    city: 'Carcassonne',
    romeCode: 'D1102',
  };

  it('flags a published offer of the same company and city with the same title and description', () => {
    const flags = moderationFlags(clean, [published]);
    expect(codes(flags)).toEqual(['doublon-probable']);
    expect(flags[0]!.message).toContain('n° 100042A');
    expect(flags[0]!.message).toContain('« Boulanger H/F »');
    expect(flags[0]!.message).toContain('Carcassonne');
  });

  it('ignores case, accents and the form of the H/F mention', () => {
    expect(
      findDuplicates({ ...clean, title: 'BOULANGER (F/H)', companyName: 'Boulangeries Mârtin' }, [published]),
    ).toHaveLength(1);
    expect(titleSimilarity('Boulanger (H/F)', 'boulanger - F/H')).toBe(1);
  });

  it('tolerates small edits of the description', () => {
    const edited = `${clean.description} Poste à pourvoir rapidement.`;
    expect(descriptionSimilarity(clean.description, edited)).toBeGreaterThanOrEqual(0.7);
    expect(findDuplicates({ ...clean, description: edited }, [published])).toHaveLength(1);
  });

  it('does not flag another company, another city, another job or another description', () => {
    expect(findDuplicates(clean, [{ ...published, companyName: 'Fournil du Midi' }])).toEqual([]);
    expect(findDuplicates(clean, [{ ...published, city: 'Narbonne' }])).toEqual([]);
    expect(findDuplicates(clean, [{ ...published, title: 'Pâtissier H/F' }])).toEqual([]);
    expect(findDuplicates(clean, [{ ...published, romeCode: 'D1104' }])).toEqual([]);
    expect(
      findDuplicates(clean, [
        {
          ...published,
          description:
            'Vous tenez la caisse, conseillez la clientèle et mettez en rayon les produits. Travail le week-end.',
        },
      ]),
    ).toEqual([]);
  });

  it('keeps titles at 0.8 word similarity: one extra word in five is still a duplicate', () => {
    const a = 'Chef de rayon fruits légumes (H/F)';
    const b = 'Chef de rayon fruits et légumes (H/F)';
    expect(titleSimilarity(a, b)).toBeCloseTo(5 / 6);
    expect(titleSimilarity('Vendeur (H/F)', 'Vendeur conseil (H/F)')).toBe(0.5);
  });

  it('does not count the offer itself (an edited published offer) as its own duplicate', () => {
    expect(findDuplicates({ ...clean, id: 'p1' }, [published])).toEqual([]);
  });

  it('trusts the caller’s pre-filtering when company or city is missing', () => {
    expect(findDuplicates({ ...clean, companyName: null, city: undefined }, [published])).toHaveLength(1);
  });

  it('names an offer without number by its title, and stops at three duplicates', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ ...published, id: `d${i}`, number: null }));
    const flags = moderationFlags(clean, many).filter((f) => f.code === 'doublon-probable');
    expect(flags).toHaveLength(3);
    expect(flags[0]!.message).toContain('une offre « Boulanger H/F »');
  });

  it('checks 1,000 published offers of one company quickly, reading only the descriptions of similar titles', () => {
    const words =
      'préparer pains viennoiseries pâtisseries vendre conseiller clients ranger nettoyer fournil four pétrin'.split(
        ' ',
      );
    let descriptionsRead = 0;
    const list: PublishedOfferForCheck[] = Array.from({ length: 1000 }, (_, i) => {
      const description = Array.from({ length: 400 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(
        ' ',
      );
      const offer = {
        id: `o${i}`,
        number: `${String(100000 + i)}A`,
        title: i % 10 === 0 ? 'Boulanger H/F' : `Poste ${i} ${words[i % words.length]} (H/F)`,
        companyName: 'Boulangeries Martin',
        city: 'Carcassonne',
      };
      return Object.defineProperty(offer, 'description', {
        get: () => {
          descriptionsRead++;
          return description;
        },
        enumerable: true,
      }) as PublishedOfferForCheck;
    });
    list.push({ ...published, id: 'real' });
    const longer = `${clean.description} ${Array.from({ length: 300 }, (_, i) => `mot${i}`).join(' ')}`;
    findDuplicates(clean, list.slice(0, 50)); // warm-up
    descriptionsRead = 0;
    const start = performance.now();
    const found = findDuplicates({ ...clean, description: longer }, list);
    const again = findDuplicates(clean, list);
    const elapsed = performance.now() - start;
    console.info(`doublons : 2 × 1 001 offres comparées en ${elapsed.toFixed(0)} ms`);
    expect(found.map((d) => d.id)).toEqual([]);
    expect(again.map((d) => d.id)).toEqual(['real']);
    // Only the 100 offers titled « Boulanger H/F » had their description compared, in each call.
    expect(descriptionsRead).toBe(200);
    // Typically 20 to 60 ms here; the bound only catches a quadratic slip on a loaded machine.
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('all checks together', () => {
  it('lists several problems at once, and never more than the document keeps', () => {
    const flags = moderationFlags({
      title: 'Vendeuse jeune et dynamique',
      description: 'Moins de 25 ans, sans enfant, bonne présentation, nationalité française.',
    });
    expect(codes(flags)).toEqual([
      'mention-hf-absente',
      'critere-discriminatoire',
      'critere-discriminatoire',
      'critere-discriminatoire',
      'critere-discriminatoire',
      'critere-discriminatoire',
      'salaire-absent',
      'contact-absent',
    ]);
    const worst = moderationFlags({
      title: 'Vendeuse',
      description: Array.from({ length: 40 }, (_, i) => `Moins de ${20 + i} ans.`).join(' '),
    });
    expect(worst.length).toBeLessThanOrEqual(MAX_MODERATION_FLAGS);
    for (const f of worst) expect(f.message.length).toBeLessThanOrEqual(500);
  });
});
