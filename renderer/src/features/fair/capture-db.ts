/**
 * Saving a walk-in capture (issue 6 « Quick capture »): the CV file goes to this workstation's file
 * store and the upload queue, the applications (one per offer of interest) and the capturer's
 * evaluations (rating, note) to the local replica. All of it works offline; the capture syncs even
 * before its file (DESIGN §4 « Files »).
 */
import type { SessionUser } from '../../../../shared/domain/account';
import { type CaptureInput, captureApplications, validateCapture } from '../../../../shared/domain/capture';
import { newEvaluation, withNote, withRating } from '../../../../shared/domain/evaluation';
import type { ApplicationDoc, EventDoc, OfferDoc } from '../../../../shared/schemas';
import type { FieldError } from '../../../../shared/sync/errors';
import type { WorkstationDatabase } from '../../db/collections';

export interface CaptureResult {
  ok: boolean;
  errors: FieldError[];
  applications: ApplicationDoc[];
}

export async function saveCapture(
  db: WorkstationDatabase,
  user: SessionUser,
  organisation: { organisationId: string; organisationName: string },
  event: EventDoc | null,
  offers: readonly OfferDoc[],
  input: CaptureInput,
  now: Date = new Date(),
): Promise<CaptureResult> {
  const errors = validateCapture(input);
  if (errors.length > 0) return { ok: false, errors, applications: [] };
  const byId = new Map(
    offers.map((o) => [
      o.id,
      {
        title: o.title,
        number: o.number,
        companyName: o.companyName,
        city: o.city,
        postalCode: o.postalCode,
      },
    ]),
  );
  const name = `${user.firstName} ${user.lastName}`.trim();
  const applications = captureApplications(input, {
    organisationId: organisation.organisationId,
    organisationName: organisation.organisationName,
    ...(event ? { eventId: event.id, eventKind: event.kind as 'salon' | 'session' } : {}),
    capturedBy: user.id,
    capturedByName: name,
    now,
    newId: () => crypto.randomUUID(),
    offers: byId,
  });
  await db.applications.bulkInsert(applications);
  if (input.rating !== null || input.note.trim()) {
    const evaluations = applications.map((a) => {
      let e = newEvaluation({
        authorId: user.id,
        authorName: name,
        organisationId: organisation.organisationId,
        subjectKind: 'application',
        subjectId: a.id,
        ...(a.offerId ? { offerId: a.offerId } : {}),
        now,
      });
      if (input.rating !== null) e = withRating(e, input.rating, now);
      if (input.note.trim()) e = withNote(e, input.note, crypto.randomUUID(), now);
      return e;
    });
    await db.evaluations.bulkInsert(evaluations);
  }
  return { ok: true, errors: [], applications };
}
