import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import {
  COMPANY_GROUP_KIND_LABELS,
  COMPANY_GROUP_KINDS,
  type CompanyGroup,
} from '../../../../shared/domain/company-profile';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError, apiFetch, NetworkError } from '../../lib/api';
import { readCachedCompanyGroups, refreshCompanyGroups } from '../companies/use-companies';
import { toProblem, useFocusRequest } from './api-problem';
import {
  deleteProblem,
  EMPTY_GROUP_FORM,
  errorOf,
  formProblem,
  GROUP_NAME_MAX,
  type GroupFieldError,
  type GroupFormValues,
  groupBody,
  groupToForm,
  isUnchanged,
  kindLabel,
  readGroupList,
  removeGroup,
  sortGroups,
  summariseGroups,
  upsertGroup,
  validateGroupForm,
} from './company-groups-model';
import { ListLoadError } from './ListLoadError';
import './moderation.css';

const OFFLINE_MESSAGE =
  'Hors ligne : la liste des groupes et réseaux est tenue par le serveur et n’est pas copiée sur ce poste pour être modifiée. Ajouts, modifications et suppressions seront possibles dès le retour de la connexion.';

const newFieldId = (field: string) => `group-new-${field}`;
const editFieldId = (groupId: string, field: string) => `group-${groupId}-${field}`;
const editButtonId = (groupId: string) => `group-${groupId}-modifier`;

