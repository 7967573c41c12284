/**
 * The pure part of the rich-text editor (components/RichTextEditor.tsx): an allowlist sanitiser
 * working on the HTML text with a small tokenizer (no DOM, testable in Node), URL checks for links,
 * images and videos, and the toolbar state. The server sanitises again what it stores; this keeps
 * pasted or dropped markup from ever reaching the live page with a script or an event handler.
 *
 * The output is rebuilt from tokens: only allowlisted tags, only checked attributes, text with `<`
 * and `>` escaped, attribute values fully escaped. Whatever the input, nothing else can come out.
 */

/** Tags kept as they are. */
const ALLOWED = new Set(['p', 'br', 'strong', 'em', 's', 'ul', 'ol', 'li', 'h3', 'a', 'img', 'blockquote']);
/** Tags the browser (or a pasted document) uses for the same things. */
const RENAMED: Record<string, string> = {
  b: 'strong',
  i: 'em',
  strike: 's',
  del: 's',
  div: 'p',
  h1: 'h3',
  h2: 'h3',
  h4: 'h3',
  h5: 'h3',
  h6: 'h3',
};
const VOID = new Set([
  'br',
  'img',
  'hr',
  'input',
  'meta',
  'link',
  'col',
  'area',
  'base',
  'embed',
  'source',
  'wbr',
]);
/** Elements whose content is raw text up to their end tag: dropped with it. */
const RAW_TEXT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'xmp',
]);
/** Elements dropped with everything inside them. */
const DROP_WITH_CONTENT = new Set(['head', 'template', 'svg', 'math', 'object', 'select', 'button', 'form']);
/** Block tags: when dropped (unknown), their content is kept on its own line. */
const BLOCKISH = new Set([
  'table',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'pre',
  'figure',
  'dl',
  'dd',
  'dt',
]);

const FILE_SRC = /^\/api\/files\/[0-9a-f]{64}$/;

