import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LINK_REL,
  publicRichText,
  RICH_TEXT_INPUT_MAX,
  richTextExcerpt,
  richTextImageHashes,
  richTextToPlain,
  sanitizeRichText,
  sanitizeRichTextReport,
} from './rich-text';

const SHA = 'ab'.repeat(32);
const ALLOWED = new Set([
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
]);
const ATTRIBUTES: Record<string, string[]> = { a: ['href', 'rel', 'target'], img: ['src', 'alt'] };

/**
 * Reads the output as a browser would see its tags. The sanitiser escapes every `<` of text, so
 * each `<` left starts a tag: all of them must be allowlisted tags with allowlisted attributes and
 * safe URLs.
 */
function assertSafe(html: string): void {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*\/?>/g;
  let tags = 0;
  for (const m of html.matchAll(tag)) {
    tags++;
    // Inside a tag (text may say « onerror= » harmlessly: it is not markup).
    expect(m[0], `attribut d’événement dans ${html}`).not.toMatch(/\son[a-z]+\s*=/i);
    expect(m[0]).not.toMatch(/(href|src)="\s*(javascript|data|vbscript):/i);
    const name = m[2]!;
    expect(ALLOWED.has(name), `balise <${name}> dans ${html}`).toBe(true);
    if (m[1]) continue;
    for (const a of (m[3] ?? '').matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
      const attribute = a[1]!;
      const value = a[2] ?? '';
      expect(ATTRIBUTES[name] ?? [], `attribut ${attribute} sur <${name}> dans ${html}`).toContain(attribute);
      if (attribute === 'href') expect(value).toMatch(/^(https?:\/\/[^/\s]|mailto:)/);
      if (attribute === 'src') expect(value).toMatch(/^\/api\/(public\/)?files\/[0-9a-f]{64}$/);
      if (attribute === 'rel') expect(value).toBe(LINK_REL);
      if (attribute === 'target') expect(value).toBe('_blank');
    }
  }
  expect((html.match(/</g) ?? []).length, `« < » hors balise dans ${html}`).toBe(tags);
  expect(html).not.toMatch(/<script|<style|<svg|<iframe|<object|<embed|<math|<form|<input/i);
}

const XSS_VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.test/x.js></SCRIPT>',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<script>alert(1)',
  '<p>texte<script>alert(1)</script></p>',
  '<<script>script>alert(1)<</script>/script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<img src=x onerror=alert(1)>',
  '<img src="x" ONERROR="alert(1)">',
  `<img src="/api/files/${SHA}" onerror="alert(1)">`,
  `<img src="/api/files/${SHA}" onload=alert(1) alt="x">`,
  '<img src="javascript:alert(1)">',
  '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
  '<img src="https://evil.test/pixel.png">',
  '<img src="//evil.test/pixel.png">',
  `<img src="/api/files/${SHA}/../../evil">`,
  `<img src="/api/files/${SHA}?x=1">`,
  '<img """><script>alert(1)</script>">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jAvAsCrIpT:alert(1)">x</a>',
  '<a href="  javascript:alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href="java&#x0A;script:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="https://ok.test" onclick="alert(1)">x</a>',
  '<a href="https://ok.test" onmouseover=alert(1)>x</a>',
  '<a href="https://ok.test" style="background:url(javascript:alert(1))">x</a>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<style>@import "https://evil.test/x.css";</style><p>ok</p>',
  '<p style="color:red" onclick="alert(1)">ok</p>',
  '<div onmouseover="alert(1)">x</div>',
  '<body onload=alert(1)>',
  '<input onfocus=alert(1) autofocus>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<textarea><img src=x onerror=alert(1)></textarea>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<template><img src=x onerror=alert(1)></template>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="https://evil.test/x.css">',
  '<p><b><i><u>non fermé',
  '<a href="https://ok.test">lien non fermé',
  '<img src=x onerror=alert(1)//',
  '<p title="a"b onclick=alert(1)>x</p>',
  '<!--<img src=x onerror=alert(1)>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<p>\u0000<script>alert(1)</script></p>',
];

