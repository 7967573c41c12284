import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { plural } from '../../lib/format';
import { reportSaveFailure, saveFile } from '../../lib/save-file';
import { pagesMatching } from './pdf-search';
import {
  canZoom,
  defaultZoom,
  NARROW_SCREEN_QUERY,
  stepZoom,
  type Zoom,
  zoomKey,
  zoomLabel,
  zoomScale,
} from './pdf-zoom';

/**
 * A PDF shown in the application with pdf.js (browser build, its worker served by the app): page
 * by page, zoom (steps, « Ajuster à la largeur », keys + − 0), search in the text, and download.
 * The page scrolls in both directions inside its frame, under the toolbar. The page's text is also
 * given as text (a canvas says nothing to screen readers).
 */

type PdfModule = typeof import('pdfjs-dist');
let pdfjsLoading: Promise<PdfModule> | null = null;

function loadPdfjs(): Promise<PdfModule> {
  pdfjsLoading ??= import('pdfjs-dist').then((m) => {
    m.GlobalWorkerOptions.workerSrc = workerUrl;
    return m;
  });
  return pdfjsLoading;
}

function narrowScreen(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia?.(NARROW_SCREEN_QUERY).matches;
}

interface Props {
  blob: Blob;
  fileName: string;
  /** Whether the bytes came from this workstation's cache. */
  fromCache?: boolean;
}

