import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { map } from 'rxjs';
import {
  APPLICATION_SOURCE_LABELS,
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationSource,
  type ApplicationStatus,
  canMoveApplication,
  whyNoCvAttachment,
} from '../../../../shared/domain/application';
import { canRecruiterMoveOffer, type OfferStatus } from '../../../../shared/domain/offer';
import {
  type ApplicantDossierInput,
  applicantDossierBlocks,
  applicantDossierPdf,
  type DossierBlock,
} from '../../../../shared/export/applicant-dossier';
import { APPLICANT_EXPORT_HEADER, applicantExportRows } from '../../../../shared/export/applicants-table';
import { toCsv } from '../../../../shared/export/csv';
import { toXlsx } from '../../../../shared/export/xlsx';
import type { ApplicationDoc, EvaluationDoc, NoticeDoc, OfferDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { useObservableValue } from '../../hooks/use-rx-query';
import { plural } from '../../lib/format';
import { AddToListsDialog } from '../cvtheque/AddToListsDialog';
import { fileServicesFor, keepAndQueue } from '../files/files-session';
import { prepareFile } from '../files/prepare-file';
import { moveOffer } from '../offers/offer-model';
import { docData, useOrganisationOffers } from '../offers/use-offers';
import { ApplicantCv } from './ApplicantCv';
import { ApplicantPanel, type ApplicantPanelHandle } from './ApplicantPanel';
import { ApplicantsTable } from './ApplicantsTable';
import {
  type ApplicantRow,
  type ApplicantSort,
  type ApplicantSortKey,
  applicantRow,
  commandOf,
  countByFilter,
  createRowCache,
  evaluationsBySubject,
  fillsLastPost,
  matchesFilter,
  moveIndex,
  othersInProgress,
  STATUS_FILTERS,
  type StatusFilterId,
  sortRows,
  TRIAGE_SHORTCUTS,
  textMatcher,
} from './applicants-model';
import { DossierPrint } from './DossierPrint';
import { downloadBytes } from './download';
import { CvDialog, HireDialog, MergeDialog, type RefusalChoice, RefuseDialog } from './TriageDialogs';
import {
  attachApplicationCv,
  moveApplication,
  noteApplication,
  rateApplication,
  tagApplication,
  undo,
  useOrganisationApplications,
  useOrganisationEvaluations,
} from './triage-db';
import { TriageJournal } from './triage-journal';
import './applicants.css';

interface Props {
  offerId?: string;
  applicationId?: string;
}

const POST_FILLED_REASON = 'Poste pourvu par un autre candidat';

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.closest('dialog')) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type);
  return el.isContentEditable;
}