/** Decodes the character references of an attribute value (numeric, and the few named ones that matter). */
export function decodeEntities(value: string): string {
  const named: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: '\u00a0',
    colon: ':',
    tab: '\t',
    newline: '\n',
    sol: '/',
    lpar: '(',
    rpar: ')',
  };
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return '\ufffd';
      return String.fromCodePoint(code);
    }
    const v = named[ref.toLowerCase()];
    return v ?? all;
  });
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as it was in the HTML: entities kept (French accents pasted as &eacute;), stray `<`, `>` and `&` escaped. */
function cleanText(raw: string): string {
  return raw
    .replace(/&(?!#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** An absolute http(s) or mailto URL as a link target, normalised; null when not acceptable. */
export function safeHref(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return /^mailto:[^\s@]+@[^\s@]+\.[^\s@]+/.test(url.href) ? url.href : null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || !url.hostname.includes('.')) return null;
  return url.href;
}

/** Images come only from the file store (uploaded through the files feature). */
export function safeImageSrc(value: string): string | null {
  const v = value.trim();
  return FILE_SRC.test(v) ? v : null;
}

/** What the user typed in the link form: a URL (https:// added when missing) or an e-mail address. */
export function normalizeLinkInput(input: string): { url: string } | { error: string } {
  let v = input.trim();
  if (!v) return { error: 'Saisissez l’adresse du lien.' };
  if (/^[^\s@:/]+@[^\s@]+\.[^\s@]+$/.test(v)) v = `mailto:${v}`;
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(v)) v = `https://${v}`;
  const url = safeHref(v);
  return url
    ? { url }
    : { error: 'Adresse non valide : saisissez une adresse web (https://…) ou une adresse e-mail.' };
}

export type VideoProvider = 'YouTube' | 'Vimeo' | 'Dailymotion';

/** A YouTube, Vimeo or Dailymotion video address, normalised; null for anything else. */
export function parseVideoUrl(input: string): { provider: VideoProvider; url: string } | null {
  let v = input.trim();
  if (!v) return null;
  if (!/^https?:\/\//i.test(v)) v = `https://${v}`;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return null;
  const host = url.hostname.toLowerCase().replace(/^(www|m|player)\./, '');
  const path = url.pathname;
  const id = /^[A-Za-z0-9_-]{6,20}$/;
  if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    const watch = url.searchParams.get('v');
    if (path === '/watch' && watch && id.test(watch))
      return { provider: 'YouTube', url: `https://www.youtube.com/watch?v=${watch}` };
    const m = /^\/(?:shorts|embed|live)\/([A-Za-z0-9_-]{6,20})\/?$/.exec(path);
    if (m) return { provider: 'YouTube', url: `https://www.youtube.com/watch?v=${m[1]}` };
    return null;
  }
  if (host === 'youtu.be') {
    const m = /^\/([A-Za-z0-9_-]{6,20})\/?$/.exec(path);
    return m ? { provider: 'YouTube', url: `https://www.youtube.com/watch?v=${m[1]}` } : null;
  }
  if (host === 'vimeo.com') {
    const m = /^\/(?:video\/)?(\d{4,12})\/?$/.exec(path);
    return m ? { provider: 'Vimeo', url: `https://vimeo.com/${m[1]}` } : null;
  }
  if (host === 'dailymotion.com') {
    const m = /^\/(?:embed\/)?video\/([A-Za-z0-9]{5,12})/.exec(path);
    return m ? { provider: 'Dailymotion', url: `https://www.dailymotion.com/video/${m[1]}` } : null;
  }
  if (host === 'dai.ly') {
    const m = /^\/([A-Za-z0-9]{5,12})\/?$/.exec(path);
    return m ? { provider: 'Dailymotion', url: `https://www.dailymotion.com/video/${m[1]}` } : null;
  }
  return null;
}

/** The HTML inserted for a video: a paragraph with a link « Vidéo : … ». */
export function videoLinkHtml(video: { url: string }): string {
  return `<p><a href="${escapeAttribute(video.url)}">Vidéo : ${escapeText(video.url)}</a></p>`;
}

/** The HTML inserted for an image of the file store. */
export function imageHtml(sha256: string, alt: string): string | null {
  const src = safeImageSrc(`/api/files/${sha256}`);
  return src ? `<img src="${src}" alt="${escapeAttribute(alt.trim())}">` : null;
}

interface Token {
  kind: 'text' | 'start' | 'end';
  /** Tag name (lower case) or raw text. */
  value: string;
  attrs: [string, string][];
  selfClosing: boolean;
}

/** A small HTML tokenizer: text, start tags with their attributes, end tags; comments and doctypes skipped. */
export function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let text = '';
  const flush = () => {
    if (text) tokens.push({ kind: 'text', value: text, attrs: [], selfClosing: false });
    text = '';
  };
  const n = html.length;
  while (i < n) {
    const c = html[i]!;
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const next = html[i + 1] ?? '';
    if (html.startsWith('<!--', i)) {
      flush();
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (next === '!' || next === '?') {
      flush();
      const end = html.indexOf('>', i + 2);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const isEnd = next === '/';
    const nameStart = isEnd ? i + 2 : i + 1;
    if (!/[a-zA-Z]/.test(html[nameStart] ?? '')) {
      if (isEnd) {
        // `</` not followed by a letter: a bogus comment up to `>`.
        flush();
        const end = html.indexOf('>', i + 2);
        i = end < 0 ? n : end + 1;
        continue;
      }
      text += c;
      i++;
      continue;
    }
    flush();
    let j = nameStart;
    while (j < n && !/[\s/>]/.test(html[j]!)) j++;
    const name = html.slice(nameStart, j).toLowerCase();
    const attrs: [string, string][] = [];
    let selfClosing = false;
    // Attributes, up to the closing `>` (quoted values may contain `>`).
    for (;;) {
      while (j < n && /[\s/]/.test(html[j]!)) {
        if (html[j] === '/' && html[j + 1] === '>') selfClosing = true;
        j++;
      }
      if (j >= n) break;
      if (html[j] === '>') {
        j++;
        break;
      }
      let k = j;
      // An attribute name may start with `=`; it ends at space, `/`, `>` or `=`.
      k++;
      while (k < n && !/[\s/>=]/.test(html[k]!)) k++;
      const attrName = html.slice(j, k).toLowerCase();
      j = k;
      while (j < n && /\s/.test(html[j]!)) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j]!)) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const end = html.indexOf(q, j + 1);
          value = html.slice(j + 1, end < 0 ? n : end);
          j = end < 0 ? n : end + 1;
        } else {
          const s = j;
          while (j < n && !/[\s>]/.test(html[j]!)) j++;
          value = html.slice(s, j);
        }
      }
      if (!isEnd) attrs.push([attrName, decodeEntities(value)]);
    }
    tokens.push({ kind: isEnd ? 'end' : 'start', value: name, attrs, selfClosing });
    i = j;
    if (!isEnd && RAW_TEXT.has(name)) {
      // Raw text: everything up to the matching end tag is content, never markup.
      const close = html.toLowerCase().indexOf(`</${name}`, i);
      const body = html.slice(i, close < 0 ? n : close);
      if (body) tokens.push({ kind: 'text', value: body, attrs: [], selfClosing: false });
      i = close < 0 ? n : close;
    }
  }
  flush();
  return tokens;
}

