import { describe, expect, it } from 'vitest';
import type { CompanyGroup } from '../../../../shared/domain/company-profile';
import {
  deleteProblem,
  EMPTY_GROUP_FORM,
  errorOf,
  formProblem,
  GROUP_NAME_MAX,
  groupBody,
  isUnchanged,
  KIND_REQUIRED,
  kindLabel,
  NAME_REQUIRED,
  NAME_TOO_LONG,
  readGroupList,
  removeGroup,
  sortGroups,
  summariseGroups,
  upsertGroup,
  validateGroupForm,
} from './company-groups-model';

const g = (id: string, name: string, kind: CompanyGroup['kind'] = 'groupe'): CompanyGroup => ({
  id,
  name,
  kind,
});

const DEMO: CompanyGroup[] = [
  g('0c0a0000-0000-4000-8000-000000000001', 'Réseau des Entreprises Adaptées', 'reseau'),
  g('0c0a0000-0000-4000-8000-000000000002', 'Groupe Distribution Ouest', 'groupe'),
  g('0c0a0000-0000-4000-8000-000000000003', 'Réseau des artisans d’Occitanie', 'reseau'),
];

describe('company groups form', () => {
  it('asks for a name of 2 to 150 characters once spaces are collapsed, with the server’s wording', () => {
    expect(validateGroupForm(EMPTY_GROUP_FORM)).toEqual([{ field: 'name', message: NAME_REQUIRED }]);
    expect(validateGroupForm({ name: '   a   ', kind: 'groupe' })).toEqual([
      { field: 'name', message: NAME_REQUIRED },
    ]);
    expect(NAME_REQUIRED).toBe('Le nom du groupe est obligatoire (2 caractères au moins).');
    expect(validateGroupForm({ name: 'x'.repeat(GROUP_NAME_MAX), kind: 'reseau' })).toEqual([]);
    expect(validateGroupForm({ name: 'x'.repeat(GROUP_NAME_MAX + 1), kind: 'reseau' })).toEqual([
      { field: 'name', message: NAME_TOO_LONG },
    ]);
    // Collapsed spaces do not count.
    expect(validateGroupForm({ name: `  ${'x'.repeat(GROUP_NAME_MAX)}   `, kind: 'groupe' })).toEqual([]);
  });

  it('asks for a known type', () => {
    expect(validateGroupForm({ name: 'Groupe Sud', kind: '' })).toEqual([
      { field: 'kind', message: KIND_REQUIRED },
    ]);
    expect(KIND_REQUIRED).toBe('Choisissez le type : Groupe ou Réseau.');
    expect(validateGroupForm({ name: 'Groupe Sud', kind: 'federation' as never })).toHaveLength(1);
  });

  it('sends the name as the server stores it', () => {
    expect(groupBody({ name: '  Réseau   Cocagne \n', kind: 'reseau' })).toEqual({
      name: 'Réseau Cocagne',
      kind: 'reseau',
    });
  });

  it('sees an edit that changes nothing but spaces as unchanged', () => {
    const group = g('a', 'Groupe Sud');
    expect(isUnchanged(group, { name: ' Groupe  Sud ', kind: 'groupe' })).toBe(true);
    expect(isUnchanged(group, { name: 'Groupe Sud', kind: 'reseau' })).toBe(false);
    expect(isUnchanged(group, { name: 'Groupe Sud-Ouest', kind: 'groupe' })).toBe(false);
  });
});

