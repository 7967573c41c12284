/**
 * Why an application is refused (issue 6), after the reasons of les emplois de l'inclusion
 * (seed 003). `refusalReason` in the application stores the label as a French recruiter reads it,
 * or, after « Autre motif », the text the recruiter typed.
 */

export const REFUSAL_REASONS: readonly { code: string; label: string }[] = Object.freeze(
  [
    { code: 'injoignable', label: 'Candidat non joignable' },
    { code: 'non_interesse', label: 'Candidat non intéressé' },
    { code: 'non_disponible', label: 'Candidat non disponible ou non mobile' },
    { code: 'sans_suite', label: 'Le candidat n’a pas donné suite' },
    { code: 'pas_de_recrutement', label: 'Pas de recrutement en cours' },
    { code: 'competences', label: 'Compétences insuffisantes pour le poste' },
    { code: 'experience', label: 'Expérience insuffisante' },
    { code: 'contraintes', label: 'Contraintes horaires ou de déplacement incompatibles' },
    { code: 'poste_pourvu', label: 'Poste pourvu par un autre candidat' },
    { code: 'doublon', label: 'Candidature en doublon' },
    { code: 'autre', label: 'Autre motif' },
  ].map((r) => Object.freeze(r)),
);

/** The code of « Autre motif »: the recruiter types the reason, which is stored instead of the label. */
export const OTHER_REFUSAL_REASON = 'autre';

/** The label of a reason code; null for an unknown code. */
export function refusalReasonLabel(code: string): string | null {
  return REFUSAL_REASONS.find((r) => r.code === code)?.label ?? null;
}
