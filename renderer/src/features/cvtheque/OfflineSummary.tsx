import { useEffect, useState } from 'react';
import { useSession } from '../../app/session-context';
import { apiFetch } from '../../lib/api';
import { plural } from '../../lib/format';
import { loadUserRecord, saveUserRecord } from '../../lib/local-store';

/**
 * What the server says this user's replica holds (`GET /api/cvtheque/scope`): départements and
 * their domains, CV count, cap. Read defensively (an older server may answer less).
 */
export interface CvScope {
  labels: string[];
  count?: number;
  cap?: number;
  whole?: boolean;
}

export function parseScope(body: unknown): CvScope | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const labels: string[] = [];
  const domainLabels = new Map<string, string>();
  if (Array.isArray(b.domains))
    for (const d of b.domains as unknown[]) {
      const o = d as { code?: unknown; label?: unknown } | null;
      if (o && typeof o.code === 'string' && typeof o.label === 'string') domainLabels.set(o.code, o.label);
    }
  if (Array.isArray(b.departements))
    for (const d of b.departements as unknown[]) {
      const o = d as { label?: unknown; domains?: unknown } | null;
      if (!o || typeof o.label !== 'string') continue;
      const domains = Array.isArray(o.domains)
        ? o.domains.filter((x): x is string => typeof x === 'string')
        : [];
      const all = domainLabels.size > 0 && domains.length >= domainLabels.size;
      labels.push(
        all || domains.length === 0
          ? `${o.label} : tous les domaines`
          : `${o.label} : ${domains.map((x) => domainLabels.get(x) ?? x).join(', ')}`,
      );
    }
  if (Array.isArray(b.labels)) for (const l of b.labels) if (typeof l === 'string') labels.push(l);
  const count = num(b.cvCount) ?? num(b.count);
  const cap = num(b.cap);
  return {
    labels,
    ...(count !== undefined ? { count } : {}),
    ...(cap !== undefined ? { cap } : {}),
    ...(b.whole === true ? { whole: true } : {}),
  };
}

interface Props {
  localCount: number | undefined;
  online: boolean;
  hasReplica: boolean;
}

/** « Ce qui est disponible hors ligne »: how many CVs this workstation holds, and which. */
export function OfflineSummary({ localCount, online, hasReplica }: Props) {
  const { user } = useSession();
  const [scope, setScope] = useState<CvScope | null>(() =>
    parseScope(loadUserRecord(user.id, 'cvtheque-scope')),
  );

  useEffect(() => {
    if (!online) return;
    let cancelled = false;
    apiFetch<unknown>('/api/cvtheque/scope')
      .then((body) => {
        const s = parseScope(body);
        if (cancelled || !s) return;
        setScope(s);
        saveUserRecord(user.id, 'cvtheque-scope', s);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [online, user.id]);

  const n = localCount ?? 0;
  return (
    <details className="cv-offline" data-testid="cv-offline-summary">
      <summary>
        Ce qui est disponible hors ligne :{' '}
        {hasReplica ? `${n} ${plural(n, 'CV', 'CV')} sur ce poste` : 'rien pour l’instant'}
      </summary>
      <div className="cv-offline__body">
        <p>
          Hors ligne, la recherche porte sur les CV enregistrés sur ce poste ; en ligne, sur toute la
          CVthèque.
          {scope?.cap ? ` Ce poste garde au plus ${scope.cap} CV.` : ''}
        </p>
        {scope?.whole ? (
          <p data-testid="cv-offline-whole">
            Toute la CVthèque tient sur ce poste : la recherche hors ligne porte sur tous les CV en ligne.
          </p>
        ) : scope?.labels.length ? (
          <ul>
            {scope.labels.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </details>
  );
}
