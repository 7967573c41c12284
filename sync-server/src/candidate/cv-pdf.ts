/**
 * The CV as a PDF (seed 002 « Mise en page », « Visualiser / Imprimer »): three layouts and the
 * order « expérience en premier » or « formation en premier ». Pure: a `CandidateCv` and the
 * candidate's identity in, the PDF bytes out (pdfkit, standard fonts, no file system access besides
 * pdfkit's own font metrics).
 *
 * - « Classique »: one column, serif, centred header, rules under the headings.
 * - « Moderne »: a coloured side column (photo, contact, skills, languages, licences) and the
 *   experiences and training in the main column.
 * - « Compact »: one column, small type, dates in a narrow left column: the most on one page.
 *
 * The standard PDF fonts use WinAnsi: French text (é è à ç ô œ ’ « ») is fine, anything else is
 * brought back to what the fonts can show by `toWinAnsi`. Long CVs flow onto further pages; a
 * heading or the first lines of an entry never stay alone at the bottom of a page.
 */
import type PDFDocumentClass from 'pdfkit';
import {
  type CandidateCv,
  DRIVING_LICENCE_LABELS,
  type DrivingLicence,
  formatCvMonth,
  LANGUAGE_LEVEL_LABELS,
  SKILL_LEVEL_LABELS,
} from '../../../shared/domain/cv';
import { CONTRACT_TYPE_LABELS, WORKING_TIME_LABELS } from '../../../shared/domain/offer';

export const CV_PDF_LAYOUTS = ['classique', 'moderne', 'compact'] as const;
export type CvPdfLayout = (typeof CV_PDF_LAYOUTS)[number];
export const CV_PDF_LAYOUT_LABELS: Record<CvPdfLayout, string> = {
  classique: 'Classique',
  moderne: 'Moderne',
  compact: 'Compact',
};

export const CV_PDF_ORDERS = ['experience', 'formation'] as const;
export type CvPdfOrder = (typeof CV_PDF_ORDERS)[number];
export const CV_PDF_ORDER_LABELS: Record<CvPdfOrder, string> = {
  experience: 'Expérience en premier',
  formation: 'Formation en premier',
};

export interface CvPdfOptions {
  layout: CvPdfLayout;
  order: CvPdfOrder;
}

export const DEFAULT_CV_PDF_OPTIONS: CvPdfOptions = { layout: 'classique', order: 'experience' };

export function isCvPdfLayout(value: unknown): value is CvPdfLayout {
  return typeof value === 'string' && (CV_PDF_LAYOUTS as readonly string[]).includes(value);
}

export function isCvPdfOrder(value: unknown): value is CvPdfOrder {
  return typeof value === 'string' && (CV_PDF_ORDERS as readonly string[]).includes(value);
}

/** Who the CV is about, as the PDF shows it. Empty strings are left out. */
export interface CvPdfIdentity {
  firstName: string;
  lastName: string;
  email: string;
  /** Empty when the candidate does not show it. */
  phone: string;
  /** « Disponibilité », « Situation » lines (already in French). */
  details?: string[];
  /** « Mes atouts ». */
  strengths?: string;
  /** JPG or PNG bytes. */
  photo?: Uint8Array | null;
}

export type CvSectionKey = 'accroche' | 'experience' | 'formation' | 'competences' | 'langues' | 'permis';

export const CV_SECTION_TITLES: Record<CvSectionKey, string> = {
  accroche: 'Profil',
  experience: 'Expériences professionnelles',
  formation: 'Formations et diplômes',
  competences: 'Compétences',
  langues: 'Langues',
  permis: 'Permis de conduire',
};

// ---------------------------------------------------------------------------------------------
// Text

/** Characters above U+00FF that WinAnsi (cp1252) has, as pdfkit's standard fonts map them. */
const WIN_ANSI_EXTRA = new Set(
  [
    0x0192, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026,
    0x20ac, 0x2030, 0x2039, 0x203a, 0x02c6, 0x2122, 0x0152, 0x0153, 0x02dc, 0x0160, 0x0161, 0x0178, 0x017d,
    0x017e,
  ].map((c) => String.fromCharCode(c)),
);