/** The name and type controls, shared by the add form and the edit row. */
function GroupFields({
  idOf,
  values,
  errors,
  disabled,
  onChange,
}: {
  idOf: (field: string) => string;
  values: GroupFormValues;
  errors: GroupFieldError[];
  disabled: boolean;
  onChange: (values: GroupFormValues) => void;
}) {
  return (
    <div className="groups-form__fields">
      <FormField
        id={idOf('name')}
        label="Nom"
        required
        error={errorOf(errors, 'name')}
        hint={`Tel que les recruteurs le liront (${GROUP_NAME_MAX} caractères au plus).`}
      >
        {(p) => (
          <input
            {...p}
            type="text"
            autoComplete="off"
            maxLength={GROUP_NAME_MAX + 20}
            value={values.name}
            disabled={disabled}
            onChange={(e) => onChange({ ...values, name: e.target.value })}
          />
        )}
      </FormField>
      <FormField id={idOf('kind')} label="Type" required error={errorOf(errors, 'kind')}>
        {(p) => (
          <select
            {...p}
            value={values.kind}
            disabled={disabled}
            onChange={(e) => onChange({ ...values, kind: e.target.value as GroupFormValues['kind'] })}
          >
            {COMPANY_GROUP_KINDS.map((k) => (
              <option key={k} value={k}>
                {COMPANY_GROUP_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </FormField>
    </div>
  );
}

/** « Ajouter un groupe ou un réseau »: checked here, then by the server (a taken name comes back). */
function AddGroupForm({ disabled, onAdded }: { disabled: boolean; onAdded: (group: CompanyGroup) => void }) {
  const [values, setValues] = useState<GroupFormValues>(EMPTY_GROUP_FORM);
  const [errors, setErrors] = useState<GroupFieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const focus = useFocusRequest();

  useEffect(() => {
    if (focusTick === 0) return;
    (summaryRef.current ?? messageRef.current)?.focus();
  }, [focusTick]);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (busy || disabled) return;
    const problems = validateGroupForm(values);
    setErrors(problems);
    setMessage(null);
    if (problems.length > 0) {
      setFocusTick((t) => t + 1);
      return;
    }
    setBusy(true);
    try {
      const group = await apiFetch<CompanyGroup>('/api/company-groups', {
        method: 'POST',
        body: groupBody(values),
      });
      setValues(EMPTY_GROUP_FORM);
      onAdded(group);
      setErrors([]);
      focus(newFieldId('name'));
    } catch (err) {
      const problem = formProblem(toProblem(err, 'Le groupe n’a pas pu être ajouté. Réessayez.'));
      setErrors(problem.fields);
      setMessage(problem.message);
      setFocusTick((t) => t + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel groups-add" aria-labelledby="groups-add-title">
      <h2 id="groups-add-title">Ajouter un groupe ou un réseau</h2>
      <form onSubmit={submit} noValidate aria-labelledby="groups-add-title">
        <ErrorSummary
          ref={summaryRef}
          errors={errors}
          fieldId={newFieldId}
          title={
            errors.length === 1
              ? 'Le groupe n’a pas été ajouté : 1 erreur'
              : `Le groupe n’a pas été ajouté : ${errors.length} erreurs`
          }
        />
        {message ? (
          <div className="alert alert--error" role="alert" tabIndex={-1} ref={messageRef}>
            {message}
          </div>
        ) : null}
        <GroupFields
          idOf={newFieldId}
          values={values}
          errors={errors}
          disabled={disabled || busy}
          onChange={setValues}
        />
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={disabled || busy}
            aria-describedby={disabled ? 'groups-offline' : undefined}
          >
            {busy ? 'Ajout…' : 'Ajouter'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A group being renamed or given another type, in its row of the table. */
function EditGroupRow({
  group,
  disabled,
  onSaved,
  onCancel,
  onGone,
}: {
  group: CompanyGroup;
  disabled: boolean;
  onSaved: (group: CompanyGroup) => void;
  onCancel: () => void;
  onGone: (message: string) => void;
}) {
  const [values, setValues] = useState<GroupFormValues>(() => groupToForm(group));
  const [errors, setErrors] = useState<GroupFieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idOf = (field: string) => editFieldId(group.id, field);
  const focus = useFocusRequest();

  useEffect(() => {
    document.getElementById(editFieldId(group.id, 'name'))?.focus();
  }, [group.id]);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (busy || disabled) return;
    const problems = validateGroupForm(values);
    setErrors(problems);
    setMessage(null);
    if (problems.length > 0) {
      focus(idOf(problems[0]!.field));
      return;
    }
    if (isUnchanged(group, values)) {
      onCancel();
      return;
    }
    setBusy(true);
    try {
      const saved = await apiFetch<CompanyGroup>(`/api/company-groups/${encodeURIComponent(group.id)}`, {
        method: 'PUT',
        body: groupBody(values),
      });
      onSaved(saved);
    } catch (err) {
      const raw = toProblem(err, 'Les modifications n’ont pas pu être enregistrées. Réessayez.');
      if (raw.status === 404) {
        onGone(deleteProblem(group, raw));
        return;
      }
      const problem = formProblem(raw);
      setErrors(problem.fields);
      setMessage(problem.message);
      setBusy(false);
      if (problem.fields[0]) focus(idOf(problem.fields[0].field));
    }
  }

  function onKeyDown(ev: KeyboardEvent) {
    if (ev.key === 'Escape') {
      ev.preventDefault();
      onCancel();
    }
  }

  return (
    <tr data-testid="group-edit-row" data-group-id={group.id} className="groups-table__editing">
      <td colSpan={3}>
        <form
          onSubmit={submit}
          onKeyDown={onKeyDown}
          noValidate
          aria-label={`Modifier « ${group.name} »`}
          className="groups-edit"
        >
          {message ? (
            <p className="field__error" role="alert">
              {message}
            </p>
          ) : null}
          <GroupFields
            idOf={idOf}
            values={values}
            errors={errors}
            disabled={disabled || busy}
            onChange={setValues}
          />
          <p className="field__hint">
            Les fiches entreprise qui ont choisi ce groupe afficheront le nouveau nom.
          </p>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={disabled || busy}>
              {busy ? 'Enregistrement…' : 'Enregistrer'}
            </button>
            <button type="button" className="button button--secondary" onClick={onCancel}>
              Annuler
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

/**
 * « Groupes et réseaux » (moderators): the list of groups and networks companies belong to (seed
 * 004 « groupe de distribution »), which recruiters choose from on their company profile. The list
 * lives on the server only, so changes need a connection.
 */
export function CompanyGroupsScreen() {
  const { user, sync, announce } = useSession();
  const { online } = useSyncState(sync);
  const [groups, setGroups] = useState<CompanyGroup[] | null>(null);
  const [fromCache, setFromCache] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<CompanyGroup | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const focus = useFocusRequest();
  // The list as last rendered, for answers that arrive after an await.
  const groupsRef = useRef(groups);
  groupsRef.current = groups;
  const disabled = !online;

  useEffect(() => {
    document.title = 'Groupes et réseaux — Poste recruteur';
  }, []);

  /** Shows the list and hands it to the company forms of this workstation. */
  const latestLoad = useRef(0);
  const publish = useCallback(
    (next: CompanyGroup[]) => {
      // A read still on its way is older than this list: it is dropped, and nothing is loading.
      latestLoad.current++;
      setLoading(false);
      groupsRef.current = next;
      setGroups(next);
      setFromCache(false);
      refreshCompanyGroups(user.id, next);
    },
    [user.id],
  );

  const load = useCallback(
    async (signal?: AbortSignal) => {
      // Only the latest read counts: one answered after a change made meanwhile would undo it.
      const request = ++latestLoad.current;
      setLoading(true);
      try {
        const list = readGroupList(await apiFetch<unknown>('/api/company-groups', { signal }));
        if (!list) throw new Error('liste illisible');
        if (request !== latestLoad.current) return;
        publish(list);
        setLoadError(null);
      } catch (err) {
        if (signal?.aborted || request !== latestLoad.current) return;
        // Without the server, the list this workstation last saw (read-only).
        const cached = groupsRef.current ? null : readCachedCompanyGroups(user.id);
        if (cached) {
          setGroups(sortGroups(cached));
          setFromCache(true);
        }
        setLoadError(
          err instanceof ApiError || err instanceof NetworkError
            ? err.message
            : 'La liste des groupes et réseaux n’a pas pu être lue.',
        );
      } finally {
        if (!signal?.aborted && request === latestLoad.current) setLoading(false);
      }
    },
    [publish, user.id],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  // Back online: read the list again (another moderator may have changed it).
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current) void load();
    wasOnline.current = online;
  }, [online, load]);

  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  function showProblem(message: string) {
    setProblem(null);
    requestAnimationFrame(() => setProblem(message));
  }

  function added(group: CompanyGroup) {
    setProblem(null);
    publish(upsertGroup(groupsRef.current ?? [], group));
    announce(`${kindLabel(group.kind)} « ${group.name} » ajouté à la liste.`);
  }

  function saved(before: CompanyGroup, group: CompanyGroup) {
    setProblem(null);
    setEditingId(null);
    publish(upsertGroup(groupsRef.current ?? [], group));
    announce(
      before.name === group.name
        ? `« ${group.name} » est maintenant un ${kindLabel(group.kind).toLowerCase()}.`
        : `« ${before.name} » est renommé « ${group.name} ».`,
    );
    focus(editButtonId(group.id));
  }

  function gone(message: string) {
    setEditingId(null);
    showProblem(message);
    void load();
  }

  async function confirmDelete() {
    const group = toDelete;
    if (!group || busyId) return;
    setToDelete(null);
    setBusyId(group.id);
    setProblem(null);
    try {
      await apiFetch(`/api/company-groups/${encodeURIComponent(group.id)}`, { method: 'DELETE' });
      publish(removeGroup(groupsRef.current ?? [], group.id));
      announce(`« ${group.name} » est supprimé de la liste.`);
      focus('groups-list-title');
    } catch (err) {
      const raw = toProblem(err, 'La suppression n’a pas pu aboutir. Réessayez.');
      showProblem(deleteProblem(group, raw));
      if (raw.status === 404) void load();
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section aria-labelledby="groups-title" className="groups-screen">
      <div className="page-header">
        <h1 id="groups-title" tabIndex={-1}>
          Groupes et réseaux
        </h1>
      </div>
      <p className="muted groups-intro">
        Les groupes et réseaux auxquels une entreprise peut appartenir (« groupe de distribution »). Les
        recruteurs choisissent dans cette liste sur leur fiche entreprise ; le nom s’affiche sur la page de
        l’entreprise dans le portail.
      </p>

      {disabled ? (
        <div className="alert alert--warning" role="status" id="groups-offline" data-testid="groups-offline">
          {OFFLINE_MESSAGE}
        </div>
      ) : null}

      <AddGroupForm disabled={disabled} onAdded={added} />

      <section className="groups-list" aria-labelledby="groups-list-title" aria-busy={loading && !groups}>
        <h2 id="groups-list-title" tabIndex={-1}>
          La liste
        </h2>
        {problem ? (
          <div
            className="alert alert--error groups-problem"
            role="alert"
            tabIndex={-1}
            ref={problemRef}
            data-testid="groups-problem"
          >
            <p>{problem}</p>
            <button type="button" className="link-button" onClick={() => setProblem(null)}>
              Fermer ce message
            </button>
          </div>
        ) : null}
        {loadError && !disabled ? (
          <ListLoadError error={loadError} hadList={!!groups} onRetry={() => void load()} />
        ) : null}
        {fromCache && groups ? (
          <p className="alert alert--info" data-testid="groups-from-cache">
            Liste enregistrée sur ce poste lors de la dernière connexion : elle peut ne pas être à jour.
          </p>
        ) : null}
        {groups === null ? (
          loading ? (
            <p>Chargement de la liste…</p>
          ) : null
        ) : groups.length === 0 ? (
          <div className="empty-state" data-testid="groups-empty">
            <p>Aucun groupe ni réseau pour l’instant.</p>
            <p className="muted">
              Ajoutez le premier avec le formulaire ci-dessus : les recruteurs pourront le choisir sur leur
              fiche entreprise.
            </p>
          </div>
        ) : (
          <>
            <p className="result-count" aria-live="polite" data-testid="groups-count">
              {summariseGroups(groups)}
            </p>
            <div className="table-wrap">
              <table className="data-table groups-table" data-testid="groups-table">
                <caption className="visually-hidden">Groupes et réseaux, par ordre alphabétique</caption>
                <thead>
                  <tr>
                    <th scope="col">Nom</th>
                    <th scope="col">Type</th>
                    <th scope="col" className="col-actions">
                      Actions
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((g) =>
                    editingId === g.id ? (
                      <EditGroupRow
                        key={g.id}
                        group={g}
                        disabled={disabled}
                        onSaved={(next) => saved(g, next)}
                        onCancel={() => {
                          setEditingId(null);
                          focus(editButtonId(g.id));
                        }}
                        onGone={gone}
                      />
                    ) : (
                      <tr key={g.id} data-testid="group-row" data-group-id={g.id}>
                        <th scope="row" className="groups-table__name">
                          {g.name}
                        </th>
                        <td>
                          <span className={`tag groups-kind groups-kind--${g.kind}`}>
                            {kindLabel(g.kind)}
                          </span>
                        </td>
                        <td className="col-actions">
                          <div className="row-actions">
                            <button
                              type="button"
                              id={editButtonId(g.id)}
                              className="button button--small"
                              aria-label={`Modifier « ${g.name} »`}
                              disabled={disabled || busyId === g.id}
                              onClick={() => {
                                setProblem(null);
                                setEditingId(g.id);
                              }}
                            >
                              Modifier
                            </button>
                            <button
                              type="button"
                              className="button button--small button--danger-outline"
                              aria-label={`Supprimer « ${g.name} »`}
                              disabled={disabled || busyId === g.id}
                              onClick={() => {
                                setProblem(null);
                                setToDelete(g);
                              }}
                            >
                              {busyId === g.id ? 'Suppression…' : 'Supprimer'}
                            </button>
                          </div>
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <ConfirmDialog
        open={toDelete !== null}
        title={toDelete ? `Supprimer « ${toDelete.name} » ?` : 'Supprimer'}
        confirmLabel="Supprimer"
        danger
        onConfirm={() => void confirmDelete()}
        onCancel={() => setToDelete(null)}
      >
        <p>
          Ce {toDelete ? kindLabel(toDelete.kind).toLowerCase() : 'groupe'} ne sera plus proposé aux
          recruteurs.
        </p>
        <p className="muted">
          Un groupe choisi par une fiche entreprise ne peut pas être supprimé : renommez-le plutôt.
        </p>
      </ConfirmDialog>
    </section>
  );
}
