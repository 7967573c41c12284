import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { OTHER_REFUSAL_REASON, REFUSAL_REASONS } from '../../../../shared/domain/refusal';
import type { ApplicationDoc } from '../../../../shared/schemas';
import { formatDate } from '../../lib/format';

/** A modal built on <dialog>: the browser traps the focus and Échap cancels. */
function Modal({
  open,
  titleId,
  onClose,
  children,
  testId,
}: {
  open: boolean;
  titleId: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog triage-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}

export interface RefusalChoice {
  reason: string;
  visible: boolean;
  message: string;
}

/** « Refuser » one or several applicants: a reason from the list, whether the candidate sees it, an optional message. */
export function RefuseDialog({
  open,
  count,
  name,
  onConfirm,
  onClose,
}: {
  open: boolean;
  count: number;
  name?: string;
  onConfirm: (choice: RefusalChoice) => void;
  onClose: () => void;
}) {
  const [code, setCode] = useState('');
  const [other, setOther] = useState('');
  const [visible, setVisible] = useState(true);
  const [message, setMessage] = useState('');
  const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
  const firstRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    if (!open) return;
    setCode('');
    setOther('');
    setVisible(true);
    setMessage('');
    setErrors([]);
    requestAnimationFrame(() => firstRef.current?.focus());
  }, [open]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: { field: string; message: string }[] = [];
    if (!code) errs.push({ field: 'refusal-reason', message: 'Choisissez le motif du refus.' });
    if (code === OTHER_REFUSAL_REASON && !other.trim())
      errs.push({ field: 'refusal-other', message: 'Précisez le motif du refus.' });
    setErrors(errs);
    if (errs.length > 0) {
      document.getElementById(errs[0]?.field ?? '')?.focus();
      return;
    }
    const label = REFUSAL_REASONS.find((r) => r.code === code)?.label ?? '';
    onConfirm({
      reason: code === OTHER_REFUSAL_REASON ? other.trim() : label,
      visible,
      message: message.trim(),
    });
  }
  const err = (field: string) => errors.find((e) => e.field === field)?.message;

  return (
    <Modal open={open} titleId="refuse-title" onClose={onClose} testId="refuse-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id="refuse-title">
          {count > 1 ? `Refuser ${count} candidatures` : `Refuser la candidature${name ? ` de ${name}` : ''}`}
        </h2>
        <div className={`field${err('refusal-reason') ? ' field--error' : ''}`}>
          <label htmlFor="refusal-reason">Motif du refus</label>
          <select
            id="refusal-reason"
            ref={firstRef}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={!!err('refusal-reason')}
            aria-describedby={err('refusal-reason') ? 'refusal-reason-error' : undefined}
          >
            <option value="">— Choisir un motif —</option>
            {REFUSAL_REASONS.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
          {err('refusal-reason') ? (
            <p id="refusal-reason-error" className="field__error">
              {err('refusal-reason')}
            </p>
          ) : null}
        </div>
        {code === OTHER_REFUSAL_REASON ? (
          <div className={`field${err('refusal-other') ? ' field--error' : ''}`}>
            <label htmlFor="refusal-other">Motif</label>
            <input
              id="refusal-other"
              value={other}
              maxLength={500}
              onChange={(e) => setOther(e.target.value)}
              aria-invalid={!!err('refusal-other')}
              aria-describedby={err('refusal-other') ? 'refusal-other-error' : undefined}
            />
            {err('refusal-other') ? (
              <p id="refusal-other-error" className="field__error">
                {err('refusal-other')}
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="field field--checkbox">
          <input
            id="refusal-visible"
            type="checkbox"
            checked={visible}
            onChange={(e) => setVisible(e.target.checked)}
          />
          <label htmlFor="refusal-visible">Le candidat voit le motif (portail et e-mail)</label>
        </div>
        <div className="field">
          <label htmlFor="refusal-message">Message au candidat (facultatif)</label>
          <textarea
            id="refusal-message"
            rows={4}
            maxLength={2000}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-describedby="refusal-message-hint"
          />
          <p id="refusal-message-hint" className="field__hint">
            Envoyé par e-mail et affiché dans son espace candidat, une fois la candidature synchronisée.
          </p>
        </div>
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Annuler
          </button>
          <button type="submit" className="button button--danger" data-testid="refuse-confirm">
            Refuser
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The last open post is filled: what to do with the other applicants still in progress. */
export function HireDialog({
  open,
  name,
  others,
  canMarkFilled,
  onConfirm,
  onClose,
}: {
  open: boolean;
  name: string;
  others: number;
  canMarkFilled: boolean;
  onConfirm: (choice: { refuseOthers: boolean; visible: boolean; markFilled: boolean }) => void;
  onClose: () => void;
}) {
  const [refuseOthers, setRefuseOthers] = useState(true);
  const [visible, setVisible] = useState(true);
  const [markFilled, setMarkFilled] = useState(true);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    setRefuseOthers(true);
    setVisible(true);
    setMarkFilled(canMarkFilled);
    requestAnimationFrame(() => ref.current?.focus());
  }, [open, canMarkFilled]);
  return (
    <Modal open={open} titleId="hire-title" onClose={onClose} testId="hire-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm({ refuseOthers, visible, markFilled: canMarkFilled && markFilled });
        }}
      >
        <h2 id="hire-title">Embaucher {name}</h2>
        <p>
          C’est le dernier poste ouvert de cette offre.{' '}
          {others > 0
            ? `${others} autre${others > 1 ? 's' : ''} candidature${others > 1 ? 's sont' : ' est'} encore en cours.`
            : ''}
        </p>
        {others > 0 ? (
          <fieldset className="field">
            <legend>Les autres candidatures en cours</legend>
            <div className="choice">
              <input
                ref={ref}
                id="hire-refuse"
                type="radio"
                name="hire-others"
                checked={refuseOthers}
                onChange={() => setRefuseOthers(true)}
              />
              <label htmlFor="hire-refuse">
                Les refuser avec le motif « Poste pourvu par un autre candidat »
              </label>
            </div>
            <div className="choice">
              <input
                id="hire-keep"
                type="radio"
                name="hire-others"
                checked={!refuseOthers}
                onChange={() => setRefuseOthers(false)}
              />
              <label htmlFor="hire-keep">Les laisser en l’état</label>
            </div>
            {refuseOthers ? (
              <div className="field field--checkbox">
                <input
                  id="hire-visible"
                  type="checkbox"
                  checked={visible}
                  onChange={(e) => setVisible(e.target.checked)}
                />
                <label htmlFor="hire-visible">Les candidats voient le motif</label>
              </div>
            ) : null}
          </fieldset>
        ) : null}
        {canMarkFilled ? (
          <div className="field field--checkbox">
            <input
              id="hire-filled"
              type="checkbox"
              checked={markFilled}
              onChange={(e) => setMarkFilled(e.target.checked)}
            />
            <label htmlFor="hire-filled">Marquer l’offre comme pourvue (elle quitte le portail)</label>
          </div>
        ) : null}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            Annuler
          </button>
          <button type="submit" className="button button--primary" data-testid="hire-confirm">
            Embaucher
          </button>
        </div>
      </form>
    </Modal>
  );
}

function personLines(d: ApplicationDoc): [string, string][] {
  const a = d.applicant;
  return [
    ['Nom', `${a?.firstName ?? ''} ${a?.lastName ?? ''}`.trim()],
    ['E-mail', a?.email ?? '—'],
    ['Téléphone', a?.phone ?? '—'],
    ['Offre', d.offer?.title ?? 'Candidature spontanée'],
    ['Reçue le', formatDate(d.createdAt)],
    ['CV', d.cvFile || d.cv ? 'joint' : '—'],
  ];
}

/** Compare two applications of the same person and merge the capture into the other. */
export function MergeDialog({
  open,
  capture,
  target,
  onConfirm,
  onClose,
}: {
  open: boolean;
  capture: ApplicationDoc | null;
  target: ApplicationDoc | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) requestAnimationFrame(() => ref.current?.focus());
  }, [open]);
  return (
    <Modal open={open} titleId="merge-title" onClose={onClose} testId="merge-dialog">
      <h2 id="merge-title">Fusionner deux candidatures de la même personne ?</h2>
      {capture && target ? (
        <>
          <table className="data-table merge-table">
            <caption className="visually-hidden">Les deux candidatures côte à côte</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Champ</span>
                </th>
                <th scope="col">Cette candidature (fusionnée puis archivée)</th>
                <th scope="col">Candidature conservée</th>
              </tr>
            </thead>
            <tbody>
              {personLines(capture).map(([label, value], i) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{value}</td>
                  <td>{personLines(target)[i]?.[1]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            La candidature conservée reçoit ce qui lui manque (téléphone, e-mail, CV). Les évaluations des
            deux restent visibles.
          </p>
        </>
      ) : null}
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          Ne pas fusionner
        </button>
        <button
          type="button"
          ref={ref}
          className="button button--primary"
          onClick={onConfirm}
          data-testid="merge-confirm"
        >
          Fusionner
        </button>
      </div>
    </Modal>
  );
}

/** The applicant's CV: the file sent (PDF shown in the application, image, or download), or the CV copied with the application. */
export function CvDialog({
  open,
  onClose,
  children,
}: {
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal open={open} titleId="cv-dialog-title" onClose={onClose} testId="cv-dialog">
      <div className="cv-dialog__head">
        <h2 id="cv-dialog-title">CV du candidat</h2>
        <button type="button" className="button button--secondary button--small" onClick={onClose}>
          Fermer
        </button>
      </div>
      {children}
    </Modal>
  );
}
