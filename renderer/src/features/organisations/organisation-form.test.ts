import { describe, expect, it } from 'vitest';
import { SIRET_CHECKSUM_MESSAGE } from '../../../../shared/domain/siret';
import type { OrganisationDoc } from '../../../../shared/schemas';
import {
  docToForm,
  EMPTY_ORGANISATION_FORM,
  formToCreatePayload,
  formToPayload,
  validateOrganisationForm,
  verificationMessage,
} from './organisation-form';

const filled = {
  ...EMPTY_ORGANISATION_FORM,
  kind: 'employer' as const,
  name: ' Jardins de Cocagne ',
  siret: '443 061 841 00047',
  nafCode: '8130z',
  street: '1 chemin des Jardins',
  commune: { code: '11069', name: 'Carcassonne', postalCode: '11000', lat: 43.21, lon: 2.35 },
  communeText: 'Carcassonne (11000)',
};

describe('organisation form', () => {
  it('turns the form into the API payload (normalised SIRET and NAF, address from the commune)', () => {
    expect(formToPayload(filled)).toMatchObject({
      name: 'Jardins de Cocagne',
      siret: '44306184100047',
      nafCode: '81.30Z',
      address: {
        street: '1 chemin des Jardins',
        postalCode: '11000',
        city: 'Carcassonne',
        communeCode: '11069',
        latitude: 43.21,
        longitude: 2.35,
      },
    });
    const antenna = formToCreatePayload(filled, 'parent-id');
    expect(antenna.parentId).toBe('parent-id');
    expect(antenna.siret).toBeUndefined();
    expect('phone' in antenna).toBe(false);
  });

  it('reports the server’s French errors on the form’s fields', () => {
    expect(validateOrganisationForm(filled)).toEqual([]);
    const errors = validateOrganisationForm({
      ...filled,
      siret: '44306184100048',
      commune: null,
      communeText: 'Carcas',
      phone: 'abc',
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'siret', message: SIRET_CHECKSUM_MESSAGE },
        { field: 'commune', message: 'Choisissez la commune dans la liste proposée.' },
        expect.objectContaining({ field: 'phone' }),
      ]),
    );
    // An antenna's SIRET comes from its parent.
    expect(validateOrganisationForm({ ...filled, siret: '' }, { antenna: true })).toEqual([]);
    expect(validateOrganisationForm({ ...filled, kind: '' }).map((e) => e.field)).toContain('kind');
  });

  it('reads a replicated document back into the form', () => {
    const doc = {
      id: 'o1',
      kind: 'agency',
      name: 'Occitanie Intérim',
      siret: '51234567900017',
      address: { postalCode: '11100', city: 'Narbonne' },
      verificationState: 'informations_demandees',
      verificationReason: 'Précisez votre adresse.',
      members: [],
      createdAt: '',
      updatedAt: '',
    } as OrganisationDoc;
    expect(docToForm(doc)).toMatchObject({
      kind: 'agency',
      commune: { name: 'Narbonne', postalCode: '11100' },
      communeText: 'Narbonne (11100)',
    });
    expect(verificationMessage(doc)?.text).toContain('Précisez votre adresse.');
    expect(verificationMessage({ ...doc, verificationState: 'verifiee' })).toBeNull();
  });
});
