import { randomUUID } from 'node:crypto';

/**
 * A draft offer as a workstation pushes it (every field the seed 001 form requires), for the
 * campaigns and the tests: `organisationId` and anything else overridable.
 */
export function offerDraft(
  organisationId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { id: string } {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    organisationId,
    title: 'Vendeur / Vendeuse H/F',
    jobTitle: 'Vendeur / Vendeuse en boulangerie',
    city: 'Carcassonne',
    companyName: 'Boulangeries Martin',
    contactPhone: '04 68 11 22 33',
    seasonal: false,
    contractTypes: ['CDD'],
    description: 'Accueil de la clientèle, conseil, encaissement et mise en valeur de la vitrine.',
    status: 'brouillon',
    createdAt: now,
    updatedAt: now,
    _deleted: false,
    ...extra,
  } as Record<string, unknown> & { id: string };
}
