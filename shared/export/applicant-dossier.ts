/**
 * The applicant's PDF dossier (issue 6 « Exports »: « a PDF dossier of one applicant (CV,
 * evaluations, history) »), made offline in the workstation: the person, the offer, the status,
 * the CV as it was sent, the cover message, every recruiter's evaluation and the status history.
 * Every page says « Document confidentiel – données personnelles ».
 */
import { APPLICATION_SOURCE_LABELS, CIVILITY_LABELS } from '../domain/application';
import {
  DRIVING_LICENCE_LABELS,
  type DrivingLicence,
  formatCvMonth,
  LANGUAGE_LEVEL_LABELS,
  type LanguageLevel,
  SKILL_LEVEL_LABELS,
} from '../domain/cv';
import type { ApplicationDoc } from '../schemas/application.schema';
import type { EvaluationDoc } from '../schemas/evaluation.schema';
import { formatParisDate, formatParisDateTime } from './csv';
import { PdfWriter, type TextOptions } from './pdf-writer';

export interface ApplicantDossierInput {
  application: ApplicationDoc;
  /** Everyone's evaluations (those of other subjects are ignored). */
  evaluations: readonly EvaluationDoc[];
  offerTitle?: string;
  organisationName: string;
  /** The recruiter's label of a status (APPLICATION_STATUS_RECRUITER_LABELS). */
  statusLabel: (status: string) => string;
  generatedAt: Date;
  generatedBy: string;
}

export const DOSSIER_FOOTER = 'Document confidentiel – données personnelles';

const at = (iso: string | undefined | null) => (iso ? formatParisDateTime(new Date(iso)) : '');

function applicantName(app: ApplicationDoc): string {
  const a = app.applicant;
  if (!a) return 'Candidat sans nom';
  return (
    [a.firstName, a.lastName?.toLocaleUpperCase('fr')].filter(Boolean).join(' ').trim() || 'Candidat sans nom'
  );
}

function experiencePeriod(start: string | undefined, end: string | null | undefined): string {
  if (!start) return end ? `jusqu’en ${formatCvMonth(end)}` : '';
  return end ? `de ${formatCvMonth(start)} à ${formatCvMonth(end)}` : `depuis ${formatCvMonth(start)}`;
}

/** The evaluations of this application that say something (a rating, a note or a tag), by author. */
export function evaluationsOf(applicationId: string, evaluations: readonly EvaluationDoc[]): EvaluationDoc[] {
  return evaluations
    .filter(
      (e) =>
        e.subjectKind === 'application' &&
        e.subjectId === applicationId &&
        (e.rating !== undefined || e.notes.length > 0 || e.tags.length > 0),
    )
    .sort((a, b) => a.authorName.localeCompare(b.authorName, 'fr') || (a.id < b.id ? -1 : 1));
}

/** What the dossier is written with: the PDF writer, or the recorder of blocks for printing. */
export interface DossierSink {
  heading(text: string, level?: 1 | 2 | 3): void;
  paragraph(text: string, options?: TextOptions): void;
  listItem(text: string, options?: TextOptions): void;
  keyValue(key: string, value: string, keyWidth?: number): void;
  rule(): void;
  space(points: number): void;
  ensure(height: number): void;
}

/** One block of the dossier, as the workstation prints it (« Imprimer le dossier »). */
export type DossierBlock =
  | { kind: 'heading'; text: string; level: 1 | 2 | 3 }
  | { kind: 'paragraph'; text: string; strong: boolean; small: boolean; muted: boolean }
  | { kind: 'item'; text: string; strong: boolean }
  | { kind: 'field'; key: string; value: string }
  | { kind: 'rule' };

export function applicantDossierPdf(input: ApplicantDossierInput): Uint8Array {
  const pdf = new PdfWriter({
    info: {
      title: `Dossier de candidature – ${applicantName(input.application)}`,
      author: input.generatedBy,
      subject: input.organisationName,
      creationDate: input.generatedAt,
    },
    footer: DOSSIER_FOOTER,
  });
  writeApplicantDossier(input, pdf);
  return pdf.toBytes();
}

