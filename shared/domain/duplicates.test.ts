import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  duplicateReasons,
  findDuplicates,
  identityKeys,
  nameKey,
  normaliseEmail,
  normalisePhone,
  type PersonIdentity,
} from './duplicates';

describe('normaliseEmail', () => {
  it('trims and lower-cases, so the case of an e-mail never hides a duplicate', () => {
    expect(normaliseEmail('  Marie.Dupont@Exemple.FR ')).toBe('marie.dupont@exemple.fr');
    expect(duplicateReasons({ email: 'MARIE@exemple.fr' }, { email: 'marie@EXEMPLE.fr' })).toEqual(['email']);
  });

  it('is null for what is not an e-mail address', () => {
    for (const value of [undefined, null, '', '   ', 'marie', 'marie@exemple', 'ma rie@exemple.fr', '@x.fr'])
      expect(normaliseEmail(value), String(value)).toBeNull();
  });
});

describe('normalisePhone', () => {
  it('gives +33XXXXXXXXX for every usual way of writing a French number', () => {
    for (const value of [
      '06 12 34 56 78',
      '06.12.34.56.78',
      '06-12-34-56-78',
      '0612345678',
      ' 06 12 34 56 78 ',
      '+33 6 12 34 56 78',
      '+33612345678',
      '+33 (0)6 12 34 56 78',
      '+33(0)612345678',
      '+33 06 12 34 56 78',
      '0033 6 12 34 56 78',
      '0033612345678',
      '33612345678',
      '06\u00a012\u00a034\u00a056\u00a078',
    ])
      expect(normalisePhone(value), value).toBe('+33612345678');
    expect(normalisePhone('01 42 68 53 00')).toBe('+33142685300');
  });

  it('keeps the prefix of overseas French numbers, whichever way they are written', () => {
    expect(normalisePhone('+262 692 12 34 56')).toBe('+262692123456');
    expect(normalisePhone('0692 12 34 56')).toBe('+262692123456');
    expect(normalisePhone('+262 (0)692 12 34 56')).toBe('+262692123456');
    expect(normalisePhone('00262 692123456')).toBe('+262692123456');
    expect(normalisePhone('0262 21 00 00')).toBe('+262262210000');
    expect(normalisePhone('0639 12 34 56')).toBe('+262639123456');
    expect(normalisePhone('+590 690 12 34 56')).toBe('+590690123456');
    expect(normalisePhone('0690 12 34 56')).toBe('+590690123456');
    expect(normalisePhone('+594 694 12 34 56')).toBe('+594694123456');
    expect(normalisePhone('0694123456')).toBe('+594694123456');
    expect(normalisePhone('+596 696 12 34 56')).toBe('+596696123456');
    expect(normalisePhone('0596 12 34 56')).toBe('+596596123456');
    expect(normalisePhone('+269 320 12 34')).toBe('+2693201234');
    expect(normalisePhone('+687 28 12 34')).toBe('+687281234');
    expect(normalisePhone('+689 87 12 34 56')).toBe('+68987123456');
    // A Réunion mobile written with +33 is the same line as with +262.
    expect(normalisePhone('+33 6 92 12 34 56')).toBe('+262692123456');
  });

  it('keeps other international numbers as + and their digits', () => {
    expect(normalisePhone('+32 470 12 34 56')).toBe('+32470123456');
    expect(normalisePhone('0032 470 12 34 56')).toBe('+32470123456');
    expect(normalisePhone('+49 (151) 1234-5678')).toBe('+4915112345678');
    expect(normalisePhone('+1 (514) 555-0199')).toBe('+15145550199');
  });

  it('is null for fewer than 8 digits, letters, or a national number of the wrong length', () => {
    for (const value of [
      undefined,
      null,
      '',
      '   ',
      '1234567',
      '+33 6 12',
      '06 12 34 56',
      '06 12 34 56 78 9',
      'zéro six douze',
      '06 12 34 56 78 poste 4',
      '+1234567890123456',
    ])
      expect(normalisePhone(value), String(value)).toBeNull();
  });
});