function openTag(name: string, attrs: [string, string][]): string | null {
  const get = (a: string) => attrs.find(([k]) => k === a)?.[1];
  if (name === 'a') {
    const href = safeHref(get('href') ?? '');
    return href ? `<a href="${escapeAttribute(href)}" rel="noopener noreferrer nofollow">` : null;
  }
  if (name === 'img') {
    const src = safeImageSrc(get('src') ?? '');
    if (!src) return null;
    const alt = (get('alt') ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
    return `<img src="${escapeAttribute(src)}" alt="${escapeAttribute(alt)}">`;
  }
  return `<${name}>`;
}

const BLOCKS = new Set(['p', 'ul', 'ol', 'h3', 'blockquote']);

function lastIndexOfAny(stack: readonly (string | null)[], names: readonly (string | null)[]): number {
  for (let i = stack.length - 1; i >= 0; i--) if (names.includes(stack[i] as string | null)) return i;
  return -1;
}

/** The allowlist sanitiser: any HTML in, only allowed tags and checked attributes out, tags balanced. */
export function sanitizeRichHtml(html: string): string {
  const out: string[] = [];
  /** Open allowed tags (null for a dropped `a`, whose end tag must not close an outer one). */
  const stack: (string | null)[] = [];
  /** Open dropped tags: `a` without a valid href is unwrapped, its end tag ignored. */
  let dropDepth = 0;
  let dropName = '';
  const closeFrom = (idx: number) => {
    if (idx < 0) return;
    while (stack.length > idx) {
      const top = stack.pop();
      if (top) out.push(`</${top}>`);
    }
  };
  for (const t of tokenize(html)) {
    if (dropDepth > 0) {
      if (t.value === dropName && t.kind === 'start' && !t.selfClosing) dropDepth++;
      else if (t.value === dropName && t.kind === 'end') dropDepth--;
      continue;
    }
    if (t.kind === 'text') {
      out.push(cleanText(t.value));
      continue;
    }
    if (RAW_TEXT.has(t.value)) {
      // A raw-text element (script, style…) is dropped with its content: its text token follows.
      if (t.kind === 'start') {
        dropDepth = 1;
        dropName = t.value;
      }
      continue;
    }
    if (DROP_WITH_CONTENT.has(t.value)) {
      if (t.kind === 'start' && !t.selfClosing) {
        dropDepth = 1;
        dropName = t.value;
      }
      continue;
    }
    const name = RENAMED[t.value] ?? t.value;
    if (!ALLOWED.has(name)) {
      if (BLOCKISH.has(t.value) || t.value === 'td' || t.value === 'th' || t.value === 'hr') out.push(' ');
      continue;
    }
    if (t.kind === 'start') {
      const tag = openTag(name, t.attrs);
      if (name === 'br' || name === 'img') {
        if (tag) out.push(tag);
        continue;
      }
      // As the HTML parser does: a new link closes the open one, a block closes an open paragraph
      // or heading, a list item closes the previous item.
      if (name === 'a') closeFrom(lastIndexOfAny(stack, ['a', null]));
      else if (BLOCKS.has(name)) closeFrom(lastIndexOfAny(stack, ['p', 'h3']));
      if (name === 'li') {
        // An open item closes, with whatever inline tags are still open in it, unless a nested list
        // was opened inside it.
        const item = stack.lastIndexOf('li');
        if (item > Math.max(stack.lastIndexOf('ul'), stack.lastIndexOf('ol'))) closeFrom(item);
      }
      if (!tag) {
        if (name === 'a') stack.push(null);
        continue;
      }
      stack.push(name);
      out.push(tag);
    } else {
      if (VOID.has(name)) continue;
      closeFrom(name === 'a' ? lastIndexOfAny(stack, ['a', null]) : stack.lastIndexOf(name));
    }
  }
  while (stack.length > 0) {
    const top = stack.pop();
    if (top) out.push(`</${top}>`);
  }
  return normalizeEmpty(out.join('').replace(/<p><\/p>/g, ''));
}

/** An editor holding only empty paragraphs and line breaks is empty. */
function normalizeEmpty(html: string): string {
  const bare = html.replace(/<\/?(p|br|h3|strong|em|s)>|&nbsp;|\s/g, '');
  return bare === '' && !html.includes('<img') ? '' : html.trim();
}

/** Pasted plain text as paragraphs (blank lines) and line breaks. */
export function plainTextToHtml(text: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
  return paragraphs.map((p) => `<p>${escapeText(p).replace(/\n/g, '<br>')}</p>`).join('');
}

export type FormatKey = 'bold' | 'italic' | 'strike' | 'bulletList' | 'numberedList' | 'heading' | 'link';

export type FormatState = Record<FormatKey, boolean>;

const TAG_FORMAT: Record<string, FormatKey> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
  ul: 'bulletList',
  ol: 'numberedList',
  h1: 'heading',
  h2: 'heading',
  h3: 'heading',
  a: 'link',
};

/**
 * The toolbar's pressed buttons from the tags between the selection and the editor (innermost
 * first). Lists: only the innermost list counts (a numbered list inside a bulleted one is numbered).
 */
export function formatStateFromPath(tags: readonly string[]): FormatState {
  const state: FormatState = {
    bold: false,
    italic: false,
    strike: false,
    bulletList: false,
    numberedList: false,
    heading: false,
    link: false,
  };
  let listSeen = false;
  for (const raw of tags) {
    const key = TAG_FORMAT[raw.toLowerCase()];
    if (!key) continue;
    if (key === 'bulletList' || key === 'numberedList') {
      if (listSeen) continue;
      listSeen = true;
    }
    state[key] = true;
  }
  return state;
}

/** Text length of the HTML (for a counter or an emptiness check), without tags. */
export function textLength(html: string): number {
  return decodeEntities(html.replace(/<[^>]*>/g, '')).trim().length;
}