/** The same dossier as blocks, for printing (same content as the PDF, by construction). */
export function applicantDossierBlocks(input: ApplicantDossierInput): DossierBlock[] {
  const blocks: DossierBlock[] = [];
  writeApplicantDossier(input, {
    heading: (text, level = 1) => blocks.push({ kind: 'heading', text, level }),
    paragraph: (text, o = {}) =>
      blocks.push({
        kind: 'paragraph',
        text,
        strong: o.font === 'bold',
        small: (o.size ?? 10) < 10,
        muted: (o.gray ?? 0) > 0,
      }),
    listItem: (text, o = {}) => blocks.push({ kind: 'item', text, strong: o.font === 'bold' }),
    keyValue: (key, value) => blocks.push({ kind: 'field', key, value }),
    rule: () => blocks.push({ kind: 'rule' }),
    space: () => {},
    ensure: () => {},
  });
  return blocks;
}

function writeApplicantDossier(input: ApplicantDossierInput, pdf: DossierSink): void {
  const app = input.application;
  const name = applicantName(app);

  pdf.heading('Dossier de candidature', 1);
  pdf.paragraph(name, { font: 'bold', size: 13, after: 2 });
  pdf.paragraph(
    `${input.organisationName} – généré le ${formatParisDateTime(input.generatedAt)} par ${input.generatedBy}`,
    { size: 9, gray: 0.35, after: 4 },
  );
  pdf.rule();

  // The person.
  pdf.heading('Candidat', 2);
  const a = app.applicant;
  const kv = (key: string, value: string | undefined | null) => {
    if (value?.trim()) pdf.keyValue(key, value);
  };
  if (a) {
    kv('Civilité', a.civility ? CIVILITY_LABELS[a.civility] : '');
    kv('Nom', a.lastName);
    kv('Prénom', a.firstName);
    kv('E-mail', a.email);
    kv('Téléphone', a.phone);
    kv('Emploi recherché', a.jobSought);
    if (a.consent) kv('Consentement recueilli le', at(a.consent.at));
  } else pdf.paragraph('Identité non communiquée.');

  // The application.
  pdf.heading('Candidature', 2);
  const offer = input.offerTitle ?? app.offer?.title;
  kv('Offre', offer ?? (app.offerId ? '' : 'Candidature spontanée'));
  if (app.offer) {
    kv('N° d’offre', app.offer.number);
    kv('Entreprise', app.offer.companyName);
    kv('Lieu', [app.offer.postalCode, app.offer.city].filter(Boolean).join(' '));
  }
  kv('Source', APPLICATION_SOURCE_LABELS[app.source] ?? app.source);
  if (app.capturedByName) kv('Saisie par', app.capturedByName);
  kv('Reçue le', at(app.createdAt));
  kv('Dernière mise à jour', at(app.updatedAt));
  kv('Statut', input.statusLabel(app.status));
  kv('Motif de refus', app.refusalReason);
  if (app.refusalReason) kv('Motif visible du candidat', app.refusalVisible ? 'Oui' : 'Non');
  kv('Message de refus', app.refusalMessage);
  kv('Motif du retrait', app.withdrawalReason);
  if (app.duplicateOf && !app.mergedInto) kv('Doublon possible', 'Oui (à vérifier)');
  if (app.mergedInto) kv('Fusionnée', 'Oui, dans une autre candidature');
  if (app.cvFile) kv('CV joint', 'Fichier joint à la candidature (non reproduit ici)');
  if (app.letterFile) kv('Lettre jointe', 'Fichier joint à la candidature (non reproduit ici)');
  kv('Vidéo', app.videoUrl);
  if (a?.consent?.text) {
    pdf.paragraph(`Consentement : « ${a.consent.text} »`, { size: 8.5, gray: 0.3, after: 4 });
  }

  // The CV as it was sent.
  pdf.heading('CV', 2);
  const cv = app.cv;
  if (!cv) pdf.paragraph('Aucun CV saisi avec la candidature.', { gray: 0.3 });
  else {
    if (cv.title) pdf.paragraph(cv.title, { font: 'bold', size: 11, after: 2 });
    if (cv.appellationLabel)
      pdf.paragraph(`Métier : ${cv.appellationLabel}${cv.romeCode ? ` (${cv.romeCode})` : ''}`);
    if (cv.summary) pdf.paragraph(cv.summary, { after: 4 });
    if (cv.experiences?.length) {
      pdf.heading('Expériences', 3);
      for (const e of cv.experiences) {
        const head = [e.jobTitle, e.company].filter(Boolean).join(' – ');
        const period = experiencePeriod(e.start, e.end);
        pdf.listItem(period ? `${head} (${period})` : head, { font: 'bold', after: 1 });
        if (e.description) pdf.paragraph(e.description, { indent: 12, after: 4 });
      }
    }
    if (cv.diplomas?.length) {
      pdf.heading('Diplômes et formations', 3);
      for (const d of cv.diplomas) {
        const date = d.date ? ` (${formatCvMonth(d.date)})` : '';
        pdf.listItem(`${d.title ?? ''}${date}`, { font: 'bold', after: 1 });
        if (d.description) pdf.paragraph(d.description, { indent: 12, after: 4 });
      }
    }
    if (cv.skills?.length) {
      pdf.heading('Compétences', 3);
      for (const s of cv.skills) {
        const level =
          typeof s.level === 'number' ? ` : ${SKILL_LEVEL_LABELS[s.level - 1] ?? ''} (${s.level}/5)` : '';
        pdf.listItem(`${s.label ?? ''}${level}`);
      }
    }
    if (cv.languages?.length) {
      pdf.heading('Langues', 3);
      for (const l of cv.languages) {
        const level = l.level ? (LANGUAGE_LEVEL_LABELS[l.level as LanguageLevel] ?? l.level) : '';
        pdf.listItem(level ? `${l.language ?? ''} : ${level}` : (l.language ?? ''));
      }
    }
    if (cv.licences?.length) {
      pdf.heading('Permis de conduire', 3);
      pdf.paragraph(cv.licences.map((l) => DRIVING_LICENCE_LABELS[l as DrivingLicence] ?? l).join(', '));
    }
  }

  // The candidate's message.
  pdf.heading('Message du candidat', 2);
  if (app.message?.trim()) pdf.paragraph(app.message);
  else pdf.paragraph('Aucun message.', { gray: 0.3 });

  // Everyone's evaluations.
  pdf.heading('Évaluations', 2);
  const evaluations = evaluationsOf(app.id, input.evaluations);
  if (evaluations.length === 0) pdf.paragraph('Aucune évaluation.', { gray: 0.3 });
  for (const e of evaluations) {
    pdf.heading(e.authorName || 'Recruteur', 3);
    if (e.rating !== undefined)
      pdf.keyValue('Note', `${e.rating}/5${e.ratedAt ? ` (le ${at(e.ratedAt)})` : ''}`, 90);
    if (e.tags.length) pdf.keyValue('Étiquettes', e.tags.join(', '), 90);
    if (e.notes.length) {
      pdf.ensure(3 * 13.5); // the label with its first note
      pdf.keyValue('Notes', '', 90);
      const notes = [...e.notes].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
      for (const n of notes) pdf.listItem(`${at(n.at)} – ${n.text}`, { indent: 6 });
    }
  }

  // The status history.
  pdf.heading('Historique', 2);
  const history = [...app.history].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  if (history.length === 0) pdf.paragraph('Aucun changement enregistré.', { gray: 0.3 });
  for (const h of history) {
    const move = h.from
      ? `${input.statusLabel(h.from)} → ${input.statusLabel(h.to)}`
      : `Création : ${input.statusLabel(h.to)}`;
    const by = h.byName ? ` – par ${h.byName}` : '';
    pdf.listItem(`${at(h.at)} – ${move}${by}`);
  }

  pdf.space(8);
  pdf.paragraph(
    `Dossier établi le ${formatParisDate(input.generatedAt)} à partir des données du poste de travail. ` +
      'Ces données personnelles ne peuvent être utilisées que pour le traitement de cette candidature.',
    { size: 8, gray: 0.35 },
  );
}
