import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { useSyncState } from '../../hooks/use-sync-state';
import { apiFetch } from '../../lib/api';
import { formatDateTime, plural } from '../../lib/format';
import { toProblem, useFocusRequest } from './api-problem';
import { ListLoadError } from './ListLoadError';
import {
  checkNote,
  confirmationOf,
  type Decision,
  decisionBody,
  decisionDone,
  decisionProblem,
  formatSize,
  messageByline,
  NOTE_MAX,
  type ReportedDetail,
  type ReportedRow,
  readReportedDetail,
  readReportedList,
  removeRow,
  reportByline,
  summariseReported,
} from './reported-conversations-model';
import './reported-conversations.css';

const OFFLINE_MESSAGE =
  'Hors ligne : les conversations signalées sont lues sur le serveur et ne sont pas copiées sur ce poste. La liste, la lecture et les décisions reviennent dès le retour de la connexion.';
const OFFLINE_ID = 'reported-offline';
const NOTE_ID = 'reported-note';

const openButtonId = (id: string) => `reported-open-${id}`;

function ReportList({ reports }: { reports: ReportedRow['reports'] }) {
  if (reports.length === 0) return <p className="muted small">Motif non communiqué.</p>;
  return (
    <ul className="reported-reasons" data-testid="reported-reasons">
      {reports.map((r) => (
        <li key={`${r.reporterKind}|${r.at}|${r.reason}`}>
          <span className="reported-reasons__by">{reportByline(r)} :</span>{' '}
          <q className="reported-reasons__reason">{r.reason}</q>
        </li>
      ))}
    </ul>
  );
}

