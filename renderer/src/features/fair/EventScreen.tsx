import { useEffect, useMemo, useRef, useState } from 'react';
import {
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationStatus,
} from '../../../../shared/domain/application';
import { REGISTRATION_VIA_LABELS, registrationViaOf } from '../../../../shared/domain/event-registration';
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import { useSession } from '../../app/session-context';
import { useSyncState } from '../../hooks/use-sync-state';
import { downloadBatch, downloadFile } from '../files/file-api';
import { fileServicesFor } from '../files/files-session';
import { NoticeCard } from '../notices/NoticeCard';
import { markNoticeRead, useNotices } from '../notices/use-notices';
import { daySummary, summaryStatuses } from './day-summary';
import { EVENT_KIND_LABELS, EVENT_STATUS_LABELS, formatPlace, formatWhen } from './event-model';
import {
  FILE_ROLE_LABELS,
  type FileNeed,
  type FileOutcome,
  fetchMany,
  fetchOne,
  preparationPlan,
  progressText,
  readiness,
} from './prepare';
import { InviteCandidates, StandQr } from './StandQr';
import { useCvsById, useEvent, useEventApplications, useOffersById } from './use-events';
import './fair.css';

const personName = (a: Pick<ApplicationDoc, 'applicant'>) =>
  `${a.applicant?.firstName ?? ''} ${a.applicant?.lastName ?? ''}`.trim() || 'Candidat sans nom';

