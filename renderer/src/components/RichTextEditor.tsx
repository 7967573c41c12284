import {
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import {
  escapeAttribute,
  escapeText,
  type FormatKey,
  type FormatState,
  formatStateFromPath,
  imageHtml,
  normalizeLinkInput,
  parseVideoUrl,
  plainTextToHtml,
  safeHref,
  safeImageSrc,
  sanitizeRichHtml,
  videoLinkHtml,
} from '../features/companies/rich-text';
import '../features/companies/companies.css';

interface Props {
  /** The id of the editable area (an error summary focuses it). */
  id: string;
  label: string;
  /** HTML. */
  value: string;
  onChange: (html: string) => void;
  readOnly?: boolean;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  placeholder?: string;
  /**
   * Renders the control that stores an image (the files feature's picker) and calls `onPicked`
   * with its SHA-256. Without it the « Image » button is not shown.
   */
  renderImagePicker?: (value: string | null, onPicked: (sha256: string | null) => void) => ReactNode;
}

type Panel = null | 'link' | 'image' | 'video';

const NO_FORMAT: FormatState = formatStateFromPath([]);

interface ToggleButton {
  key: FormatKey;
  label: string;
  shortcut?: string;
  glyph: ReactNode;
  run: (state: FormatState) => void;
}

function exec(command: string, value?: string): void {
  document.execCommand(command, false, value);
}

const TOGGLES: ToggleButton[] = [
  { key: 'bold', label: 'Gras', shortcut: 'Control+B', glyph: <b>G</b>, run: () => exec('bold') },
  { key: 'italic', label: 'Italique', shortcut: 'Control+I', glyph: <i>I</i>, run: () => exec('italic') },
  { key: 'strike', label: 'Barré', glyph: <s>S</s>, run: () => exec('strikeThrough') },
  {
    key: 'bulletList',
    label: 'Liste à puces',
    glyph: <span aria-hidden="true">• ≡</span>,
    run: () => exec('insertUnorderedList'),
  },
  {
    key: 'numberedList',
    label: 'Liste numérotée',
    glyph: <span aria-hidden="true">1. ≡</span>,
    run: () => exec('insertOrderedList'),
  },
  {
    key: 'heading',
    label: 'Titre',
    glyph: <span aria-hidden="true">Titre</span>,
    run: (s) => exec('formatBlock', s.heading ? '<p>' : '<h3>'),
  },
];

/** The tags between a node and the editor, innermost first (empty when the node is outside). */
function pathTags(node: Node | null, root: HTMLElement): string[] {
  const tags: string[] = [];
  let n: Node | null = node;
  while (n && n !== root) {
    if (n.nodeType === Node.ELEMENT_NODE) tags.push((n as Element).tagName.toLowerCase());
    n = n.parentNode;
  }
  return n === root ? tags : [];
}

function closestLink(node: Node | null, root: HTMLElement): HTMLAnchorElement | null {
  let n: Node | null = node;
  while (n && n !== root) {
    if (n instanceof HTMLAnchorElement) return n;
    n = n.parentNode;
  }
  return null;
}

/**
 * Second line of defence before anything pasted reaches the page: the sanitised HTML is parsed in
 * an inert document (DOMParser runs no script and loads nothing) and every element and attribute
 * is checked against the allowlist again.
 */
function isClean(html: string): boolean {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const allowed = new Set(['P', 'BR', 'STRONG', 'EM', 'S', 'UL', 'OL', 'LI', 'H3', 'A', 'IMG', 'BLOCKQUOTE']);
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    if (!allowed.has(el.tagName)) return false;
    for (const attr of Array.from(el.attributes)) {
      const ok =
        (el.tagName === 'A' && attr.name === 'href' && safeHref(attr.value) !== null) ||
        (el.tagName === 'A' && attr.name === 'rel') ||
        (el.tagName === 'IMG' && attr.name === 'src' && safeImageSrc(attr.value) !== null) ||
        (el.tagName === 'IMG' && attr.name === 'alt');
      if (!ok) return false;
    }
  }
  return true;
}

