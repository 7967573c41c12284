import { describe, expect, it } from 'vitest';
import { makePng, sampleJpeg } from '../files/sample-files';
import {
  CV_PDF_LAYOUTS,
  CV_SECTION_TITLES,
  type CvPdfIdentity,
  cvPdfFileName,
  cvSections,
  renderCvPdf,
  toWinAnsi,
} from './cv-pdf';
import { pdfImageCount as imageCount, pdfPages, sampleCv } from './cv-pdf-sample';

const identity: CvPdfIdentity = {
  firstName: 'Thomas',
  lastName: 'Garcia',
  email: 'candidat@demo.test',
  phone: '06 12 34 56 78',
  details: ['Disponibilité : immédiate'],
};

const flat = (pages: string[]) => pages.join('\n').replace(/\s+/g, ' ');

describe('toWinAnsi', () => {
  it('keeps French text and maps what the standard fonts lack', () => {
    expect(toWinAnsi('é è à ç ô œ Œ ’ € — …')).toBe('é è à ç ô œ Œ ’ € — …');
    // No line break inside guillemets.
    expect(toWinAnsi('« maison »')).toBe('«\u00a0maison\u00a0»');
    expect(toWinAnsi('Ștefan Łukasz ≥ 3 ★ 😀')).toBe('Stefan Lukasz >= 3 * ');
    expect(toWinAnsi('日本')).toBe('??');
    expect(toWinAnsi('a\tb\r\nc')).toBe('a b\nc');
  });
});

describe('cvPdfFileName', () => {
  it('is plain ASCII', () => {
    expect(cvPdfFileName({ firstName: 'Zoé', lastName: 'Lefèvre-Œuvrard' })).toBe(
      'CV-Zoe-Lefevre-OEuvrard.pdf',
    );
    expect(cvPdfFileName({ firstName: '', lastName: '' })).toBe('CV-candidat.pdf');
  });
});

describe('cvSections', () => {
  it('puts experience or training first, as chosen, and leaves empty sections out', () => {
    const cv = sampleCv();
    expect(cvSections(cv, 'experience').map((s) => s.key)).toEqual([
      'accroche',
      'experience',
      'formation',
      'competences',
      'langues',
      'permis',
    ]);
    expect(
      cvSections(cv, 'formation')
        .map((s) => s.key)
        .slice(0, 3),
    ).toEqual(['accroche', 'formation', 'experience']);
    expect(
      cvSections(sampleCv({ summary: '', skills: [], licences: [] }), 'experience').map((s) => s.key),
    ).toEqual(['experience', 'formation', 'langues']);
  });

  it('lists the current experience first', () => {
    const cv = sampleCv();
    cv.experiences.reverse();
    expect(cvSections(cv, 'experience')[1]?.entries?.map((e) => e.heading)).toEqual([
      'Chef de fournil',
      'Commis boulanger',
    ]);
  });
});

describe('renderCvPdf', () => {
  for (const layout of CV_PDF_LAYOUTS) {
    it(`${layout}: sections in the chosen order, French text intact`, async () => {
      for (const order of ['experience', 'formation'] as const) {
        const bytes = await renderCvPdf(sampleCv(), identity, { layout, order });
        expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        const text = flat(await pdfPages(bytes));
        for (const expected of [
          'Thomas Garcia',
          'Boulanger pâtissier',
          'candidat@demo.test',
          '06 12 34 56 78',
          'Boulangerie Ça & Là',
          'gestion d’une équipe',
          'œufs et crèmes',
          '« maison »',
          'mars 2019 – aujourd’hui',
          'CAP Boulanger',
          'Viennoiserie',
          'Expert (5/5)',
          'Anglais',
          'Courant',
          'Disponibilité : immédiate',
        ])
          expect(text, `${layout}/${order}: ${expected}`).toContain(expected);
        const normalised = text.toLowerCase();
        const exp = normalised.indexOf(CV_SECTION_TITLES.experience.toLowerCase());
        const training = normalised.indexOf(CV_SECTION_TITLES.formation.toLowerCase());
        expect(exp).toBeGreaterThan(-1);
        expect(training).toBeGreaterThan(-1);
        if (order === 'experience') expect(exp).toBeLessThan(training);
        else expect(training).toBeLessThan(exp);
        // The accroche comes before both.
        expect(normalised.indexOf('boulanger passionné')).toBeLessThan(Math.min(exp, training));
      }
    });
  }

  it('flows a long CV onto further pages, numbered, with nothing lost', async () => {
    const experiences = Array.from({ length: 30 }, (_, i) => ({
      id: `e${i}`,
      company: `Entreprise numéro ${i}`,
      jobTitle: `Poste ${i}`,
      start: `${2000 + (i % 20)}-01`,
      end: `${2000 + (i % 20)}-12`,
      description: `Mission ${i} : ${'tâches variées et détaillées, '.repeat(12)}fin ${i}.`,
    }));
    const skills = Array.from({ length: 25 }, (_, i) => ({
      id: `s${i}`,
      label: `Compétence ${i}`,
      level: (i % 5) + 1,
    }));
    for (const layout of CV_PDF_LAYOUTS) {
      const pages = await pdfPages(
        await renderCvPdf(sampleCv({ experiences, skills }), identity, { layout, order: 'experience' }),
      );
      expect(pages.length, layout).toBeGreaterThan(1);
      const text = flat(pages);
      for (let i = 0; i < 30; i++) expect(text, `${layout}: fin ${i}`).toContain(`fin ${i}.`);
      for (let i = 0; i < 25; i++) expect(text, `${layout}: Compétence ${i}`).toContain(`Compétence ${i}`);
      expect(pages.at(-1)).toContain(`Page ${pages.length} / ${pages.length}`);
    }
  });

  it('shows the photo when there is one, and survives a photo it cannot read', async () => {
    for (const layout of CV_PDF_LAYOUTS) {
      const withJpeg = await renderCvPdf(
        sampleCv(),
        { ...identity, photo: sampleJpeg() },
        { layout, order: 'experience' },
      );
      expect(await imageCount(withJpeg), layout).toBe(1);
      const withPng = await renderCvPdf(
        sampleCv(),
        { ...identity, photo: makePng() },
        { layout, order: 'experience' },
      );
      expect(await imageCount(withPng), layout).toBe(1);
      const without = await renderCvPdf(sampleCv(), identity, { layout, order: 'experience' });
      expect(await imageCount(without), layout).toBe(0);
      const broken = await renderCvPdf(
        sampleCv(),
        { ...identity, photo: Buffer.from('pas une image') },
        { layout, order: 'experience' },
      );
      expect(flat(await pdfPages(broken))).toContain('Thomas Garcia');
    }
  });

  it('renders a nearly empty CV and text outside WinAnsi', async () => {
    const cv = sampleCv({
      title: 'Agent d’accueil – Ștefan 😀',
      target: null,
      summary: '',
      experiences: [],
      diplomas: [],
      skills: [],
      languages: [],
      licences: [],
    });
    for (const layout of CV_PDF_LAYOUTS) {
      const text = flat(
        await pdfPages(await renderCvPdf(cv, { ...identity, phone: '' }, { layout, order: 'formation' })),
      );
      expect(text).toContain('Agent d’accueil – Stefan');
      expect(text).not.toContain(CV_SECTION_TITLES.experience);
    }
  });
});