/** « Préparer le salon »: everything local before leaving, with progress and errors per file. */
function Preparation({ event }: { event: EventDoc }) {
  const { db, user, sync } = useSession();
  const syncState = useSyncState(sync);
  const offers = useOffersById(db, event.offerIds);
  const applications = useEventApplications(db, event);
  const cvIds = useMemo(
    () => [...new Set((applications ?? []).map((a) => a.cvId).filter((x): x is string => !!x))],
    [applications],
  );
  const cvs = useCvsById(db, cvIds);
  const plan = useMemo(
    () => (offers && applications && cvs ? preparationPlan(event, offers, applications, cvs) : null),
    [event, offers, applications, cvs],
  );
  const [local, setLocal] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Map<string, { need: FileNeed; message: string }>>(new Map());
  const [startedAt, setStartedAt] = useState<string | null>(null);
  const inFlight = useRef(new Set<string>());
  const store = fileServicesFor(user.id).store;

  // Which files are already here (also before any preparation).
  const filesKey = plan?.files.map((f) => f.sha256).join(',') ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `filesKey` stands for the plan's files
  useEffect(() => {
    if (!plan) return;
    let cancelled = false;
    void Promise.all(
      plan.files.map(async (f) => ((await store.getFile(f.sha256).catch(() => null)) ? f.sha256 : null)),
    ).then((found) => {
      if (cancelled) return;
      setLocal((prev) => {
        const next = new Set(prev);
        for (const s of found) if (s) next.add(s);
        return next;
      });
    });
    return () => {
      cancelled = true;
    };
  }, [filesKey, store]);

  const settle = (need: FileNeed, outcome: FileOutcome) => {
    inFlight.current.delete(need.sha256);
    if (outcome.status === 'local') {
      setLocal((prev) => new Set(prev).add(need.sha256));
      setErrors((prev) => {
        if (!prev.has(need.sha256)) return prev;
        const next = new Map(prev);
        next.delete(need.sha256);
        return next;
      });
    } else {
      setErrors((prev) => new Map(prev).set(need.sha256, { need, message: outcome.message }));
    }
  };

  const fetchNeed = async (need: FileNeed) => {
    if (inFlight.current.has(need.sha256)) return;
    inFlight.current.add(need.sha256);
    settle(need, await fetchOne(need, store, downloadFile));
  };

  // Leaving the screen stops the downloads still on their way (up to two streams of 100 files).
  const leaving = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    leaving.current = controller;
    return () => controller.abort();
  }, []);

  // While preparing: download every file of the plan not yet here (the plan grows as the sync brings
  // more), by batches of 100 files per request (one by one from an older server).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the plan or the preparation changes
  useEffect(() => {
    if (!startedAt || !plan) return;
    const todo = plan.files.filter(
      (f) => !local.has(f.sha256) && !errors.has(f.sha256) && !inFlight.current.has(f.sha256),
    );
    for (const f of todo) inFlight.current.add(f.sha256);
    void fetchMany(todo, store, { batch: downloadBatch, single: downloadFile }, settle, {
      ...(leaving.current ? { signal: leaving.current.signal } : {}),
    });
  }, [startedAt, filesKey]);

  function start() {
    setErrors(new Map());
    setStartedAt(new Date().toISOString());
    sync.resync();
  }

  if (!plan)
    return (
      <section aria-labelledby="prepare-title" className="panel fair-prepare">
        <h2 id="prepare-title">Préparer le salon</h2>
        <p className="loading">Inventaire de ce poste…</p>
      </section>
    );
  const total = plan.files.length;
  const done = plan.files.filter((f) => local.has(f.sha256)).length;
  const caughtUp = !!startedAt && !!syncState.lastSyncAt && syncState.lastSyncAt >= startedAt;
  const state = readiness(
    plan,
    { total, done, errors: errors.size },
    { online: syncState.online, pending: syncState.pending, caughtUp },
  );
  return (
    <section aria-labelledby="prepare-title" className="panel fair-prepare" data-testid="prepare">
      <h2 id="prepare-title">Préparer le salon</h2>
      <p>
        Avant de partir, rapatriez sur ce poste tout ce qu’il faut pour travailler sans réseau : les{' '}
        {event.offerIds.length} offre{event.offerIds.length > 1 ? 's' : ''} présentée
        {event.offerIds.length > 1 ? 's' : ''}, leurs {plan.applications.length} candidature
        {plan.applications.length > 1 ? 's' : ''}, les CV et leurs fichiers.
      </p>
      <button type="button" className="button button--primary" onClick={start}>
        {startedAt ? 'Relancer la préparation' : 'Préparer le salon'}
      </button>
      <div>
        <label htmlFor="prepare-progress">Fichiers sur ce poste</label>
        <progress
          id="prepare-progress"
          max={Math.max(total, 1)}
          value={total === 0 ? 1 : done}
          aria-describedby="prepare-count"
        />
        <p id="prepare-count" data-testid="prepare-count">
          {progressText(done, total)}
        </p>
      </div>
      <div role="status" aria-live="polite">
        {startedAt && state.ready ? (
          <p className="alert alert--info fair-ready" data-testid="prepare-ready">
            ✓ Prêt pour le hors-ligne
          </p>
        ) : startedAt ? (
          <ul data-testid="prepare-pending">
            {state.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : null}
      </div>
      {errors.size > 0 ? (
        <section aria-labelledby="prepare-errors">
          <h3 id="prepare-errors">Fichiers en erreur</h3>
          <ul className="fair-errors">
            {[...errors.values()].map(({ need, message }) => (
              <li key={need.sha256}>
                {need.owner} — {FILE_ROLE_LABELS[need.role]} : {message}{' '}
                <button
                  type="button"
                  className="button button--small button--secondary"
                  onClick={() => void fetchNeed(need)}
                >
                  Réessayer
                  <span className="visually-hidden">
                    {' '}
                    ({need.owner}, {FILE_ROLE_LABELS[need.role]})
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

function Candidates({
  event,
  candidates,
  titles,
}: {
  event: EventDoc;
  candidates: ApplicationDoc[];
  titles: Map<string, string>;
}) {
  const { navigate } = useSession();
  const summary = useMemo(() => daySummary(candidates, titles), [candidates, titles]);
  const statuses = summaryStatuses(summary);
  const sorted = [...candidates].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <section aria-labelledby="event-candidates">
        <h2 id="event-candidates">Candidats de l’événement ({summary.people})</h2>
        {sorted.length === 0 ? (
          <p className="empty-state">
            Aucun candidat pour l’instant : les inscriptions du portail et les saisies du jour apparaîtront
            ici.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="data-table" data-testid="event-candidates">
              <caption className="visually-hidden">Candidats de l’événement {event.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Candidat</th>
                  <th scope="col">Offre</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Origine</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">
                      <button
                        type="button"
                        className="link-button"
                        onClick={() =>
                          navigate({
                            name: 'applicants',
                            ...(a.offerId ? { offerId: a.offerId } : {}),
                            applicationId: a.id,
                          })
                        }
                      >
                        {personName(a)}
                      </button>
                    </th>
                    <td>
                      {a.offerId
                        ? (titles.get(a.offerId) ?? a.offer?.title ?? 'Offre')
                        : 'Sans offre précise'}
                    </td>
                    <td>{APPLICATION_STATUS_RECRUITER_LABELS[a.status as ApplicationStatus]}</td>
                    <td>
                      {registrationViaOf(a.message)
                        ? REGISTRATION_VIA_LABELS[registrationViaOf(a.message)!]
                        : a.capturedByName
                          ? `Saisi par ${a.capturedByName}`
                          : a.captureId
                            ? 'Saisie sur place'
                            : 'Inscription en ligne'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="event-summary" data-testid="day-summary">
        <h2 id="event-summary">Bilan de la journée</h2>
        <p>
          <span className="fair-summary__figure" data-testid="summary-people">
            {summary.people}
          </span>{' '}
          personne{summary.people > 1 ? 's' : ''} rencontrée{summary.people > 1 ? 's' : ''} ou inscrite
          {summary.people > 1 ? 's' : ''}, {summary.applications} candidature
          {summary.applications > 1 ? 's' : ''}.
        </p>
        {summary.perOffer.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table">
              <caption>Par offre et par statut</caption>
              <thead>
                <tr>
                  <th scope="col">Offre</th>
                  <th scope="col">Total</th>
                  {statuses.map((s) => (
                    <th scope="col" key={s}>
                      {APPLICATION_STATUS_RECRUITER_LABELS[s]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {summary.perOffer.map((o) => (
                  <tr key={o.offerId ?? 'none'}>
                    <th scope="row">{o.title}</th>
                    <td>{o.total}</td>
                    {statuses.map((s) => (
                      <td key={s}>{o.byStatus[s] ?? 0}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {summary.perColleague.length > 0 ? (
          <div className="table-wrap">
            <table className="data-table">
              <caption>Par collègue</caption>
              <thead>
                <tr>
                  <th scope="col">Collègue</th>
                  <th scope="col">Personnes</th>
                </tr>
              </thead>
              <tbody>
                {summary.perColleague.map((c) => (
                  <tr key={c.name}>
                    <th scope="row">{c.name}</th>
                    <td>{c.people}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </>
  );
}

/** One event: facts, « Préparer le salon », « Saisir un candidat », candidates and the day summary. */
export function EventScreen({ eventId }: { eventId: string }) {
  const { db, organisation, navigate, announce } = useSession();
  const event = useEvent(db, eventId);
  const offers = useOffersById(db, event?.offerIds ?? []);
  const applications = useEventApplications(db, event);
  const notices = useNotices(db);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [declineMessage, setDeclineMessage] = useState('');
  const [declineError, setDeclineError] = useState<string | null>(null);
  const titles = useMemo(
    () => new Map([...(offers ?? new Map()).values()].map((o) => [o.id, o.title])),
    [offers],
  );
  const candidates = useMemo(
    () => (applications ?? []).filter((a) => a.eventId === eventId),
    [applications, eventId],
  );

  if (event === undefined) return <p className="loading">Chargement de l’événement…</p>;
  if (event === null)
    return (
      <section>
        <h1 tabIndex={-1}>Événement introuvable</h1>
        <p>Cet événement n’existe pas (ou plus) sur ce poste.</p>
        <button type="button" className="button" onClick={() => navigate({ name: 'events' })}>
          Retour aux salons et sessions
        </button>
      </section>
    );
  const isPartner = event.partnerOrganisationId === organisation?.organisationId;
  const answering = event.status === 'demandee' && isPartner;
  const eventNotices = (notices ?? []).filter((n) => n.documentId === eventId && !n.readAt);

  async function setStatus(status: EventDoc['status'], response?: string) {
    const doc = await db.events.findOne(eventId).exec();
    if (!doc) return;
    await doc.incrementalModify((d) => {
      d.status = status;
      if (response) d.response = { message: response };
      d.updatedAt = new Date().toISOString();
      return d;
    });
  }

  return (
    <section aria-labelledby="event-title" className="fair">
      <div className="page-header">
        <h1 id="event-title" tabIndex={-1}>
          {event.name}
        </h1>
        <span className="status status--info">{EVENT_STATUS_LABELS[event.status]}</span>
      </div>
      <p>
        <button type="button" className="link-button" onClick={() => navigate({ name: 'events' })}>
          ← Salons et sessions
        </button>
      </p>
      {eventNotices.map((n) => (
        <NoticeCard key={n.id} notice={n} compact onMarkRead={() => void markNoticeRead(db, n.id)} />
      ))}
      <dl className="fair-facts">
        <dt>Type</dt>
        <dd>{EVENT_KIND_LABELS[event.kind]}</dd>
        <dt>Date</dt>
        <dd>{formatWhen(event)}</dd>
        <dt>Lieu</dt>
        <dd>{formatPlace(event) || 'À préciser'}</dd>
        <dt>Agenda du portail</dt>
        <dd>
          {event.public
            ? `Public : ${event.registrationCount ?? 0} inscrit${(event.registrationCount ?? 0) > 1 ? 's' : ''}`
            : 'Non annoncé'}
        </dd>
        <dt>Offres présentées</dt>
        <dd>
          {event.offerIds.length === 0 ? (
            'Aucune'
          ) : (
            <ul>
              {event.offerIds.map((id) => (
                <li key={id}>{titles.get(id) ?? 'Offre pas encore sur ce poste'}</li>
              ))}
            </ul>
          )}
        </dd>
        {event.request ? (
          <>
            <dt>Demande</dt>
            <dd>
              {event.request.byName ? `${event.request.byName} : ` : ''}
              {event.request.message}
            </dd>
          </>
        ) : null}
        {event.response?.message ? (
          <>
            <dt>Réponse du prescripteur</dt>
            <dd>{event.response.message}</dd>
          </>
        ) : null}
        {event.description ? (
          <>
            <dt>Description</dt>
            <dd>{event.description}</dd>
          </>
        ) : null}
      </dl>
      <div className="fair__actions">
        {event.status === 'planifiee' ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => navigate({ name: 'capture', eventId })}
          >
            Saisir un candidat
          </button>
        ) : null}
        {answering ? (
          <button
            type="button"
            className="button button--primary"
            onClick={() => navigate({ name: 'event-form', eventId })}
          >
            Planifier la session
          </button>
        ) : event.status !== 'annulee' ? (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => navigate({ name: 'event-form', eventId })}
          >
            Modifier
          </button>
        ) : null}
        {!answering && (event.status === 'planifiee' || event.status === 'demandee') ? (
          confirmCancel ? (
            <>
              <button
                type="button"
                className="button button--danger"
                onClick={async () => {
                  await setStatus('annulee');
                  setConfirmCancel(false);
                  announce(`« ${event.name} » est annulé.`);
                }}
              >
                Confirmer l’annulation
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setConfirmCancel(false)}
              >
                Ne pas annuler
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button--danger-outline"
              onClick={() => setConfirmCancel(true)}
            >
              {event.status === 'demandee' ? 'Retirer la demande' : 'Annuler l’événement'}
            </button>
          )
        ) : null}
      </div>
      {answering ? (
        <form
          className="form-section"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            if (!declineMessage.trim()) {
              setDeclineError('Indiquez le motif du refus.');
              document.getElementById('event-responseMessage')?.focus();
              return;
            }
            await setStatus('annulee', declineMessage.trim());
            announce('Demande déclinée : le recruteur en sera averti.');
          }}
        >
          <h2>Décliner la demande</h2>
          <div className={`field${declineError ? ' field--error' : ''}`}>
            <label htmlFor="event-responseMessage">Motif, transmis au recruteur</label>
            <textarea
              id="event-responseMessage"
              rows={3}
              maxLength={2000}
              value={declineMessage}
              aria-invalid={declineError ? true : undefined}
              aria-describedby={declineError ? 'event-responseMessage-error' : undefined}
              onChange={(e) => {
                setDeclineMessage(e.target.value);
                setDeclineError(null);
              }}
            />
            {declineError ? (
              <p className="field__error" id="event-responseMessage-error">
                {declineError}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button--danger-outline">
            Décliner la demande
          </button>
        </form>
      ) : null}
      {event.status === 'planifiee' ? <Preparation event={event} /> : null}
      {event.status !== 'annulee' ? <StandQr event={event} /> : null}
      {event.kind === 'session' && event.status === 'planifiee' ? <InviteCandidates event={event} /> : null}
      <Candidates event={event} candidates={candidates} titles={titles} />
    </section>
  );
}