/**
 * An accessible rich-text editor (contenteditable, role textbox) with a toolbar: bold, italic,
 * strike, lists, heading, link, unlink, image (from the file store) and video link. Pasted and
 * dropped content goes through the allowlist; the value is sanitised HTML.
 */
export function RichTextEditor({
  id,
  label,
  value,
  onChange,
  readOnly,
  required,
  hint,
  error,
  placeholder,
  renderImagePicker,
}: Props) {
  const uid = useId();
  const areaRef = useRef<HTMLDivElement>(null);
  /** What the text shows, as the value it came from and as its sanitised HTML. */
  const lastValue = useRef<string | null>(null);
  const lastEmitted = useRef<string | null>(null);
  const savedRange = useRef<Range | null>(null);
  const internalDrag = useRef(false);
  const toolbarRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const panelRef = useRef<HTMLDivElement>(null);
  const [format, setFormat] = useState<FormatState>(NO_FORMAT);
  const [focusIndex, setFocusIndex] = useState(0);
  const [panel, setPanel] = useState<Panel>(null);
  const [panelInput, setPanelInput] = useState('');
  const [panelError, setPanelError] = useState<string | null>(null);
  const [imageHash, setImageHash] = useState<string | null>(null);
  const [imageAlt, setImageAlt] = useState('');
  const labelId = `${uid}-label`;
  const hintId = hint ? `${uid}-hint` : undefined;
  const errorId = error ? `${uid}-error` : undefined;
  const panelInputId = `${uid}-panel-input`;

  // The value from outside (first render, another document): shown sanitised, never as given.
  // What it becomes once shown counts as emitted, so focusing and leaving the text changes nothing.
  useEffect(() => {
    const area = areaRef.current;
    if (!area || value === lastValue.current || value === lastEmitted.current) return;
    area.innerHTML = sanitizeRichHtml(value);
    lastValue.current = value;
    lastEmitted.current = sanitizeRichHtml(area.innerHTML);
  }, [value]);

  const emit = useCallback(() => {
    const area = areaRef.current;
    if (!area) return;
    const html = sanitizeRichHtml(area.innerHTML);
    if (html === lastEmitted.current) return;
    lastEmitted.current = html;
    lastValue.current = html;
    onChange(html);
  }, [onChange]);

  const refreshFormat = useCallback(() => {
    const area = areaRef.current;
    const sel = document.getSelection();
    if (!area || !sel || sel.rangeCount === 0) return;
    const range = sel.getRangeAt(0);
    if (!area.contains(range.commonAncestorContainer)) return;
    savedRange.current = range.cloneRange();
    setFormat(formatStateFromPath(pathTags(range.commonAncestorContainer, area)));
  }, []);

  useEffect(() => {
    document.addEventListener('selectionchange', refreshFormat);
    return () => document.removeEventListener('selectionchange', refreshFormat);
  }, [refreshFormat]);

  /** Puts the caret back where it was before a toolbar panel took the focus. */
  function restoreSelection(): void {
    const area = areaRef.current;
    if (!area) return;
    area.focus();
    const range = savedRange.current;
    const sel = document.getSelection();
    if (range && sel && area.contains(range.commonAncestorContainer)) {
      sel.removeAllRanges();
      sel.addRange(range);
    } else if (sel) {
      // No caret yet: at the end of the text.
      const end = document.createRange();
      end.selectNodeContents(area);
      end.collapse(false);
      sel.removeAllRanges();
      sel.addRange(end);
    }
  }

  /** Whether the caret sits in an empty paragraph (or the empty editor). */
  function caretInEmptyBlock(): boolean {
    const area = areaRef.current;
    const node = document.getSelection()?.anchorNode ?? null;
    if (!area || !node) return true;
    let block: Node | null = node;
    while (block && block !== area && !/^(P|LI|H3|BLOCKQUOTE)$/.test(block.nodeName))
      block = block.parentNode;
    return !(block ?? area).textContent?.trim();
  }

  /** The first line is a paragraph too (the browser would leave it as bare text). */
  function onFocus(): void {
    const area = areaRef.current;
    if (!area || readOnly || area.textContent?.trim() || area.querySelector('img')) return;
    area.innerHTML = '<p><br></p>';
    const sel = document.getSelection();
    const first = area.firstChild;
    if (sel && first) {
      const r = document.createRange();
      r.setStart(first, 0);
      r.collapse(true);
      sel.removeAllRanges();
      sel.addRange(r);
    }
  }

  function prepare(): void {
    exec('styleWithCSS', 'false');
    exec('defaultParagraphSeparator', 'p');
  }

  function run(action: () => void): void {
    restoreSelection();
    prepare();
    action();
    emit();
    refreshFormat();
  }

  function insertHtml(html: string): void {
    const safe = sanitizeRichHtml(html);
    if (!safe) return;
    if (isClean(safe)) exec('insertHTML', safe);
    else exec('insertText', html.replace(/<[^>]*>/g, ''));
  }

  function openPanel(next: Panel): void {
    refreshFormat();
    setPanelError(null);
    setImageHash(null);
    setImageAlt('');
    if (next === 'link') {
      const area = areaRef.current;
      const link = area ? closestLink(savedRange.current?.commonAncestorContainer ?? null, area) : null;
      setPanelInput(link?.getAttribute('href') ?? '');
    } else {
      setPanelInput('');
    }
    setPanel(next);
    requestAnimationFrame(() =>
      panelRef.current?.querySelector<HTMLElement>('input:not([disabled]), button:not([disabled])')?.focus(),
    );
  }

  function closePanel(): void {
    setPanel(null);
    setPanelError(null);
    restoreSelection();
  }

  function applyLink(): void {
    const result = normalizeLinkInput(panelInput);
    if ('error' in result) {
      setPanelError(result.error);
      return;
    }
    setPanel(null);
    run(() => {
      const sel = document.getSelection();
      const area = areaRef.current!;
      const link = closestLink(sel?.anchorNode ?? null, area);
      if (link && sel?.isCollapsed) {
        const r = document.createRange();
        r.selectNodeContents(link);
        sel.removeAllRanges();
        sel.addRange(r);
      }
      if (!sel || sel.isCollapsed) {
        const text = result.url.replace(/^mailto:/, '');
        insertHtml(`<a href="${escapeAttribute(result.url)}">${escapeText(text)}</a>`);
      } else {
        exec('createLink', result.url);
      }
    });
  }

  function removeLink(): void {
    run(() => {
      const sel = document.getSelection();
      const area = areaRef.current!;
      const link = closestLink(sel?.anchorNode ?? null, area);
      if (link && sel) {
        const r = document.createRange();
        r.selectNodeContents(link);
        sel.removeAllRanges();
        sel.addRange(r);
      }
      exec('unlink');
    });
  }

  function applyVideo(): void {
    const video = parseVideoUrl(panelInput);
    if (!video) {
      setPanelError('Adresse non reconnue : collez le lien d’une vidéo YouTube, Vimeo ou Dailymotion.');
      return;
    }
    setPanel(null);
    run(() => {
      // On a line of its own.
      if (!caretInEmptyBlock()) exec('insertParagraph');
      insertHtml(videoLinkHtml(video));
    });
  }

  function applyImage(): void {
    if (!imageHash) {
      setPanelError('Choisissez d’abord une image.');
      return;
    }
    if (!imageAlt.trim()) {
      setPanelError('Décrivez l’image en quelques mots (texte lu par les lecteurs d’écran).');
      return;
    }
    const html = imageHtml(imageHash, imageAlt);
    if (!html) {
      setPanelError('Cette image ne peut pas être insérée.');
      return;
    }
    setPanel(null);
    run(() => insertHtml(html));
  }

  function onPaste(e: ClipboardEvent<HTMLDivElement>): void {
    e.preventDefault();
    const html = e.clipboardData.getData('text/html');
    const text = e.clipboardData.getData('text/plain');
    const clean = html ? sanitizeRichHtml(html) : plainTextToHtml(text);
    prepare();
    if (clean) insertHtml(clean);
    else if (text) exec('insertText', text);
    emit();
  }

  function onDrop(e: DragEvent<HTMLDivElement>): void {
    if (internalDrag.current) return; // moving text inside the editor: already clean
    e.preventDefault();
    const html = e.dataTransfer.getData('text/html');
    const text = e.dataTransfer.getData('text/plain');
    if (!html && !text) return; // files: use the « Image » button
    const caret = document.caretRangeFromPoint?.(e.clientX, e.clientY);
    const sel = document.getSelection();
    if (caret && sel) {
      sel.removeAllRanges();
      sel.addRange(caret);
    }
    prepare();
    const clean = html ? sanitizeRichHtml(html) : plainTextToHtml(text);
    if (clean) insertHtml(clean);
    emit();
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'b' || k === 'i') {
      e.preventDefault();
      run(() => exec(k === 'b' ? 'bold' : 'italic'));
    } else if (k === 'u') {
      e.preventDefault(); // no underline: it reads as a link
    } else if (k === 'k') {
      e.preventDefault();
      openPanel('link');
    }
  }

  /** Arrow keys move along the toolbar (one tab stop, WAI-ARIA toolbar pattern). */
  function onToolbarKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const buttons = toolbarRefs.current.filter((b): b is HTMLButtonElement => !!b && !b.disabled);
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    let next = -1;
    if (e.key === 'ArrowRight') next = (current + 1) % buttons.length;
    else if (e.key === 'ArrowLeft') next = (current - 1 + buttons.length) % buttons.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = buttons.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const target = buttons[next]!;
    setFocusIndex(toolbarRefs.current.indexOf(target));
    target.focus();
  }

  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  let index = 0;
  const toolButton = (
    key: string,
    text: ReactNode,
    name: string,
    onClick: () => void,
    opts: { pressed?: boolean; disabled?: boolean; shortcut?: string } = {},
  ) => {
    const i = index++;
    return (
      <button
        key={key}
        ref={(el) => {
          toolbarRefs.current[i] = el;
        }}
        type="button"
        className="rte__button"
        tabIndex={i === focusIndex ? 0 : -1}
        aria-label={name}
        title={opts.shortcut ? `${name} (${opts.shortcut.replace('Control', 'Ctrl')})` : name}
        aria-pressed={opts.pressed}
        aria-keyshortcuts={opts.shortcut}
        disabled={opts.disabled}
        // Keep the selection in the text while clicking a button.
        onMouseDown={(e) => e.preventDefault()}
        onClick={onClick}
      >
        {text}
      </button>
    );
  };

  const panelField = (fieldLabel: string, fieldHint: string, onSubmit: () => void, submitLabel: string) => (
    <fieldset className="rte__panel-fields">
      <legend className="visually-hidden">{fieldLabel}</legend>
      <div className="field">
        <label htmlFor={panelInputId}>{fieldLabel}</label>
        <p className="field__hint" id={`${panelInputId}-hint`}>
          {fieldHint}
        </p>
        <input
          id={panelInputId}
          type="url"
          inputMode="url"
          autoComplete="off"
          value={panelInput}
          aria-describedby={`${panelInputId}-hint${panelError ? ` ${panelInputId}-error` : ''}`}
          aria-invalid={panelError ? true : undefined}
          onChange={(e) => setPanelInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault(); // not the surrounding form
              onSubmit();
            }
          }}
        />
      </div>
      <div className="rte__panel-actions">
        <button type="button" className="button button--small button--primary" onClick={onSubmit}>
          {submitLabel}
        </button>
        <button type="button" className="button button--small button--ghost" onClick={closePanel}>
          Annuler
        </button>
      </div>
    </fieldset>
  );

  return (
    <div className={`field rte${error ? ' field--error' : ''}${readOnly ? ' rte--readonly' : ''}`}>
      {/* A contenteditable is not labelable: the label names it through aria-labelledby. */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a click on the label focuses the text, as for an input */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: keyboard users reach the text with Tab */}
      <span id={labelId} className="rte__label" onClick={() => areaRef.current?.focus()}>
        {label}
        {required ? (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </span>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="rte__box">
        {!readOnly ? (
          <div
            className="rte__toolbar"
            role="toolbar"
            aria-label={`Mise en forme : ${label}`}
            aria-controls={id}
            onKeyDown={onToolbarKeyDown}
          >
            {TOGGLES.map((t) =>
              toolButton(t.key, t.glyph, t.label, () => run(() => t.run(format)), {
                pressed: format[t.key],
                shortcut: t.shortcut,
              }),
            )}
            <span className="rte__sep" aria-hidden="true" />
            {toolButton('link', 'Lien', format.link ? 'Modifier le lien' : 'Lien', () => openPanel('link'), {
              pressed: format.link,
              shortcut: 'Control+K',
            })}
            {toolButton('unlink', 'Retirer le lien', 'Retirer le lien', removeLink, {
              disabled: !format.link,
            })}
            <span className="rte__sep" aria-hidden="true" />
            {renderImagePicker
              ? toolButton('image', 'Image', 'Insérer une image', () => openPanel('image'))
              : null}
            {toolButton('video', 'Vidéo', 'Insérer une vidéo (lien YouTube, Vimeo ou Dailymotion)', () =>
              openPanel('video'),
            )}
          </div>
        ) : null}
        {panel ? (
          // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the panel from any of its controls
          <div
            ref={panelRef}
            className="rte__panel"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                closePanel();
              }
            }}
          >
            {panel === 'link'
              ? panelField(
                  'Adresse du lien',
                  'Une adresse web (https://…) ou une adresse e-mail. Sélectionnez d’abord le texte à lier.',
                  applyLink,
                  format.link ? 'Modifier le lien' : 'Ajouter le lien',
                )
              : null}
            {panel === 'video'
              ? panelField(
                  'Adresse de la vidéo',
                  'Lien d’une vidéo YouTube, Vimeo ou Dailymotion : il apparaîtra comme un lien « Vidéo : … ».',
                  applyVideo,
                  'Insérer la vidéo',
                )
              : null}
            {panel === 'image' && renderImagePicker ? (
              <fieldset className="rte__panel-fields">
                <legend className="visually-hidden">Insérer une image</legend>
                {renderImagePicker(imageHash, (sha) => {
                  setImageHash(sha);
                  setPanelError(null);
                })}
                <div className="field">
                  <label htmlFor={panelInputId}>Description de l’image</label>
                  <p className="field__hint" id={`${panelInputId}-hint`}>
                    Quelques mots lus par les lecteurs d’écran, ex. : « L’atelier de réparation ».
                  </p>
                  <input
                    id={panelInputId}
                    type="text"
                    maxLength={300}
                    value={imageAlt}
                    aria-describedby={`${panelInputId}-hint`}
                    onChange={(e) => setImageAlt(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        applyImage();
                      }
                    }}
                  />
                </div>
                <div className="rte__panel-actions">
                  <button type="button" className="button button--small button--primary" onClick={applyImage}>
                    Insérer l’image
                  </button>
                  <button type="button" className="button button--small button--ghost" onClick={closePanel}>
                    Annuler
                  </button>
                </div>
              </fieldset>
            ) : null}
            {panelError ? (
              <p className="field__error" id={`${panelInputId}-error`} role="alert">
                {panelError}
              </p>
            ) : null}
          </div>
        ) : null}
        {/* biome-ignore lint/a11y/useSemanticElements: a multi-line rich text field has no native element */}
        <div
          id={id}
          ref={areaRef}
          className="rte__area"
          role="textbox"
          tabIndex={0}
          aria-multiline="true"
          aria-labelledby={labelId}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          aria-required={required || undefined}
          aria-readonly={readOnly || undefined}
          contentEditable={!readOnly}
          suppressContentEditableWarning
          data-placeholder={placeholder}
          onInput={emit}
          onFocus={onFocus}
          onBlur={emit}
          onKeyDown={readOnly ? undefined : onKeyDown}
          onPaste={readOnly ? (e) => e.preventDefault() : onPaste}
          onDrop={readOnly ? (e) => e.preventDefault() : onDrop}
          onDragStart={() => {
            internalDrag.current = true;
          }}
          onDragEnd={() => {
            internalDrag.current = false;
          }}
        />
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
