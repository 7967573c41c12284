/**
 * The 14 « grands domaines » of the ROME: the first letter of a ROME code (A1101 → A). Used as
 * « domaine » in the candidate's profile, the search preferences and the advanced offer search.
 */
export const ROME_DOMAINS = [
  { code: 'A', label: 'Agriculture et pêche, espaces naturels et espaces verts, soins aux animaux' },
  { code: 'B', label: 'Arts et façonnage d’ouvrages d’art' },
  { code: 'C', label: 'Banque, assurance, immobilier' },
  { code: 'D', label: 'Commerce, vente et grande distribution' },
  { code: 'E', label: 'Communication, média et multimédia' },
  { code: 'F', label: 'Construction, bâtiment et travaux publics' },
  { code: 'G', label: 'Hôtellerie-restauration, tourisme, loisirs et animation' },
  { code: 'H', label: 'Industrie' },
  { code: 'I', label: 'Installation et maintenance' },
  { code: 'J', label: 'Santé' },
  { code: 'K', label: 'Services à la personne et à la collectivité' },
  { code: 'L', label: 'Spectacle' },
  { code: 'M', label: 'Support à l’entreprise' },
  { code: 'N', label: 'Transport et logistique' },
] as const;

export type RomeDomain = (typeof ROME_DOMAINS)[number]['code'];

export function isRomeDomain(value: unknown): value is RomeDomain {
  return typeof value === 'string' && ROME_DOMAINS.some((d) => d.code === value);
}

/** The domain of a ROME code (`N4101` → `N`), or null. */
export function romeDomainOf(romeCode: string): RomeDomain | null {
  const letter = romeCode.charAt(0).toUpperCase();
  return isRomeDomain(letter) ? letter : null;
}

export function romeDomainLabel(code: string): string {
  return ROME_DOMAINS.find((d) => d.code === code)?.label ?? code;
}