/** One reported conversation: its facts, reports, messages (read-only) and the two decisions. */
function ReportedConversation({
  id,
  online,
  onBack,
  onDecided,
  onGone,
}: {
  id: string;
  online: boolean;
  onBack: () => void;
  onDecided: (row: ReportedRow, decision: Decision) => void;
  onGone: (message: string) => void;
}) {
  const [detail, setDetail] = useState<ReportedDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<Decision | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const disabled = !online || busy || !detail;

  useEffect(() => {
    document.title = 'Conversation signalée — Poste recruteur';
    document.getElementById('reported-title')?.focus();
  }, []);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const read = readReportedDetail(
          await apiFetch<unknown>(`/api/moderation/conversations/${encodeURIComponent(id)}`, { signal }),
        );
        if (!read) throw new Error('illisible');
        setDetail(read);
        setLoadError(null);
      } catch (err) {
        if (signal?.aborted) return;
        const p = toProblem(err, 'La conversation n’a pas pu être lue.');
        if (p.status === 404) {
          onGone(p.message);
          return;
        }
        setLoadError(p.message);
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [id, onGone],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  // Back online without the conversation: read it now.
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && !detail) void load();
    wasOnline.current = online;
  }, [online, detail, load]);

  useEffect(() => {
    if (focusTick === 0) return;
    (summaryRef.current ?? problemRef.current)?.focus();
  }, [focusTick]);

  function ask(decision: Decision) {
    const checked = checkNote(note);
    setProblem(null);
    if (!checked.ok) {
      setNoteError(checked.message);
      setFocusTick((t) => t + 1);
      return;
    }
    setNoteError(null);
    setPending(decision);
  }

  async function confirm() {
    const decision = pending;
    if (!decision || !detail || busy) return;
    setPending(null);
    const checked = checkNote(note);
    if (!checked.ok) return;
    setBusy(true);
    try {
      await apiFetch(`/api/moderation/conversations/${encodeURIComponent(id)}/decision`, {
        method: 'POST',
        body: decisionBody(decision, checked.value),
      });
      onDecided(detail.row, decision);
    } catch (err) {
      const placed = decisionProblem(toProblem(err, 'La décision n’a pas pu être enregistrée. Réessayez.'));
      setBusy(false);
      if (placed.kind === 'gone') {
        onGone(placed.message);
        return;
      }
      if (placed.kind === 'note') setNoteError(placed.message);
      else setProblem(placed.message);
      setFocusTick((t) => t + 1);
    }
  }

  const row = detail?.row;
  const confirmation = row && pending ? confirmationOf(pending, row) : null;
  const noteErrors = noteError ? [{ field: 'note', message: noteError }] : [];

  return (
    <section aria-labelledby="reported-title" className="reported-screen" aria-busy={loading && !detail}>
      <p className="reported-back">
        <button type="button" className="link-button" onClick={onBack}>
          <span aria-hidden="true">← </span>Retour aux conversations signalées
        </button>
      </p>
      <div className="page-header">
        <h1 id="reported-title" tabIndex={-1}>
          Conversation signalée
        </h1>
      </div>
      {row ? (
        <p className="reported-subject" data-testid="reported-subject">
          Objet : « {row.subject} »
        </p>
      ) : null}

      {!online ? (
        <div className="alert alert--warning" role="status" id={OFFLINE_ID} data-testid="reported-offline">
          {OFFLINE_MESSAGE}
        </div>
      ) : null}

      {loadError && online ? (
        <div className="alert alert--error" role="alert">
          <p>La conversation n’a pas pu être lue : {loadError}</p>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => void load()}
          >
            Réessayer
          </button>
        </div>
      ) : null}

      {!row ? (
        loading ? (
          <p>Chargement de la conversation…</p>
        ) : null
      ) : (
        <>
          <dl className="reported-facts">
            <dt>Organisation</dt>
            <dd>{row.organisationName}</dd>
            <dt>Candidat</dt>
            <dd>{row.candidateName}</dd>
            {row.aboutLabel ? (
              <>
                <dt>À propos de</dt>
                <dd>{row.aboutLabel}</dd>
              </>
            ) : null}
            <dt>Signalée le</dt>
            <dd>{formatDateTime(row.reportedAt) || 'Date inconnue'}</dd>
          </dl>

          <section aria-labelledby="reported-reports-title" className="reported-section">
            <h2 id="reported-reports-title">
              {row.reports.length > 1 ? `Signalements (${row.reports.length})` : 'Signalement'}
            </h2>
            <ReportList reports={row.reports} />
          </section>

          <section aria-labelledby="reported-messages-title" className="reported-section">
            <h2 id="reported-messages-title">
              Messages ({detail.messages.length}), du plus ancien au plus récent
            </h2>
            {detail.messages.length === 0 ? (
              <p className="muted">Aucun message dans cette conversation.</p>
            ) : (
              <ol className="reported-thread" data-testid="reported-messages">
                {detail.messages.map((m) => (
                  <li
                    key={m.id}
                    className={`reported-message reported-message--${m.authorKind}`}
                    data-testid="reported-message"
                  >
                    <p className="reported-message__meta">{messageByline(m)}</p>
                    <p className="reported-message__body">{m.body}</p>
                    {m.attachments.length > 0 ? (
                      <ul className="reported-message__files" aria-label="Pièces jointes">
                        {m.attachments.map((a) => (
                          <li key={`${a.sha256}|${a.name}`}>
                            Pièce jointe : {a.name} ({formatSize(a.size)})
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section aria-labelledby="reported-decision-title" className="reported-section reported-decision">
            <h2 id="reported-decision-title">Décision</h2>
            <form
              noValidate
              aria-labelledby="reported-decision-title"
              onSubmit={(e) => {
                e.preventDefault();
                ask('classer');
              }}
            >
              <ErrorSummary
                ref={summaryRef}
                errors={noteErrors}
                fieldId={() => NOTE_ID}
                title="La décision n’a pas été envoyée : 1 erreur"
              />
              {problem ? (
                <div
                  className="alert alert--error"
                  role="alert"
                  tabIndex={-1}
                  ref={problemRef}
                  data-testid="reported-problem"
                >
                  {problem}
                </div>
              ) : null}
              <FormField
                id={NOTE_ID}
                label="Note (facultative)"
                error={noteError ?? undefined}
                hint={`Gardée avec le signalement, lue par les modérateurs seulement (${NOTE_MAX.toLocaleString('fr-FR')} caractères au plus).`}
              >
                {(p) => (
                  <textarea
                    {...p}
                    rows={3}
                    value={note}
                    disabled={!online || busy}
                    onChange={(e) => setNote(e.target.value)}
                  />
                )}
              </FormField>
              <div className="form-actions">
                <button
                  type="submit"
                  className="button button--primary"
                  disabled={disabled}
                  aria-describedby={!online ? OFFLINE_ID : undefined}
                >
                  Classer
                </button>
                <button
                  type="button"
                  className="button button--danger-outline"
                  disabled={disabled}
                  aria-describedby={!online ? OFFLINE_ID : undefined}
                  onClick={() => ask('suspendre-candidat')}
                >
                  Suspendre le candidat
                </button>
                {busy ? (
                  <span className="muted small" role="status">
                    Envoi de la décision…
                  </span>
                ) : null}
              </div>
              <p className="field__hint">
                « Classer » retire le signalement. « Suspendre le candidat » retire aussi le signalement et
                désactive le compte du candidat.
              </p>
            </form>
          </section>
        </>
      )}

      <ConfirmDialog
        open={confirmation !== null}
        title={confirmation?.title ?? 'Décision'}
        confirmLabel={confirmation?.confirmLabel ?? 'Confirmer'}
        danger={confirmation?.danger}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        {confirmation?.consequences.map((c) => (
          <p key={c}>{c}</p>
        ))}
        {note.trim() ? <p className="muted">Votre note sera gardée avec le signalement.</p> : null}
      </ConfirmDialog>
    </section>
  );
}

/**
 * « Conversations signalées » (moderators, issue 7): the conversations a candidate or an
 * organisation reported (« signaler »), read on the server (REST, not replicated: online only),
 * each opened read-only and decided: « Classer » or « Suspendre le candidat ».
 */
export function ReportedConversationsScreen() {
  const { sync, announce } = useSession();
  const { online } = useSyncState(sync);
  const [rows, setRows] = useState<ReportedRow[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const latestLoad = useRef(0);
  const focus = useFocusRequest();

  useEffect(() => {
    if (!openId) document.title = 'Conversations signalées — Poste recruteur';
  }, [openId]);

  const load = useCallback(async (signal?: AbortSignal) => {
    const request = ++latestLoad.current;
    setLoading(true);
    try {
      const list = readReportedList(await apiFetch<unknown>('/api/moderation/conversations', { signal }));
      if (!list) throw new Error('illisible');
      if (request !== latestLoad.current) return;
      setRows(list);
      setLoadError(null);
    } catch (err) {
      if (signal?.aborted || request !== latestLoad.current) return;
      setLoadError(toProblem(err, 'La liste des conversations signalées n’a pas pu être lue.').message);
    } finally {
      if (!signal?.aborted && request === latestLoad.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  // Back online: read the list again (reports keep coming, other moderators decide).
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current && !openId) void load();
    wasOnline.current = online;
  }, [online, openId, load]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const back = useCallback(
    (focusId?: string) => {
      setOpenId(null);
      void load();
      focus(focusId ?? 'reported-list-title');
    },
    [load, focus],
  );

  const gone = useCallback(
    (message: string) => {
      setOpenId(null);
      setNotice(message);
      void load();
    },
    [load],
  );

  const decided = useCallback(
    (row: ReportedRow, decision: Decision) => {
      setRows((prev) => (prev ? removeRow(prev, row.id) : prev));
      announce(decisionDone(decision, row));
      back();
    },
    [announce, back],
  );

  if (openId)
    return (
      <ReportedConversation
        key={openId}
        id={openId}
        online={online}
        onBack={() => back(openButtonId(openId))}
        onDecided={decided}
        onGone={gone}
      />
    );

  return (
    <section aria-labelledby="reported-list-title" className="reported-screen">
      <div className="page-header">
        <h1 id="reported-list-title" tabIndex={-1}>
          Conversations signalées
        </h1>
        {rows ? (
          <p className="muted" data-testid="reported-count" aria-live="polite">
            {summariseReported(rows.length)}
          </p>
        ) : null}
      </div>
      <p className="muted reported-intro">
        Les conversations qu’un candidat ou une organisation a signalées aux modérateurs. Lisez-les, puis
        classez le signalement ou suspendez le compte du candidat.
      </p>

      {!online ? (
        <div className="alert alert--warning" role="status" id={OFFLINE_ID} data-testid="reported-offline">
          {OFFLINE_MESSAGE}
        </div>
      ) : null}

      {notice ? (
        <div
          className="alert alert--info reported-notice"
          role="alert"
          tabIndex={-1}
          ref={noticeRef}
          data-testid="reported-notice"
        >
          <p>{notice}</p>
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Fermer ce message
          </button>
        </div>
      ) : null}

      {loadError && online ? (
        <ListLoadError error={loadError} hadList={!!rows} onRetry={() => void load()} />
      ) : null}

      <div aria-busy={loading && !rows}>
        {rows === null ? (
          loading ? (
            <p>Chargement des conversations signalées…</p>
          ) : null
        ) : rows.length === 0 ? (
          <div className="empty-state" data-testid="reported-empty">
            <p>Aucune conversation signalée.</p>
            <p className="muted">
              Les conversations signalées par les candidats ou les organisations apparaîtront ici.
            </p>
          </div>
        ) : (
          <ul className="reported-list" data-testid="reported-list">
            {rows.map((r) => (
              <li
                key={r.id}
                className="card reported-card"
                data-testid="reported-row"
                data-conversation-id={r.id}
              >
                <h2 id={`reported-${r.id}`} className="reported-card__subject">
                  {r.subject}
                </h2>
                <dl className="reported-facts">
                  <dt>Organisation</dt>
                  <dd>{r.organisationName}</dd>
                  <dt>Candidat</dt>
                  <dd>{r.candidateName}</dd>
                  <dt>Signalée le</dt>
                  <dd>{formatDateTime(r.reportedAt) || 'Date inconnue'}</dd>
                  <dt>Messages</dt>
                  <dd>
                    {r.messageCount} {plural(r.messageCount, 'message', 'messages')}
                  </dd>
                </dl>
                <h3 className="reported-card__reasons-title">
                  {r.reports.length > 1 ? `Motifs (${r.reports.length})` : 'Motif'}
                </h3>
                <ReportList reports={r.reports} />
                <div className="form-actions">
                  <button
                    type="button"
                    id={openButtonId(r.id)}
                    className="button button--primary button--small"
                    aria-describedby={!online ? OFFLINE_ID : `reported-${r.id}`}
                    disabled={!online}
                    onClick={() => {
                      setNotice(null);
                      setOpenId(r.id);
                    }}
                  >
                    Lire la conversation
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
