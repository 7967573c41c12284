/**
 * For the tests of the CV PDF: a complete CV (accents, apostrophes, guillemets on purpose) and the
 * text of a PDF as a reader extracts it (pdfjs). Imported by tests only.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { CandidateCv } from '../../../shared/domain/cv';

const require = createRequire(import.meta.url);
const STANDARD_FONTS = `${join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

function open(bytes: Uint8Array) {
  return getDocument({ data: new Uint8Array(bytes), standardFontDataUrl: STANDARD_FONTS, verbosity: 0 });
}

/** The text of each page of a PDF. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const task = open(bytes);
  const pdf = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .replace(/[ \t]+/g, ' '),
    );
  }
  await task.destroy();
  return pages;
}

/** Images painted on the first page. */
export async function pdfImageCount(bytes: Uint8Array): Promise<number> {
  const task = open(bytes);
  const pdf = await task.promise;
  const ops = await (await pdf.getPage(1)).getOperatorList();
  await task.destroy();
  return ops.fnArray.filter((op) => op === OPS.paintImageXObject).length;
}

export function sampleCv(overrides: Partial<CandidateCv> = {}): CandidateCv {
  return {
    id: '0a0c0000-0000-4000-8000-00000000c001',
    express: false,
    status: 'publie',
    title: 'Boulanger pâtissier',
    target: {
      appellationCode: '11573',
      appellationLabel: 'Boulanger / Boulangère',
      romeCode: 'D1102',
      workplaces: [{ communeCode: '69123', communeName: 'Lyon' }],
      contractTypes: ['CDI', 'CDD'],
      workingTimes: ['temps_plein'],
    },
    summary: 'Boulanger passionné, spécialiste des pains au levain et des viennoiseries « maison ».',
    experiences: [
      {
        id: 'e1',
        company: 'Boulangerie Ça & Là',
        jobTitle: 'Chef de fournil',
        start: '2019-03',
        end: null,
        description: 'Pétrissage, façonnage, cuisson ; gestion d’une équipe de trois personnes.',
      },
      {
        id: 'e2',
        company: 'Maison Dupré',
        jobTitle: 'Commis boulanger',
        start: '2015-09',
        end: '2019-02',
        description: 'Préparation des pâtes, œufs et crèmes.',
      },
    ],
    diplomas: [
      {
        id: 'd1',
        title: 'CAP Boulanger',
        date: '2015-06',
        description: 'Lycée des métiers de l’alimentation.',
      },
    ],
    skills: [
      { id: 's1', label: 'Viennoiserie', level: 5 },
      { id: 's2', label: 'Hygiène alimentaire', level: 3 },
    ],
    languages: [{ id: 'l1', language: 'Anglais', level: 'courant' }],
    licences: ['B'],
    file: null,
    publication: { cvtheque: true, anonymous: false, showContact: true, advisorsMayShare: false },
    completeness: 100,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    publishedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
