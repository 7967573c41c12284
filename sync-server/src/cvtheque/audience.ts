/**
 * Who else replicates a CV than the organisations whose CVthèque scope covers it: the owner of a
 * private saved list holding it (`user:<ownerId>`), the organisation of a shared list
 * (`org:<organisationId>`), and each organisation the candidate applied to with this CV
 * (`org:<organisationId>`). An entry is in a list while `addedAt > (removedAt ?? '')`.
 */
import type { Queryable } from '../db/database';

export async function cvAudienceKeysMany(tx: Queryable, cvIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>(cvIds.map((id) => [id, new Set<string>()]));
  if (cvIds.length === 0) return new Map();
  const add = (cvId: string, key: string) => out.get(cvId)?.add(key);
  const { rows: tables } = await tx.query<{ lists: string | null }>(
    "select to_regclass('cv_lists')::text as lists",
  );
  if (tables[0]?.lists) {
    const { rows } = await tx.query<{
      cv_id: string;
      owner_id: string;
      organisation_id: string;
      shared: boolean;
    }>(
      `select distinct e->>'cvId' as cv_id, l.doc->>'ownerId' as owner_id, l.doc->>'organisationId' as organisation_id,
              coalesce((l.doc->>'shared')::boolean, false) as shared
         from cv_lists l cross join lateral jsonb_array_elements(l.doc->'entries') e
        where not l.deleted and jsonb_typeof(l.doc->'entries') = 'array'
          and e->>'cvId' = any($1::text[])
          and (e->>'addedAt') > coalesce(e->>'removedAt', '')`,
      [cvIds],
    );
    for (const r of rows) {
      if (r.shared && r.organisation_id) add(r.cv_id, `org:${r.organisation_id}`);
      else if (r.owner_id) add(r.cv_id, `user:${r.owner_id}`);
    }
  }
  const { rows: applied } = await tx.query<{ cv_id: string; organisation_id: string }>(
    `select distinct doc->>'cvId' as cv_id, doc->>'organisationId' as organisation_id
       from applications where not deleted and doc->>'cvId' = any($1::text[])`,
    [cvIds],
  );
  for (const r of applied) if (r.organisation_id) add(r.cv_id, `org:${r.organisation_id}`);
  return new Map([...out].map(([id, keys]) => [id, [...keys].sort()]));
}

export async function cvAudienceKeys(tx: Queryable, cvId: string): Promise<string[]> {
  return (await cvAudienceKeysMany(tx, [cvId])).get(cvId) ?? [];
}