const REPLACEMENTS: Record<string, string> = {
  '\u202f': '\u00a0',
  '\u2009': ' ',
  '\u2007': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2032': '’',
  '\u2033': '”',
  '\u2212': '-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2248': '~',
  '\u00ad': '',
  '\u200b': '',
  '\u200d': '',
  '\ufeff': '',
  '\u2605': '*',
  '\u2606': '*',
  '\u2713': 'v',
  '\u2714': 'v',
  '\u25cf': '•',
  '\u25aa': '•',
  '\u2023': '•',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0131': 'i',
};

function winAnsiChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || c === 0x0a || WIN_ANSI_EXTRA.has(ch);
}

/**
 * Text the standard PDF fonts can show: French accents, œ, ’ and « » stay as they are; other
 * accented letters lose their accent (ă → a), a few symbols get an equivalent, pictographs are
 * dropped and anything else becomes « ? ».
 */
export function toWinAnsi(text: string): string {
  let out = '';
  // French typography: no line break inside « guillemets ».
  const normalised = text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
  for (const ch of normalised) {
    if (winAnsiChar(ch)) {
      out += ch;
      continue;
    }
    const replacement = REPLACEMENTS[ch];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    if (/\p{Extended_Pictographic}|\p{M}|[\uFE00-\uFE0F]/u.test(ch) || ch.codePointAt(0)! < 0x20) continue;
    const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += stripped && [...stripped].every(winAnsiChar) ? stripped : '?';
  }
  return out;
}

/** `CV-Thomas-Garcia.pdf`: ASCII only, safe in a header and on any file system. */
export function cvPdfFileName(identity: Pick<CvPdfIdentity, 'firstName' | 'lastName'>): string {
  const name = `${identity.firstName} ${identity.lastName}`
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `CV-${name || 'candidat'}.pdf`;
}

// ---------------------------------------------------------------------------------------------
// Content model: what every layout shows, in order

interface Entry {
  heading: string;
  subheading: string;
  dates: string;
  body: string;
}

export interface CvPdfSection {
  key: CvSectionKey;
  title: string;
  entries?: Entry[];
  /** Short lines (skills, languages, licences). */
  items?: { label: string; detail: string; level?: number }[];
  text?: string;
}

function period(start: string, end: string | null): string {
  const from = start ? formatCvMonth(start) : '';
  const to = end ? formatCvMonth(end) : 'aujourd’hui';
  return from ? `${from} – ${to}` : end ? to : '';
}

function sortedByDate<T>(items: T[], date: (item: T) => string): T[] {
  return [...items].sort((a, b) => date(b).localeCompare(date(a)));
}

/**
 * The sections of a CV in the order of the chosen layout option: the accroche first, then
 * experiences and training (swapped by « formation en premier »), then skills, languages and
 * licences. Empty sections are left out. Experiences go newest first (current ones on top).
 */
export function cvSections(cv: CandidateCv, order: CvPdfOrder): CvPdfSection[] {
  const sections: CvPdfSection[] = [];
  if (cv.summary.trim())
    sections.push({ key: 'accroche', title: CV_SECTION_TITLES.accroche, text: cv.summary });
  const experience: CvPdfSection | null = cv.experiences.length
    ? {
        key: 'experience',
        title: CV_SECTION_TITLES.experience,
        entries: sortedByDate(cv.experiences, (e) => `${e.end ?? '9999'}${e.start}`).map((e) => ({
          heading: e.jobTitle,
          subheading: e.company,
          dates: period(e.start, e.end),
          body: e.description,
        })),
      }
    : null;
  const training: CvPdfSection | null = cv.diplomas.length
    ? {
        key: 'formation',
        title: CV_SECTION_TITLES.formation,
        entries: sortedByDate(cv.diplomas, (d) => d.date).map((d) => ({
          heading: d.title,
          subheading: '',
          dates: d.date ? formatCvMonth(d.date) : '',
          body: d.description,
        })),
      }
    : null;
  const pair = order === 'formation' ? [training, experience] : [experience, training];
  for (const s of pair) if (s) sections.push(s);
  if (cv.skills.length)
    sections.push({
      key: 'competences',
      title: CV_SECTION_TITLES.competences,
      items: cv.skills.map((s) => {
        const level = Math.min(5, Math.max(1, Math.round(s.level)));
        return { label: s.label, detail: `${SKILL_LEVEL_LABELS[level - 1]} (${level}/5)`, level };
      }),
    });
  if (cv.languages.length)
    sections.push({
      key: 'langues',
      title: CV_SECTION_TITLES.langues,
      items: cv.languages.map((l) => ({
        label: l.language,
        detail: LANGUAGE_LEVEL_LABELS[l.level] ?? l.level,
      })),
    });
  if (cv.licences.length)
    sections.push({
      key: 'permis',
      title: CV_SECTION_TITLES.permis,
      items: cv.licences.map((l) => ({
        label: DRIVING_LICENCE_LABELS[l as DrivingLicence] ?? l,
        detail: '',
      })),
    });
  return sections;
}

