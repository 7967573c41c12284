import { Fragment, type ReactNode } from 'react';
import { videoHostOf } from '../directory';

/**
 * Renders a company description. The server has sanitised it already; here it is parsed in an
 * inert document (`DOMParser`: no script runs, no image loads) and rebuilt as React elements from
 * the same allowlist, so nothing else can reach the page whatever the API sends. Headings move
 * one level down (the description sits under the page's own h2), links to YouTube, Vimeo or
 * Dailymotion show as « Voir la vidéo » (no embedded players: the CSP allows no frames).
 */

const BLOCKS: Record<string, 'p' | 'ul' | 'ol' | 'li' | 'blockquote' | 'h3' | 'h4' | 'h5'> = {
  P: 'p',
  UL: 'ul',
  OL: 'ol',
  LI: 'li',
  BLOCKQUOTE: 'blockquote',
  H2: 'h3',
  H3: 'h4',
  H4: 'h5',
};
const INLINE: Record<string, 'strong' | 'em' | 's' | 'u'> = {
  STRONG: 'strong',
  B: 'strong',
  EM: 'em',
  I: 'em',
  S: 's',
  U: 'u',
};
/** Dropped with their content (the server never lets them through; this is a second line). */
const DROPPED = new Set([
  'SCRIPT',
  'STYLE',
  'TEMPLATE',
  'NOSCRIPT',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'SVG',
  'MATH',
  'TEXTAREA',
]);
const IMAGE_SRC = /^\/api\/(public\/)?files\/[0-9a-f]{64}$/;

function safeHref(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:'
      ? url.href
      : null;
  } catch {
    return null;
  }
}

function NewTab() {
  return <span className="visually-hidden"> (nouvel onglet)</span>;
}

function render(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const children = () => Array.from(el.childNodes, (child, i) => render(child, i));
  const tag = el.tagName.toUpperCase();
  if (DROPPED.has(tag)) return null;
  if (tag === 'BR') return <br key={key} />;
  const block = BLOCKS[tag];
  if (block) {
    const Tag = block;
    return <Tag key={key}>{children()}</Tag>;
  }
  const inline = INLINE[tag];
  if (inline) {
    const Tag = inline;
    return <Tag key={key}>{children()}</Tag>;
  }
  if (tag === 'A') {
    const href = safeHref(el.getAttribute('href'));
    if (!href) return <Fragment key={key}>{children()}</Fragment>;
    const host = videoHostOf(href);
    if (host) {
      const text = (el.textContent ?? '').trim();
      const caption = text && text !== href && !/^https?:\/\//i.test(text) ? ` « ${text} »` : '';
      return (
        <a key={key} className="video-link" href={href} target="_blank" rel="noopener noreferrer nofollow">
          <svg className="video-link__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="11" />
            <path d="M10 8l6 4-6 4z" />
          </svg>
          Voir la vidéo{caption} sur {host}
          <NewTab />
        </a>
      );
    }
    return (
      <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children()}
        {!href.startsWith('mailto:') && <NewTab />}
      </a>
    );
  }
  if (tag === 'IMG') {
    const src = el.getAttribute('src') ?? '';
    if (!IMAGE_SRC.test(src)) return null;
    return (
      <img
        key={key}
        src={src.replace('/api/files/', '/api/public/files/')}
        alt={el.getAttribute('alt') ?? ''}
        loading="lazy"
      />
    );
  }
  // Anything else: its text only.
  return <Fragment key={key}>{children()}</Fragment>;
}

export function RichText({ html, className }: { html: string; className?: string }) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return <div className={className}>{Array.from(doc.body.childNodes, (node, i) => render(node, i))}</div>;
}
