import {
  createColumnHelper,
  type OnChangeFn,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import {
  type KeyboardEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { flushSync } from 'react-dom';
import type { OfferStatus } from '../../../../shared/domain/offer';
import type { OfferRow } from './offer-list';
import './offers.css';

/**
 * The offers table of « Mes offres »: TanStack Table for the columns, headers and sorting state
 * (sorting itself is done beforehand over the whole list, see offer-list.ts), and windowed
 * rendering for long lists: rows have a fixed height and, past a few hundred offers, only the
 * visible rows plus a margin are in the DOM, between two spacer rows. The table keeps its
 * semantics (aria-rowcount on the table, aria-rowindex on every row) and arrow keys move from
 * row to row, scrolling rows into existence as they go.
 */

/** Height of a row, in CSS pixels (the stylesheet gives rows exactly this height). */
export const ROW_HEIGHT = 72;
/** Up to this many rows every row is rendered (find-in-page and tests see them all). */
export const WINDOWING_THRESHOLD = 200;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 4;

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, OfferRow>();

const columns = helper.columns([
  helper.accessor((r) => r.keys.title, { id: 'title', header: 'Titre, métier et contrat' }),
  helper.accessor((r) => r.keys.number, { id: 'number', header: 'N°' }),
  helper.accessor((r) => r.keys.city, { id: 'city', header: 'Lieu' }),
  helper.accessor((r) => r.keys.companyName, { id: 'companyName', header: 'Entreprise' }),
  helper.accessor((r) => r.keys.status, { id: 'status', header: 'Statut' }),
  helper.accessor((r) => r.keys.createdAt, { id: 'createdAt', header: 'Dépôt le', sortDescFirst: true }),
  helper.accessor((r) => r.keys.updatedAt, { id: 'updatedAt', header: 'Mis à jour', sortDescFirst: true }),
]);

const STATUS_CLASS: Record<OfferStatus, string> = {
  brouillon: 'neutral',
  en_attente: 'warning',
  publiee: 'success',
  refusee: 'danger',
  expiree: 'neutral',
  pourvue: 'info',
  archivee: 'neutral',
  supprimee: 'muted',
};

const SORT_LABEL = { asc: 'ascending', desc: 'descending' } as const;

export interface OffersTableProps {
  rows: readonly OfferRow[];
  sorting: SortingState;
  onSortingChange: OnChangeFn<SortingState>;
  caption: string;
  /** Opens the offer's detail (its title is a button). */
  onOpen: (row: OfferRow) => void;
  /** What follows the title: « Non synchronisée », a refusal reason, a notice. */
  renderTitleExtras?: (row: OfferRow) => ReactNode;
  /** A third line under the title: a refusal reason, a notice. */
  renderNote?: (row: OfferRow) => ReactNode;
  /** The row's action buttons. */
  renderActions?: (row: OfferRow) => ReactNode;
  /** Changes when the user changes filters or sorting: the table goes back to its first row. */
  resetKey?: string;
}

interface RowProps {
  row: OfferRow;
  index: number;
  onOpen: (row: OfferRow) => void;
  renderTitleExtras?: (row: OfferRow) => ReactNode;
  renderNote?: (row: OfferRow) => ReactNode;
  renderActions?: (row: OfferRow) => ReactNode;
}

const OfferTableRow = memo(function OfferTableRow({
  row,
  index,
  onOpen,
  renderTitleExtras,
  renderNote,
  renderActions,
}: RowProps) {
  const o = row.doc;
  return (
    <tr
      data-testid="offer-row"
      data-offer-id={row.id}
      data-status={row.status}
      data-index={index}
      aria-rowindex={index + 2}
    >
      <td className="col-title">
        <div className="cell">
          <div className="cell__line">
            <button
              type="button"
              className="offer-title link-button"
              data-col="title"
              onClick={() => onOpen(row)}
              title={o.title || undefined}
            >
              {o.title || '(sans titre)'}
            </button>
            {renderTitleExtras?.(row)}
          </div>
          {o.jobTitle || row.contracts ? (
            <span className="offer-job">{[o.jobTitle, row.contracts].filter(Boolean).join(' · ')}</span>
          ) : null}
          {renderNote?.(row)}
        </div>
      </td>
      <td>
        <div className="cell">{o.number ?? <span className="muted">—</span>}</div>
      </td>
      <td>
        <div className="cell cell--clamp">{row.place}</div>
      </td>
      <td>
        <div className="cell cell--clamp">{o.companyName}</div>
      </td>
      <td>
        <div className="cell">
          <span className={`status status--${STATUS_CLASS[row.status]}`}>{row.statusLabel}</span>
        </div>
      </td>
      <td className="col-date">
        <div className="cell">{row.created}</div>
      </td>
      <td className="col-date">
        <div className="cell">{row.updated}</div>
      </td>
      <td className="col-actions">
        <div className="cell row-actions">{renderActions?.(row)}</div>
      </td>
    </tr>
  );
});

/** First row (even partly) visible under the sticky header for a scroll position. */
function firstVisibleRow(scrollTop: number): number {
  return Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
}

const isTyping = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

export function OffersTable({
  rows,
  sorting,
  onSortingChange,
  caption,
  onOpen,
  renderTitleExtras,
  renderNote,
  renderActions,
  resetKey,
}: OffersTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const count = rows.length;
  const windowed = count > WINDOWING_THRESHOLD;
  // What is visible: the first row under the header, and how many rows fit (a guess until measured).
  const [view, setView] = useState({ first: 0, rows: 10, header: 42 });
  const pendingFocus = useRef<{ index: number; col: string } | null>(null);

  const update = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const header = headRef.current?.offsetHeight ?? 0;
    const next = {
      first: firstVisibleRow(el.scrollTop),
      rows: Math.max(1, Math.ceil(Math.max(0, el.clientHeight - header) / ROW_HEIGHT) + 1),
      header,
    };
    setView((v) => (v.first === next.first && v.rows === next.rows && v.header === next.header ? v : next));
  }, []);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    // Synchronous, so that the rows scrolled into view are there when the frame is painted.
    const onScroll = () => flushSync(update);
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(() => update());
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
    };
  }, [update]);

  // New filters or sorting: back to the first row (data arriving from the replica keeps the position).
  const lastReset = useRef(resetKey);
  useLayoutEffect(() => {
    if (lastReset.current === resetKey) return;
    lastReset.current = resetKey;
    const el = scrollRef.current;
    if (el && el.scrollTop > 0) {
      el.scrollTop = 0;
      update();
    }
  }, [resetKey, update]);

  // Rendered rows: everything for short lists, otherwise the visible ones and a margin.
  const first = Math.min(view.first, Math.max(0, count - view.rows));
  const start = windowed ? Math.max(0, first - OVERSCAN) : 0;
  const end = windowed ? Math.min(count, first + view.rows + OVERSCAN) : count;
  const slice = useMemo(() => rows.slice(start, end), [rows, start, end]);

  const table = useTable({
    features,
    columns,
    data: slice as OfferRow[],
    state: { sorting },
    onSortingChange,
    manualSorting: true,
    enableSortingRemoval: false,
    getRowId: (row) => row.id,
  });

  const focusIn = useCallback((tr: Element, col: string) => {
    (
      tr.querySelector<HTMLElement>(`[data-col="${CSS.escape(col)}"]`) ??
      tr.querySelector<HTMLElement>('[data-col="title"]')
    )?.focus({ preventScroll: true });
  }, []);

  // Focus asked by the keyboard once its row is rendered.
  useLayoutEffect(() => {
    const want = pendingFocus.current;
    if (!want) return;
    const tr = scrollRef.current?.querySelector(`tr[data-index="${want.index}"]`);
    if (!tr) return;
    pendingFocus.current = null;
    focusIn(tr, want.col);
  });

  function focusRow(index: number, col: string) {
    const el = scrollRef.current;
    if (!el || count === 0) return;
    const i = Math.max(0, Math.min(count - 1, index));
    const header = headRef.current?.offsetHeight ?? 0;
    const top = i * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (header + top + ROW_HEIGHT > el.scrollTop + el.clientHeight)
      el.scrollTop = header + top + ROW_HEIGHT - el.clientHeight;
    pendingFocus.current = { index: i, col };
    flushSync(update);
    const tr = el.querySelector(`tr[data-index="${i}"]`);
    if (tr && pendingFocus.current) {
      pendingFocus.current = null;
      focusIn(tr, col);
    }
  }

  function onKeyDown(ev: KeyboardEvent<HTMLTableSectionElement>) {
    if (isTyping(ev.target) || ev.altKey) return;
    const target = ev.target as HTMLElement;
    if (target.closest('[role="menu"]')) return;
    const tr = target.closest<HTMLElement>('tr[data-index]');
    if (!tr) return;
    const index = Number(tr.dataset.index);
    const col = target.closest<HTMLElement>('[data-col]')?.dataset.col ?? 'title';
    const page = Math.max(1, view.rows - 1);
    let next: number | null = null;
    if (ev.key === 'ArrowDown') next = index + 1;
    else if (ev.key === 'ArrowUp') next = index - 1;
    else if (ev.key === 'PageDown') next = index + page;
    else if (ev.key === 'PageUp') next = index - page;
    else if (ev.key === 'Home' && ev.ctrlKey) next = 0;
    else if (ev.key === 'End' && ev.ctrlKey) next = count - 1;
    if (next === null) return;
    ev.preventDefault();
    focusRow(next, col);
  }

  const tanstackRows = table.getRowModel().rows;
  const colCount = columns.length + 1;

  return (
    <div
      className={`table-wrap offers-grid${windowed ? ' offers-grid--windowed' : ''}`}
      ref={scrollRef}
      data-testid="offers-scroll"
    >
      <table
        className="data-table offers-table"
        data-testid="offers-table"
        aria-rowcount={count + 1}
        aria-describedby="offers-keyboard-help"
      >
        <caption className="visually-hidden">{caption}</caption>
        <colgroup>
          <col className="w-title" />
          <col className="w-number" />
          <col className="w-city" />
          <col className="w-company" />
          <col className="w-status" />
          <col className="w-date" />
          <col className="w-date" />
          <col className="w-actions" />
        </colgroup>
        <thead ref={headRef}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
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
              <th scope="col" className="col-actions">
                Actions
              </th>
            </tr>
          ))}
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {start > 0 ? (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row, nothing in it takes the focus
            <tr aria-hidden="true" className="spacer-row" style={{ height: start * ROW_HEIGHT }}>
              <td colSpan={colCount} />
            </tr>
          ) : null}
          {tanstackRows.map((r, i) => (
            <OfferTableRow
              key={r.id}
              row={r.original}
              index={start + i}
              onOpen={onOpen}
              renderTitleExtras={renderTitleExtras}
              renderNote={renderNote}
              renderActions={renderActions}
            />
          ))}
          {end < count ? (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row, nothing in it takes the focus
            <tr aria-hidden="true" className="spacer-row" style={{ height: (count - end) * ROW_HEIGHT }}>
              <td colSpan={colCount} />
            </tr>
          ) : null}
        </tbody>
      </table>
      <p id="offers-keyboard-help" className="visually-hidden">
        Flèches haut et bas : offre précédente ou suivante ; Page précédente, Page suivante : une page ;
        Ctrl+Début, Ctrl+Fin : première ou dernière offre.
      </p>
    </div>
  );
}
