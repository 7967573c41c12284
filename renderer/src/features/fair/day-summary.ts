import { APPLICATION_STATUSES, type ApplicationStatus } from '../../../../shared/domain/application';
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';

/**
 * The day summary of an event (issue 6): how many people were met (one capture may give one
 * application per offer of interest: they share a `captureId`), per offer and status, per
 * colleague (`capturedByName`; registrations from the portal count apart). Merged captures
 * (`mergedInto`) are the same person as the application they joined.
 */

export const ONLINE_REGISTRATION = 'Inscriptions en ligne';
export const NO_OFFER = 'Sans offre précise';

export interface OfferSummary {
  offerId: string | null;
  title: string;
  total: number;
  byStatus: Partial<Record<ApplicationStatus, number>>;
}

export interface DaySummary {
  /** Distinct people met (captures and registrations). */
  people: number;
  applications: number;
  byStatus: Partial<Record<ApplicationStatus, number>>;
  perOffer: OfferSummary[];
  perColleague: { name: string; people: number }[];
}

/** The key of a person: the capture that made the application, or the application itself. */
export function personKey(a: Pick<ApplicationDoc, 'id' | 'captureId' | 'mergedInto'>): string {
  return a.captureId ? `capture:${a.captureId}` : `application:${a.mergedInto ?? a.id}`;
}

export function daySummary(
  applications: readonly ApplicationDoc[],
  offerTitles: ReadonlyMap<string, string>,
): DaySummary {
  const people = new Set<string>();
  const byStatus: Partial<Record<ApplicationStatus, number>> = {};
  const perOffer = new Map<string, OfferSummary>();
  const perColleague = new Map<string, Set<string>>();
  for (const a of applications) {
    const key = personKey(a);
    people.add(key);
    const status = a.status as ApplicationStatus;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const offerKey = a.offerId ?? '';
    let o = perOffer.get(offerKey);
    if (!o) {
      o = {
        offerId: a.offerId ?? null,
        title: a.offerId ? (offerTitles.get(a.offerId) ?? a.offer?.title ?? 'Offre') : NO_OFFER,
        total: 0,
        byStatus: {},
      };
      perOffer.set(offerKey, o);
    }
    o.total++;
    o.byStatus[status] = (o.byStatus[status] ?? 0) + 1;
    const colleague = a.capturedByName?.trim() || (a.capturedBy ? 'Collègue' : ONLINE_REGISTRATION);
    const set = perColleague.get(colleague) ?? new Set<string>();
    set.add(key);
    perColleague.set(colleague, set);
  }
  return {
    people: people.size,
    applications: applications.length,
    byStatus,
    perOffer: [...perOffer.values()].sort(
      (a, b) => b.total - a.total || a.title.localeCompare(b.title, 'fr', { sensitivity: 'base' }),
    ),
    perColleague: [...perColleague.entries()]
      .map(([name, set]) => ({ name, people: set.size }))
      .sort((a, b) => b.people - a.people || a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' })),
  };
}

/** The statuses present in a summary, in the pipeline's order (the table's columns). */
export function summaryStatuses(summary: Pick<DaySummary, 'byStatus'>): ApplicationStatus[] {
  return APPLICATION_STATUSES.filter((s) => (summary.byStatus[s] ?? 0) > 0);
}
