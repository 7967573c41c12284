import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { plural } from '../../lib/format';
import { pagesMatching } from './pdf-search';

/**
 * A PDF shown in the application with pdf.js (browser build, its worker served by the app): page
 * by page, zoom, search in the text, and download. The page's text is also given as text (a
 * canvas says nothing to screen readers).
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

export const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;

interface Props {
  blob: Blob;
  fileName: string;
  /** Whether the bytes came from this workstation's cache. */
  fromCache?: boolean;
}

export function PdfViewer({ blob, fileName, fromCache }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [zoomIndex, setZoomIndex] = useState(2);
  const [texts, setTexts] = useState<string[] | null>(null);
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<number[] | null>(null);
  const [rendering, setRendering] = useState(false);
  const [renderMs, setRenderMs] = useState<number | null>(null);
  const zoom = ZOOM_STEPS[zoomIndex] ?? 1;

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

  // Render the current page.
  useEffect(() => {
    if (!doc) return;
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
        const viewport = p.getViewport({ scale: zoom * ratio });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
        canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
        task = p.render({ canvas, viewport });
        await task.promise;
        if (!cancelled) setRenderMs(Math.round(performance.now() - started));
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
  }, [doc, page, zoom]);

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
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  function search() {
    if (!texts) return;
    const found = pagesMatching(texts, query);
    setMatches(found);
    const next = found.find((p) => p >= page) ?? found[0];
    if (next) setPage(next);
  }

  const pages = doc?.numPages ?? 0;
  const pageText = texts?.[page - 1] ?? '';

  return (
    <div className="pdf-viewer" data-testid="pdf-viewer">
      <div className="pdf-toolbar" role="toolbar" aria-label="Outils du CV joint" aria-controls="pdf-canvas">
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
          disabled={zoomIndex === 0}
          aria-label="Zoom arrière"
          onClick={() => setZoomIndex((z) => Math.max(0, z - 1))}
        >
          −
        </button>
        <span data-testid="pdf-zoom">Zoom {Math.round(zoom * 100)} %</span>
        <button
          type="button"
          className="button button--small button--secondary"
          disabled={zoomIndex === ZOOM_STEPS.length - 1}
          aria-label="Zoom avant"
          onClick={() => setZoomIndex((z) => Math.min(ZOOM_STEPS.length - 1, z + 1))}
        >
          +
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
          className="pdf-canvas-wrap"
          aria-busy={rendering || !doc}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the page scrolls when zoomed; keyboard users scroll it once focused
          tabIndex={0}
          aria-label={`Page ${page} du CV joint, défilable`}
        >
          <canvas
            id="pdf-canvas"
            ref={canvasRef}
            role="img"
            aria-label={`Page ${page} du CV joint « ${fileName} »`}
            data-testid="pdf-canvas"
            data-rendered={!rendering && doc ? 'oui' : 'non'}
            data-render-ms={renderMs ?? undefined}
          />
        </section>
      )}
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
