import {
  createColumnHelper,
  type OnChangeFn,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import type { KeyboardEvent } from 'react';
import { useRef } from 'react';
import { formatDate } from '../../lib/format';
import { type CvRow, cvDisplayName } from './cvtheque-model';
import './cvtheque.css';
import { OriginBadge } from '../spouse/OriginBadge';

/**
 * The results of a CVthèque search: TanStack Table v9 for the columns, headers and sorting state
 * (the rows come sorted, `sortRows`). Arrow keys move the current row (its preview shows beside
 * the table), Entrée opens the CV, the checkboxes choose the CVs for « Ajouter à une liste ».
 */

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, CvRow>();

const columns = helper.columns([
  helper.accessor((r) => r.rank, { id: 'score', header: 'Pertinence', sortDescFirst: true }),
  helper.accessor((r) => r.title, { id: 'title', header: 'Titre du CV' }),
  helper.accessor((r) => r.place, { id: 'place', header: 'Commune et distance' }),
  helper.accessor((r) => r.qualification, { id: 'qualification', header: 'Qualification' }),
  helper.accessor((r) => r.completeness, { id: 'completeness', header: 'Complétude', sortDescFirst: true }),
  helper.accessor((r) => r.updatedAt, { id: 'updatedAt', header: 'Mise à jour', sortDescFirst: true }),
]);

const SORT_LABEL = { asc: 'ascending', desc: 'descending' } as const;

export interface CvResultsTableProps {
  rows: readonly CvRow[];
  sorting: SortingState;
  onSortingChange: OnChangeFn<SortingState>;
  caption: string;
  currentId: string | null;
  onCurrent: (row: CvRow) => void;
  onOpen: (row: CvRow) => void;
  checked: ReadonlySet<string>;
  onCheck: (id: string, checked: boolean) => void;
  onCheckAll: (checked: boolean) => void;
}

export function CvResultsTable({
  rows,
  sorting,
  onSortingChange,
  caption,
  currentId,
  onCurrent,
  onOpen,
  checked,
  onCheck,
  onCheckAll,
}: CvResultsTableProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const table = useTable({
    features,
    columns,
    data: rows as CvRow[],
    state: { sorting },
    onSortingChange,
    manualSorting: true,
    enableSortingRemoval: false,
    getRowId: (row) => row.id,
  });

  function focusRow(index: number) {
    const i = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[i];
    if (!row) return;
    onCurrent(row);
    const button = bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${i}"] [data-col="title"]`);
    button?.focus();
    button?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  }

  function onKeyDown(ev: KeyboardEvent<HTMLTableSectionElement>) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const tr = (ev.target as HTMLElement).closest<HTMLElement>('tr[data-index]');
    if (!tr) return;
    const index = Number(tr.dataset.index);
    let next: number | null = null;
    if (ev.key === 'ArrowDown') next = index + 1;
    else if (ev.key === 'ArrowUp') next = index - 1;
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = rows.length - 1;
    else if (ev.key === 'Enter' && (ev.target as HTMLElement).tagName !== 'BUTTON') {
      const row = rows[index];
      if (row) {
        ev.preventDefault();
        onOpen(row);
      }
      return;
    }
    if (next === null) return;
    ev.preventDefault();
    focusRow(next);
  }

  const allChecked = rows.length > 0 && rows.every((r) => checked.has(r.id));
  const someChecked = !allChecked && rows.some((r) => checked.has(r.id));

  return (
    <div className="table-wrap cv-results" data-testid="cv-results">
      <table className="data-table cv-table" aria-describedby="cv-keyboard-help" data-testid="cv-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              <th scope="col" className="col-check">
                <input
                  type="checkbox"
                  aria-label="Sélectionner tous les CV affichés"
                  checked={allChecked}
                  ref={(el) => {
                    if (el) el.indeterminate = someChecked;
                  }}
                  onChange={(e) => onCheckAll(e.target.checked)}
                />
              </th>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted ? SORT_LABEL[sorted] : 'none'}
                    className={`col-${header.column.id}`}
                  >
                    <button
                      type="button"
                      className="sort-button"
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      <table.FlexRender header={header} />
                      <span className="sort-indicator" aria-hidden="true">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {table.getRowModel().rows.map((r, i) => {
            const row = r.original;
            const current = row.id === currentId;
            const doc = row.doc;
            return (
              <tr
                key={row.id}
                data-testid="cv-row"
                data-cv-id={row.id}
                data-index={i}
                className={current ? 'is-current' : undefined}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('button, input, a')) return;
                  onCurrent(row);
                }}
              >
                <td className="col-check">
                  <input
                    type="checkbox"
                    aria-label={`Sélectionner « ${doc.title} »`}
                    checked={checked.has(row.id)}
                    onChange={(e) => onCheck(row.id, e.target.checked)}
                  />
                </td>
                <td className="col-score">
                  <span className="cv-score" title={`Score ${Math.round(row.hit.score * 100)} sur 100`}>
                    {Math.round(row.hit.score * 100)}
                    <span className="visually-hidden"> sur 100</span>
                  </span>
                </td>
                <td className="col-title">
                  <button
                    type="button"
                    className="link-button cv-title"
                    data-col="title"
                    onFocus={() => onCurrent(row)}
                    onClick={() => onOpen(row)}
                  >
                    {doc.title}
                  </button>
                  {current ? <span className="visually-hidden"> (aperçu affiché)</span> : null}
                  <span className="cv-sub">
                    {cvDisplayName(doc)}
                    {doc.appellationLabel ? ` · ${doc.appellationLabel}` : ''}
                    {doc.rqth === 'reconnue' ? ' · RQTH' : ''}
                    {doc.origin ? ' · ' : ''}
                    <OriginBadge doc={doc} />
                  </span>
                </td>
                <td>{row.place || <span className="muted">—</span>}</td>
                <td>{row.qualification || <span className="muted">Non précisée</span>}</td>
                <td>
                  <span className="cv-completeness">
                    <span className="cv-completeness__bar" aria-hidden="true">
                      <span style={{ width: `${row.completeness}%` }} />
                    </span>
                    {row.completeness} %
                  </span>
                </td>
                <td className="col-date">{formatDate(row.updatedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p id="cv-keyboard-help" className="visually-hidden">
        Flèches haut et bas : CV précédent ou suivant, son aperçu s’affiche ; Entrée : ouvrir le CV.
      </p>
    </div>
  );
}
