/**
 * The candidate's profile and search preferences, stored in `candidate_profiles` (one row per
 * account; the names live on the account). Other areas read it with `loadCandidateProfile`.
 */
import {
  type CandidateAddress,
  type CandidateProfile,
  emptyProfile,
  emptySearchPreferences,
  validateCandidateProfile,
} from '../../../shared/domain/candidate-profile';
import type { FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { badRequest, notFound } from '../http-error';
import { findCommune } from '../reference/communes';
import { withReference } from '../reference/versioned-json';

/** A commune of the referential as the profile keeps it, or null when the code is unknown. */
export function communeAddress(
  code: string,
  street = '',
  postalCode = '',
): { address: CandidateAddress; postalCodes: string[] } | null {
  const commune = withReference(() => findCommune(code));
  if (!commune) return null;
  return {
    postalCodes: commune.postalCodes,
    address: {
      street,
      postalCode: postalCode || commune.postalCodes[0] || '',
      communeCode: commune.code,
      communeName: commune.name,
      lat: commune.latitude,
      lon: commune.longitude,
    },
  };
}

/** The profile of an account (an empty one, with the account's names, when none was saved). */
export async function loadCandidateProfile(q: Queryable, accountId: string): Promise<CandidateProfile> {
  const { rows } = await q.query<{ first_name: string; last_name: string; doc: CandidateProfile | null }>(
    `select a.first_name, a.last_name, p.doc
       from accounts a left join candidate_profiles p on p.account_id = a.id
      where a.id = $1`,
    [accountId],
  );
  const row = rows[0];
  if (!row) throw notFound('Ce compte n’existe pas.');
  const base = emptyProfile(row.first_name, row.last_name);
  const doc = (
    typeof row.doc === 'string' ? JSON.parse(row.doc) : row.doc
  ) as Partial<CandidateProfile> | null;
  return {
    ...base,
    ...(doc ?? {}),
    firstName: row.first_name,
    lastName: row.last_name,
    search: { ...emptySearchPreferences(), ...(doc?.search ?? {}) },
  };
}

/** Writes the whole profile (and the account's names) in `tx`. */
export async function writeCandidateProfile(
  tx: Queryable,
  accountId: string,
  profile: CandidateProfile,
): Promise<void> {
  await tx.query('update accounts set first_name = $2, last_name = $3 where id = $1', [
    accountId,
    profile.firstName,
    profile.lastName,
  ]);
  const { firstName: _f, lastName: _l, ...doc } = profile;
  await tx.query(
    `insert into candidate_profiles (account_id, doc, commune_code, lat, lon, updated_at)
     values ($1, $2::jsonb, $3, $4, $5, $6)
     on conflict (account_id) do update
       set doc = excluded.doc, commune_code = excluded.commune_code, lat = excluded.lat,
           lon = excluded.lon, updated_at = excluded.updated_at`,
    [
      accountId,
      JSON.stringify(doc),
      profile.address?.communeCode ?? null,
      profile.address?.lat ?? null,
      profile.address?.lon ?? null,
      clock.now().toISOString(),
    ],
  );
}

/**
 * Checks a profile sent by the candidate against the rules and the referentials (commune,
 * appellations, the photo the candidate uploaded); throws a 400 naming every field at fault.
 */
export async function checkCandidateProfile(
  q: Queryable,
  accountId: string,
  input: unknown,
): Promise<CandidateProfile> {
  const { profile, errors } = validateCandidateProfile(input);
  const more: FieldError[] = [];
  let address: CandidateAddress | null = null;
  if (profile.address && !errors.some((e) => e.field.startsWith('address.'))) {
    const found = communeAddress(
      profile.address.communeCode,
      profile.address.street,
      profile.address.postalCode,
    );
    if (!found)
      more.push({
        field: 'address.communeCode',
        message: 'Commune inconnue : choisissez-la dans la liste proposée.',
      });
    else if (profile.address.postalCode && !found.postalCodes.includes(profile.address.postalCode))
      more.push({
        field: 'address.postalCode',
        message: `Le code postal ne correspond pas à ${found.address.communeName} (${found.postalCodes.join(', ')}).`,
      });
    else address = found.address;
  }
  const codes = profile.search.appellations.map((a) => a.code);
  const appellations = new Map<string, { label: string; romeCode: string }>();
  if (codes.length > 0) {
    const { rows } = await q.query<{ code_ogr: string; label: string; rome_code: string }>(
      'select code_ogr, label, rome_code from rome_appellations where code_ogr = any($1::text[])',
      [codes],
    );
    for (const r of rows) appellations.set(r.code_ogr, { label: r.label, romeCode: r.rome_code });
    const unknown = codes.filter((c) => !appellations.has(c));
    if (unknown.length > 0)
      more.push({
        field: 'search.appellations',
        message: `Profession inconnue (code ${unknown.join(', ')}) : choisissez-la dans la liste proposée.`,
      });
  }
  if (profile.photo) {
    const { rows } = await q.query(
      `select 1 from file_uploaders u join files f on f.sha256 = u.sha256
        where u.sha256 = $1 and u.account_id = $2 and f.mime like 'image/%'`,
      [profile.photo, accountId],
    );
    if (rows.length === 0)
      more.push({ field: 'photo', message: 'Photo introuvable : envoyez-la de nouveau (jpg ou png).' });
  }
  const all = [...errors, ...more];
  if (all.length > 0)
    throw badRequest('Votre profil contient des erreurs : corrigez les champs signalés.', all);
  return {
    ...profile,
    address,
    search: {
      ...profile.search,
      appellations: profile.search.appellations.map((a) => ({
        code: a.code,
        label: appellations.get(a.code)?.label ?? a.label,
        romeCode: appellations.get(a.code)?.romeCode ?? a.romeCode,
      })),
    },
  };
}
