/**
 * The CVthèque (DESIGN §4 `cvs`, §6): the replicated projection of candidates' CVs that recruiters
 * (employers, agencies), advisors (prescribers) and training bodies pull. The candidate writes CVs
 * on the portal (`candidate/cvs.ts`); every change of a CV calls `syncCvProjection`, which writes
 * what recruiters may see, or a tombstone when the CV is no longer visible (draft, suspended,
 * hidden from the CVthèque, deleted): every replica drops it at its next pull.
 *
 * Audience: the single key `cvtheque` (see `userKeys`). Clients never write this collection: a
 * pushed row is refused with a notice.
 */
import type { CandidateCv } from '../../../shared/domain/cv';
import { type CvDoc, cvSchema } from '../../../shared/schemas/cv.schema';
import type { Queryable } from '../db/database';
import { recordFileRefs } from '../files/routes';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc } from '../sync/types';

export const CVTHEQUE_KEY = 'cvtheque';

export function cvTombstone(id: string): Doc {
  return {
    id,
    title: '',
    express: false,
    experiences: [],
    diplomas: [],
    skills: [],
    languages: [],
    licences: [],
    completeness: 0,
    anonymous: true,
    updatedAt: '',
  };
}

export const cvsCollection: CollectionDef = {
  name: 'cvs',
  table: 'cvs',
  version: cvSchema.version,
  schema: cvSchema,
  keysFor() {
    return [CVTHEQUE_KEY];
  },
  tombstone: cvTombstone,
  async decide() {
    return {
      kind: 'refuse',
      refusal: {
        title: 'CV non modifiable',
        message:
          'Les CV de la CVthèque sont rédigés par les candidats sur le portail : ils ne se modifient pas ici.',
      },
    };
  },
};

/** What the projection needs to know about the candidate (account and profile, H1). */
export interface CvOwnerFacts {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  showPhone: boolean;
  rqth: string | null;
  availability: string | null;
  availableFrom: string | null;
  commune: { code: string; name: string; lat?: number; lon?: number } | null;
}

/** Whether a CV belongs in the CVthèque: online and « visible dans la CVthèque ». */
export function isInCvtheque(cv: Pick<CandidateCv, 'status' | 'publication'>): boolean {
  return cv.status === 'publie' && cv.publication.cvtheque;
}

/** The CVthèque document of a CV: what recruiters may see, nothing else (pure). */
export function cvProjection(cv: CandidateCv, owner: CvOwnerFacts): CvDoc {
  const t = cv.target;
  const anonymous = cv.publication.anonymous;
  const doc: CvDoc = {
    id: cv.id,
    title: (cv.title || t?.appellationLabel || 'CV').slice(0, 150),
    express: cv.express,
    ...(t
      ? {
          appellationCode: t.appellationCode,
          appellationLabel: t.appellationLabel,
          romeCode: t.romeCode,
          workplaces: t.workplaces.map((w) => ({ communeCode: w.communeCode, communeName: w.communeName })),
          contractTypes: [...t.contractTypes],
          workingTimes: [...t.workingTimes],
        }
      : {}),
    ...(cv.summary ? { summary: cv.summary } : {}),
    experiences: cv.experiences.map((e) => ({
      id: e.id,
      company: e.company,
      jobTitle: e.jobTitle,
      start: e.start,
      ...(e.end ? { end: e.end } : {}),
      description: e.description,
    })),
    diplomas: cv.diplomas.map((d) => ({
      id: d.id,
      title: d.title,
      date: d.date,
      description: d.description,
    })),
    skills: cv.skills.map((s) => ({ id: s.id, label: s.label, level: s.level })),
    languages: cv.languages.map((l) => ({ id: l.id, language: l.language, level: l.level })),
    licences: [...cv.licences],
    ...(owner.rqth ? { rqth: owner.rqth.slice(0, 20) } : {}),
    ...(owner.availability ? { availability: owner.availability.slice(0, 20) } : {}),
    ...(owner.availableFrom ? { availableFrom: owner.availableFrom.slice(0, 10) } : {}),
    ...(owner.commune
      ? {
          commune: {
            code: owner.commune.code,
            name: owner.commune.name,
            ...(typeof owner.commune.lat === 'number' && typeof owner.commune.lon === 'number'
              ? { lat: owner.commune.lat, lon: owner.commune.lon }
              : {}),
          },
        }
      : {}),
    completeness: cv.completeness,
    ...(cv.file
      ? { file: { sha256: cv.file.sha256, name: cv.file.name, mime: cv.file.mime, size: cv.file.size } }
      : {}),
    anonymous,
    advisorsMayShare: cv.publication.advisorsMayShare,
    ...(anonymous
      ? {}
      : { firstName: owner.firstName.slice(0, 100), lastName: owner.lastName.slice(0, 100) }),
    ...(!anonymous && cv.publication.showContact
      ? {
          email: owner.email,
          ...(owner.showPhone && owner.phone ? { phone: owner.phone.slice(0, 20) } : {}),
        }
      : {}),
    ...(cv.publishedAt ? { publishedAt: cv.publishedAt } : {}),
    updatedAt: cv.updatedAt,
  };
  return doc;
}

/** Text of a CV for the CVthèque search (with its attached file's text). */
export function cvSearchText(doc: CvDoc, fileText: string): string {
  const parts = [
    doc.title,
    doc.appellationLabel,
    doc.summary,
    ...doc.experiences.flatMap((e) => [e.jobTitle, e.company, e.description]),
    ...doc.diplomas.flatMap((d) => [d.title, d.description]),
    ...doc.skills.map((s) => s.label),
    ...doc.languages.map((l) => l.language),
    fileText,
  ];
  return parts
    .filter((p): p is string => typeof p === 'string' && p.length > 0)
    .join('\n')
    .slice(0, 200_000);
}

/**
 * Brings the CVthèque in line with one CV: writes its projection when it is visible, otherwise a
 * tombstone (only if recruiters ever had it). `cv` null: the CV was deleted.
 */
export async function syncCvProjection(
  tx: Queryable,
  engine: SyncEngine,
  cvId: string,
  cv: CandidateCv | null,
  owner: CvOwnerFacts | null,
  fileText = '',
): Promise<'written' | 'removed' | 'unchanged'> {
  if (cv && owner && isInCvtheque(cv)) {
    const doc = cvProjection(cv, owner);
    await engine.write(tx, cvsCollection, doc as unknown as Doc, false);
    await tx.query('update cvs set search = $2 where id = $1', [cvId, cvSearchText(doc, fileText)]);
    await recordFileRefs(tx, 'cvs', cvId, cv.file ? [cv.file.sha256] : []);
    return 'written';
  }
  await recordFileRefs(tx, 'cvs', cvId, []);
  const { rows } = await tx.query<{ deleted: boolean }>('select deleted from cvs where id = $1', [cvId]);
  if (rows.length === 0 || rows[0]!.deleted) return 'unchanged';
  await engine.write(tx, cvsCollection, cvTombstone(cvId), true);
  await tx.query("update cvs set search = '' where id = $1", [cvId]);
  return 'removed';
}
