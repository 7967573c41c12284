import { forwardRef, useContext, useEffect, useImperativeHandle, useRef, useState } from 'react';
import {
  APPLICATION_SOURCE_LABELS,
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationSource,
  type ApplicationStatus,
  whyNoCvAttachment,
} from '../../../../shared/domain/application';
import { FILE_PURPOSES } from '../../../../shared/domain/files';
import type { ApplicationDoc, EvaluationDoc, NoticeDoc } from '../../../../shared/schemas';
import { SessionContext } from '../../app/session-context';
import { formatDate, formatDateTime } from '../../lib/format';
import { type ApplicantRow, recruiterMoves, STATUS_SHORTCUTS } from './applicants-model';

export interface ApplicantPanelHandle {
  focusNote(): void;
  focusTag(): void;
}

interface Props {
  row: ApplicantRow;
  evaluations: readonly EvaluationDoc[];
  userId: string;
  notices: readonly NoticeDoc[];
  duplicateOf: ApplicationDoc | null;
  onMove: (to: ApplicationStatus) => void;
  onRefuse: () => void;
  onRate: (rating: number) => void;
  onNote: (text: string) => Promise<void>;
  onTag: (tag: string, remove?: boolean) => Promise<void>;
  onOpenCv: () => void;
  onMerge: () => void;
  onDossier: () => void;
  /** « Imprimer le dossier »: the same dossier, to the printer. */
  onPrintDossier: () => void;
  /**
   * Gives a capture without a CV the file chosen on the disk or dropped on the panel; answers why
   * not (French) or null once it is kept on this workstation and queued for upload.
   */
  onAttachCv: (file: File) => Promise<string | null>;
  onBackToList: () => void;
  onOpenCvthequeCv?: () => void;
  /** « Rapprochement de conjoints… » for a hired person (default: opens the form screen). */
  onSpouseSearch?: () => void;
}

const shortcutOf = (to: ApplicationStatus) => STATUS_SHORTCUTS.find((s) => s.to === to)?.key;

