/**
 * The server search's side table `cv_search` (migration 016): the stems and facets of every CV
 * of the CVthèque, written with the projection (`domain/cvs.ts`) and filled at startup for
 * projections written before it existed (`ensureCvSearchIndex`).
 */

import { cvStems } from '../../../shared/domain/cv-search';
import type { CvDoc } from '../../../shared/schemas/cv.schema';
import type { Database, Queryable } from '../db/database';
import { cvFacets } from './keys';

export async function writeCvSearch(tx: Queryable, doc: CvDoc): Promise<void> {
  const stems = cvStems(doc);
  await tx.query(
    `insert into cv_search (id, stems, facets, weights, updated_at) values ($1, $2, $3, $4, now())
     on conflict (id) do update set stems = excluded.stems, facets = excluded.facets, weights = excluded.weights,
       updated_at = excluded.updated_at`,
    [doc.id, [...stems.keys()], cvFacets(doc), JSON.stringify(Object.fromEntries(stems))],
  );
}

export async function deleteCvSearch(tx: Queryable, id: string): Promise<void> {
  await tx.query('delete from cv_search where id = $1', [id]);
}

/**
 * Indexes the live projections missing from `cv_search` and drops rows of removed ones, by
 * batches (idempotent: a second run does nothing). Returns how many CVs were indexed.
 */
export async function ensureCvSearchIndex(db: Database, batch = 500): Promise<number> {
  await db.query(
    'delete from cv_search s where not exists (select 1 from cvs c where c.id = s.id and not c.deleted)',
  );
  let indexed = 0;
  for (;;) {
    const { rows } = await db.query<{ doc: CvDoc }>(
      `select c.doc from cvs c
        where not c.deleted and not exists (select 1 from cv_search s where s.id = c.id)
        order by c.id limit $1`,
      [batch],
    );
    if (rows.length === 0) return indexed;
    await db.transaction(async (tx) => {
      for (const r of rows) await writeCvSearch(tx, r.doc);
    });
    indexed += rows.length;
  }
}
