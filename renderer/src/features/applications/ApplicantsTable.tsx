import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { formatDate } from '../../lib/format';
import type { ApplicantRow, ApplicantSort, ApplicantSortKey } from './applicants-model';

/**
 * The applicants of the current filter: a table whose rows are drawn only where they show (a
 * few thousand applicants stay fast), the current row followed by the triage panel. The rows'
 * focusable name button carries the keyboard; the screen handles the shortcuts.
 */

export const ROW_HEIGHT = 44;
const OVERSCAN = 8;

interface Column {
  key: ApplicantSortKey | null;
  label: string;
  className?: string;
  title?: string;
}

const COLUMNS: Column[] = [
  // The applicant's tags show under the name (the row's second line): no column of their own.
  { key: 'name', label: 'Candidat', className: 'col-name' },
  { key: 'offer', label: 'Offre', className: 'col-offer' },
  { key: 'status', label: 'Statut', className: 'col-status' },
  { key: 'receivedAt', label: 'Reçue le', className: 'col-date' },
  {
    key: 'average',
    label: 'Note',
    className: 'col-num',
    title: 'Moyenne des notes des recruteurs (nombre d’évaluations)',
  },
];

interface Props {
  rows: readonly ApplicantRow[];
  currentId: string | null;
  selected: ReadonlySet<string>;
  sort: ApplicantSort;
  onSort: (key: ApplicantSortKey) => void;
  onCurrent: (id: string) => void;
  onToggle: (id: string, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
  caption: string;
  /** Without the offer column (one offer is chosen). */
  oneOffer?: boolean;
}

function stars(n: number | null): string {
  return n === null ? '—' : `${n.toLocaleString('fr-FR')}/5`;
}

export function ApplicantsTable({
  rows,
  currentId,
  selected,
  sort,
  onSort,
  onCurrent,
  onToggle,
  onToggleAll,
  caption,
  oneOffer,
}: Props) {
  const columns = oneOffer ? COLUMNS.filter((c) => c.key !== 'offer') : COLUMNS;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const currentIndex = currentId ? rows.findIndex((r) => r.id === currentId) : -1;

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const resize = new ResizeObserver(() => setHeight(el.clientHeight || 480));
    resize.observe(el);
    return () => resize.disconnect();
  }, []);

  // Keep the current row in view, and its name focused when the table has the focus.
  useEffect(() => {
    const el = scroller.current;
    if (!el || currentIndex < 0) return;
    const top = currentIndex * ROW_HEIGHT;
    const header = ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT + header > el.scrollTop + el.clientHeight)
      el.scrollTop = top + ROW_HEIGHT + header - el.clientHeight;
    setScrollTop(el.scrollTop);
    requestAnimationFrame(() => {
      if (!el.contains(document.activeElement)) return;
      el.querySelector<HTMLElement>(`tr[data-id="${currentId}"] [data-col="name"]`)?.focus({
        preventScroll: true,
      });
    });
  }, [currentIndex, currentId]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const allChecked = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someChecked = !allChecked && rows.some((r) => selected.has(r.id));

  function onKeyDown(ev: KeyboardEvent<HTMLTableSectionElement>) {
    if (ev.key === 'Home' || ev.key === 'End') {
      const row = ev.key === 'Home' ? rows[0] : rows[rows.length - 1];
      if (row) {
        ev.preventDefault();
        onCurrent(row.id);
      }
    }
  }

  return (
    <div
      className="applicants-table"
      ref={scroller}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="applicants-table"
    >
      <table className="data-table" aria-rowcount={rows.length + 1} aria-describedby="triage-shortcuts">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="col-check">
              <input
                type="checkbox"
                aria-label="Sélectionner tous les candidats affichés"
                checked={allChecked}
                ref={(el) => {
                  if (el) el.indeterminate = someChecked;
                }}
                onChange={(e) => onToggleAll(e.target.checked)}
              />
            </th>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                className={c.className}
                title={c.title}
                aria-sort={c.key && sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              >
                {c.key ? (
                  <button type="button" className="sort-button" onClick={() => c.key && onSort(c.key)}>
                    {c.label}
                    <span className="sort-indicator" aria-hidden="true">
                      {sort.key === c.key ? (sort.desc ? '▼' : '▲') : '↕'}
                    </span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {first > 0 ? (
            <tr className="spacer">
              <td colSpan={columns.length + 1} style={{ height: first * ROW_HEIGHT }} />
            </tr>
          ) : null}
          {visible.map((row, i) => {
            const index = first + i;
            const current = row.id === currentId;
            return (
              <tr
                key={row.id}
                data-id={row.id}
                data-testid="applicant-row"
                aria-rowindex={index + 2}
                aria-selected={current}
                className={`${current ? 'is-current' : ''}${selected.has(row.id) ? ' is-selected' : ''}`}
                style={{ height: ROW_HEIGHT }}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('input')) return;
                  onCurrent(row.id);
                }}
              >
                <td className="col-check">
                  <input
                    type="checkbox"
                    aria-label={`Sélectionner ${row.name}`}
                    checked={selected.has(row.id)}
                    onChange={(e) => onToggle(row.id, e.target.checked)}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button applicant-name"
                    data-col="name"
                    tabIndex={current || (currentIndex < 0 && index === 0) ? 0 : -1}
                    onFocus={() => {
                      if (!current) onCurrent(row.id);
                    }}
                  >
                    {row.name}
                  </button>
                  {row.duplicate ? (
                    <span className="tag tag--warning" title="Même personne qu’une autre candidature ?">
                      Doublon possible
                    </span>
                  ) : null}
                  <span className="applicant-sub">
                    {row.sourceLabel}
                    {row.tags.length > 0 ? ` · ${row.tags.join(', ')}` : ''}
                  </span>
                </td>
                {oneOffer ? null : <td className="applicant-offer">{row.offerTitle}</td>}
                <td>
                  <span className={`status status--${row.status}`}>{row.statusLabel}</span>
                </td>
                <td className="col-date">{formatDate(row.receivedAt)}</td>
                <td className="col-num">
                  {stars(row.average)}
                  {row.evaluationCount > 0 ? (
                    <span className="muted small"> ({row.evaluationCount})</span>
                  ) : null}
                </td>
              </tr>
            );
          })}
          {last < rows.length ? (
            <tr className="spacer">
              <td colSpan={columns.length + 1} style={{ height: (rows.length - last) * ROW_HEIGHT }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
