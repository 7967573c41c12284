import type { SortingState } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type CvSearchCriteria, validateCvCriteria } from '../../../../shared/domain/cv-search';
import { searchCriteria } from '../../../../shared/domain/searches';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { SearchDoc } from '../../../../shared/schemas/search.schema';
import { useSession } from '../../app/session-context';
import { ErrorSummary } from '../../components/ErrorSummary';
import { useSyncState } from '../../hooks/use-sync-state';
import { plural } from '../../lib/format';
import { useOrganisationDoc } from '../companies/use-companies';
import { useOrganisationOffers } from '../offers/use-offers';
import { useReferenceState } from '../reference/use-reference-suggestions';
import { AddToListsDialog } from './AddToListsDialog';
import { askAlertPermission } from './alert-notifications';
import { CvPreview } from './CvPreview';
import { CvResultsTable } from './CvResultsTable';
import { CV_FIELD_IDS, CvSearchForm } from './CvSearchForm';
import {
  cvCollections,
  deleteSearch,
  recordRun,
  starSearch,
  useLocalCvCount,
  useSearchHistory,
} from './cv-db';
import {
  type CvSearchFormValues,
  type CvSortColumn,
  criteriaToForm,
  formFieldOf,
  formToCriteria,
  hitsToRows,
  prefillFromOrganisation,
  sortRows,
  sourceLabel,
} from './cvtheque-model';
import { loadMemory, rememberCvs, saveMemory } from './cvtheque-state';
import { localCvSearch } from './local-cv-search';
import { OfflineSummary } from './OfflineSummary';
import { FAVOURITE_ALERT_TEXT, SearchHistory } from './SearchHistory';
import { CriteriaError, runCvSearch, type SearchOutcome, serverSearch } from './search-runner';
import './cvtheque.css';

const DEFAULT_SORT: SortingState = [{ id: 'score', desc: true }];

type Errors = Partial<Record<keyof CvSearchFormValues, string>>;

/**
 * « CVthèque » (seed 001 « Accéder à la CVThèque », seed 000 « Ma CV-Thèque »): search the CVs,
 * on the server when online, on this workstation's replica otherwise; results, preview, lists
 * and the search history.
 */