export function PdfViewer({ blob, fileName, fromCache }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frameRef = useRef<HTMLElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [narrow] = useState(narrowScreen);
  /** The zoom the user chose (none yet: the default for this screen and frame). */
  const [chosenZoom, setZoom] = useState<Zoom | null>(null);
  /** The frame's inner width and the current page's width at 100 % (CSS pixels), for « Ajuster à la largeur ». */
  const [frameWidth, setFrameWidth] = useState(0);
  const [pageWidth, setPageWidth] = useState(0);
  const [texts, setTexts] = useState<string[] | null>(null);
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<number[] | null>(null);
  const [rendering, setRendering] = useState(false);
  const [renderMs, setRenderMs] = useState<number | null>(null);
  /** The page and scale last drawn in full (« 2@1.25 »). */
  const [drawn, setDrawn] = useState<string | null>(null);
  const zoom = chosenZoom ?? defaultZoom(narrow, frameWidth);
  const scale = zoomScale(zoom, frameWidth, pageWidth);
  // Wait for the widths the zoom depends on rather than drawing the page twice.
  const sized = (chosenZoom !== null || frameWidth > 0) && (!zoom.fit || (frameWidth > 0 && pageWidth > 0));
  /** What the frame showed last (page and scale), to keep the same spot in view when zooming. */
  const shownRef = useRef<{ page: number; scale: number } | null>(null);

  // Open the document.
  useEffect(() => {
    let cancelled = false;
    let loading: { destroy(): Promise<void> } | null = null;
    setDoc(null);
    setError(null);
    setTexts(null);
    setMatches(null);
    setPage(1);
    void (async () => {
      try {
        const pdfjs = await loadPdfjs();
        const data = new Uint8Array(await blob.arrayBuffer());
        const task = pdfjs.getDocument({ data });
        loading = task;
        const opened = await task.promise;
        if (cancelled) return;
        setDoc(opened);
      } catch {
        if (!cancelled) setError('Ce fichier PDF ne peut pas être affiché. Téléchargez-le pour l’ouvrir.');
      }
    })();
    return () => {
      cancelled = true;
      void loading?.destroy();
    };
  }, [blob]);

  // The frame's inner width (without padding or scroll bar), followed as the window changes.
  const hasFrame = !error;
  useEffect(() => {
    const frame = frameRef.current;
    if (!hasFrame || !frame) return;
    const measure = () => {
      const style = getComputedStyle(frame);
      const inner =
        frame.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      setFrameWidth((w) => (Math.abs(w - inner) >= 1 ? inner : w));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(frame);
    return () => observer.disconnect();
  }, [hasFrame]);

  // The current page's width at 100 %.
  useEffect(() => {
    if (!doc) return;
    let cancelled = false;
    void doc
      .getPage(page)
      .then((p) => {
        if (!cancelled) setPageWidth(p.getViewport({ scale: 1 }).width);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [doc, page]);

  // Render the current page.
  useEffect(() => {
    if (!doc || !sized) return;
    let task: RenderTask | null = null;
    let cancelled = false;
    const started = performance.now();
    setRendering(true);
    void (async () => {
      try {
        const p = await doc.getPage(page);
        if (cancelled) return;
        const canvas = canvasRef.current;
        if (!canvas) return;
        const ratio = window.devicePixelRatio || 1;
        const viewport = p.getViewport({ scale: scale * ratio });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
        canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
        keepInView(frameRef.current, shownRef.current, page, scale);
        shownRef.current = { page, scale };
        task = p.render({ canvas, viewport });
        await task.promise;
        if (!cancelled) {
          setRenderMs(Math.round(performance.now() - started));
          setDrawn(`${page}@${scale}`);
        }
      } catch {
        // A newer render cancelled this one.
      } finally {
        if (!cancelled) setRendering(false);
      }
    })();
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, page, scale, sized]);

  // The text of every page (search, and the text alternative).
  useEffect(() => {
    if (!doc) return;
    let cancelled = false;
    void (async () => {
      const out: string[] = [];
      for (let i = 1; i <= doc.numPages; i++) {
        try {
          const content = await (await doc.getPage(i)).getTextContent();
          out.push(
            content.items
              .map((it) => ('str' in it ? `${it.str}${it.hasEOL ? '\n' : ''}` : ''))
              .join('')
              .trim(),
          );
        } catch {
          out.push('');
        }
      }
      if (!cancelled) setTexts(out);
    })();
    return () => {
      cancelled = true;
    };
  }, [doc]);

  function download() {
    void saveFile(blob, fileName).catch(reportSaveFailure);
  }

  function search() {
    if (!texts) return;
    const found = pagesMatching(texts, query);
    setMatches(found);
    const next = found.find((p) => p >= page) ?? found[0];
    if (next) setPage(next);
  }

  function zoomBy(direction: 'in' | 'out') {
    const next = stepZoom(scale, direction);
    if (next !== scale) setZoom({ fit: false, scale: next });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const target = e.target as HTMLElement;
    const command = zoomKey({
      key: e.key,
      ctrlKey: e.ctrlKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
      inField: target.closest('input, textarea, select, [contenteditable="true"]') !== null,
    });
    if (!command) return;
    e.preventDefault();
    if (command === 'reset') setZoom({ fit: false, scale: 1 });
    else zoomBy(command);
  }

  const pages = doc?.numPages ?? 0;
  const pageText = texts?.[page - 1] ?? '';

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the keys + − 0 zoom from anywhere in the viewer (buttons do the same)
    <div className="pdf-viewer" data-testid="pdf-viewer" onKeyDown={onKeyDown}>
      <div className="pdf-viewer__screen">
        <div
          className="pdf-toolbar"
          role="toolbar"
          aria-label="Outils du CV joint"
          aria-controls="pdf-canvas"
        >
          <button
            type="button"
            className="button button--small button--secondary"
            disabled={page <= 1}
            onClick={() => setPage((p) => Math.max(1, p - 1))}
          >
            Page précédente
          </button>
          <span aria-live="polite" data-testid="pdf-page">
            Page {pages ? page : '…'} sur {pages || '…'}
          </span>
          <button
            type="button"
            className="button button--small button--secondary"
            disabled={page >= pages}
            onClick={() => setPage((p) => Math.min(pages, p + 1))}
          >
            Page suivante
          </button>
          <button
            type="button"
            className="button button--small button--secondary"
            disabled={!canZoom(scale, 'out')}
            aria-label="Zoom arrière"
            aria-keyshortcuts="-"
            onClick={() => zoomBy('out')}
          >
            −
          </button>
          <span data-testid="pdf-zoom" aria-live="polite">
            {zoomLabel(zoom, scale)}
          </span>
          <button
            type="button"
            className="button button--small button--secondary"
            disabled={!canZoom(scale, 'in')}
            aria-label="Zoom avant"
            aria-keyshortcuts="+"
            onClick={() => zoomBy('in')}
          >
            +
          </button>
          <button
            type="button"
            className="button button--small button--secondary"
            aria-pressed={zoom.fit}
            data-testid="pdf-fit-width"
            onClick={() => setZoom(zoom.fit ? { fit: false, scale: 1 } : { fit: true })}
          >
            Ajuster à la largeur
          </button>
          <form
            className="pdf-search"
            aria-label="Chercher dans le CV joint"
            onSubmit={(e) => {
              e.preventDefault();
              search();
            }}
          >
            <label htmlFor="pdf-search-input">Chercher dans le CV joint</label>
            <input
              id="pdf-search-input"
              type="search"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setMatches(null);
              }}
            />
            <button type="submit" className="button button--small button--secondary" disabled={!texts}>
              Chercher
            </button>
          </form>
          <button type="button" className="button button--small button--primary" onClick={download}>
            Télécharger
          </button>
        </div>
        <p className="small muted" aria-live="polite" data-testid="pdf-search-result">
          {matches === null
            ? ''
            : matches.length === 0
              ? `« ${query.trim()} » n’apparaît pas dans le CV joint.`
              : `« ${query.trim()} » apparaît ${plural(matches.length, 'à la page', 'aux pages')} ${matches.join(', ')}.`}
        </p>
        {error ? (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        ) : (
          <section
            ref={frameRef}
            className="pdf-canvas-wrap"
            aria-busy={rendering || !doc}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: the page scrolls when zoomed; keyboard users scroll it once focused
            tabIndex={0}
            aria-label={`Page ${page} du CV joint, défilable`}
            aria-describedby="pdf-keys"
            aria-keyshortcuts="+ - 0"
            data-testid="pdf-frame"
          >
            <canvas
              id="pdf-canvas"
              ref={canvasRef}
              role="img"
              aria-label={`Page ${page} du CV joint « ${fileName} »`}
              data-testid="pdf-canvas"
              data-rendered={!rendering && doc && drawn === `${page}@${scale}` ? 'oui' : 'non'}
              data-render-ms={renderMs ?? undefined}
            />
          </section>
        )}
      </div>
      <p className="small muted" id="pdf-keys">
        Touches + et − : zoom ; 0 : taille réelle. Les flèches font défiler la page.
      </p>
      {fromCache ? <p className="small muted">Lu depuis ce poste (disponible hors ligne).</p> : null}
      <details className="pdf-text">
        <summary>Texte de la page {page}</summary>
        <p className="cv-text" data-testid="pdf-text">
          {texts === null ? 'Lecture du texte…' : pageText || 'Cette page ne contient pas de texte lisible.'}
        </p>
      </details>
    </div>
  );
}

/**
 * After a zoom, the point at the centre of the frame stays at its centre; a new page starts at its
 * top left.
 */
function keepInView(
  frame: HTMLElement | null,
  shown: { page: number; scale: number } | null,
  page: number,
  scale: number,
): void {
  if (!frame) return;
  if (!shown || shown.page !== page) {
    frame.scrollTo(0, 0);
    return;
  }
  if (shown.scale === scale) return;
  const ratio = scale / shown.scale;
  const cx = frame.scrollLeft + frame.clientWidth / 2;
  const cy = frame.scrollTop + frame.clientHeight / 2;
  frame.scrollTo(cx * ratio - frame.clientWidth / 2, cy * ratio - frame.clientHeight / 2);
}