describe('company groups list', () => {
  it('sorts like the server: by name whatever the case and accents, then by id', () => {
    const sorted = sortGroups([
      g('2', 'réseau b'),
      g('1', 'Réseau A'),
      g('4', 'Écoles de production'),
      g('3', 'groupe z'),
      g('0', 'Réseau b'),
    ]);
    expect(sorted.map((x) => x.id)).toEqual(['4', '3', '1', '0', '2']);
    expect(sortGroups(DEMO).map((x) => x.name)).toEqual([
      'Groupe Distribution Ouest',
      'Réseau des artisans d’Occitanie',
      'Réseau des Entreprises Adaptées',
    ]);
  });

  it('adds, replaces and removes a group, keeping the order', () => {
    const list = sortGroups(DEMO);
    const added = upsertGroup(list, g('new', 'Coopérative Agricole du Sud', 'reseau'));
    expect(added.map((x) => x.name)[0]).toBe('Coopérative Agricole du Sud');
    expect(added).toHaveLength(4);
    const renamed = upsertGroup(added, g('new', 'Union des Coopératives', 'groupe'));
    expect(renamed).toHaveLength(4);
    expect(renamed.at(-1)).toEqual(g('new', 'Union des Coopératives', 'groupe'));
    expect(removeGroup(renamed, 'new')).toEqual(list);
    expect(removeGroup(renamed, 'absent')).toHaveLength(4);
    // The input is never changed.
    expect(list).toHaveLength(3);
  });

  it('counts groups and networks in words', () => {
    expect(summariseGroups([])).toBe('Aucun groupe ni réseau');
    expect(summariseGroups([DEMO[0]!])).toBe('1 groupe ou réseau : 1 réseau');
    expect(summariseGroups(DEMO)).toBe('3 groupes et réseaux : 1 groupe, 2 réseaux');
    expect(summariseGroups([g('a', 'A'), g('b', 'B')])).toBe('2 groupes et réseaux : 2 groupes');
  });

  it('labels kinds with the shared labels', () => {
    expect(kindLabel('groupe')).toBe('Groupe');
    expect(kindLabel('reseau')).toBe('Réseau');
    expect(kindLabel('autre')).toBe('autre');
  });

  it('reads only a well-formed list from the server, sorted', () => {
    expect(readGroupList({ items: [DEMO[0], DEMO[1]] })?.map((x) => x.name)).toEqual([
      'Groupe Distribution Ouest',
      'Réseau des Entreprises Adaptées',
    ]);
    expect(readGroupList({ items: [] })).toEqual([]);
    expect(readGroupList(null)).toBeNull();
    expect(readGroupList({ items: 'x' })).toBeNull();
    expect(readGroupList({ items: [{ id: '1', name: 'A', kind: 'club' }] })).toBeNull();
  });
});

describe('server answers', () => {
  it('puts the server’s field errors next to the fields', () => {
    const taken = 'Un groupe ou réseau porte déjà ce nom.';
    const problem = formProblem({ status: 409, message: taken, fields: [{ field: 'name', message: taken }] });
    expect(problem).toEqual({ fields: [{ field: 'name', message: taken }], message: null });
    expect(errorOf(problem.fields, 'name')).toBe(taken);
    expect(errorOf(problem.fields, 'kind')).toBeUndefined();
  });

  it('keeps a message without fields for the whole form', () => {
    expect(
      formProblem({ status: 403, message: 'Seuls les modérateurs de la plateforme gèrent la liste.' }),
    ).toEqual({ fields: [], message: 'Seuls les modérateurs de la plateforme gèrent la liste.' });
    // A field the form does not show is still told.
    expect(
      formProblem({
        status: 400,
        message: 'Corrigez.',
        fields: [{ field: 'body', message: 'Objet JSON attendu.' }],
      }),
    ).toEqual({ fields: [], message: 'Corrigez. Objet JSON attendu.' });
  });

  it('explains a refused deletion with the server’s 409 message, and a group already gone', () => {
    const used =
      'Ce groupe est choisi par 1 fiche entreprise : il ne peut pas être supprimé. Renommez-le plutôt.';
    expect(deleteProblem(DEMO[1]!, { status: 409, message: used })).toBe(
      `« Groupe Distribution Ouest » n’a pas été supprimé. ${used}`,
    );
    expect(
      deleteProblem(DEMO[1]!, { status: 404, message: 'Ce groupe ou réseau n’existe pas (ou plus).' }),
    ).toMatch(/^« Groupe Distribution Ouest » n’existe plus/);
  });
});
