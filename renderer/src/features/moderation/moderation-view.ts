import {
  MODERATION_FLAG_LABELS,
  type ModerationFlagCode,
  moderationFlags,
} from '../../../../shared/domain/moderation-checks';
import type { OfferDoc } from '../../../../shared/schemas';
import type { OrganisationDoc } from '../../../../shared/schemas/organisation.schema';

/** Pure helpers of the moderation queue (badges for the automatic flags, verification, reason). */

export type ModerationFlag = NonNullable<OfferDoc['moderationFlags']>[number];

export type FlagTone = 'danger' | 'warning' | 'info';

export interface FlagBadge {
  label: string;
  tone: FlagTone;
}

const FLAG_TONES: Record<ModerationFlagCode, FlagTone> = {
  'critere-discriminatoire': 'danger',
  'mention-hf-absente': 'warning',
  'doublon-probable': 'warning',
  'salaire-absent': 'info',
  'contact-absent': 'info',
};

/**
 * The badge of an automatic flag: the label of its code (shared/domain/moderation-checks.ts)
 * and a tone by seriousness. A code this version does not know (a newer server) is read by
 * topic, and still shows its message.
 */
export function flagBadge(flag: Pick<ModerationFlag, 'code' | 'field'>): FlagBadge {
  if (Object.hasOwn(MODERATION_FLAG_LABELS, flag.code)) {
    const known = flag.code as ModerationFlagCode;
    return { label: MODERATION_FLAG_LABELS[known], tone: FLAG_TONES[known] };
  }
  const code = flag.code.toLowerCase();
  if (/(^|[-_])(hf|h-f|genre|mention)/.test(code)) return { label: 'Mention H/F', tone: 'warning' };
  if (/discrimin|critere|vigilance/.test(code))
    return { label: 'Critère discriminatoire', tone: /vigilance/.test(code) ? 'warning' : 'danger' };
  if (/salaire|salary/.test(code)) return { label: 'Salaire', tone: 'info' };
  if (/contact/.test(code)) return { label: 'Contact', tone: 'info' };
  if (/doublon|duplicate/.test(code)) return { label: 'Doublon probable', tone: 'warning' };
  return { label: 'Contrôle automatique', tone: 'info' };
}

/** Flags in reading order: the most serious first (discrimination, then H/F, duplicates, the rest). */
export function sortFlags(flags: readonly ModerationFlag[] | undefined): ModerationFlag[] {
  const rank: Record<FlagTone, number> = { danger: 0, warning: 1, info: 2 };
  return [...(flags ?? [])]
    .map((f, i) => ({ f, i, r: rank[flagBadge(f).tone] }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.f);
}

export interface OfferFlags {
  flags: ModerationFlag[];
  /**
   * `server`: the checks the server ran at submission; `local`: an offer submitted before the
   * checks existed (no `moderationFlags`), checked on this workstation, without the search for
   * duplicates (which needs every published offer).
   */
  source: 'server' | 'local';
}

/** The flags to show for an offer, most serious first. */
export function flagsFor(offer: OfferDoc): OfferFlags {
  if (offer.moderationFlags) return { flags: sortFlags(offer.moderationFlags), source: 'server' };
  return { flags: sortFlags(moderationFlags(offer)), source: 'local' };
}

export type VerificationView =
  | { known: false }
  | { known: true; verified: true }
  | { known: true; verified: false; label: string };

const STATE_LABELS: Record<string, string> = {
  en_attente: 'en attente de vérification',
  informations_demandees: 'informations demandées',
  refusee: 'vérification refusée',
};

/** What the queue knows of an offer's organisation (the replica may not hold it). */
export function verificationOf(org: OrganisationDoc | null | undefined): VerificationView {
  if (!org) return { known: false };
  if (org.verificationState === 'verifiee') return { known: true, verified: true };
  return { known: true, verified: false, label: STATE_LABELS[org.verificationState] ?? 'non vérifiée' };
}

/** The refusal reason as the server accepts it (5 to 1,000 characters), or the French error. */
export function reasonError(reason: string): string | null {
  const r = reason.trim();
  if (r.length === 0) return 'Indiquez le motif du refus : il sera communiqué au recruteur.';
  if (r.length < 5) return 'Le motif du refus doit compter au moins 5 caractères.';
  if (r.length > 1000) return 'Le motif du refus ne doit pas dépasser 1 000 caractères.';
  return null;
}