/** « Mes candidats »: the applicants of the organisation's offers, triaged with the keyboard. */
export function ApplicantsScreen({ offerId: initialOffer, applicationId }: Props) {
  const { db, user, organisation, announce, navigate } = useSession();
  const orgId = organisation?.organisationId ?? null;
  const replica = useOrganisationApplications(db, orgId);
  const applications = replica?.list;
  const evaluations = useOrganisationEvaluations(db, orgId);
  const offers = useOrganisationOffers(db, orgId);
  const noticesObs = useMemo(
    () =>
      db.notices
        .find({ selector: { userId: user.id, documentCollection: 'applications' } })
        .$.pipe(map((docs) => docs.map(docData).filter((n) => !n.readAt))),
    [db, user.id],
  );
  const notices = useObservableValue(noticesObs);

  const [offerId, setOfferId] = useState<string>(initialOffer ?? '');
  const [filter, setFilter] = useState<StatusFilterId>(applicationId ? 'toutes' : 'en_cours');
  const [text, setText] = useState('');
  const [sort, setSort] = useState<ApplicantSort>({ key: 'receivedAt', desc: true });
  const [currentId, setCurrentId] = useState<string | null>(applicationId ?? null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const journal = useMemo(() => new TriageJournal(), []);
  const [refusing, setRefusing] = useState<string[] | null>(null);
  const [hiring, setHiring] = useState<ApplicationDoc | null>(null);
  const [merging, setMerging] = useState<ApplicationDoc | null>(null);
  const [cvOpen, setCvOpen] = useState(false);
  const [printing, setPrinting] = useState<DossierBlock[] | null>(null);
  const printed = useCallback(() => setPrinting(null), []);
  const [listCvIds, setListCvIds] = useState<string[] | null>(null);
  const [bulkStatus, setBulkStatus] = useState<ApplicationStatus | ''>('');
  const [showShortcuts, setShowShortcuts] = useState(true);
  const panelRef = useRef<ApplicantPanelHandle>(null);
  const triageRef = useRef<HTMLDivElement>(null);
  const lastIndex = useRef(0);

  const offerById = useMemo(() => new Map((offers ?? []).map((o) => [o.id, o])), [offers]);
  const evalsBySubject = useMemo(() => evaluationsBySubject(evaluations ?? []), [evaluations]);
  const byId = useMemo(() => new Map((applications ?? []).map((a) => [a.id, a])), [applications]);
  const mergedChildren = useMemo(() => mergedChildrenOf(applications ?? []), [applications]);
  // Applications per offer, and the offers the selector lists (those with applicants, or online).
  const perOffer = useMemo(() => {
    const counts = new Map<string, number>();
    for (const a of applications ?? [])
      if (a.offerId) counts.set(a.offerId, (counts.get(a.offerId) ?? 0) + 1);
    return counts;
  }, [applications]);
  const offerList = useMemo(
    () =>
      (offers ?? [])
        .filter((o) => perOffer.has(o.id) || o.status === 'publiee')
        .sort((a, b) => a.title.localeCompare(b.title, 'fr')),
    [offers, perOffer],
  );

  const rowOf = useMemo(() => createRowCache(), []);
  const allRows = useMemo(
    () =>
      (applications ?? [])
        .filter((a) => !offerId || a.offerId === offerId)
        .map((a) =>
          rowOf(
            a,
            evaluationsOf(a, evalsBySubject, mergedChildren),
            user.id,
            a.offerId ? offerById.get(a.offerId)?.title : undefined,
          ),
        ),
    [applications, offerId, evalsBySubject, mergedChildren, offerById, user.id, rowOf],
  );
  const counts = useMemo(() => countByFilter(allRows), [allRows]);
  const rows = useMemo(() => {
    const matchText = textMatcher(text);
    return sortRows(
      allRows.filter((r) => matchesFilter(r, filter) && matchText(r)),
      sort,
    );
  }, [allRows, filter, text, sort]);

  // The current row: kept by id; when it leaves the list (its status changed), the one now at its place.
  let currentIndex = currentId ? rows.findIndex((r) => r.id === currentId) : -1;
  if (currentIndex < 0 && rows.length > 0) currentIndex = Math.min(lastIndex.current, rows.length - 1);
  const current: ApplicantRow | null = currentIndex >= 0 ? (rows[currentIndex] ?? null) : null;
  useEffect(() => {
    if (currentIndex >= 0) lastIndex.current = currentIndex;
    if (current && current.id !== currentId) setCurrentId(current.id);
  }, [current, currentId, currentIndex]);

  const mayHandle = useCallback(
    (doc: ApplicationDoc) => {
      if (organisation?.role === 'admin' || !doc.offerId) return true;
      const offer = offerById.get(doc.offerId);
      return !!offer && (offer.authorId === user.id || (offer.coRecruiterIds ?? []).includes(user.id));
    },
    [organisation, offerById, user.id],
  );

  const move = useCallback(
    async (doc: ApplicationDoc, to: ApplicationStatus, refusal?: RefusalChoice) => {
      const name = applicantRow(doc, [], user.id, undefined).name;
      if (!mayHandle(doc)) {
        announce('Seuls l’auteur de l’offre, ses co-recruteurs et les administrateurs changent ce statut.');
        return;
      }
      if (!canMoveApplication(doc.status as ApplicationStatus, to, 'recruteur')) {
        announce(
          `${name} : « ${APPLICATION_STATUS_RECRUITER_LABELS[doc.status as ApplicationStatus]} » ne peut pas passer à « ${APPLICATION_STATUS_RECRUITER_LABELS[to]} ».`,
        );
        return;
      }
      const entry = await journal.record(() =>
        moveApplication(
          db,
          user,
          doc.id,
          to,
          refusal
            ? {
                refusalReason: refusal.reason,
                refusalVisible: refusal.visible,
                refusalMessage: refusal.message,
              }
            : {},
          new Date(),
          replica?.docs.get(doc.id),
        ),
      );
      if (entry) announce(`${name} : ${APPLICATION_STATUS_RECRUITER_LABELS[to]}. Annuler : U.`);
    },
    [db, user, mayHandle, announce, journal, replica?.docs],
  );

  /** Hiring for the offer's last open post asks what to do with the others. */
  const hire = useCallback(
    async (doc: ApplicationDoc) => {
      const offer = doc.offerId ? offerById.get(doc.offerId) : undefined;
      if (fillsLastPost(doc, offer, applications ?? [])) {
        setHiring(doc);
        return;
      }
      await move(doc, 'embauchee');
    },
    [applications, offerById, move],
  );

  const othersOf = (doc: ApplicationDoc | null) => (doc ? othersInProgress(doc, applications ?? []) : []);

  async function confirmHire(choice: { refuseOthers: boolean; visible: boolean; markFilled: boolean }) {
    const doc = hiring;
    setHiring(null);
    if (!doc) return;
    await move(doc, 'embauchee');
    if (choice.refuseOthers) {
      for (const other of othersOf(doc))
        await journal.record(() =>
          moveApplication(db, user, other.id, 'refusee', {
            refusalReason: POST_FILLED_REASON,
            refusalVisible: choice.visible,
          }),
        );
    }
    const offer = doc.offerId ? offerById.get(doc.offerId) : undefined;
    if (choice.markFilled && offer) {
      const o = await db.offers.findOne(offer.id).exec();
      if (o) await o.incrementalModify((d) => moveOffer(d, 'pourvue', new Date().toISOString()));
      announce(`« ${offer.title} » est marquée pourvue.`);
    }
  }

  async function confirmRefuse(choice: RefusalChoice) {
    const ids = refusing ?? [];
    setRefusing(null);
    let done = 0;
    for (const id of ids) {
      const doc = byId.get(id);
      if (
        !doc ||
        !mayHandle(doc) ||
        !canMoveApplication(doc.status as ApplicationStatus, 'refusee', 'recruteur')
      )
        continue;
      await journal.record(() =>
        moveApplication(db, user, id, 'refusee', {
          refusalReason: choice.reason,
          refusalVisible: choice.visible,
          refusalMessage: choice.message,
        }),
      );
      done++;
    }
    announce(
      ids.length === 1 && done === 1
        ? 'Candidature refusée. Annuler : U.'
        : `${done} ${plural(done, 'candidature refusée', 'candidatures refusées')}${done < ids.length ? ` (${ids.length - done} non modifiable${ids.length - done > 1 ? 's' : ''})` : ''}.`,
    );
    triageRef.current?.querySelector<HTMLElement>('tr.is-current [data-col="name"]')?.focus();
  }

  async function doUndo() {
    const { entry, problem } = await journal.undoLast((e) => undo(db, user, e));
    announce(entry ? (problem ?? `Annulé : ${entry.label}.`) : 'Rien à annuler.');
  }

  async function bulkMove() {
    if (!bulkStatus) return;
    if (bulkStatus === 'refusee') {
      setRefusing([...selected]);
      return;
    }
    let done = 0;
    for (const id of selected) {
      const doc = byId.get(id);
      if (
        !doc ||
        !mayHandle(doc) ||
        !canMoveApplication(doc.status as ApplicationStatus, bulkStatus, 'recruteur')
      )
        continue;
      await journal.record(() => moveApplication(db, user, id, bulkStatus));
      done++;
    }
    const skipped = selected.size - done;
    announce(
      `${done} ${plural(done, 'candidature passée', 'candidatures passées')} à « ${APPLICATION_STATUS_RECRUITER_LABELS[bulkStatus]} »${skipped > 0 ? ` ; ${skipped} ne pouvai${skipped > 1 ? 'ent' : 't'} pas y passer` : ''}.`,
    );
  }

  function exportRows(kind: 'csv' | 'xlsx', only?: ReadonlySet<string>) {
    const docs = rows.filter((r) => !only || only.has(r.id)).map((r) => r.doc);
    const data = applicantExportRows({
      applications: docs,
      evaluations: evaluations ?? [],
      offerTitles: new Map((offers ?? []).map((o) => [o.id, o.title])),
      statusLabel: (s) => APPLICATION_STATUS_RECRUITER_LABELS[s as ApplicationStatus] ?? s,
      sourceLabel: (s) => APPLICATION_SOURCE_LABELS[s as ApplicationSource] ?? s,
    });
    const day = new Date().toISOString().slice(0, 10);
    if (kind === 'csv') {
      const csv = toCsv(APPLICANT_EXPORT_HEADER, data);
      downloadBytes(new TextEncoder().encode(csv), `candidats-${day}.csv`, 'text/csv;charset=utf-8');
    } else {
      const bytes = toXlsx({ name: 'Candidats', header: APPLICANT_EXPORT_HEADER, rows: data });
      downloadBytes(
        bytes,
        `candidats-${day}.xlsx`,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
    }
    announce(`${docs.length} ${plural(docs.length, 'candidat exporté', 'candidats exportés')}.`);
  }

  function dossierInput(row: ApplicantRow): ApplicantDossierInput {
    return {
      application: row.doc,
      evaluations: evaluationsOf(row.doc, evalsBySubject, mergedChildren),
      offerTitle: row.offerTitle,
      organisationName: organisation?.organisationName ?? '',
      statusLabel: (s) => APPLICATION_STATUS_RECRUITER_LABELS[s as ApplicationStatus] ?? s,
      generatedAt: new Date(),
      generatedBy: `${user.firstName} ${user.lastName}`,
    };
  }

  /** A CV chosen on the disk or dropped on the applicant: checked, kept here, queued, then referenced. */
  async function attachCv(row: ApplicantRow, file: File): Promise<string | null> {
    const why = whyNoCvAttachment(row.doc);
    if (why) return why;
    const prepared = await prepareFile('capture', file);
    if (!prepared.ok) return prepared.message;
    await keepAndQueue(fileServicesFor(user.id), prepared, 'capture');
    const refused = await attachApplicationCv(db, row.doc.id, prepared.sha256);
    if (!refused) announce(`CV joint à la candidature de ${row.name}.`);
    return refused;
  }

  function dossier(row: ApplicantRow) {
    const bytes = applicantDossierPdf(dossierInput(row));
    const safe = row.name
      .normalize('NFD')
      .replace(/[^\w-]+/g, '-')
      .replace(/-+/g, '-');
    downloadBytes(bytes, `dossier-${safe}.pdf`, 'application/pdf');
  }

  async function run(ev: KeyboardEvent<HTMLDivElement>) {
    if (isEditable(ev.target)) return;
    const cmd = commandOf(ev);
    if (!cmd) return;
    ev.preventDefault();
    const doc = current?.doc;
    switch (cmd.kind) {
      case 'next':
      case 'previous': {
        const i = moveIndex(currentIndex, cmd.kind === 'next' ? 1 : -1, rows.length);
        const row = rows[i];
        if (row) setCurrentId(row.id);
        return;
      }
      case 'undo':
        await doUndo();
        return;
      case 'help':
        setShowShortcuts((v) => !v);
        return;
    }
    if (!doc || !current) return;
    switch (cmd.kind) {
      case 'status':
        if (
          cmd.to === 'embauchee' &&
          mayHandle(doc) &&
          canMoveApplication(doc.status as ApplicationStatus, 'embauchee', 'recruteur')
        )
          await hire(doc);
        else await move(doc, cmd.to);
        return;
      case 'refuse':
        if (!mayHandle(doc)) {
          announce(
            'Seuls l’auteur de l’offre, ses co-recruteurs et les administrateurs refusent une candidature.',
          );
          return;
        }
        if (!canMoveApplication(doc.status as ApplicationStatus, 'refusee', 'recruteur')) {
          announce(`Une candidature « ${current.statusLabel} » ne peut pas être refusée.`);
          return;
        }
        setRefusing([doc.id]);
        return;
      case 'rate':
        await journal.record(() => rateApplication(db, user, doc, cmd.rating));
        announce(`${current.name} : ${cmd.rating}/5.`);
        return;
      case 'note':
        panelRef.current?.focusNote();
        return;
      case 'tag':
        panelRef.current?.focusTag();
        return;
      case 'open-cv':
        if (doc.cvFile || doc.cv) setCvOpen(true);
        else announce('Pas de CV joint à cette candidature.');
        return;
      case 'select':
        setSelected((s) => {
          const next = new Set(s);
          if (next.has(doc.id)) next.delete(doc.id);
          else next.add(doc.id);
          return next;
        });
        return;
    }
  }

  const backToList = () =>
    triageRef.current?.querySelector<HTMLElement>('tr.is-current [data-col="name"]')?.focus();

  if (!organisation) {
    return (
      <section>
        <h1 tabIndex={-1}>Mes candidats</h1>
        <p>Rejoignez ou créez une organisation pour recevoir des candidatures.</p>
      </section>
    );
  }

  const currentEvaluations = current ? evaluationsOf(current.doc, evalsBySubject, mergedChildren) : [];
  const currentNotices = current ? (notices ?? []).filter((n: NoticeDoc) => n.documentId === current.id) : [];
  const duplicateTarget = current?.doc.duplicateOf ? (byId.get(current.doc.duplicateOf) ?? null) : null;
  const selectedWithCv = [...selected].map((id) => byId.get(id)?.cvId).filter((x): x is string => !!x);
  const selectedOffer = offerId ? offerById.get(offerId) : undefined;

  return (
    <section className="applicants" aria-labelledby="applicants-title">
      <h1 id="applicants-title" tabIndex={-1}>
        Mes candidats{selectedOffer ? ` – ${selectedOffer.title}` : ''}
      </h1>

      <div className="applicants-toolbar">
        <div className="field">
          <label htmlFor="applicants-offer">Offre</label>
          <select id="applicants-offer" value={offerId} onChange={(e) => setOfferId(e.target.value)}>
            <option value="">Toutes les offres ({(applications ?? []).length})</option>
            {offerList.map((o: OfferDoc) => (
              <option key={o.id} value={o.id}>
                {o.title}
                {o.number ? ` (n° ${o.number})` : ''} – {perOffer.get(o.id) ?? 0}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="applicants-search">Rechercher</label>
          <input
            id="applicants-search"
            type="search"
            value={text}
            placeholder="Nom, e-mail, téléphone, étiquette…"
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="applicants-exports">
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => exportRows('csv')}
          >
            Exporter (CSV)
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => exportRows('xlsx')}
          >
            Exporter (Excel)
          </button>
        </div>
      </div>

      <fieldset className="status-filters">
        <legend className="visually-hidden">Filtrer par statut</legend>
        {STATUS_FILTERS.map((f) => (
          <button
            key={f.id}
            type="button"
            className={`chip-button${filter === f.id ? ' is-active' : ''}`}
            aria-pressed={filter === f.id}
            onClick={() => setFilter(f.id)}
            data-testid={`filter-${f.id}`}
          >
            {f.label} <span className="count">{counts[f.id]}</span>
          </button>
        ))}
      </fieldset>

      {selected.size > 0 ? (
        <section className="bulk-bar" aria-label="Actions sur la sélection" data-testid="bulk-bar">
          <strong>
            {selected.size} {plural(selected.size, 'candidat sélectionné', 'candidats sélectionnés')}
          </strong>
          <label htmlFor="bulk-status" className="visually-hidden">
            Nouveau statut
          </label>
          <select
            id="bulk-status"
            value={bulkStatus}
            onChange={(e) => setBulkStatus(e.target.value as ApplicationStatus)}
          >
            <option value="">Passer à…</option>
            {(['a_l_etude', 'entretien', 'preselectionnee', 'refusee', 'archivee'] as const).map((s) => (
              <option key={s} value={s}>
                {APPLICATION_STATUS_RECRUITER_LABELS[s]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => void bulkMove()}
            disabled={!bulkStatus}
          >
            Appliquer
          </button>
          <button
            type="button"
            className="button button--danger-outline button--small"
            onClick={() => setRefusing([...selected])}
          >
            Refuser avec un motif…
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={selectedWithCv.length === 0}
            onClick={() => setListCvIds(selectedWithCv)}
            title={
              selectedWithCv.length === 0
                ? 'Aucun candidat sélectionné n’a de CV dans la CVthèque'
                : undefined
            }
          >
            Ajouter à une liste de CV
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => exportRows('csv', selected)}
          >
            Exporter la sélection (CSV)
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => exportRows('xlsx', selected)}
          >
            (Excel)
          </button>
          <button type="button" className="link-button" onClick={() => setSelected(new Set())}>
            Tout désélectionner
          </button>
        </section>
      ) : null}

      {applications === undefined ? (
        <p aria-busy="true">Chargement des candidatures…</p>
      ) : allRows.length === 0 ? (
        <div className="empty-state">
          <p>
            {offerId
              ? 'Aucune candidature pour cette offre pour l’instant.'
              : 'Aucune candidature pour l’instant. Elles arrivent du portail, des propositions de la CVthèque et des salons.'}
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => navigate({ name: 'events' })}
          >
            Préparer un salon
          </button>
        </div>
      ) : (
        // biome-ignore lint/a11y/noStaticElementInteractions: the shortcuts apply while the focus is in the triage (WCAG 2.1.4)
        <div className="triage" ref={triageRef} onKeyDown={(e) => void run(e)}>
          <div className="triage__list">
            {rows.length === 0 ? (
              <p className="empty-state">Aucun candidat ne correspond à ce filtre.</p>
            ) : (
              <ApplicantsTable
                rows={rows}
                currentId={current?.id ?? null}
                selected={selected}
                sort={sort}
                onSort={(key: ApplicantSortKey) =>
                  setSort((s) =>
                    s.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'name' && key !== 'offer' },
                  )
                }
                onCurrent={setCurrentId}
                onToggle={(id, on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(id);
                    else next.delete(id);
                    return next;
                  })
                }
                onToggleAll={(on) => setSelected(on ? new Set(rows.map((r) => r.id)) : new Set())}
                caption={`${rows.length} ${plural(rows.length, 'candidat', 'candidats')}`}
                oneOffer={!!offerId}
              />
            )}
            <p className="muted small" aria-live="polite" data-testid="applicants-count">
              {rows.length} {plural(rows.length, 'candidat', 'candidats')}
              {current ? ` · ${currentIndex + 1} sur ${rows.length}` : ''}
            </p>
          </div>
          <div className="triage__panel">
            {current ? (
              <ApplicantPanel
                ref={panelRef}
                row={current}
                evaluations={currentEvaluations}
                userId={user.id}
                notices={currentNotices}
                duplicateOf={duplicateTarget}
                onMove={(to) => void (to === 'embauchee' ? hire(current.doc) : move(current.doc, to))}
                onRefuse={() => setRefusing([current.id])}
                onRate={(n) => void journal.record(() => rateApplication(db, user, current.doc, n))}
                onNote={async (t) => {
                  await journal.record(() => noteApplication(db, user, current.doc, t));
                  announce('Note enregistrée.');
                  backToList();
                }}
                onTag={async (t, remove) => {
                  await journal.record(() => tagApplication(db, user, current.doc, t, remove));
                }}
                onOpenCv={() => setCvOpen(true)}
                onMerge={() => setMerging(current.doc)}
                onDossier={() => dossier(current)}
                onPrintDossier={() => setPrinting(applicantDossierBlocks(dossierInput(current)))}
                onAttachCv={(file) => attachCv(current, file)}
                onBackToList={backToList}
                onOpenCvthequeCv={
                  current.doc.cvId
                    ? () => navigate({ name: 'cv', cvId: current.doc.cvId as string })
                    : undefined
                }
              />
            ) : null}
          </div>
        </div>
      )}

      <details className="shortcuts" open={showShortcuts} id="triage-shortcuts">
        <summary>Raccourcis clavier (actifs dans la liste des candidats)</summary>
        <ul>
          {TRIAGE_SHORTCUTS.map((s) => (
            <li key={s.keys}>
              <kbd>{s.keys}</kbd> {s.label}
            </li>
          ))}
        </ul>
      </details>

      <RefuseDialog
        open={refusing !== null}
        count={refusing?.length ?? 0}
        name={refusing?.length === 1 ? (current?.name ?? undefined) : undefined}
        onConfirm={(c) => void confirmRefuse(c)}
        onClose={() => {
          setRefusing(null);
          backToList();
        }}
      />
      <HireDialog
        open={hiring !== null}
        name={hiring ? applicantRow(hiring, [], user.id, undefined).name : ''}
        others={othersOf(hiring).length}
        canMarkFilled={
          !!hiring?.offerId &&
          canRecruiterMoveOffer(
            (offerById.get(hiring.offerId)?.status ?? 'brouillon') as OfferStatus,
            'pourvue',
          )
        }
        onConfirm={(c) => void confirmHire(c)}
        onClose={() => {
          setHiring(null);
          backToList();
        }}
      />
      <MergeDialog
        open={merging !== null}
        capture={merging}
        target={merging?.duplicateOf ? (byId.get(merging.duplicateOf) ?? null) : null}
        onConfirm={() => void confirmMerge()}
        onClose={() => setMerging(null)}
      />
      {printing ? <DossierPrint blocks={printing} onDone={printed} /> : null}
      <CvDialog
        open={cvOpen}
        onClose={() => {
          setCvOpen(false);
          backToList();
        }}
      >
        {current ? <ApplicantCv doc={current.doc} /> : null}
      </CvDialog>
      <AddToListsDialog
        cvIds={listCvIds}
        label={`${listCvIds?.length ?? 0} CV`}
        onClose={() => setListCvIds(null)}
      />
    </section>
  );

  async function confirmMerge() {
    const capture = merging;
    setMerging(null);
    if (!capture?.duplicateOf) return;
    const doc = await db.applications.findOne(capture.id).exec();
    if (!doc) return;
    await doc.incrementalModify((d) => ({
      ...d,
      mergedInto: capture.duplicateOf,
      updatedAt: new Date().toISOString(),
    }));
    announce('Fusion demandée : elle s’appliquera à la prochaine synchronisation.');
  }
}

/** The evaluations shown for an application: its own, and those of the captures merged into it. */
function evaluationsOf(
  doc: ApplicationDoc,
  by: ReadonlyMap<string, EvaluationDoc[]>,
  mergedChildren: ReadonlyMap<string, readonly string[]>,
): EvaluationDoc[] {
  const own = by.get(doc.id) ?? [];
  const children = mergedChildren.get(doc.id);
  if (!children) return own;
  return [...own, ...children.flatMap((id) => by.get(id) ?? [])];
}

/** Which captures were merged into each application. */
function mergedChildrenOf(applications: readonly ApplicationDoc[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of applications) {
    if (!a.mergedInto) continue;
    const list = out.get(a.mergedInto);
    if (list) list.push(a.id);
    else out.set(a.mergedInto, [a.id]);
  }
  return out;
}
