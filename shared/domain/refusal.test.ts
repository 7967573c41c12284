import { describe, expect, it } from 'vitest';
import { applicationSchemaLiteral } from '../schemas/application.schema';
import { OTHER_REFUSAL_REASON, REFUSAL_REASONS, refusalReasonLabel } from './refusal';

describe('refusal reasons', () => {
  it('lists the eleven reasons in French, « Autre motif » last', () => {
    expect(REFUSAL_REASONS.map((r) => r.label)).toEqual([
      'Candidat non joignable',
      'Candidat non intéressé',
      'Candidat non disponible ou non mobile',
      'Le candidat n’a pas donné suite',
      'Pas de recrutement en cours',
      'Compétences insuffisantes pour le poste',
      'Expérience insuffisante',
      'Contraintes horaires ou de déplacement incompatibles',
      'Poste pourvu par un autre candidat',
      'Candidature en doublon',
      'Autre motif',
    ]);
    expect(REFUSAL_REASONS.at(-1)?.code).toBe(OTHER_REFUSAL_REASON);
  });

  it('has unique codes and labels that fit the application’s refusalReason', () => {
    expect(new Set(REFUSAL_REASONS.map((r) => r.code)).size).toBe(REFUSAL_REASONS.length);
    expect(new Set(REFUSAL_REASONS.map((r) => r.label)).size).toBe(REFUSAL_REASONS.length);
    for (const r of REFUSAL_REASONS) {
      expect(r.code).toMatch(/^[a-z_]+$/);
      expect(r.label.length).toBeLessThanOrEqual(applicationSchemaLiteral.properties.refusalReason.maxLength);
    }
  });

  it('gives the label of a code, null for an unknown one', () => {
    expect(refusalReasonLabel('injoignable')).toBe('Candidat non joignable');
    expect(refusalReasonLabel('doublon')).toBe('Candidature en doublon');
    expect(refusalReasonLabel('autre')).toBe('Autre motif');
    expect(refusalReasonLabel('inconnu')).toBeNull();
    expect(refusalReasonLabel('')).toBeNull();
    expect(refusalReasonLabel('Candidat non joignable')).toBeNull();
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(REFUSAL_REASONS)).toBe(true);
  });
});
