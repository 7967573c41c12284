import { describe, expect, it } from 'vitest';
import type { OfferDoc } from '../../../../shared/schemas';
import { blankOffer } from '../../../../shared/schemas/offer.schema';
import type { OrganisationDoc } from '../../../../shared/schemas/organisation.schema';
import { flagBadge, flagsFor, reasonError, sortFlags, verificationOf } from './moderation-view';

const org = (verificationState: OrganisationDoc['verificationState']): OrganisationDoc => ({
  id: 'o1',
  kind: 'employer',
  name: 'Boulangeries Martin',
  verificationState,
  members: [],
  createdAt: '2025-01-01',
  updatedAt: '2025-01-01',
});

describe('moderation queue helpers', () => {
  it("labels the server's flag codes with the shared labels, the most serious in red", () => {
    expect(flagBadge({ code: 'mention-hf-absente' })).toEqual({
      label: 'Mention H/F absente',
      tone: 'warning',
    });
    expect(flagBadge({ code: 'critere-discriminatoire' })).toEqual({
      label: 'Critère discriminatoire possible',
      tone: 'danger',
    });
    expect(flagBadge({ code: 'salaire-absent' }).label).toBe('Salaire absent');
    expect(flagBadge({ code: 'contact-absent' }).label).toBe('Contact absent ou incomplet');
    expect(flagBadge({ code: 'doublon-probable' })).toEqual({ label: 'Doublon probable', tone: 'warning' });
  });

  it('reads an unknown code by topic', () => {
    expect(flagBadge({ code: 'hf-absent' }).label).toBe('Mention H/F');
    expect(flagBadge({ code: 'discrimination-age' })).toEqual({
      label: 'Critère discriminatoire',
      tone: 'danger',
    });
    expect(flagBadge({ code: 'discrimination-vigilance' }).tone).toBe('warning');
    expect(flagBadge({ code: 'salary-missing' }).label).toBe('Salaire');
    expect(flagBadge({ code: 'contact-public' }).label).toBe('Contact');
    expect(flagBadge({ code: 'doublon' }).label).toBe('Doublon probable');
    expect(flagBadge({ code: 'autre-chose' }).label).toBe('Contrôle automatique');
  });

  it('lists the most serious flags first, keeping the order otherwise', () => {
    const flags = [
      { code: 'salaire-absent', message: 'a' },
      { code: 'critere-discriminatoire', message: 'b' },
      { code: 'mention-hf-absente', message: 'c' },
      { code: 'contact-absent', message: 'd' },
    ];
    expect(sortFlags(flags).map((f) => f.message)).toEqual(['b', 'c', 'a', 'd']);
    expect(sortFlags(undefined)).toEqual([]);
  });

  it("uses the server's flags, and checks on the workstation an offer submitted before the checks", () => {
    const base: OfferDoc = {
      ...blankOffer('o1', 'org', 'en_attente', '2025-01-01'),
      title: 'Serveur en terrasse',
      description: 'Service en terrasse. Nous cherchons une personne jeune et dynamique.',
      contactPhone: '04 68 00 11 22',
      contactName: 'Lucie Roux',
    };
    const server = flagsFor({ ...base, moderationFlags: [] });
    expect(server).toEqual({ flags: [], source: 'server' });
    const local = flagsFor(base);
    expect(local.source).toBe('local');
    expect(local.flags.map((f) => f.code)).toEqual([
      'critere-discriminatoire',
      'mention-hf-absente',
      'salaire-absent',
    ]);
    expect(
      flagsFor({
        ...base,
        title: 'Serveur / Serveuse H/F',
        salaryMin: 1900,
        salaryPeriod: 'mensuel',
        description: 'Service en terrasse, prise de commandes et encaissement.',
      }).flags,
    ).toEqual([]);
  });

  it('tells an unverified organisation, and says nothing when the replica does not know it', () => {
    expect(verificationOf(undefined)).toEqual({ known: false });
    expect(verificationOf(org('verifiee'))).toEqual({ known: true, verified: true });
    expect(verificationOf(org('en_attente'))).toEqual({
      known: true,
      verified: false,
      label: 'en attente de vérification',
    });
    expect(verificationOf(org('informations_demandees'))).toMatchObject({ verified: false });
  });

  it('checks the refusal reason as the server does (5 to 1,000 characters)', () => {
    expect(reasonError('   ')).toMatch(/Indiquez le motif/);
    expect(reasonError('abcd')).toMatch(/au moins 5/);
    expect(reasonError('Titre sans mention H/F')).toBeNull();
    expect(reasonError('x'.repeat(1001))).toMatch(/1 000/);
  });
});