/** « Recherche : Boulanger — CDI, CDD — Temps plein — Lyon, Villeurbanne ». */
export function targetLine(cv: CandidateCv): string {
  const t = cv.target;
  if (!t) return '';
  const parts = [
    t.appellationLabel,
    t.contractTypes.map((c) => CONTRACT_TYPE_LABELS[c] ?? c).join(', '),
    t.workingTimes.map((w) => WORKING_TIME_LABELS[w] ?? w).join(', '),
    t.workplaces.map((w) => w.communeName).join(', '),
  ].filter(Boolean);
  return parts.length ? `Poste recherché : ${parts.join(' — ')}` : '';
}

// ---------------------------------------------------------------------------------------------
// Rendering

type Doc = PDFKit.PDFDocument;

interface Theme {
  regular: string;
  bold: string;
  italic: string;
  accent: string;
  text: string;
  muted: string;
  base: number;
}

const THEMES: Record<CvPdfLayout, Theme> = {
  classique: {
    regular: 'Times-Roman',
    bold: 'Times-Bold',
    italic: 'Times-Italic',
    accent: '#1f3a5f',
    text: '#1a1a1a',
    muted: '#4a4a4a',
    base: 11,
  },
  moderne: {
    regular: 'Helvetica',
    bold: 'Helvetica-Bold',
    italic: 'Helvetica-Oblique',
    accent: '#0b5e7a',
    text: '#1a1a1a',
    muted: '#4a4a4a',
    base: 10,
  },
  compact: {
    regular: 'Helvetica',
    bold: 'Helvetica-Bold',
    italic: 'Helvetica-Oblique',
    accent: '#2d4f1e',
    text: '#1a1a1a',
    muted: '#4a4a4a',
    base: 8.5,
  },
};

const PAGE_MARGIN = 48;

