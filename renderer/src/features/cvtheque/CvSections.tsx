import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import { formatDate } from '../../lib/format';
import { OriginBadge } from '../spouse/OriginBadge';
import {
  availabilityText,
  contractsText,
  cvCommune,
  cvDisplayName,
  formatMonth,
  languageText,
  licenceText,
  periodText,
  qualificationLabel,
  rqthText,
  skillStars,
} from './cvtheque-model';

/** A CV's identity line: never a name for an anonymous CV; contact only when the doc carries it. */
export function CvIdentity({ doc }: { doc: CvDoc }) {
  return (
    <div className="cv-identity">
      <p className="cv-identity__name" data-testid="cv-name">
        {cvDisplayName(doc)}
      </p>
      {doc.origin ? (
        <p>
          <OriginBadge doc={doc} long />
        </p>
      ) : null}
      {!doc.anonymous && (doc.email || doc.phone) ? (
        <ul className="cv-contact" aria-label="Coordonnées">
          {doc.email ? (
            <li>
              E-mail : <a href={`mailto:${doc.email}`}>{doc.email}</a>
            </li>
          ) : null}
          {doc.phone ? (
            <li>
              Téléphone : <a href={`tel:${doc.phone.replace(/\s/g, '')}`}>{doc.phone}</a>
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="muted small">
          {doc.anonymous
            ? 'CV anonyme : l’identité et les coordonnées du candidat ne sont pas communiquées.'
            : 'Le candidat n’a pas choisi d’afficher ses coordonnées.'}
        </p>
      )}
    </div>
  );
}

/** The facts of a CV as a definition list (target, place, contracts, availability, RQTH…). */
export function CvFacts({ doc }: { doc: CvDoc }) {
  const facts: [string, string][] = [];
  if (doc.appellationLabel) facts.push(['Métier recherché', doc.appellationLabel]);
  const commune = cvCommune(doc);
  if (doc.commune) facts.push(['Commune', commune]);
  if (doc.workplaces?.length)
    facts.push([
      'Lieux de travail souhaités',
      `${doc.workplaces.map((w) => w.communeName).join(', ')}${doc.origin?.radiusKm ? ` (dans un rayon de ${doc.origin.radiusKm} km)` : ''}`,
    ]);
  const contracts = contractsText(doc);
  if (contracts) facts.push(['Contrats recherchés', contracts]);
  const q = qualificationLabel(doc);
  if (q) facts.push(['Qualification', q]);
  const avail = availabilityText(doc);
  if (avail) facts.push(['Disponibilité', avail]);
  const rqth = rqthText(doc);
  if (rqth) facts.push(['RQTH', rqth]);
  facts.push(['Complétude du CV', `${doc.completeness} %`]);
  facts.push(['Mis à jour le', formatDate(doc.updatedAt)]);
  return (
    <dl className="cv-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Every section of a CV; `level` is the heading level of the sections (2 in the page, 3 in a panel). */
export function CvSections({ doc, level = 2 }: { doc: CvDoc; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <div className="cv-sections">
      {doc.summary ? (
        <section>
          <H>Accroche</H>
          <p className="cv-text">{doc.summary}</p>
        </section>
      ) : null}
      <section>
        <H>Expériences</H>
        {doc.experiences.length === 0 ? (
          <p className="muted">Aucune expérience renseignée.</p>
        ) : (
          <ul className="cv-items">
            {doc.experiences.map((e) => (
              <li key={e.id}>
                <p className="cv-item__title">
                  {e.jobTitle} — {e.company}
                </p>
                <p className="muted small">{periodText(e.start, e.end)}</p>
                {e.description ? <p className="cv-text">{e.description}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <H>Formations et diplômes</H>
        {doc.diplomas.length === 0 ? (
          <p className="muted">Aucune formation renseignée.</p>
        ) : (
          <ul className="cv-items">
            {doc.diplomas.map((d) => (
              <li key={d.id}>
                <p className="cv-item__title">{d.title}</p>
                <p className="muted small">{formatMonth(d.date)}</p>
                {d.description ? <p className="cv-text">{d.description}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <H>Compétences</H>
        {doc.skills.length === 0 ? (
          <p className="muted">Aucune compétence renseignée.</p>
        ) : (
          <ul className="cv-skills">
            {doc.skills.map((s) => {
              const { stars, text } = skillStars(s.level);
              return (
                <li key={s.id}>
                  <span>{s.label}</span>{' '}
                  <span className="cv-stars" aria-hidden="true">
                    {stars}
                  </span>{' '}
                  <span className="cv-stars__text">({text})</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section>
        <H>Langues</H>
        {doc.languages.length === 0 ? (
          <p className="muted">Aucune langue renseignée.</p>
        ) : (
          <ul>
            {doc.languages.map((l) => (
              <li key={l.id}>{languageText(l)}</li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <H>Permis de conduire</H>
        {doc.licences.length === 0 ? (
          <p className="muted">Aucun permis renseigné.</p>
        ) : (
          <ul>
            {doc.licences.map((l) => (
              <li key={l}>Permis {licenceText(l)}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