describe('nameKey', () => {
  it('folds accents, case and ligatures', () => {
    expect(nameKey('Hélène', 'LÉVÊQUE')).toBe('helene leveque');
    expect(nameKey('Cœur', 'Bœuf')).toBe('boeuf coeur');
    expect(nameKey('Jörg', 'Strauß')).toBe('jorg strauss');
    expect(nameKey('Çağla', 'Øster')).toBe('cagla oster');
  });

  it('turns hyphens, apostrophes and dots into spaces', () => {
    expect(nameKey('Marie-Hélène', 'Dupont')).toBe('dupont helene marie');
    expect(nameKey('Marie Hélène', 'Dupont')).toBe(nameKey('Marie-Hélène', 'Dupont'));
    expect(nameKey('Pierre', "D'Alembert")).toBe('alembert d pierre');
    expect(nameKey('Pierre', 'D’Alembert')).toBe('alembert d pierre');
    expect(nameKey('J.-P.', 'Martin')).toBe('j martin p');
    expect(nameKey('  Jean   ', '  Le   Gall ')).toBe('gall jean le');
  });

  it('does not depend on the order of first and last names', () => {
    expect(nameKey('Marie-Hélène', 'DUPONT')).toBe(nameKey('Dupont', 'Marie Hélène'));
    expect(nameKey('Jean', 'de La Fontaine')).toBe(nameKey('de la Fontaine', 'JEAN'));
  });

  it('keeps particles as tokens (« de La Fontaine » is not « Fontaine »)', () => {
    expect(nameKey('Jean', 'de La Fontaine')).toBe('de fontaine jean la');
    expect(nameKey('Jean', 'Fontaine')).not.toBe(nameKey('Jean', 'de La Fontaine'));
  });

  it('is null for a single token: one name alone is too weak', () => {
    expect(nameKey('Marie', '')).toBeNull();
    expect(nameKey('', 'Dupont')).toBeNull();
    expect(nameKey(undefined, null)).toBeNull();
    expect(nameKey(' - ', "'")).toBeNull();
    expect(duplicateReasons({ firstName: 'Marie' }, { firstName: 'Marie' })).toEqual([]);
  });

  it('keeps letters of other scripts', () => {
    expect(nameKey('Анна', 'Иванова')).toBe('анна иванова');
    expect(nameKey('محمد', 'علي')).not.toBeNull();
  });
});

describe('duplicateReasons', () => {
  const marie: PersonIdentity = {
    firstName: 'Marie-Hélène',
    lastName: 'DUPONT',
    email: 'MH.Dupont@exemple.fr',
    phone: '06 12 34 56 78',
  };

  it('lists every reason in the order email, phone, name', () => {
    expect(
      duplicateReasons(marie, {
        firstName: 'Dupont',
        lastName: 'Marie Hélène',
        email: 'mh.dupont@exemple.fr ',
        phone: '+33 6 12 34 56 78',
      }),
    ).toEqual(['email', 'phone', 'name']);
    expect(duplicateReasons(marie, { firstName: 'M.', lastName: 'D.', phone: '0033612345678' })).toEqual([
      'phone',
    ]);
    expect(duplicateReasons(marie, { firstName: 'Hélène', lastName: 'Dupont Marie' })).toEqual(['name']);
  });

  it('does not match on a shared first name, nor on two people without phone or e-mail', () => {
    expect(
      duplicateReasons(
        { firstName: 'Marie', lastName: 'Dupont' },
        { firstName: 'Marie', lastName: 'Durand', email: 'marie@exemple.fr' },
      ),
    ).toEqual([]);
    expect(duplicateReasons({ firstName: 'Marie' }, { firstName: 'Marie', lastName: 'Durand' })).toEqual([]);
    expect(duplicateReasons({ email: '', phone: '' }, { email: '', phone: '' })).toEqual([]);
    expect(duplicateReasons({ phone: '123' }, { phone: '123' })).toEqual([]);
  });

  it('is symmetric (property)', () => {
    const firstNames = fc.constantFrom('Marie', 'marie', 'Marie-Hélène', 'Hélène', 'Jean', '', 'Dupont');
    const lastNames = fc.constantFrom('Dupont', 'DUPONT', 'Marie Hélène', 'de La Fontaine', '', 'Le Gall');
    const emails = fc.oneof(
      fc.constantFrom('marie@exemple.fr', 'MARIE@exemple.fr', ' marie@exemple.fr', 'x', ''),
      fc.emailAddress(),
    );
    const phones = fc.oneof(
      fc.constantFrom('06 12 34 56 78', '+33612345678', '0692123456', '+262 692 12 34 56', '12', ''),
      fc.string({ maxLength: 20 }),
    );
    const person = fc.record(
      { firstName: firstNames, lastName: lastNames, email: emails, phone: phones },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(person, person, (a, b) => {
        expect(duplicateReasons(a, b)).toEqual(duplicateReasons(b, a));
      }),
      { numRuns: 500 },
    );
  });

  it('a person with a key always matches themselves on it (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (firstName, lastName, email, phone) => {
        const p = { firstName, lastName, email, phone };
        const keys = identityKeys(p);
        const expected = (['email', 'phone', 'name'] as const).filter((k) => keys[k] !== null);
        expect(duplicateReasons(p, { ...p })).toEqual(expected);
      }),
    );
  });
});