/** Starts a new page when less than `needed` points are left above the bottom margin. */
function keepSpace(doc: Doc, needed: number): void {
  if (doc.y + needed > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function write(doc: Doc, text: string, x: number, width: number, options: PDFKit.Mixins.TextOptions = {}) {
  doc.text(toWinAnsi(text), x, doc.y, { width, ...options });
}

function photoOf(identity: CvPdfIdentity): Buffer | null {
  if (!identity.photo || identity.photo.length === 0) return null;
  return Buffer.from(identity.photo);
}

/** Draws the photo; a photo pdfkit cannot read is left out rather than failing the CV. */
function drawPhoto(doc: Doc, photo: Buffer | null, x: number, y: number, size: number): boolean {
  if (!photo) return false;
  try {
    doc.image(photo, x, y, { fit: [size, size], align: 'center', valign: 'center' });
    return true;
  } catch {
    return false;
  }
}

function fullName(identity: CvPdfIdentity): string {
  return `${identity.firstName} ${identity.lastName}`.trim();
}

function contactLines(identity: CvPdfIdentity): string[] {
  return [identity.email, identity.phone].filter((s) => s.trim());
}

/** One section in a column: heading, then its entries, items or text. */
function drawSection(
  doc: Doc,
  theme: Theme,
  section: CvPdfSection,
  x: number,
  width: number,
  style: 'rule' | 'band' | 'compact',
): void {
  const size = theme.base;
  keepSpace(doc, size * 6);
  doc.moveDown(style === 'compact' ? 0.4 : 0.8);
  doc
    .font(theme.bold)
    .fontSize(size + (style === 'compact' ? 2 : 3))
    .fillColor(theme.accent);
  write(doc, style === 'band' ? section.title.toUpperCase() : section.title, x, width);
  if (style !== 'compact') {
    const y = doc.y + 2;
    doc
      .moveTo(x, y)
      .lineTo(x + width, y)
      .lineWidth(style === 'band' ? 1.5 : 0.75)
      .strokeColor(theme.accent)
      .stroke();
    doc.y = y + 4;
  } else doc.moveDown(0.15);

  doc.fillColor(theme.text).font(theme.regular).fontSize(size);
  if (section.text) write(doc, section.text, x, width, { align: 'left' });
  const dateWidth = style === 'compact' ? 95 : 0;
  for (const entry of section.entries ?? []) {
    keepSpace(doc, size * 4);
    doc.moveDown(style === 'compact' ? 0.25 : 0.45);
    const top = doc.y;
    if (style === 'compact') {
      doc.font(theme.regular).fillColor(theme.muted).fontSize(size);
      write(doc, entry.dates, x, dateWidth - 6);
      const afterDates = doc.y;
      doc.y = top;
      doc.font(theme.bold).fillColor(theme.text);
      write(
        doc,
        [entry.heading, entry.subheading].filter(Boolean).join(' — '),
        x + dateWidth,
        width - dateWidth,
      );
      if (entry.body.trim()) {
        doc.font(theme.regular);
        write(doc, entry.body, x + dateWidth, width - dateWidth);
      }
      if (doc.y < afterDates) doc.y = afterDates;
      continue;
    }
    doc
      .font(theme.bold)
      .fillColor(theme.text)
      .fontSize(size + 1);
    write(doc, entry.heading, x, width);
    const meta = [entry.subheading, entry.dates].filter(Boolean).join(' — ');
    if (meta) {
      doc.font(theme.italic).fillColor(theme.muted).fontSize(size);
      write(doc, meta, x, width);
    }
    if (entry.body.trim()) {
      doc.font(theme.regular).fillColor(theme.text).fontSize(size);
      doc.moveDown(0.15);
      write(doc, entry.body, x, width);
    }
  }
  if (section.items?.length) {
    doc.moveDown(0.3);
    if (style === 'compact' || section.key === 'permis') {
      const line = section.items.map((i) => (i.detail ? `${i.label} (${i.detail})` : i.label)).join(' • ');
      write(doc, line, x, width);
    } else
      for (const item of section.items) {
        keepSpace(doc, size * 2);
        write(doc, item.detail ? `• ${item.label} : ${item.detail}` : `• ${item.label}`, x, width);
      }
  }
}

function drawClassique(doc: Doc, cv: CandidateCv, identity: CvPdfIdentity, order: CvPdfOrder): void {
  const theme = THEMES.classique;
  const x = PAGE_MARGIN;
  const width = doc.page.width - 2 * PAGE_MARGIN;
  const photo = photoOf(identity);
  const photoSize = 72;
  if (drawPhoto(doc, photo, doc.page.width - PAGE_MARGIN - photoSize, PAGE_MARGIN, photoSize)) {
    // the header is centred between the margins; the photo sits in the top right corner
  }
  const headerWidth = photo ? width - 2 * (photoSize + 8) : width;
  const headerX = photo ? x + photoSize + 8 : x;
  doc.y = PAGE_MARGIN;
  doc.font(theme.bold).fontSize(22).fillColor(theme.accent);
  write(doc, fullName(identity), headerX, headerWidth, { align: 'center' });
  doc.font(theme.regular).fontSize(14).fillColor(theme.text);
  write(doc, cv.title, headerX, headerWidth, { align: 'center' });
  doc.fontSize(theme.base).fillColor(theme.muted);
  const contact = contactLines(identity).join(' — ');
  if (contact) write(doc, contact, headerX, headerWidth, { align: 'center' });
  for (const d of identity.details ?? []) write(doc, d, headerX, headerWidth, { align: 'center' });
  const target = targetLine(cv);
  if (target) write(doc, target, headerX, headerWidth, { align: 'center' });
  if (photo) doc.y = Math.max(doc.y, PAGE_MARGIN + photoSize);
  doc.moveDown(0.5);
  for (const section of cvSections(cv, order)) drawSection(doc, theme, section, x, width, 'rule');
  if (identity.strengths?.trim())
    drawSection(
      doc,
      theme,
      { key: 'accroche', title: 'Mes atouts', text: identity.strengths },
      x,
      width,
      'rule',
    );
}

function drawCompact(doc: Doc, cv: CandidateCv, identity: CvPdfIdentity, order: CvPdfOrder): void {
  const theme = THEMES.compact;
  const x = PAGE_MARGIN;
  const width = doc.page.width - 2 * PAGE_MARGIN;
  const photo = photoOf(identity);
  const photoSize = 54;
  const hasPhoto = drawPhoto(doc, photo, doc.page.width - PAGE_MARGIN - photoSize, PAGE_MARGIN, photoSize);
  const textWidth = hasPhoto ? width - photoSize - 10 : width;
  doc.y = PAGE_MARGIN;
  doc.font(theme.bold).fontSize(16).fillColor(theme.accent);
  write(doc, fullName(identity), x, textWidth);
  doc.font(theme.bold).fontSize(11).fillColor(theme.text);
  write(doc, cv.title, x, textWidth);
  doc.font(theme.regular).fontSize(theme.base).fillColor(theme.muted);
  const line = [...contactLines(identity), ...(identity.details ?? [])].join(' — ');
  if (line) write(doc, line, x, textWidth);
  const target = targetLine(cv);
  if (target) write(doc, target, x, textWidth);
  if (hasPhoto) doc.y = Math.max(doc.y, PAGE_MARGIN + photoSize);
  for (const section of cvSections(cv, order)) drawSection(doc, theme, section, x, width, 'compact');
  if (identity.strengths?.trim())
    drawSection(
      doc,
      theme,
      { key: 'accroche', title: 'Mes atouts', text: identity.strengths },
      x,
      width,
      'compact',
    );
}

const SIDE_WIDTH = 170;
const SIDE_PAD = 16;

function drawModerne(doc: Doc, cv: CandidateCv, identity: CvPdfIdentity, order: CvPdfOrder): void {
  const theme = THEMES.moderne;
  const paintSide = () => {
    doc.save();
    doc.rect(0, 0, SIDE_WIDTH, doc.page.height).fill('#e4eef2');
    doc.restore();
    doc.fillColor(theme.text);
  };
  paintSide();
  doc.on('pageAdded', paintSide);

  const sections = cvSections(cv, order);
  const sideKeys: CvSectionKey[] = ['competences', 'langues', 'permis'];
  const mainX = SIDE_WIDTH + 24;
  const mainWidth = doc.page.width - mainX - PAGE_MARGIN + 12;

  // Main column first: pdfkit adds pages as the text flows.
  doc.y = PAGE_MARGIN;
  doc.font(theme.bold).fontSize(22).fillColor(theme.accent);
  write(doc, fullName(identity), mainX, mainWidth);
  doc.font(theme.regular).fontSize(14).fillColor(theme.text);
  write(doc, cv.title, mainX, mainWidth);
  const target = targetLine(cv);
  if (target) {
    doc.fontSize(theme.base).fillColor(theme.muted);
    write(doc, target, mainX, mainWidth);
  }
  for (const section of sections.filter((s) => !sideKeys.includes(s.key)))
    drawSection(doc, theme, section, mainX, mainWidth, 'band');
  if (identity.strengths?.trim())
    drawSection(
      doc,
      theme,
      { key: 'accroche', title: 'Mes atouts', text: identity.strengths },
      mainX,
      mainWidth,
      'band',
    );

  // Then the side column, from the first page on, moving to the next page when it is full.
  const range = doc.bufferedPageRange();
  let page = range.start;
  doc.switchToPage(page);
  const sideX = SIDE_PAD;
  const sideWidth = SIDE_WIDTH - 2 * SIDE_PAD;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (height: number) => {
    if (doc.y + height <= bottom()) return;
    page++;
    if (page < doc.bufferedPageRange().start + doc.bufferedPageRange().count) doc.switchToPage(page);
    else doc.addPage();
    doc.y = PAGE_MARGIN;
  };
  doc.y = PAGE_MARGIN;
  const photoSize = sideWidth;
  if (drawPhoto(doc, photoOf(identity), sideX, PAGE_MARGIN, photoSize)) doc.y = PAGE_MARGIN + photoSize + 12;
  const sideBlock = (title: string, lines: { text: string; level?: number }[]) => {
    if (lines.length === 0) return;
    ensure(theme.base * 5);
    doc.moveDown(0.6);
    doc
      .font(theme.bold)
      .fontSize(theme.base + 1)
      .fillColor(theme.accent);
    write(doc, title.toUpperCase(), sideX, sideWidth);
    doc.moveDown(0.2);
    doc
      .font(theme.regular)
      .fontSize(theme.base - 0.5)
      .fillColor(theme.text);
    for (const line of lines) {
      const text = toWinAnsi(line.text);
      ensure(doc.heightOfString(text, { width: sideWidth }) + (line.level ? 10 : 2));
      write(doc, line.text, sideX, sideWidth);
      if (line.level) {
        // The level as five dots, filled up to it (the text says it too: never the dots alone).
        const y = doc.y + 3;
        for (let i = 0; i < 5; i++) {
          doc
            .circle(sideX + 4 + i * 11, y, 3.2)
            .lineWidth(0.8)
            .strokeColor(theme.accent);
          if (i < line.level) doc.fillAndStroke(theme.accent, theme.accent);
          else doc.stroke();
        }
        doc.fillColor(theme.text);
        doc.y = y + 7;
      }
      doc.moveDown(0.15);
    }
  };
  sideBlock('Contact', [
    ...contactLines(identity).map((text) => ({ text })),
    ...(identity.details ?? []).map((text) => ({ text })),
  ]);
  for (const section of sections.filter((s) => sideKeys.includes(s.key)))
    sideBlock(
      section.title,
      (section.items ?? []).map((i) => ({
        text: i.detail ? `${i.label} : ${i.detail}` : i.label,
        ...(i.level ? { level: i.level } : {}),
      })),
    );
  doc.removeListener('pageAdded', paintSide);
}

/** The CV as PDF bytes. */
export async function renderCvPdf(
  cv: CandidateCv,
  identity: CvPdfIdentity,
  options: CvPdfOptions = DEFAULT_CV_PDF_OPTIONS,
): Promise<Buffer> {
  // Loaded with the first CV made, not at each start of the server (0.3 s).
  const PDFDocument: typeof PDFDocumentClass = (await import('pdfkit')).default;
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    bufferPages: true,
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: toWinAnsi(`CV de ${fullName(identity)} : ${cv.title}`),
      Author: toWinAnsi(fullName(identity)),
      Subject: toWinAnsi(cv.title),
      Creator: 'Emploi Territoires',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    if (options.layout === 'moderne') drawModerne(doc, cv, identity, options.order);
    else if (options.layout === 'compact') drawCompact(doc, cv, identity, options.order);
    else drawClassique(doc, cv, identity, options.order);
    // Page numbers, once every page exists.
    const range = doc.bufferedPageRange();
    if (range.count > 1)
      for (let i = 0; i < range.count; i++) {
        doc.switchToPage(range.start + i);
        const theme = THEMES[options.layout];
        const bottomMargin = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        doc
          .font(theme.regular)
          .fontSize(8)
          .fillColor(theme.muted)
          .text(`Page ${i + 1} / ${range.count}`, PAGE_MARGIN, doc.page.height - 30, {
            width: doc.page.width - 2 * PAGE_MARGIN,
            align: 'right',
            lineBreak: false,
          });
        doc.page.margins.bottom = bottomMargin;
      }
    doc.flushPages();
    doc.end();
  } catch (error) {
    doc.end();
    return Promise.reject(error);
  }
  return done;
}
