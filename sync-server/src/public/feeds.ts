/**
 * Distribution of the published offers (seed 001 « multi-diffusion », seed 002 « flux RSS »):
 *
 * - `GET /flux/offres.rss?…` (RSS 2.0) and `GET /flux/offres.atom?…` (Atom 1.0): the 50 newest
 *   offers matching the simple-search criteria given in the query (same parameters as the portal's
 *   search page: `motsCles`, `commune`/`departement`/`region`, `rayon`, `contrat`, …).
 * - `GET /flux/partenaires.xml?page=N`: every published offer with all its public fields, for job
 *   boards that import our offers, 500 per page, newest first; the schema is
 *   `GET /flux/partenaires.xsd` (documented there, element by element). Root element
 *   `<offres xmlns="urn:recrutement:offres-partenaires:1" page="1" pages="3" total="1234"
 *   genere="…">`, one `<offre>` per offer; the next page is announced by a `Link: <…>; rel="next"`
 *   header and a `suivante` attribute.
 *
 * Every text goes through `xmlText` (escaped, characters XML 1.0 forbids removed). The internal
 * contact never leaves: offers come out of `toPublicOffer`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CONTRACT_TYPE_LABELS,
  QUALIFICATION_LABELS,
  WORKING_TIME_LABELS,
} from '../../../shared/domain/offer';
import {
  criteriaFromQuery,
  criteriaToQuery,
  type OfferSearchCriteria,
} from '../../../shared/domain/offer-search';
import type { PublicOffer } from '../../../shared/domain/public-offer';
import type { CandidateDeps } from '../candidate/deps';
import type { Queryable } from '../db/database';
import { linkBase } from '../domain/route-helpers';
import { badRequest } from '../http-error';
import { SearchCriteriaError, searchOffers } from '../search/offer-search';
import { withReferenceAsync } from '../search/places';
import { listPublishedOffers } from './public-offers';

export const FEED_SIZE = 50;
export const PARTNER_PAGE_SIZE = 500;
export const PARTNER_NAMESPACE = 'urn:recrutement:offres-partenaires:1';
const SITE_NAME = 'Emploi Territoires';

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text for an XML element or attribute: escaped, forbidden characters removed. */
export function xmlText(value: unknown): string {
  return String(value ?? '')
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const el = (name: string, value: unknown, attrs = ''): string =>
  value === undefined || value === null || value === '' ? '' : `<${name}${attrs}>${xmlText(value)}</${name}>`;

function place(offer: PublicOffer): string {
  return offer.postalCode ? `${offer.city} (${offer.postalCode})` : offer.city;
}

function summary(offer: PublicOffer): string {
  const contracts = offer.contractTypes.map((c) => CONTRACT_TYPE_LABELS[c] ?? c).join(', ');
  const text = offer.description.replace(/\s+/g, ' ').trim();
  return `${offer.companyName} – ${place(offer)}${contracts ? ` – ${contracts}` : ''}. ${
    text.length > 400 ? `${text.slice(0, 400)}…` : text
  }`;
}

/** Human-readable summary of the criteria for a feed's title. */
function criteriaTitle(c: OfferSearchCriteria): string {
  const parts: string[] = [];
  if (c.keywords) parts.push(c.keywords);
  if (c.contractTypes?.length)
    parts.push(c.contractTypes.map((t) => CONTRACT_TYPE_LABELS[t] ?? t).join(', '));
  if (c.place) parts.push(c.radiusKm ? `${c.place.code} (${c.radiusKm} km)` : c.place.code);
  return parts.length ? `Offres d’emploi : ${parts.join(' · ')}` : 'Offres d’emploi';
}

async function feedOffers(
  db: Queryable,
  query: unknown,
): Promise<{ criteria: OfferSearchCriteria; offers: PublicOffer[] }> {
  const { criteria, errors } = criteriaFromQuery(query as Record<string, unknown>);
  if (errors.length > 0) throw badRequest('Les critères du flux ne sont pas valides.', errors);
  try {
    const result = await withReferenceAsync(() =>
      searchOffers(db, criteria, { pageSize: FEED_SIZE, sort: 'date' }),
    );
    return { criteria, offers: result.exact };
  } catch (error) {
    if (error instanceof SearchCriteriaError)
      throw badRequest('Les critères du flux ne sont pas valides.', error.fields);
    throw error;
  }
}

export function rssFeed(
  base: string,
  criteria: OfferSearchCriteria,
  offers: PublicOffer[],
  now: Date,
): string {
  const qs = criteriaToQuery(criteria);
  const self = `${base}/flux/offres.rss${qs ? `?${qs}` : ''}`;
  const items = offers
    .map((o) => {
      const url = `${base}/offres/${encodeURIComponent(o.id)}`;
      return [
        '<item>',
        el('title', `${o.title} – ${o.companyName}`),
        el('link', url),
        el('guid', url, ' isPermaLink="true"'),
        o.publishedAt ? el('pubDate', new Date(o.publishedAt).toUTCString()) : '',
        el('description', summary(o)),
        ...o.contractTypes.map((c) => el('category', CONTRACT_TYPE_LABELS[c] ?? c)),
        '</item>',
      ].join('');
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
${el('title', `${criteriaTitle(criteria)} – ${SITE_NAME}`)}
${el('link', `${base}/${qs ? `?${qs}` : ''}`)}
${el('description', 'Les offres d’emploi publiées les plus récentes correspondant à ces critères.')}
<language>fr-FR</language>
${el('lastBuildDate', now.toUTCString())}
<atom:link href="${xmlText(self)}" rel="self" type="application/rss+xml"/>
${items}
</channel>
</rss>
`;
}

export function atomFeed(
  base: string,
  criteria: OfferSearchCriteria,
  offers: PublicOffer[],
  now: Date,
): string {
  const qs = criteriaToQuery(criteria);
  const self = `${base}/flux/offres.atom${qs ? `?${qs}` : ''}`;
  const updated = offers.reduce((max, o) => (o.publishedAt && o.publishedAt > max ? o.publishedAt : max), '');
  const entries = offers
    .map((o) => {
      const url = `${base}/offres/${encodeURIComponent(o.id)}`;
      const at = o.publishedAt ?? now.toISOString();
      return [
        '<entry>',
        el('id', url),
        el('title', `${o.title} – ${o.companyName}`),
        `<link rel="alternate" type="text/html" href="${xmlText(url)}"/>`,
        el('published', at),
        el('updated', at),
        `<author>${el('name', o.companyName)}</author>`,
        el('summary', summary(o)),
        ...o.contractTypes.map(
          (c) => `<category term="${xmlText(c)}" label="${xmlText(CONTRACT_TYPE_LABELS[c] ?? c)}"/>`,
        ),
        '</entry>',
      ].join('');
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-FR">
${el('id', self)}
${el('title', `${criteriaTitle(criteria)} – ${SITE_NAME}`)}
${el('updated', updated || now.toISOString())}
<link rel="self" type="application/atom+xml" href="${xmlText(self)}"/>
<link rel="alternate" type="text/html" href="${xmlText(`${base}/${qs ? `?${qs}` : ''}`)}"/>
<author>${el('name', SITE_NAME)}</author>
${entries}
</feed>
`;
}

/** One `<offre>` of the partner feed: every public field. */
export function partnerOffer(o: PublicOffer, base: string): string {
  const contact = o.applicationMode === 'contact' ? o.applicationContact : undefined;
  return [
    `<offre id="${xmlText(o.id)}"${o.number ? ` numero="${xmlText(o.number)}"` : ''}>`,
    el('titre', o.title),
    `<metier${o.romeCode ? ` codeRome="${xmlText(o.romeCode)}"` : ''}${o.appellationCode ? ` appellation="${xmlText(o.appellationCode)}"` : ''}>${xmlText(o.jobTitle)}</metier>`,
    `<entreprise${o.companyId ? ` id="${xmlText(o.companyId)}"` : ''}>${xmlText(o.companyName)}</entreprise>`,
    '<lieu>',
    el('commune', o.city, o.communeCode ? ` codeInsee="${xmlText(o.communeCode)}"` : ''),
    el('codePostal', o.postalCode),
    el('latitude', o.latitude),
    el('longitude', o.longitude),
    '</lieu>',
    '<contrats>',
    ...o.contractTypes.map((c) => el('contrat', CONTRACT_TYPE_LABELS[c] ?? c, ` code="${xmlText(c)}"`)),
    '</contrats>',
    o.qualification
      ? el('qualification', QUALIFICATION_LABELS[o.qualification], ` code="${xmlText(o.qualification)}"`)
      : '',
    o.workingTime
      ? el(
          'tempsTravail',
          WORKING_TIME_LABELS[o.workingTime],
          ` code="${xmlText(o.workingTime)}"${o.weeklyHours !== undefined ? ` heuresHebdo="${xmlText(o.weeklyHours)}"` : ''}`,
        )
      : '',
    o.salaryMin !== undefined || o.salaryMax !== undefined
      ? `<salaire devise="EUR"${o.salaryPeriod ? ` periode="${xmlText(o.salaryPeriod)}"` : ''}>${el('min', o.salaryMin)}${el('max', o.salaryMax)}</salaire>`
      : '',
    el('saisonnier', o.seasonal ? 'true' : 'false'),
    el('postes', o.posts),
    el('dateDebut', o.startDate),
    el('description', o.description),
    `<candidature mode="${xmlText(o.applicationMode ?? 'portail')}">`,
    contact
      ? `${el('nom', contact.name)}${el('email', contact.email)}${el('telephone', contact.phone)}${el('lien', contact.url)}`
      : '',
    el('lien', contact ? undefined : `${base}/offres/${encodeURIComponent(o.id)}/postuler`),
    '</candidature>',
    el('publieeLe', o.publishedAt),
    el('expireLe', o.expiresAt),
    el('url', `${base}/offres/${encodeURIComponent(o.id)}`),
    '</offre>',
  ].join('');
}

export function partnerFeed(
  base: string,
  offers: PublicOffer[],
  page: number,
  total: number,
  now: Date,
): { xml: string; next: string | null } {
  const pages = Math.max(1, Math.ceil(total / PARTNER_PAGE_SIZE));
  const next = page < pages ? `${base}/flux/partenaires.xml?page=${page + 1}` : null;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Flux partenaires des offres publiées : schéma ${base}/flux/partenaires.xsd -->
<offres xmlns="${PARTNER_NAMESPACE}" version="1" page="${page}" pages="${pages}" total="${total}" genere="${xmlText(now.toISOString())}"${next ? ` suivante="${xmlText(next)}"` : ''}>
${offers.map((o) => partnerOffer(o, base)).join('\n')}
</offres>
`;
  return { xml, next };
}

/** The schema of the partner feed, documented element by element. */
export const PARTNER_XSD = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${PARTNER_NAMESPACE}"
  xmlns="${PARTNER_NAMESPACE}" elementFormDefault="qualified">
  <xs:annotation><xs:documentation xml:lang="fr">
    Flux partenaires : toutes les offres d'emploi publiées, les plus récentes d'abord, par pages de
    ${PARTNER_PAGE_SIZE} (paramètre « page », à partir de 1). Chaque page annonce la suivante (attribut
    « suivante » et en-tête HTTP Link rel="next"). Les textes sont en UTF-8 ; les dates en ISO 8601 (UTC).
    Le contact interne du recruteur n'y figure jamais.
  </xs:documentation></xs:annotation>
  <xs:element name="offres">
    <xs:complexType>
      <xs:sequence><xs:element ref="offre" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="version" type="xs:string" use="required"/>
      <xs:attribute name="page" type="xs:positiveInteger" use="required"/>
      <xs:attribute name="pages" type="xs:positiveInteger" use="required"/>
      <xs:attribute name="total" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="genere" type="xs:dateTime" use="required"/>
      <xs:attribute name="suivante" type="xs:anyURI"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="offre">
    <xs:annotation><xs:documentation xml:lang="fr">Une offre ; id : identifiant stable, numero : « 100001A ».</xs:documentation></xs:annotation>
    <xs:complexType>
      <xs:sequence>
        <xs:element name="titre" type="xs:string"/>
        <xs:element name="metier"><xs:annotation><xs:documentation xml:lang="fr">Métier ; codeRome (ROME 4.60) et appellation (code OGR) si connus.</xs:documentation></xs:annotation>
          <xs:complexType><xs:simpleContent><xs:extension base="xs:string">
            <xs:attribute name="codeRome" type="xs:string"/><xs:attribute name="appellation" type="xs:string"/>
          </xs:extension></xs:simpleContent></xs:complexType></xs:element>
        <xs:element name="entreprise"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
          <xs:attribute name="id" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
        <xs:element name="lieu"><xs:complexType><xs:sequence>
          <xs:element name="commune"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
            <xs:attribute name="codeInsee" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
          <xs:element name="codePostal" type="xs:string" minOccurs="0"/>
          <xs:element name="latitude" type="xs:decimal" minOccurs="0"/>
          <xs:element name="longitude" type="xs:decimal" minOccurs="0"/>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="contrats"><xs:annotation><xs:documentation xml:lang="fr">code : CDI, CDD, INTERIM, ALTERNANCE, STAGE, INDEPENDANT.</xs:documentation></xs:annotation>
          <xs:complexType><xs:sequence>
          <xs:element name="contrat" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:simpleContent>
            <xs:extension base="xs:string"><xs:attribute name="code" type="xs:string" use="required"/></xs:extension>
          </xs:simpleContent></xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="qualification" minOccurs="0"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
          <xs:attribute name="code" type="xs:string" use="required"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>
        <xs:element name="tempsTravail" minOccurs="0"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
          <xs:attribute name="code" type="xs:string" use="required"/><xs:attribute name="heuresHebdo" type="xs:decimal"/>
          </xs:extension></xs:simpleContent></xs:complexType></xs:element>
        <xs:element name="salaire" minOccurs="0"><xs:annotation><xs:documentation xml:lang="fr">Brut, en euros ; periode : horaire, mensuel ou annuel.</xs:documentation></xs:annotation>
          <xs:complexType><xs:sequence>
          <xs:element name="min" type="xs:decimal" minOccurs="0"/><xs:element name="max" type="xs:decimal" minOccurs="0"/>
          </xs:sequence><xs:attribute name="devise" type="xs:string"/><xs:attribute name="periode" type="xs:string"/></xs:complexType></xs:element>
        <xs:element name="saisonnier" type="xs:boolean"/>
        <xs:element name="postes" type="xs:positiveInteger" minOccurs="0"/>
        <xs:element name="dateDebut" type="xs:date" minOccurs="0"/>
        <xs:element name="description" type="xs:string"/>
        <xs:element name="candidature"><xs:annotation><xs:documentation xml:lang="fr">mode « portail » : lien vers le formulaire de candidature ; mode « contact » : le contact que le recruteur a choisi d'afficher.</xs:documentation></xs:annotation>
          <xs:complexType><xs:sequence>
          <xs:element name="nom" type="xs:string" minOccurs="0"/><xs:element name="email" type="xs:string" minOccurs="0"/>
          <xs:element name="telephone" type="xs:string" minOccurs="0"/><xs:element name="lien" type="xs:anyURI" minOccurs="0"/>
          </xs:sequence><xs:attribute name="mode" type="xs:string" use="required"/></xs:complexType></xs:element>
        <xs:element name="publieeLe" type="xs:dateTime" minOccurs="0"/>
        <xs:element name="expireLe" type="xs:dateTime" minOccurs="0"/>
        <xs:element name="url" type="xs:anyURI"/>
      </xs:sequence>
      <xs:attribute name="id" type="xs:string" use="required"/>
      <xs:attribute name="numero" type="xs:string"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
`;

function sendXml(reply: FastifyReply, type: string, body: string): FastifyReply {
  return reply.type(`${type}; charset=utf-8`).header('cache-control', 'public, max-age=300').send(body);
}

export async function registerFeedRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;
  const base = (request: FastifyRequest) => linkBase(deps, request);

  app.get('/flux/offres.rss', async (request, reply) => {
    const { criteria, offers } = await feedOffers(db, request.query);
    return sendXml(reply, 'application/rss+xml', rssFeed(base(request), criteria, offers, new Date()));
  });

  app.get('/flux/offres.atom', async (request, reply) => {
    const { criteria, offers } = await feedOffers(db, request.query);
    return sendXml(reply, 'application/atom+xml', atomFeed(base(request), criteria, offers, new Date()));
  });

  app.get('/flux/partenaires.xsd', async (_request, reply) => sendXml(reply, 'application/xml', PARTNER_XSD));

  app.get<{ Querystring: { page?: unknown } }>('/flux/partenaires.xml', async (request, reply) => {
    const raw = request.query.page;
    let page = 1;
    if (raw !== undefined) {
      if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1)
        throw badRequest('Numéro de page invalide.', [
          { field: 'page', message: 'Le numéro de page est un entier à partir de 1.' },
        ]);
      page = Number(raw);
    }
    const list = await listPublishedOffers(db, page, PARTNER_PAGE_SIZE);
    const { xml, next } = partnerFeed(base(request), list.items, page, list.total, new Date());
    if (next) reply.header('link', `<${next}>; rel="next"`);
    return sendXml(reply, 'application/xml', xml);
  });
}
