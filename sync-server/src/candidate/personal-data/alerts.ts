import type { PersonalDataStep } from './types';

/** Saved searches and their alerts: what was saved, and which offers were mailed when. */
export const ALERT_DATA: PersonalDataStep = {
  name: 'alertes',
  async exportData(q, accountId) {
    const { rows } = await q.query<{
      id: string;
      name: string;
      criteria: unknown;
      created_at: Date;
      renewed_at: Date;
      expires_at: Date;
      alert_enabled: boolean;
      last_alert_at: Date;
    }>(
      `select id::text, name, criteria, created_at, renewed_at, expires_at, alert_enabled, last_alert_at
         from saved_searches where account_id = $1 order by created_at`,
      [accountId],
    );
    const ids = rows.map((r) => r.id);
    const { rows: sent } = await q.query<{ search_id: string; offer_id: string; sent_at: Date }>(
      `select search_id::text, offer_id, sent_at from saved_search_deliveries
        where search_id = any($1::uuid[]) order by sent_at, offer_id`,
      [ids],
    );
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return {
      data: rows.map((r) => ({
        nom: r.name,
        criteres: r.criteria,
        creeeLe: iso(r.created_at),
        renouveleeLe: iso(r.renewed_at),
        abonnementJusquAu: iso(r.expires_at),
        alerteActive: r.alert_enabled,
        derniereAlerte: iso(r.last_alert_at),
        offresEnvoyees: sent
          .filter((s) => s.search_id === r.id)
          .map((s) => ({ offre: s.offer_id, envoyeeLe: iso(s.sent_at) })),
      })),
      files: [],
    };
  },
  async erase(tx, _engine, accountId) {
    // Deliveries and daily runs go with their search (on delete cascade).
    await tx.query('delete from saved_searches where account_id = $1', [accountId]);
  },
};
