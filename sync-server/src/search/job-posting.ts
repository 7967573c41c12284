/**
 * schema.org `JobPosting` structured data of a published offer (seed 001 « multi-diffusion »):
 * search engines and job aggregators read it from every offer page. Served as JSON
 * (`/api/public/offers/:id/jobposting.json`), injected into the HTML of `/offres/:id` for crawlers,
 * and rendered by the portal's offer page.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyReply } from 'fastify';
import type { PublicOffer } from '../../../shared/domain/public-offer';
import type { Queryable } from '../db/database';
import { getPublishedOffer } from '../public/public-offers';

const EMPLOYMENT_TYPES: Record<string, string> = {
  CDI: 'FULL_TIME',
  CDD: 'TEMPORARY',
  INTERIM: 'TEMPORARY',
  ALTERNANCE: 'OTHER',
  STAGE: 'INTERN',
  INDEPENDANT: 'CONTRACTOR',
};

const SALARY_UNITS: Record<string, string> = { horaire: 'HOUR', mensuel: 'MONTH', annuel: 'YEAR' };

/** The offer as a schema.org JobPosting; `base` is the site's address (no trailing slash). */
export function jobPosting(offer: PublicOffer, base: string): Record<string, unknown> {
  const url = `${base}/offres/${encodeURIComponent(offer.id)}`;
  const types = new Set<string>();
  if (offer.workingTime === 'temps_partiel') types.add('PART_TIME');
  else if (offer.workingTime === 'temps_plein') types.add('FULL_TIME');
  for (const c of offer.contractTypes) {
    const t = EMPLOYMENT_TYPES[c];
    if (t && !(t === 'FULL_TIME' && types.has('PART_TIME'))) types.add(t);
  }
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: offer.title,
    description: offer.description,
    url,
    hiringOrganization: {
      '@type': 'Organization',
      name: offer.companyName,
      ...(offer.companyId ? { sameAs: `${base}/entreprises/${encodeURIComponent(offer.companyId)}` } : {}),
    },
    jobLocation: {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        addressLocality: offer.city,
        ...(offer.postalCode ? { postalCode: offer.postalCode } : {}),
        addressCountry: 'FR',
      },
      ...(offer.latitude !== undefined && offer.longitude !== undefined
        ? { geo: { '@type': 'GeoCoordinates', latitude: offer.latitude, longitude: offer.longitude } }
        : {}),
    },
    employmentType: [...types],
    directApply: offer.applicationMode !== 'contact',
  };
  if (offer.publishedAt) data.datePosted = offer.publishedAt;
  if (offer.expiresAt) data.validThrough = offer.expiresAt;
  if (offer.number)
    data.identifier = { '@type': 'PropertyValue', name: 'Numéro d’offre', value: offer.number };
  if (offer.romeCode) data.occupationalCategory = offer.romeCode;
  if (offer.posts) data.totalJobOpenings = offer.posts;
  if (offer.startDate) data.jobStartDate = offer.startDate;
  if (offer.weeklyHours) data.workHours = `${offer.weeklyHours} heures par semaine`;
  if (offer.salaryMin !== undefined || offer.salaryMax !== undefined) {
    data.baseSalary = {
      '@type': 'MonetaryAmount',
      currency: 'EUR',
      value: {
        '@type': 'QuantitativeValue',
        ...(offer.salaryMin !== undefined ? { minValue: offer.salaryMin } : {}),
        ...(offer.salaryMax !== undefined ? { maxValue: offer.salaryMax } : {}),
        unitText: SALARY_UNITS[offer.salaryPeriod ?? 'mensuel'] ?? 'MONTH',
      },
    };
  }
  return data;
}

/** JSON safe inside an HTML `<script>` element: no `<`, `>`, `&` or line separators as such. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Marks the server's copy: the portal removes it when it renders its own. */
export const SERVER_JSON_LD_ID = 'offre-jsonld-serveur';

/**
 * The portal's `index.html` for `/offres/:id`, with the offer's JobPosting, title and description
 * in the head, for crawlers that do not run scripts. 404 (same page, the portal shows « Offre
 * introuvable ») when the offer is not published.
 */
export async function sendOfferPageHtml(
  reply: FastifyReply,
  deps: { db: Queryable; portalDir: string; base: string },
  idOrNumber: string,
): Promise<FastifyReply> {
  const html = await readFile(join(deps.portalDir, 'index.html'), 'utf8');
  const id = idOrNumber.trim();
  const offer = id && id.length <= 36 ? await getPublishedOffer(deps.db, id) : null;
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
  if (!offer) return reply.code(404).send(html);
  const summary = offer.description.replace(/\s+/g, ' ').slice(0, 200);
  const head =
    `<meta name="description" content="${escapeHtml(summary)}">` +
    `<link rel="canonical" href="${escapeHtml(`${deps.base}/offres/${encodeURIComponent(offer.id)}`)}">` +
    `<script type="application/ld+json" id="${SERVER_JSON_LD_ID}">${jsonForScript(jobPosting(offer, deps.base))}</script>`;
  // Replacement functions: a « $& » in a title must stay text.
  const title = `<title>${escapeHtml(`${offer.title} – ${offer.companyName}`)}</title>`;
  let page = html.replace(/<title>[^<]*<\/title>/, () => title);
  page = page.includes('</head>') ? page.replace('</head>', () => `${head}</head>`) : head + page;
  return reply.code(200).send(page);
}
