import { createHash } from 'node:crypto';
import type { RomeFile } from '../../../shared/domain/reference';
import type { Queryable } from '../db/database';
import { prepareVersionedJson, type VersionedJson } from './versioned-json';

/**
 * The ROME referential as one versioned JSON file for offline use (`GET /api/reference/rome`):
 * built from the database once per import, with `revision` a hash of its content (the ETag).
 */

let cached: { key: string; body: VersionedJson | null } | null = null;

/** The current ROME file, or null when no referential was imported. */
export async function romeBundle(db: Queryable): Promise<VersionedJson | null> {
  const v = await db.query<{ version: string; row_count: number; imported: string }>(
    "select version, row_count, imported_at::text as imported from reference_versions where name = 'rome'",
  );
  const row = v.rows[0];
  const key = row ? `${row.version}|${row.row_count}|${row.imported}` : '';
  if (cached && cached.key === key) return cached.body;
  let body: VersionedJson | null = null;
  if (row) {
    const codes = await db.query<{ code: string; label: string }>(
      'select code, label from rome_codes order by code',
    );
    const apps = await db.query<{ code_ogr: string; label: string; rome_code: string }>(
      'select code_ogr, label, rome_code from rome_appellations where not rarely_used order by label, code_ogr',
    );
    const mobility = await db.query<{ rome_code: string; target_code: string }>(
      'select rome_code, target_code from rome_mobility where rome_code <> target_code order by rome_code, rank, target_code',
    );
    const content = {
      codes: codes.rows.map((c): [string, string] => [c.code, c.label]),
      appellations: apps.rows.map((a): [string, string, string] => [a.code_ogr, a.label, a.rome_code]),
      mobility: mobility.rows.map((m): [string, string] => [m.rome_code, m.target_code]),
    };
    const revision = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
    const file: RomeFile = { version: row.version, revision, ...content };
    body = prepareVersionedJson(revision, JSON.stringify(file));
  }
  cached = { key, body };
  return body;
}