describe('sanitizeRichText: nothing executable survives', () => {
  it.each(XSS_VECTORS)('%s', (vector) => {
    const out = sanitizeRichText(vector);
    assertSafe(out);
    // Sanitising again changes nothing: the output is already in its final form.
    expect(sanitizeRichText(out)).toBe(out);
  });

  it('keeps the text of a refused link but not the link', () => {
    expect(sanitizeRichText('<p><a href="javascript:alert(1)">Cliquez</a> ici</p>')).toBe(
      '<p>Cliquez ici</p>',
    );
  });

  it('drops the content of scripts, styles, SVG and frames but keeps surrounding text', () => {
    expect(
      sanitizeRichText('<p>avant</p><script>alert("x")</script><svg><text>svg</text></svg><p>après</p>'),
    ).toBe('<p>avant</p><p>après</p>');
  });

  it('holds for random soups of dangerous fragments', () => {
    const fragment = fc.constantFrom(
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '<a href="https://ok.test">',
      '</a>',
      '<svg onload=alert(1)>',
      '<iframe>',
      '<style>',
      '<p>',
      '</p>',
      '<b>',
      '"',
      "'",
      '<',
      '>',
      '=',
      'onerror',
      '&lt;',
      '&#106;',
      'javascript:',
      ' ',
      'texte',
      `<img src="/api/files/${SHA}">`,
      '<!--',
      '-->',
      '<noscript>',
      '</noscript>',
      '<textarea>',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 25 }), (parts) => {
        const out = sanitizeRichText(parts.join(''));
        assertSafe(out);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});

describe('sanitizeRichText: legitimate formatting survives', () => {
  it('keeps paragraphs, emphasis, lists, headings and quotes as they are', () => {
    const html =
      '<h2>Qui sommes-nous ?</h2><p>Une <strong>boulangerie</strong> <em>artisanale</em>, <b>gras</b>, <i>italique</i>, <s>barré</s>, <u>souligné</u>.<br />Depuis 1987.</p>' +
      '<h3>Nos valeurs</h3><ul><li>Qualité</li><li>Proximité</li></ul><ol><li>Un</li><li>Deux</li></ol>' +
      '<h4>Avis</h4><blockquote>« Le meilleur pain de l’Aude »</blockquote>';
    expect(sanitizeRichText(html)).toBe(html);
  });

  it('opens links in a new tab without referrer and keeps http, https and mailto', () => {
    expect(sanitizeRichText('<a href="https://www.boulangeries-martin.fr/equipe">Équipe</a>')).toBe(
      `<a href="https://www.boulangeries-martin.fr/equipe" rel="${LINK_REL}" target="_blank">Équipe</a>`,
    );
    expect(sanitizeRichText('<a href="http://exemple.fr" rel="opener" target="_self">x</a>')).toBe(
      `<a href="http://exemple.fr/" rel="${LINK_REL}" target="_blank">x</a>`,
    );
    expect(sanitizeRichText('<a href="mailto:rh@exemple.fr">Écrivez-nous</a>')).toBe(
      `<a href="mailto:rh@exemple.fr" rel="${LINK_REL}" target="_blank">Écrivez-nous</a>`,
    );
  });

  it('keeps video links as links (no embedded player)', () => {
    const out = sanitizeRichText('<p><a href="https://www.youtube.com/watch?v=abc">Notre vidéo</a></p>');
    expect(out).toBe(
      `<p><a href="https://www.youtube.com/watch?v=abc" rel="${LINK_REL}" target="_blank">Notre vidéo</a></p>`,
    );
  });

  it('keeps images of the profile’s uploads with their text alternative, refuses any other source', () => {
    expect(sanitizeRichText(`<p><img src="/api/files/${SHA}" alt="Notre fournil"></p>`)).toBe(
      `<p><img src="/api/files/${SHA}" alt="Notre fournil" /></p>`,
    );
    expect(sanitizeRichText(`<img src="/api/public/files/${SHA.toUpperCase()}">`)).toBe(
      `<img src="/api/public/files/${SHA}" alt="" />`,
    );
    for (const src of [
      'https://exemple.fr/a.png',
      `/api/files/${SHA.slice(2)}`,
      `/api/other/${SHA}`,
      `https://exemple.fr/api/files/${SHA}`,
    ]) {
      expect(sanitizeRichText(`<p>a<img src="${src}">b</p>`)).toBe('<p>ab</p>');
    }
  });

  it('maps the headings and blocks of other editors onto the allowlist', () => {
    expect(sanitizeRichText('<h1>Titre</h1><div>Bloc</div><h6>Petit</h6><span class="x">texte</span>')).toBe(
      '<h2>Titre</h2><p>Bloc</p><h4>Petit</h4>texte',
    );
  });

  it('escapes text that looks like markup', () => {
    expect(sanitizeRichText('<p>1 &lt; 2 &amp; 3 > 2</p>')).toBe('<p>1 &lt; 2 &amp; 3 &gt; 2</p>');
  });

  it('cuts inputs beyond the limit before parsing', () => {
    const out = sanitizeRichText(`<p>${'a'.repeat(RICH_TEXT_INPUT_MAX + 1000)}</p>`);
    expect(out.length).toBeLessThanOrEqual(RICH_TEXT_INPUT_MAX + '</p>'.length);
    expect(out.endsWith('</p>')).toBe(true);
  });
});

describe('sanitizeRichTextReport', () => {
  it('says what it removed, in French', () => {
    const { removed } = sanitizeRichTextReport(
      '<iframe src="https://youtube.com/embed/x"></iframe><img src=x onerror=alert(1)><script>x</script><a href="javascript:x">y</a>',
    );
    expect(removed).toEqual(
      expect.arrayContaining([
        'vidéo ou contenu intégré (collez plutôt le lien de la vidéo)',
        'image extérieure à la fiche (ajoutez l’image depuis vos fichiers)',
        'gestionnaire d’événement (attribut « on… »)',
        'script',
        'lien non autorisé (seuls http, https et mailto le sont)',
      ]),
    );
  });

  it('reports nothing for clean text', () => {
    expect(sanitizeRichTextReport('<p>Bonjour <a href="https://a.fr">a</a></p>').removed).toEqual([]);
  });
});

describe('richTextToPlain and friends', () => {
  it('gives the text, blocks on their own lines, entities decoded, scripts gone', () => {
    expect(
      richTextToPlain(
        '<h2>Titre</h2><p>Un &amp; deux &lt;3<br>trois&nbsp;!</p><ul><li>a</li><li>b</li></ul><script>x()</script>',
      ),
    ).toBe('Titre\nUn & deux <3\ntrois !\na\nb');
  });

  it('cuts an excerpt at a word with an ellipsis', () => {
    const html = `<p>${'mot '.repeat(100)}</p>`;
    const excerpt = richTextExcerpt(html, 50);
    expect(excerpt.length).toBeLessThanOrEqual(51);
    expect(excerpt.endsWith('mot…')).toBe(true);
    expect(richTextExcerpt('<p>Court.</p>', 50)).toBe('Court.');
    expect(
      richTextExcerpt(
        '<h2>Qui sommes-nous ?</h2><h3>Nos valeurs</h3><ul><li>Qualité</li><li>Proximité</li></ul>',
      ),
    ).toBe('Qui sommes-nous ? Nos valeurs. Qualité. Proximité');
  });

  it('lists the images a description shows', () => {
    const other = 'cd'.repeat(32);
    expect(
      richTextImageHashes(
        `<img src="/api/files/${SHA}" alt="" /><img src="/api/public/files/${other}" alt="" />`,
      ),
    ).toEqual([SHA, other]);
  });

  it('serves images through the public route and sanitises again', () => {
    expect(publicRichText(`<img src="/api/files/${SHA}" alt="x" /><script>x</script>`)).toBe(
      `<img src="/api/public/files/${SHA}" alt="x" />`,
    );
  });
});
