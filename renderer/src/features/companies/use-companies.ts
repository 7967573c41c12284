import { useEffect, useMemo, useState } from 'react';
import { map } from 'rxjs';
import type { CompanyGroup } from '../../../../shared/domain/company-profile';
import type { CompanyDoc } from '../../../../shared/schemas/company.schema';
import type { OrganisationDoc } from '../../../../shared/schemas/organisation.schema';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';
import { apiFetch } from '../../lib/api';
import { loadUserRecord, saveUserRecord } from '../../lib/local-store';
import { isGroupList, readGroupList, sortGroups } from '../moderation/company-groups-model';

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** The organisation's company profiles, live from the local replica, by name. */
export function useOrganisationCompanies(
  db: WorkstationDatabase,
  organisationId: string | null,
): CompanyDoc[] | undefined {
  const obs = useMemo(
    () =>
      organisationId
        ? db.companies
            .find({ selector: { organisationId } })
            .$.pipe(
              map((docs) =>
                docs.map((d) => d.toJSON() as CompanyDoc).sort((a, b) => collator.compare(a.name, b.name)),
              ),
            )
        : null,
    [db, organisationId],
  );
  return useObservableValue(obs);
}

/** One profile, live (null once it is gone from the replica, undefined while loading). */
export function useCompany(db: WorkstationDatabase, id: string | undefined): CompanyDoc | null | undefined {
  const obs = useMemo(
    () => (id ? db.companies.findOne(id).$.pipe(map((d) => (d ? (d.toJSON() as CompanyDoc) : null))) : null),
    [db, id],
  );
  return useObservableValue(obs);
}

/** The replicated organisation (members with their names); null when the replica does not hold it. */
export function useOrganisationDoc(
  db: WorkstationDatabase,
  organisationId: string | null | undefined,
): OrganisationDoc | null | undefined {
  const obs = useMemo(
    () =>
      organisationId
        ? db.organisations
            .findOne(organisationId)
            .$.pipe(map((d) => (d ? (d.toJSON() as OrganisationDoc) : null)))
        : null,
    [db, organisationId],
  );
  return useObservableValue(obs);
}

type GroupsListener = (userId: string, groups: CompanyGroup[]) => void;
const groupsListeners = new Set<GroupsListener>();

/** The list cached on this workstation for this user, or null when there is none. */
export function readCachedCompanyGroups(userId: string): CompanyGroup[] | null {
  const cached = loadUserRecord<unknown>(userId, 'company-groups');
  return isGroupList(cached) ? cached : null;
}

/**
 * Replaces the cached list (e.g. after a moderator's change on « Groupes et réseaux ») and updates
 * every company form of this user showing it.
 */
export function refreshCompanyGroups(userId: string, groups: CompanyGroup[]): void {
  const sorted = sortGroups(groups);
  saveUserRecord(userId, 'company-groups', sorted);
  for (const listener of groupsListeners) listener(userId, sorted);
}

export interface CompanyGroupsState {
  groups: CompanyGroup[];
  /** The list comes from this workstation's cache (server unreachable). */
  fromCache: boolean;
  loading: boolean;
}

/**
 * The groups and networks moderators keep (`GET /api/company-groups`), cached per user in
 * localStorage so the form works offline.
 */
export function useCompanyGroups(userId: string): CompanyGroupsState {
  const [state, setState] = useState<CompanyGroupsState>(() => {
    const cached = readCachedCompanyGroups(userId);
    return { groups: cached ?? [], fromCache: cached !== null, loading: true };
  });
  useEffect(() => {
    const ctrl = new AbortController();
    apiFetch<unknown>('/api/company-groups', { signal: ctrl.signal })
      // Cached and shown here, and in any other form of this user open meanwhile (the listener).
      .then((body) => refreshCompanyGroups(userId, readGroupList(body) ?? []))
      .catch(() => {
        if (!ctrl.signal.aborted) setState((s) => ({ ...s, loading: false }));
      });
    return () => ctrl.abort();
  }, [userId]);
  useEffect(() => {
    const listener: GroupsListener = (changedUser, groups) => {
      if (changedUser === userId) setState({ groups, fromCache: false, loading: false });
    };
    groupsListeners.add(listener);
    return () => {
      groupsListeners.delete(listener);
    };
  }, [userId]);
  return state;
}
