/**
 * Rich text written by recruiters (company descriptions): an allowlist of tags and attributes,
 * applied by `sanitize-html` on the server before anything is stored or served.
 *
 * Kept: paragraphs, line breaks, bold, italic, strike, underline, lists, h2–h4, quotes, links
 * (http, https and mailto only; they open in a new tab with rel="noopener noreferrer nofollow"),
 * and images of the profile's own uploads (`/api/public/files/<sha256>` or `/api/files/<sha256>`).
 * Everything else goes: scripts, styles, event handlers, frames (video links stay links: the CSP
 * allows no third-party frames), SVG, forms, `javascript:` and `data:` URLs. The text of a
 * dropped element is kept, except for elements whose content is not text (script, style, svg…).
 */
import sanitizeHtml from 'sanitize-html';

/** Inputs longer than this are cut before parsing (the schema stops far earlier: 50 000). */
export const RICH_TEXT_INPUT_MAX = 200_000;

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'b',
  'em',
  'i',
  's',
  'u',
  'ul',
  'ol',
  'li',
  'a',
  'h2',
  'h3',
  'h4',
  'blockquote',
  'img',
];

/** Dropped with everything inside them (their content is code, markup or a widget, not text). */
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'select',
  'xmp',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'template',
  'title',
  'head',
  'canvas',
  'audio',
  'video',
  'plaintext',
];

/** An image of the profile's uploads: nothing else may be loaded by a description. */
const FILE_SRC = /^\/api\/(public\/)?files\/([0-9a-fA-F]{64})$/;
const IMAGE_SRC_ANY = /\/api\/(?:public\/)?files\/([0-9a-f]{64})/g;
const ALT_MAX = 300;

export const LINK_REL = 'noopener noreferrer nofollow';

/** The link target in its normalised form, or null unless it is an absolute http(s) or mailto URL. */
export function safeHref(raw: string | undefined): string | null {
  if (!raw) return null;
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

function safeImageSrc(raw: string | undefined): string | null {
  const m = FILE_SRC.exec((raw ?? '').trim());
  return m ? `/api/${m[1] ?? ''}files/${m[2]!.toLowerCase()}` : null;
}

/** What the sanitiser removed that the author should know about (French, for a notice). */
export interface RichTextReport {
  html: string;
  removed: string[];
}

function options(removed: Set<string>): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href', 'rel', 'target'], img: ['src', 'alt'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    nestingLimit: 40,
    parseStyleAttributes: false,
    enforceHtmlBoundary: false,
    onOpenTag(name, attribs) {
      if (DROPPED_WITH_CONTENT.includes(name)) {
        if (name === 'iframe' || name === 'video' || name === 'embed' || name === 'object')
          removed.add('vidéo ou contenu intégré (collez plutôt le lien de la vidéo)');
        else if (name === 'script' || name === 'noscript') removed.add('script');
        else if (name === 'style') removed.add('feuille de style');
        else if (name === 'svg' || name === 'math') removed.add('dessin SVG ou formule');
        else removed.add(`élément « ${name} »`);
      }
      for (const attribute of Object.keys(attribs)) {
        if (/^on/i.test(attribute)) removed.add('gestionnaire d’événement (attribut « on… »)');
      }
    },
    // (Renaming a tag to a disallowed name instead would leave sanitize-html's closing-tag map
    // stale for the next sibling.)
    exclusiveFilter(frame) {
      if (frame.tag === 'a' && !frame.attribs.href) return 'excludeTag';
      if (frame.tag === 'img' && !frame.attribs.src) return true;
      return false;
    },
    transformTags: {
      a(_tag, attribs): sanitizeHtml.Tag {
        const href = safeHref(attribs.href);
        if (!href) {
          if (attribs.href !== undefined)
            removed.add('lien non autorisé (seuls http, https et mailto le sont)');
          // No href: `exclusiveFilter` drops the tag and keeps its text.
          return { tagName: 'a', attribs: {} };
        }
        return { tagName: 'a', attribs: { href, rel: LINK_REL, target: '_blank' } };
      },
      img(_tag, attribs): sanitizeHtml.Tag {
        const src = safeImageSrc(attribs.src);
        if (!src) {
          removed.add('image extérieure à la fiche (ajoutez l’image depuis vos fichiers)');
          // No src: `exclusiveFilter` drops it.
          return { tagName: 'img', attribs: {} };
        }
        const alt = (attribs.alt ?? '').replace(/\s+/g, ' ').trim().slice(0, ALT_MAX);
        return { tagName: 'img', attribs: { src, alt } };
      },
      h1: 'h2',
      h5: 'h4',
      h6: 'h4',
      div: 'p',
    },
  };
}

/** Sanitises rich text and says what was removed. */
export function sanitizeRichTextReport(html: string): RichTextReport {
  const removed = new Set<string>();
  const input = typeof html === 'string' ? html.slice(0, RICH_TEXT_INPUT_MAX) : '';
  const out = sanitizeHtml(input, options(removed)).trim();
  return { html: out, removed: [...removed] };
}

/** The HTML with only the allowlisted tags and attributes (see the module comment). */
export function sanitizeRichText(html: string): string {
  return sanitizeRichTextReport(html).html;
}

const BLOCK_END = /<\/(p|li|h2|h3|h4|blockquote|ul|ol|div|h1|h5|h6|tr)>|<br\s*\/?>/gi;

/** The text of rich text, for search and previews: tags removed, blocks on their own lines, entities decoded. */
export function richTextToPlain(html: string): string {
  const input = typeof html === 'string' ? html.slice(0, RICH_TEXT_INPUT_MAX) : '';
  const text = sanitizeHtml(
    input.replace(BLOCK_END, (m) => `${m}\n`),
    {
      allowedTags: [],
      allowedAttributes: {},
      nonTextTags: DROPPED_WITH_CONTENT,
      disallowedTagsMode: 'discard',
    },
  );
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t\r\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The first `max` characters of the text, cut at a word, with an ellipsis when cut. */
export function richTextExcerpt(html: string, max = 200): string {
  // Blocks run together in a preview: a heading or list item without its own punctuation gets a full stop.
  const plain = richTextToPlain(html)
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i, lines) => (i < lines.length - 1 && !/[.!?:;…»)]$/.test(line) ? `${line}.` : line))
    .join(' ')
    .replace(/\s+/g, ' ');
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

/** The SHA-256 of every image a (sanitised) description shows. */
export function richTextImageHashes(html: string): string[] {
  return [...new Set([...html.matchAll(IMAGE_SRC_ANY)].map((m) => m[1]!))];
}

/** The description as the public sees it: sanitised again, images through the public file route. */
export function publicRichText(html: string): string {
  return sanitizeRichText(html).replace(/src="\/api\/files\//g, 'src="/api/public/files/');
}
