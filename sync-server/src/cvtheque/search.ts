/**
 * The server's CVthèque search (issue 5): the whole CVthèque, not only a replica. SQL pre-selects
 * the candidates from `cv_search` (stems for keywords, facets for filters, grid cells around a
 * place, all GIN-indexed), then every candidate goes through the shared `scoreCv` and
 * `compareCvHits`, as the workstation's local search does: the same CV gets the same score and
 * the same rank on both sides.
 */
import { performance } from 'node:perf_hooks';
import type { SessionUser } from '../../../shared/domain/account';
import {
  CV_MAX_RESULTS,
  type CvHit,
  type CvSearchCriteria,
  type CvSearchResponse,
  compareCvHits,
  prepareCvSearch,
  scoreCv,
  validateCvCriteria,
} from '../../../shared/domain/cv-search';
import type { CvDoc } from '../../../shared/schemas/cv.schema';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { badRequest, forbidden } from '../http-error';
import { cellsAround } from './keys';
import { isCvthequeUser } from './session-scope';

export const CVTHEQUE_FORBIDDEN =
  'La CVthèque est réservée aux recruteurs, conseillers et organismes de formation membres d’une organisation.';

/** Fields `scoreCv` never reads: left out when scoring many CVs. */
const LONG_FIELDS = ['experiences', 'diplomas', 'skills', 'summary', 'fileText', 'file', 'workingTimes'];

const CRITERIA_FIELDS = new Set([
  'keywords',
  'appellationCode',
  'romeCodes',
  'place',
  'radiusKm',
  'rqthOnly',
  'qualifications',
  'domains',
  'contractTypes',
  'availability',
  'languages',
  'licences',
]);

/** The criteria of a request, checked: a 400 naming each field at fault. */
export function checkCvCriteria(raw: unknown): CvSearchCriteria {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    const message = 'Les critères de recherche doivent être un objet.';
    throw badRequest(message, [{ field: 'criteria', message }]);
  }
  const errors = Object.keys(raw)
    .filter((k) => !CRITERIA_FIELDS.has(k))
    .map((k) => ({ field: k.slice(0, 60), message: `Critère inconnu : « ${k.slice(0, 60)} ».` }));
  errors.push(...validateCvCriteria(raw as CvSearchCriteria));
  if (errors.length > 0)
    throw badRequest(
      errors.length === 1
        ? errors[0]!.message
        : `La recherche contient ${errors.length} erreurs : corrigez les champs signalés.`,
      errors,
    );
  return raw as CvSearchCriteria;
}

/** Searches the whole CVthèque for a recruiter, an advisor or a training body (403 otherwise). */
export async function searchCvtheque(
  db: Queryable,
  user: SessionUser,
  criteria: CvSearchCriteria,
  options: { now?: Date } = {},
): Promise<CvSearchResponse> {
  const started = performance.now();
  if (!isCvthequeUser(user)) throw forbidden(CVTHEQUE_FORBIDDEN);
  const c = checkCvCriteria(criteria);
  const search = prepareCvSearch(c, options.now ?? clock.now());

  const where: string[] = ['not d.deleted'];
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const anyFacet = (values: string[]) => where.push(`s.facets && ${param(values)}::text[]`);
  const allFacets = (values: string[]) => where.push(`s.facets @> ${param(values)}::text[]`);
  if (search.stems.length) where.push(`s.stems && ${param(search.stems)}::text[]`);
  if (c.romeCodes?.length) anyFacet(c.romeCodes.map((r) => `o:${r}`));
  if (c.rqthOnly) anyFacet(['r:reconnue']);
  if (c.qualifications?.length) anyFacet(c.qualifications.map((q) => `q:${q}`));
  if (c.domains?.length) anyFacet(c.domains.map((d) => `d:${d}`));
  if (c.contractTypes?.length) anyFacet(c.contractTypes.map((t) => `c:${t}`));
  if (c.availability?.length) anyFacet(c.availability.map((a) => `a:${a}`));
  if (search.languages.length) allFacets(search.languages.map((l) => `n:${l}`));
  if (c.licences?.length) allFacets(c.licences.map((l) => `l:${l}`));
  if (c.place) {
    const radius = c.radiusKm ?? 0;
    anyFacet([`m:${c.place.code}`, ...(radius > 0 ? cellsAround(c.place.lat, c.place.lon, radius) : [])]);
  }
  // Scored on the document without its long texts (`scoreCv` reads none of them; the keyword
  // weights come from the index), then the shown hits are read whole.
  const { rows } = await db.query<{ doc: CvDoc; weights: Record<string, number> | null }>(
    `select d.doc - ${param(LONG_FIELDS)}::text[] as doc${search.stems.length ? ', s.weights' : ''}
       from cv_search s join cvs d on d.id = s.id where ${where.join(' and ')}`,
    params,
  );
  const none = new Map<string, number>();
  const hits: CvHit[] = [];
  for (const r of rows) {
    const stems = r.weights ? new Map(Object.entries(r.weights)) : none;
    const hit = scoreCv(search, r.doc, stems);
    if (hit) hits.push(hit);
  }
  hits.sort(compareCvHits);
  let shown = hits.slice(0, CV_MAX_RESULTS);
  if (shown.length > 0) {
    const full = await db.query<{ id: string; doc: CvDoc }>(
      'select id, doc from cvs where id = any($1::text[]) and not deleted',
      [shown.map((h) => h.doc.id)],
    );
    const byId = new Map(full.rows.map((r) => [r.id, r.doc]));
    // A CV removed between the two reads is left out.
    shown = shown.filter((h) => byId.has(h.doc.id)).map((h) => ({ ...h, doc: byId.get(h.doc.id)! }));
  }
  return {
    hits: shown,
    total: hits.length,
    source: 'serveur',
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