/** The current applicant: contact, status moves, the user's rating, tags and notes, everyone's evaluations, history. */
export const ApplicantPanel = forwardRef<ApplicantPanelHandle, Props>(function ApplicantPanel(
  {
    row,
    evaluations,
    userId,
    notices,
    duplicateOf,
    onMove,
    onRefuse,
    onRate,
    onNote,
    onTag,
    onOpenCv,
    onMerge,
    onDossier,
    onPrintDossier,
    onAttachCv,
    onBackToList,
    onOpenCvthequeCv,
    onSpouseSearch,
  },
  ref,
) {
  const session = useContext(SessionContext);
  const doc = row.doc;
  const a = doc.applicant;
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const tagRef = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState('');
  const [tag, setTag] = useState('');
  useImperativeHandle(ref, () => ({
    focusNote: () => noteRef.current?.focus(),
    focusTag: () => tagRef.current?.focus(),
  }));
  const mine = evaluations.find((e) => e.authorId === userId);
  const moves = recruiterMoves(row.status).filter((s) => s !== 'refusee');
  const canRefuse = recruiterMoves(row.status).includes('refusee');
  const hasCv = !!doc.cvFile || !!doc.cv;
  const noCvWhy = whyNoCvAttachment(doc);
  const cvInputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [attach, setAttach] = useState<{ busy: boolean; error: string | null; done: string | null }>({
    busy: false,
    error: null,
    done: null,
  });
  // Another applicant: the former one's message goes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the applicant changes
  useEffect(() => setAttach({ busy: false, error: null, done: null }), [doc.id]);

  async function attachFile(file: File | undefined) {
    if (!file || attach.busy) return;
    if (noCvWhy) {
      setAttach({ busy: false, error: noCvWhy, done: null });
      return;
    }
    setAttach({ busy: true, error: null, done: null });
    const error = await onAttachCv(file).catch(() => 'Le CV n’a pas pu être joint. Réessayez.');
    setAttach({ busy: false, error, done: error ? null : `CV « ${file.name} » joint à la candidature.` });
  }

  const isFileDrag = (e: React.DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

  // « Écrire » (issue 7) with the M key, like the other triage keys (not while typing, nor in a dialog).
  useEffect(() => {
    if (!session) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.key.toUpperCase() !== 'M') return;
      const t = e.target;
      if (
        t instanceof HTMLElement &&
        (t.isContentEditable || t.closest('input, textarea, select, dialog, [role="dialog"]'))
      )
        return;
      e.preventDefault();
      session.navigate({ name: 'messages', write: { aboutKind: 'application', aboutId: doc.id } });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [session, doc.id]);

  async function saveNote() {
    if (!note.trim()) return;
    await onNote(note);
    setNote('');
  }

  async function saveTag() {
    if (!tag.trim()) return;
    await onTag(tag);
    setTag('');
  }

  const escapeBack = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onBackToList();
    }
  };

  return (
    <section
      className={`applicant-panel panel${dragging ? ' applicant-panel--drop' : ''}`}
      aria-labelledby="applicant-title"
      data-testid="applicant-panel"
      onDragOver={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = noCvWhy ? 'none' : 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
        setDragging(false);
      }}
      onDrop={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        setDragging(false);
        void attachFile(e.dataTransfer.files[0]);
      }}
    >
      {dragging ? (
        <p className="applicant-panel__drop-hint" aria-hidden="true">
          {noCvWhy ?? `Déposez le CV de ${row.name} : il sera joint à sa candidature.`}
        </p>
      ) : null}
      <h2 id="applicant-title" data-testid="applicant-name">
        {row.name}
      </h2>
      <p className="muted small">
        {row.offerTitle} · {APPLICATION_SOURCE_LABELS[doc.source as ApplicationSource]} · reçue le{' '}
        {formatDate(doc.createdAt)}
        {doc.capturedByName ? ` · saisie par ${doc.capturedByName}` : ''}
      </p>

      {notices.map((n) => (
        <div key={n.id} className="alert alert--warning" role="status" data-testid="applicant-notice">
          <p>
            <strong>{n.title}</strong>
          </p>
          <p>{n.message}</p>
        </div>
      ))}

      {row.duplicate && duplicateOf ? (
        <div className="alert alert--warning" data-testid="duplicate-banner">
          <p>
            <strong>Doublon possible</strong> : {duplicateOf.applicant?.firstName}{' '}
            {duplicateOf.applicant?.lastName} ({duplicateOf.offer?.title ?? 'candidature spontanée'}, reçue le{' '}
            {formatDate(duplicateOf.createdAt)}) — même{' '}
            {(doc.duplicateReasons ?? [])
              .map((r) => (r === 'email' ? 'e-mail' : r === 'phone' ? 'téléphone' : 'nom'))
              .join(', ')}
            .
          </p>
          <button type="button" className="button button--secondary button--small" onClick={onMerge}>
            Comparer et fusionner…
          </button>
        </div>
      ) : null}
      {doc.mergedInto ? (
        <p className="alert alert--info">Fusionnée dans une autre candidature de la même personne.</p>
      ) : null}

      <dl className="applicant-facts">
        <dt>Statut</dt>
        <dd>
          <span className={`status status--${row.status}`} data-testid="applicant-status">
            {APPLICATION_STATUS_RECRUITER_LABELS[row.status]}
          </span>
          {row.status === 'refusee' && doc.refusalReason ? (
            <span className="muted small">
              {' '}
              — {doc.refusalReason}
              {doc.refusalVisible ? ' (motif visible par le candidat)' : ' (motif non communiqué)'}
            </span>
          ) : null}
        </dd>
        {a?.email ? (
          <>
            <dt>E-mail</dt>
            <dd>
              <a href={`mailto:${a.email}`}>{a.email}</a>
            </dd>
          </>
        ) : null}
        {a?.phone ? (
          <>
            <dt>Téléphone</dt>
            <dd>
              <a href={`tel:${a.phone.replace(/[^\d+]/g, '')}`}>{a.phone}</a>
            </dd>
          </>
        ) : null}
        {a?.jobSought ? (
          <>
            <dt>Métier recherché</dt>
            <dd>{a.jobSought}</dd>
          </>
        ) : null}
        {a?.consent ? (
          <>
            <dt>Consentement</dt>
            <dd>recueilli le {formatDateTime(a.consent.at)}</dd>
          </>
        ) : null}
      </dl>

      <fieldset className="applicant-actions">
        <legend className="visually-hidden">Changer le statut</legend>
        {moves.map((to) => (
          <button
            key={to}
            type="button"
            className="button button--secondary button--small"
            onClick={() => onMove(to)}
            aria-keyshortcuts={shortcutOf(to)}
          >
            {APPLICATION_STATUS_RECRUITER_LABELS[to]}
            {shortcutOf(to) ? <kbd className="kbd">{shortcutOf(to)}</kbd> : null}
          </button>
        ))}
        {canRefuse ? (
          <button
            type="button"
            className="button button--danger-outline button--small"
            onClick={onRefuse}
            aria-keyshortcuts="R"
          >
            Refuser… <kbd className="kbd">R</kbd>
          </button>
        ) : null}
      </fieldset>

      <fieldset className="rating">
        <legend>Ma note</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="rating__star">
            <input
              type="radio"
              name={`rating-${doc.id}`}
              value={n}
              checked={mine?.rating === n}
              onChange={() => onRate(n)}
            />
            <span aria-hidden="true">{(mine?.rating ?? 0) >= n ? '★' : '☆'}</span>
            <span className="visually-hidden">{n} sur 5</span>
          </label>
        ))}
        <span className="muted small" data-testid="my-rating">
          {mine?.rating ? `${mine.rating}/5` : 'pas encore notée'}
        </span>
      </fieldset>

      <div className="applicant-tags-edit">
        <label htmlFor={`tag-${doc.id}`}>Étiquettes</label>
        <ul className="chips" aria-label="Mes étiquettes">
          {(mine?.tags ?? []).map((t) => (
            <li key={t} className="chip">
              {t}
              <button
                type="button"
                className="chip__remove"
                onClick={() => onTag(t, true)}
                aria-label={`Retirer l’étiquette ${t}`}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="inline-form">
          <input
            id={`tag-${doc.id}`}
            ref={tagRef}
            value={tag}
            maxLength={40}
            onChange={(e) => setTag(e.target.value)}
            onKeyDown={(e) => {
              escapeBack(e);
              if (e.key === 'Enter') {
                e.preventDefault();
                void saveTag();
              }
            }}
            data-testid="tag-input"
          />
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => void saveTag()}
          >
            Ajouter
          </button>
        </div>
      </div>

      <div className="applicant-note-edit">
        <label htmlFor={`note-${doc.id}`}>Nouvelle note</label>
        <textarea
          id={`note-${doc.id}`}
          ref={noteRef}
          value={note}
          rows={3}
          maxLength={2000}
          aria-describedby={`note-help-${doc.id}`}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            escapeBack(e);
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || !e.shiftKey)) {
              e.preventDefault();
              void saveNote();
            }
          }}
          data-testid="note-input"
        />
        <p id={`note-help-${doc.id}`} className="field__hint">
          Entrée : enregistrer · Maj+Entrée : à la ligne · Échap : revenir à la liste
        </p>
      </div>

      {attach.error ? (
        <p className="alert alert--error" role="alert" data-testid="attach-cv-error">
          {attach.error}
        </p>
      ) : null}
      {attach.done ? (
        <p className="alert alert--info" role="status" data-testid="attach-cv-done">
          {attach.done}
        </p>
      ) : null}
      <div className="applicant-links">
        {hasCv ? (
          <button type="button" className="button button--secondary button--small" onClick={onOpenCv}>
            Ouvrir le CV <kbd className="kbd">O</kbd>
          </button>
        ) : noCvWhy ? (
          <span className="muted small">Pas de CV joint.</span>
        ) : (
          <>
            <button
              type="button"
              className="button button--secondary button--small"
              data-testid="attach-cv"
              disabled={attach.busy}
              aria-describedby={`attach-cv-help-${doc.id}`}
              onClick={() => cvInputRef.current?.click()}
            >
              {attach.busy ? 'CV en cours d’enregistrement…' : 'Joindre un CV…'}
            </button>
            <input
              ref={cvInputRef}
              type="file"
              hidden
              accept={FILE_PURPOSES.capture.accept}
              data-testid="attach-cv-input"
              onChange={(e) => {
                void attachFile(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
            <span id={`attach-cv-help-${doc.id}`} className="muted small">
              ou déposez le fichier sur la fiche ({FILE_PURPOSES.capture.rule})
            </span>
          </>
        )}
        {onOpenCvthequeCv ? (
          <button type="button" className="link-button" onClick={onOpenCvthequeCv}>
            Voir son CV dans la CVthèque
          </button>
        ) : null}
        <button type="button" className="button button--secondary button--small" onClick={onDossier}>
          Dossier PDF
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          data-testid="print-dossier"
          onClick={onPrintDossier}
        >
          Imprimer le dossier
        </button>
        {session ? (
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="write-button"
            aria-keyshortcuts="M"
            onClick={() =>
              session.navigate({ name: 'messages', write: { aboutKind: 'application', aboutId: doc.id } })
            }
          >
            Écrire <kbd className="kbd">M</kbd>
          </button>
        ) : null}
        {row.status === 'embauchee' && (onSpouseSearch || session) ? (
          <button
            type="button"
            className="button button--secondary button--small"
            data-testid="spouse-search-button"
            onClick={
              onSpouseSearch ?? (() => session?.navigate({ name: 'spouse-search', applicationId: doc.id }))
            }
          >
            Rapprochement de conjoints…
          </button>
        ) : null}
      </div>

      {doc.message ? (
        <section aria-labelledby="applicant-message">
          <h3 id="applicant-message">Message du candidat</h3>
          <p className="pre-line">{doc.message}</p>
        </section>
      ) : null}

      <section aria-labelledby="applicant-evaluations">
        <h3 id="applicant-evaluations">Évaluations</h3>
        {evaluations.length === 0 ? (
          <p className="muted">Personne n’a encore évalué cette candidature.</p>
        ) : (
          <ul className="evaluations" data-testid="evaluations">
            {evaluations.map((e) => (
              <li key={e.id}>
                <p>
                  <strong>{e.authorId === userId ? 'Vous' : e.authorName}</strong>
                  {e.rating ? ` · ${e.rating}/5` : ''}
                  {e.tags.length > 0 ? ` · ${e.tags.join(', ')}` : ''}
                </p>
                {e.notes.length > 0 ? (
                  <ul className="evaluation-notes">
                    {e.notes.map((n) => (
                      <li key={n.id}>
                        <span className="muted small">{formatDateTime(n.at)}</span> — {n.text}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="applicant-history">
        <h3 id="applicant-history">Historique</h3>
        <ol className="history">
          {[...doc.history].reverse().map((h) => (
            <li key={`${h.at}|${h.from ?? ''}|${h.to}|${h.by ?? ''}`}>
              <span className="muted small">{formatDateTime(h.at)}</span> —{' '}
              {h.from ? `${APPLICATION_STATUS_RECRUITER_LABELS[h.from as ApplicationStatus]} → ` : ''}
              {APPLICATION_STATUS_RECRUITER_LABELS[h.to as ApplicationStatus]}
              {h.byName ? ` (${h.byName})` : ''}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
});
