/**
 * The actions of one CV (seed 002): « Mise en page » (three models, expérience or formation first),
 * « Visualiser / Imprimer » (download the PDF), « Envoyer par courriel » (recipient, copies,
 * subject, message) and « Rechercher des offres pour ce CV ». The CV editor and the CV list render
 * `<CvPdfActions cvId={…} />`.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError, apiRequest } from '../../api';
import { ErrorSummary, TextField } from './CvPdfFields';
import { CvMatchingOffers } from './CvPdfMatchingOffers';
import './folders.css';

export const CV_PDF_LAYOUTS = [
  { value: 'classique', label: 'Classique', hint: 'Une colonne, titres soulignés : le plus sobre.' },
  {
    value: 'moderne',
    label: 'Moderne',
    hint: 'Une colonne latérale en couleur pour la photo, le contact et les compétences.',
  },
  {
    value: 'compact',
    label: 'Compact',
    hint: 'Petits caractères et dates en marge : le plus d’informations sur une page.',
  },
] as const;
export type CvPdfLayout = (typeof CV_PDF_LAYOUTS)[number]['value'];

export const CV_PDF_ORDERS = [
  { value: 'experience', label: 'Expérience en premier' },
  { value: 'formation', label: 'Formation en premier' },
] as const;
export type CvPdfOrder = (typeof CV_PDF_ORDERS)[number]['value'];

export function cvPdfHref(cvId: string, layout: CvPdfLayout, order: CvPdfOrder): string {
  return `/api/candidate/cvs/${encodeURIComponent(cvId)}/pdf?mise-en-page=${layout}&ordre=${order}`;
}

interface SendAnswer {
  to: string;
  cc: string[];
  filename: string;
  left: number;
}

function SendForm({
  cvId,
  layout,
  order,
  prefix,
  headingLevel,
  onDone,
}: {
  cvId: string;
  layout: CvPdfLayout;
  order: CvPdfOrder;
  prefix: string;
  headingLevel: 3 | 4;
  onDone: (answer: SendAnswer) => void;
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  const [to, setTo] = useState('');
  const [cc, setCc] = useState('');
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await apiRequest<SendAnswer>(
        'POST',
        `/api/candidate/cvs/${encodeURIComponent(cvId)}/send`,
        {
          to,
          cc,
          subject,
          message,
          layout,
          order,
        },
      );
      onDone(answer);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, undefined, 'L’envoi a échoué. Réessayez.'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={submit} aria-labelledby={`${prefix}-titre-envoi`}>
      <Heading id={`${prefix}-titre-envoi`}>Envoyer mon CV par courriel</Heading>
      <p className="field__hint">
        Le CV part en pièce jointe (PDF, mise en page choisie ci-dessus), suivi de vos coordonnées ; les
        réponses vous arrivent directement. Les champs marqués d’un astérisque (*) sont obligatoires.
      </p>
      <ErrorSummary prefix={prefix} error={error} />
      <TextField
        prefix={prefix}
        field="to"
        label="Destinataire (adresse e-mail)"
        type="email"
        autoComplete="email"
        required
        error={error}
        value={to}
        onChange={setTo}
      />
      <TextField
        prefix={prefix}
        field="cc"
        label="Copie à (facultatif)"
        hint="Jusqu’à 5 adresses, séparées par des virgules."
        error={error}
        value={cc}
        onChange={setCc}
      />
      <TextField
        prefix={prefix}
        field="subject"
        label="Objet"
        hint="Par exemple la référence de l’offre."
        required
        maxLength={200}
        error={error}
        value={subject}
        onChange={setSubject}
      />
      <TextField
        prefix={prefix}
        field="message"
        label="Message"
        hint="Le texte d’accompagnement, par exemple votre lettre de motivation."
        multiline
        required
        maxLength={5000}
        error={error}
        value={message}
        onChange={setMessage}
      />
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy} aria-disabled={busy}>
          {busy ? 'Envoi…' : 'Envoyer'}
        </button>
      </div>
    </form>
  );
}

/** Layout and order pickers, download, send by e-mail and the matching offers of one CV. */
export function CvPdfActions({ cvId, headingLevel = 2 }: { cvId: string; headingLevel?: 2 | 3 }) {
  const prefix = `cv-pdf-${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const [layout, setLayout] = useState<CvPdfLayout>('classique');
  const [order, setOrder] = useState<CvPdfOrder>('experience');
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<SendAnswer | null>(null);
  const [matching, setMatching] = useState(false);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <section className="panel cv-pdf" aria-labelledby={`${prefix}-titre`}>
      <Heading id={`${prefix}-titre`}>Mise en page, impression et envoi</Heading>
      <div className="cv-pdf__choices">
        <fieldset className="cv-pdf__group">
          <legend>Agencer les informations de mon CV</legend>
          {CV_PDF_ORDERS.map((o) => (
            <div className="choice" key={o.value}>
              <input
                type="radio"
                id={`${prefix}-ordre-${o.value}`}
                name={`${prefix}-ordre`}
                value={o.value}
                checked={order === o.value}
                onChange={() => setOrder(o.value)}
              />
              <label htmlFor={`${prefix}-ordre-${o.value}`}>{o.label}</label>
            </div>
          ))}
        </fieldset>
        <fieldset className="cv-pdf__group">
          <legend>Sélectionner un modèle</legend>
          {CV_PDF_LAYOUTS.map((l) => (
            <div className="choice" key={l.value}>
              <input
                type="radio"
                id={`${prefix}-modele-${l.value}`}
                name={`${prefix}-modele`}
                value={l.value}
                checked={layout === l.value}
                onChange={() => setLayout(l.value)}
                aria-describedby={`${prefix}-modele-${l.value}-aide`}
              />
              <span>
                <label htmlFor={`${prefix}-modele-${l.value}`}>{l.label}</label>
                <span className="field__hint cv-pdf__hint" id={`${prefix}-modele-${l.value}-aide`}>
                  {l.hint}
                </span>
              </span>
            </div>
          ))}
        </fieldset>
      </div>
      <div className="form__actions">
        <a className="button" href={cvPdfHref(cvId, layout, order)} download>
          Télécharger le PDF
          <span className="visually-hidden"> de mon CV (s’ouvre ou s’enregistre selon votre navigateur)</span>
        </a>
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={sending}
          aria-controls={`${prefix}-envoi`}
          onClick={() => {
            setSending((s) => !s);
            setSent(null);
          }}
        >
          Envoyer par courriel
        </button>
        <button
          type="button"
          className="button button--secondary"
          aria-expanded={matching}
          aria-controls={`${prefix}-offres`}
          onClick={() => setMatching((m) => !m)}
        >
          Rechercher des offres pour ce CV
        </button>
      </div>
      <div id={`${prefix}-envoi`} hidden={!sending && !sent}>
        {sent ? (
          <div className="notice notice--success" role="status">
            <p>
              Votre CV a été envoyé à {sent.to}
              {sent.cc.length > 0 ? ` (copie à ${sent.cc.join(', ')})` : ''}. Il vous reste {sent.left} envoi
              {sent.left > 1 ? 's' : ''} possible{sent.left > 1 ? 's' : ''} aujourd’hui.
            </p>
          </div>
        ) : sending ? (
          <SendForm
            cvId={cvId}
            layout={layout}
            order={order}
            prefix={`${prefix}-envoi`}
            headingLevel={headingLevel === 2 ? 3 : 4}
            onDone={(answer) => {
              setSent(answer);
              setSending(false);
            }}
          />
        ) : null}
      </div>
      <div id={`${prefix}-offres`} hidden={!matching}>
        {matching && <CvMatchingOffers cvId={cvId} headingLevel={headingLevel === 2 ? 3 : 4} />}
      </div>
    </section>
  );
}
