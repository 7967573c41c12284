/**
 * The CVthèque (DESIGN §4 `cvs`, §6): the replicated projection of candidates' CVs that recruiters
 * (employers, agencies), advisors (prescribers) and training bodies pull. The candidate writes CVs
 * on the portal (`candidate/cvs.ts`); every change of a CV calls `syncCvProjection`, which writes
 * what recruiters may see, or a tombstone when the CV is no longer visible (draft, suspended,
 * hidden from the CVthèque, deleted): every replica drops it at its next pull.
 *
 * Audience (issue 5, DESIGN §5 guarantee 3): a bounded, chosen scope. Each row carries
 * « cvt:<département>:<domain> » for each département × domain of the CV (`cvtheque/keys.ts`),
 * which organisations replicate through their scope (`cvtheque/scope.ts`), plus `user:<owner>` /
 * `org:<organisation>` for the saved lists holding it and `org:<organisation>` of each organisation
 * the candidate applied to with it (`cvtheque/audience.ts`). The search index `cv_search` is written
 * with the projection. Clients never write this collection: a pushed row is refused with a notice.
 */
import type { CandidateCv } from '../../../shared/domain/cv';
import { type CvDoc, cvSchema } from '../../../shared/schemas/cv.schema';
import { cvAudienceKeys } from '../cvtheque/audience';
import { cvReplicaKeys } from '../cvtheque/keys';
import { locateCommune } from '../cvtheque/places';
import { deleteCvSearch, writeCvSearch } from '../cvtheque/search-index';
import type { Queryable } from '../db/database';
import { recordFileRefs } from '../files/routes';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc } from '../sync/types';
import { storableText } from '../text-safety';

/**
 * The former single audience key. No row carries it any more; CVthèque members keep it in their
 * keys so that the exits recorded when rows left it reach replicas made before issue 5.
 */
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
  keysFor(doc) {
    // The geographic keys; `syncCvProjection` and `refreshCvKeys` add the lists' and applications'.
    return cvReplicaKeys(doc as unknown as CvDoc);
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
  /** Qualification and domains of the profile (seed 000 « Mon profil »). */
  qualification?: string | null;
  domains?: string[];
}

/** What the projection adds from outside the CV: the file's text, the communes' coordinates. */
export interface CvProjectionExtras {
  /** The attached file's extracted text (kept: its first 3,000 characters, contact data removed as needed). */
  fileText?: string;
  /** Coordinates of a commune (the communes reference), or null. */
  locate?: (communeCode: string) => { lat: number; lon: number } | null;
}

export const FILE_TEXT_MAX = 3000;
const EMAIL_PATTERN = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/giu;
const PHONE_PATTERN = /(?:(?:\+|00)\s*\d{2,3}[\s.-]*(?:\(0\))?[\s.-]*|0)[1-9](?:[\s.-]*\d{2}){4}/gu;

/**
 * The start of the file's text as recruiters may read it: without e-mail addresses and phone
 * numbers unless the candidate shows contact data, and without the names of an anonymous CV.
 */
export function publicFileText(text: string, cv: CandidateCv, owner: CvOwnerFacts): string {
  let out = text.slice(0, FILE_TEXT_MAX * 4);
  const anonymous = cv.publication.anonymous;
  if (anonymous || !cv.publication.showContact) {
    out = out.replace(EMAIL_PATTERN, '…').replace(PHONE_PATTERN, '…');
    if (owner.email) out = out.replaceAll(new RegExp(escapeRegExp(owner.email), 'giu'), '…');
  }
  if (anonymous) {
    for (const name of [
      owner.firstName,
      owner.lastName,
      ...`${owner.firstName} ${owner.lastName}`.split(/[\s-]+/),
    ]) {
      const n = name.trim();
      if (n.length >= 2)
        out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(n)}(?![\\p{L}\\p{N}])`, 'giu'), '…');
    }
  }
  // Text PostgreSQL can store (no NUL, no half of a character cut above); whole characters only.
  out = storableText(out).replace(/\s+/g, ' ').trim();
  return Array.from(out).slice(0, FILE_TEXT_MAX).join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a CV belongs in the CVthèque: online and « visible dans la CVthèque ». */
export function isInCvtheque(cv: Pick<CandidateCv, 'status' | 'publication'>): boolean {
  return cv.status === 'publie' && cv.publication.cvtheque;
}

/** The CVthèque document of a CV: what recruiters may see, nothing else (pure). */
export function cvProjection(cv: CandidateCv, owner: CvOwnerFacts, extras: CvProjectionExtras = {}): CvDoc {
  const t = cv.target;
  const locate = (code: string) => extras.locate?.(code) ?? null;
  const communePoint =
    owner.commune && (typeof owner.commune.lat !== 'number' || typeof owner.commune.lon !== 'number')
      ? locate(owner.commune.code)
      : null;
  const fileText = extras.fileText ? publicFileText(extras.fileText, cv, owner) : '';
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
          workplaces: t.workplaces.map((w) => {
            const point = locate(w.communeCode);
            return {
              communeCode: w.communeCode,
              communeName: w.communeName,
              ...(point ? { lat: point.lat, lon: point.lon } : {}),
            };
          }),
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
              : communePoint
                ? { lat: communePoint.lat, lon: communePoint.lon }
                : {}),
          },
        }
      : {}),
    ...(owner.qualification ? { qualification: owner.qualification.slice(0, 30) } : {}),
    ...(owner.domains?.length ? { domains: owner.domains.filter((d) => d.length === 1).slice(0, 14) } : {}),
    completeness: cv.completeness,
    // An attached file carries the person's name and contact: an anonymous CV never shows it (its
    // text, scrubbed, is still searched); the organisations it is sent to get it with the application.
    ...(cv.file && !anonymous
      ? { file: { sha256: cv.file.sha256, name: cv.file.name, mime: cv.file.mime, size: cv.file.size } }
      : {}),
    ...(fileText ? { fileText } : {}),
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
 * tombstone (only if recruiters ever had it), with its search index row. `cv` null: the CV was
 * deleted. The tombstone keeps the row's audience so that every replica holding the CV drops it.
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
    const doc = cvProjection(cv, owner, { fileText, locate: locateCommune });
    const keys = [...new Set([...cvReplicaKeys(doc), ...(await cvAudienceKeys(tx, cvId))])];
    await engine.write(tx, cvsCollection, doc as unknown as Doc, false, { keys });
    await tx.query('update cvs set search = $2 where id = $1', [cvId, cvSearchText(doc, fileText)]);
    await writeCvSearch(tx, doc);
    await recordFileRefs(tx, 'cvs', cvId, doc.file ? [doc.file.sha256] : []);
    return 'written';
  }
  await recordFileRefs(tx, 'cvs', cvId, []);
  await deleteCvSearch(tx, cvId);
  const { rows } = await tx.query<{ deleted: boolean; keys: string[] }>(
    'select deleted, keys from cvs where id = $1',
    [cvId],
  );
  if (rows.length === 0 || rows[0]!.deleted) return 'unchanged';
  const keys = rows[0]!.keys;
  await engine.write(tx, cvsCollection, cvTombstone(cvId), true, { keys, previousKeys: keys });
  await tx.query("update cvs set search = '' where id = $1", [cvId]);
  return 'removed';
}