describe('findDuplicates', () => {
  interface Row {
    id: string;
    identity: PersonIdentity;
  }
  const rows: Row[] = [
    { id: 'nom-seul', identity: { firstName: 'Dupont', lastName: 'Marie' } },
    { id: 'personne', identity: { firstName: 'Paul', lastName: 'Martin', email: 'paul@exemple.fr' } },
    { id: 'tel', identity: { firstName: 'M.', lastName: 'Dupont', phone: '+33 6 12 34 56 78' } },
    { id: 'mail', identity: { firstName: 'Marie', lastName: 'D', email: 'MARIE.DUPONT@exemple.fr' } },
    { id: 'nom-seul-2', identity: { firstName: 'MARIE', lastName: 'DUPONT', phone: '07 00 00 00 00' } },
    { id: 'tout', identity: { firstName: 'Marie', lastName: 'Dupont', email: 'marie.dupont@exemple.fr' } },
    { id: 'prenom', identity: { firstName: 'Marie', lastName: 'Durand' } },
  ];

  it('returns the matches strongest first (e-mail, phone, name only), ties in input order', () => {
    const found = findDuplicates(
      { firstName: 'Marie', lastName: 'Dupont', email: 'marie.dupont@exemple.fr', phone: '0612345678' },
      rows,
      (r) => r.identity,
    );
    expect(found.map((m) => [m.item.id, m.reasons])).toEqual([
      ['tout', ['email', 'name']],
      ['mail', ['email']],
      ['tel', ['phone']],
      ['nom-seul', ['name']],
      ['nom-seul-2', ['name']],
    ]);
  });

  it('returns nothing for a person without any usable key', () => {
    expect(findDuplicates({ firstName: 'Marie' }, rows, (r) => r.identity)).toEqual([]);
    expect(findDuplicates({}, rows, (r) => r.identity)).toEqual([]);
  });

  it('stays fast on a few thousand candidates (linear)', () => {
    const many: Row[] = Array.from({ length: 5000 }, (_, i) => ({
      id: String(i),
      identity: {
        firstName: `Prénom${i}`,
        lastName: `Nom-${i % 97}`,
        email: `p${i}@exemple.fr`,
        phone: `06 ${String(10000000 + i).slice(0, 8)}`,
      },
    }));
    const start = performance.now();
    const found = findDuplicates(
      { firstName: 'Nom 3', lastName: 'prenom3', email: 'P4999@exemple.fr' },
      many,
      (r) => r.identity,
    );
    expect(performance.now() - start).toBeLessThan(500);
    expect(found.map((m) => m.item.id)).toEqual(['4999', '3']);
  });
});