export function CvthequeScreen() {
  const { db, sync, user, organisation, navigate, announce } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const memoryKey = `${user.id}|${orgId ?? ''}`;
  const memory = loadMemory(memoryKey);
  const { online } = useSyncState(sync);
  const offers = useOrganisationOffers(db, orgId);
  const orgDoc = useOrganisationDoc(db, orgId);
  const rome = useReferenceState('rome');
  const appellationLabel = useCallback(
    (code: string) => rome.index?.byCodeOgr.get(code)?.label,
    [rome.index],
  );
  const history = useSearchHistory(db, user.id);
  const localCount = useLocalCvCount(db);

  const [form, setForm] = useState<CvSearchFormValues | null>(memory?.form ?? null);
  const [formKey, setFormKey] = useState(0);
  const [outcome, setOutcome] = useState<SearchOutcome | null>(memory?.outcome ?? null);
  const [sorting, setSorting] = useState<SortingState>(memory?.sorting ?? DEFAULT_SORT);
  const [currentId, setCurrentId] = useState<string | null>(memory?.currentId ?? null);
  const [checked, setChecked] = useState<Set<string>>(() => new Set(memory?.checked ?? []));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [listTarget, setListTarget] = useState<{ ids: string[]; label?: string; files: string[] } | null>(
    null,
  );
  const loose = useRef<{ appellation: string; place: string }>({ appellation: '', place: '' });
  const summaryRef = useRef<HTMLDivElement>(null);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  // Seed 000: pre-filled from the organisation's offers (and its address) once they are read.
  const prefill = useMemo(
    () => (offers === undefined ? null : prefillFromOrganisation(offers, orgDoc)),
    [offers, orgDoc],
  );
  useEffect(() => {
    if (form === null && prefill) setForm(prefill);
  }, [form, prefill]);

  useEffect(() => {
    if (form) saveMemory(memoryKey, { form, outcome, sorting, currentId, checked: [...checked] });
  }, [memoryKey, form, outcome, sorting, currentId, checked]);

  useEffect(() => () => abortRef.current?.abort(), []);

  const rows = useMemo(() => {
    const all = hitsToRows(outcome?.response.hits ?? []);
    const column = (sorting[0]?.id ?? 'score') as CvSortColumn;
    return sortRows(all, column, sorting[0]?.desc ?? true);
  }, [outcome, sorting]);
  const current = rows.find((r) => r.id === currentId)?.doc ?? null;

  const run = useCallback(
    async (criteria: CvSearchCriteria) => {
      abortRef.current?.abort();
      const abort = new AbortController();
      abortRef.current = abort;
      setBusy(true);
      setFailure(null);
      try {
        const result = await runCvSearch(
          criteria,
          {
            online,
            server: serverSearch,
            local: (c) => localCvSearch(db, c),
          },
          abort.signal,
        );
        if (abort.signal.aborted) return;
        rememberCvs(result.response.hits.map((h) => h.doc));
        setOutcome(result);
        setChecked(new Set());
        setCurrentId(result.response.hits[0]?.doc.id ?? null);
        setSorting(DEFAULT_SORT);
        const n = result.response.total;
        // The count is read out by the status line (aria-live), not the toast.
        if (orgId)
          await recordRun(db, {
            ownerId: user.id,
            organisationId: orgId,
            criteria,
            resultCount: n,
            source: result.response.source,
            ...(criteria.appellationCode
              ? { appellationLabel: appellationLabel(criteria.appellationCode) ?? form?.appellation?.label }
              : {}),
          }).catch(() => undefined);
        requestAnimationFrame(() => resultsRef.current?.focus());
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof CriteriaError) {
          const next: Errors = {};
          for (const f of err.fields) next[formFieldOf(f.field)] ??= f.message;
          if (Object.keys(next).length === 0) setFailure(err.message);
          setErrors(next);
          requestAnimationFrame(() => summaryRef.current?.focus());
        } else setFailure(err instanceof Error ? err.message : 'La recherche a échoué. Réessayez.');
      } finally {
        if (abortRef.current === abort) setBusy(false);
      }
    },
    [online, db, orgId, user.id, appellationLabel, form?.appellation?.label],
  );

  function submit() {
    if (!form) return;
    const next: Errors = {};
    if (!form.appellation && loose.current.appellation.trim())
      next.appellation =
        'Choisissez le métier dans la liste proposée, ou videz le champ et tapez-le dans « Mots-clés ».';
    if (!form.place && loose.current.place.trim())
      next.place = 'Choisissez la commune dans la liste proposée, ou videz le champ.';
    const criteria = formToCriteria(form);
    for (const e of validateCvCriteria(criteria)) next[formFieldOf(e.field)] ??= e.message;
    setErrors(next);
    if (Object.keys(next).length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    void run(criteria);
  }

  function rerun(s: SearchDoc) {
    const criteria = searchCriteria(s);
    loose.current = { appellation: '', place: '' };
    setErrors({});
    setForm(criteriaToForm(criteria, appellationLabel, (code) => rome.index?.byCodeOgr.get(code)?.romeCode));
    setFormKey((k) => k + 1);
    void run(criteria);
  }

  const openCv = useCallback(
    (doc: CvDoc) => {
      rememberCvs([doc]);
      navigate({ name: 'cv', cvId: doc.id, from: 'cvtheque' });
    },
    [navigate],
  );

  const errorList = Object.entries(errors)
    .filter(([, m]) => m)
    .map(([field, message]) => ({ field, message: message as string }));
  const total = outcome?.response.total ?? 0;
  const shown = outcome?.response.hits.length ?? 0;
  const hasReplica = cvCollections(db) !== null;

  return (
    <section aria-labelledby="cvtheque-title" className="cvtheque">
      <div className="page-header">
        <h1 id="cvtheque-title" tabIndex={-1}>
          CVthèque
        </h1>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => navigate({ name: 'cv-lists' })}
        >
          Mes listes de CV
        </button>
      </div>
      <p className="muted">Trouvez le candidat idéal parmi les CV de la CVthèque.</p>
      {!organisation ? (
        <div className="empty-state" data-testid="no-organisation">
          <p>Votre compte n’est rattaché à aucune organisation : la CVthèque est réservée aux recruteurs.</p>
        </div>
      ) : (
        <>
          <ErrorSummary
            ref={summaryRef}
            errors={errorList}
            fieldId={(f) => CV_FIELD_IDS[f as keyof CvSearchFormValues] ?? f}
            title={
              errorList.length === 1
                ? 'La recherche contient une erreur'
                : `La recherche contient ${errorList.length} erreurs`
            }
          />
          {form ? (
            <CvSearchForm
              key={formKey}
              values={form}
              onChange={(v) => setForm(v)}
              onLooseText={(field, text) => {
                loose.current[field] = text;
              }}
              errors={errors}
              busy={busy}
              nearby={form.appellation ? (rome.index?.nearby.get(form.appellation.romeCode) ?? []) : []}
              onSubmit={submit}
              onReset={() => {
                if (!prefill) return;
                loose.current = { appellation: '', place: '' };
                setErrors({});
                setForm(prefill);
                setFormKey((k) => k + 1);
                announce('Critères de votre organisation rétablis.');
              }}
            />
          ) : (
            <p aria-busy="true">Préparation des critères de votre organisation…</p>
          )}
          <OfflineSummary localCount={localCount} online={online} hasReplica={hasReplica} />
          <div className="cv-status" aria-live="polite" data-testid="cv-status">
            {busy ? <p aria-busy="true">Recherche en cours…</p> : null}
            {!busy && outcome ? (
              <p>
                <strong data-testid="cv-source">{sourceLabel(outcome.response, localCount)}</strong>
                {' : '}
                <span data-testid="cv-count">
                  {total} {plural(total, 'CV correspond', 'CV correspondent')}
                </span>
                {shown < total ? ` (les ${shown} plus pertinents sont affichés)` : ''}.
              </p>
            ) : null}
          </div>
          {failure ? (
            <div className="alert alert--error" role="alert" data-testid="cv-error">
              <p>{failure}</p>
              <button type="button" className="button button--small button--secondary" onClick={submit}>
                Réessayer
              </button>
            </div>
          ) : null}
          {outcome?.localReason === 'server-failed' ? (
            <p className="alert alert--warning" role="status">
              Le serveur n’a pas répondu : les résultats viennent des CV enregistrés sur ce poste.
            </p>
          ) : null}
          {outcome ? (
            <div className="cv-results-area">
              <div className="cv-results-main">
                <h2 id="cv-results-title" tabIndex={-1} ref={resultsRef}>
                  Résultats
                </h2>
                {rows.length === 0 ? (
                  <div className="empty-state" data-testid="cv-empty">
                    <p>Aucun CV ne correspond à ces critères.</p>
                    <p className="muted">
                      Élargissez le rayon, retirez des critères ou essayez d’autres mots-clés.
                      {outcome.response.source === 'local'
                        ? ' Hors ligne, seuls les CV enregistrés sur ce poste sont cherchés.'
                        : ''}
                    </p>
                  </div>
                ) : (
                  <>
                    <div className="cv-bulk">
                      <span>
                        {checked.size} {plural(checked.size, 'CV sélectionné', 'CV sélectionnés')}
                      </span>
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        disabled={checked.size === 0}
                        onClick={() =>
                          setListTarget({
                            ids: [...checked],
                            files: rows.flatMap((r) =>
                              checked.has(r.id) && r.doc.file ? [r.doc.file.sha256] : [],
                            ),
                          })
                        }
                      >
                        Ajouter à une liste
                      </button>
                    </div>
                    <CvResultsTable
                      rows={rows}
                      sorting={sorting}
                      onSortingChange={setSorting}
                      caption="Résultats de la recherche de CV. Les en-têtes de colonnes permettent de trier ; le titre d’un CV l’ouvre."
                      currentId={currentId}
                      onCurrent={(r) => setCurrentId(r.id)}
                      onOpen={(r) => openCv(r.doc)}
                      checked={checked}
                      onCheck={(id, on) =>
                        setChecked((s) => {
                          const n = new Set(s);
                          if (on) n.add(id);
                          else n.delete(id);
                          return n;
                        })
                      }
                      onCheckAll={(on) => setChecked(on ? new Set(rows.map((r) => r.id)) : new Set())}
                    />
                  </>
                )}
              </div>
              <CvPreview
                doc={current}
                onOpen={openCv}
                onAddToLists={(d) =>
                  setListTarget({ ids: [d.id], label: d.title, files: d.file ? [d.file.sha256] : [] })
                }
              />
            </div>
          ) : null}
          <SearchHistory
            searches={history}
            onRun={rerun}
            onStar={(s, fav) => {
              if (fav) void askAlertPermission();
              void starSearch(db, s.id, fav).then(() =>
                announce(
                  fav
                    ? `Recherche « ${s.label} » ajoutée aux favorites. ${FAVOURITE_ALERT_TEXT}.`
                    : `Recherche « ${s.label} » retirée des favorites.`,
                ),
              );
            }}
            onDelete={(s) => {
              void deleteSearch(db, s.id).then(() =>
                announce(`Recherche « ${s.label} » supprimée de l’historique.`),
              );
            }}
          />
        </>
      )}
      <AddToListsDialog
        cvIds={listTarget?.ids ?? null}
        label={listTarget?.label}
        fileHashes={listTarget?.files}
        onClose={() => setListTarget(null)}
      />
    </section>
  );
}
