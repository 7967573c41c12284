import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OfferDoc } from '../../shared/schemas/offer.schema';
import { clock } from '../src/clock';
import { offersCollection } from '../src/domain/offers';
import { PARTNER_NAMESPACE, xmlText } from '../src/public/feeds';
import { jsonForScript, SERVER_JSON_LD_ID, sendOfferPageHtml } from '../src/search/job-posting';
import { SHARES_PER_HOUR } from '../src/search/share';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Distribution (seed 001 « multi-diffusion », seed 002 RSS): RSS 2.0, Atom and the partner XML
 * feed are well-formed (parsed by a strict XML parser), filtered, escaped; JobPosting data of an
 * offer (JSON and in the HTML of its page); « envoyer à un ami ».
 */

// A strict, non-validating XML parser (a dependency of the packaging tools): it throws on any
// well-formedness error.
const require = createRequire(import.meta.url);
const sax = require('sax') as {
  parser(
    strict: boolean,
    options?: { xmlns?: boolean },
  ): {
    onerror: (e: Error) => void;
    onopentag: (node: { name: string; attributes: Record<string, string | { value: string }> }) => void;
    ontext: (t: string) => void;
    onclosetag: (name: string) => void;
    write(s: string): { close(): void };
  };
};

interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(xml: string): XmlNode {
  const parser = sax.parser(true);
  const root: XmlNode = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  parser.onerror = (e) => {
    throw e;
  };
  parser.onopentag = (node) => {
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(node.attributes)) attributes[k] = typeof v === 'string' ? v : v.value;
    const el: XmlNode = { name: node.name, attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  };
  parser.ontext = (t) => {
    stack[stack.length - 1]!.text += t;
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.write(xml).close();
  return root.children[0]!;
}

const all = (node: XmlNode, name: string): XmlNode[] => [
  ...node.children.filter((c) => c.name === name),
  ...node.children.flatMap((c) => all(c, name)),
];
const child = (node: XmlNode, name: string) => node.children.find((c) => c.name === name);

let server: TestServer;
const ORG = '0b0e0000-0000-4000-8000-0000000000bb';
const NASTY = 'Pâtissier <script>alert("x")</script> & fils \u0001 l’été';
const ids = { nasty: randomUUID(), cdi: randomUUID(), cdd: randomUUID(), draft: randomUUID() };

function doc(
  id: string,
  title: string,
  contracts: string[],
  status: OfferDoc['status'],
  extra: Partial<OfferDoc> = {},
): OfferDoc {
  const at = new Date(clock.now().getTime() - 3_600_000).toISOString();
  return {
    id,
    organisationId: ORG,
    number: `${Math.floor(500000 + Math.random() * 400000)}A`,
    title,
    jobTitle: title,
    city: 'Toulouse',
    postalCode: '31000',
    communeCode: '31555',
    latitude: 43.6045,
    longitude: 1.4442,
    companyName: 'Maison « Dupont » & Cie',
    contactPhone: '01 23 45 67 89',
    contactName: 'Contact Secret',
    seasonal: false,
    contractTypes: contracts as OfferDoc['contractTypes'],
    description: 'Description avec <balises> & caractères spéciaux ]]> et "guillemets".',
    status,
    createdAt: at,
    updatedAt: at,
    ...(status === 'publiee' ? { publishedAt: at, expiresAt: at } : {}),
    ...extra,
  };
}

beforeAll(async () => {
  server = await startTestServer({ demo: false });
  await server.db.transaction(async (tx) => {
    for (const d of [
      doc(ids.nasty, NASTY, ['CDI'], 'publiee', {
        salaryMin: 2100,
        salaryMax: 2400,
        salaryPeriod: 'mensuel',
      }),
      doc(ids.cdi, 'Plombier chauffagiste', ['CDI'], 'publiee', {
        applicationMode: 'contact',
        applicationContact: { email: 'rh@exemple.fr' },
      }),
      doc(ids.cdd, 'Plombier saisonnier', ['CDD'], 'publiee'),
      doc(ids.draft, 'Plombier brouillon', ['CDI'], 'brouillon'),
    ])
      await server.app.engine.write(tx, offersCollection, d, false, { notify: false });
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function getText(path: string) {
  const res = await fetch(`${server.url}${path}`);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
    headers: res.headers,
  };
}

describe('flux RSS et Atom', () => {
  it('RSS 2.0 bien formé, filtré par les critères de la recherche simple, sans brouillon ni contact interne', async () => {
    const res = await getText('/flux/offres.rss?motsCles=plombier&contrat=CDI');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/rss+xml');
    const rss = parseXml(res.text);
    expect(rss.name).toBe('rss');
    expect(rss.attributes.version).toBe('2.0');
    const items = all(rss, 'item');
    expect(items.map((i) => child(i, 'title')!.text)).toEqual([
      'Plombier chauffagiste – Maison « Dupont » & Cie',
    ]);
    expect(child(items[0]!, 'link')!.text).toBe(`${server.url}/offres/${ids.cdi}`);
    expect(res.text).not.toContain('01 23 45 67 89');
    expect(res.text).not.toContain('Contact Secret');
    const allOffers = parseXml((await getText('/flux/offres.rss')).text);
    expect(all(allOffers, 'item')).toHaveLength(3);
  });

  it('échappe tout (balises, esperluettes, caractères interdits en XML)', async () => {
    const res = await getText('/flux/offres.rss?motsCles=patissier');
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('\u0001');
    const items = all(parseXml(res.text), 'item');
    expect(child(items[0]!, 'title')!.text).toBe(`${NASTY.replace('\u0001', '')} – Maison « Dupont » & Cie`);
    expect(xmlText('a<b>&"\'\u0000')).toBe('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('Atom bien formé, avec ses liens', async () => {
    const res = await getText('/flux/offres.atom?contrat=CDD');
    expect(res.type).toContain('application/atom+xml');
    const feed = parseXml(res.text);
    expect(feed.name).toBe('feed');
    expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
    const entries = all(feed, 'entry');
    expect(entries.map((e) => child(e, 'title')!.text)).toEqual([
      'Plombier saisonnier – Maison « Dupont » & Cie',
    ]);
    expect(child(entries[0]!, 'link')!.attributes.href).toBe(`${server.url}/offres/${ids.cdd}`);
  });

  it('des critères invalides donnent 400 avec les champs', async () => {
    const res = await api<{ error: { fields: { field: string }[] } }>(
      `${server.url}/flux/offres.rss?contrat=XYZ`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]!.field).toBe('contractTypes');
  });
});

describe('flux partenaires', () => {
  it('toutes les offres publiées avec leurs champs publics, schéma XSD publié', async () => {
    const res = await getText('/flux/partenaires.xml');
    expect(res.status).toBe(200);
    const root = parseXml(res.text);
    expect(root.name).toBe('offres');
    expect(root.attributes.xmlns).toBe(PARTNER_NAMESPACE);
    expect(root.attributes.total).toBe('3');
    const offers = all(root, 'offre');
    expect(offers.map((o) => o.attributes.id).sort()).toEqual([ids.nasty, ids.cdi, ids.cdd].sort());
    const nasty = offers.find((o) => o.attributes.id === ids.nasty)!;
    expect(child(nasty, 'titre')!.text).toBe(NASTY.replace('\u0001', ''));
    expect(child(child(nasty, 'lieu')!, 'commune')!.attributes.codeInsee).toBe('31555');
    expect(child(child(nasty, 'salaire')!, 'min')!.text).toBe('2100');
    expect(child(child(nasty, 'contrats')!, 'contrat')!.attributes.code).toBe('CDI');
    const contact = offers.find((o) => o.attributes.id === ids.cdi)!;
    expect(child(child(contact, 'candidature')!, 'email')!.text).toBe('rh@exemple.fr');
    expect(res.text).not.toContain('01 23 45 67 89');
    const xsd = await getText('/flux/partenaires.xsd');
    expect(parseXml(xsd.text).name).toBe('xs:schema');
    const bad = await api(`${server.url}/flux/partenaires.xml?page=abc`);
    expect(bad.status).toBe(400);
    const empty = parseXml((await getText('/flux/partenaires.xml?page=2')).text);
    expect(all(empty, 'offre')).toEqual([]);
  });
});

describe('données structurées JobPosting', () => {
  it('JSON schema.org de l’offre, 404 pour un brouillon', async () => {
    const res = await api<Record<string, unknown>>(
      `${server.url}/api/public/offers/${ids.nasty}/jobposting.json`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/ld+json');
    expect(res.body['@type']).toBe('JobPosting');
    expect(res.body.title).toBe(NASTY);
    expect(res.body.employmentType).toEqual(['FULL_TIME']);
    expect(res.body.hiringOrganization).toMatchObject({
      '@type': 'Organization',
      name: 'Maison « Dupont » & Cie',
    });
    expect(res.body.baseSalary).toMatchObject({
      currency: 'EUR',
      value: { minValue: 2100, unitText: 'MONTH' },
    });
    expect(JSON.stringify(res.body)).not.toContain('01 23 45 67 89');
    expect((await api(`${server.url}/api/public/offers/${ids.draft}/jobposting.json`)).status).toBe(404);
  });

  it('injecté dans la page HTML de l’offre pour les robots, sans pouvoir fermer le script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-'));
    mkdirSync(join(dir, 'portal'));
    writeFileSync(
      join(dir, 'portal', 'index.html'),
      '<!doctype html><html><head><title>Portail</title></head><body><div id="root"></div></body></html>',
    );
    const app = Fastify();
    app.get<{ Params: { id: string } }>('/offres/:id', (request, reply) =>
      sendOfferPageHtml(
        reply,
        { db: server.db, portalDir: join(dir, 'portal'), base: 'https://emploi.exemple' },
        request.params.id,
      ),
    );
    try {
      const res = await app.inject({ method: 'GET', url: `/offres/${ids.nasty}` });
      expect(res.statusCode).toBe(200);
      const m = new RegExp(
        `<script type="application/ld\\+json" id="${SERVER_JSON_LD_ID}">([^<]*)</script>`,
      ).exec(res.body);
      expect(m).not.toBeNull();
      const data = JSON.parse(m![1]!) as Record<string, unknown>;
      expect(data.title).toBe(NASTY);
      expect(data.url).toBe(`https://emploi.exemple/offres/${ids.nasty}`);
      // The title's « </script> » is escaped inside the JSON; the page title is HTML-escaped.
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).toContain('<title>Pâtissier &lt;script&gt;');
      const missing = await app.inject({ method: 'GET', url: `/offres/${ids.draft}` });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).not.toContain('application/ld+json');
      expect(jsonForScript({ a: '</script>\u2028' })).toBe('{"a":"\\u003c/script\\u003e\\u2028"}');
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('envoyer à un ami', () => {
  beforeEach(async () => {
    await server.db.query('truncate offer_shares, email_outbox');
  });

  it('met en file un e-mail avec le lien de l’offre, sans garder l’adresse ailleurs', async () => {
    const res = await api(`${server.url}/api/public/offers/${ids.cdi}/share`, {
      body: { to: 'ami@exemple.fr', name: 'Camille', message: 'Regarde ça !' },
    });
    expect(res.status).toBe(202);
    const { rows } = await server.db.query<{ to_address: string; subject: string; body_text: string }>(
      'select to_address, subject, body_text from email_outbox',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.to_address).toBe('ami@exemple.fr');
    expect(rows[0]!.subject).toContain('Plombier chauffagiste');
    expect(rows[0]!.body_text).toContain(`/offres/${ids.cdi}`);
    expect(rows[0]!.body_text).toContain('Camille');
    expect(rows[0]!.body_text).toContain('Regarde ça !');
    const shares = await server.db.query<{ sender_key: string }>('select sender_key from offer_shares');
    expect(JSON.stringify(shares.rows)).not.toContain('ami@exemple.fr');
    expect(JSON.stringify(shares.rows)).not.toContain('127.0.0.1');
  });

  it('refuse les champs invalides avec des messages en français, une offre non publiée en 404', async () => {
    const bad = await api<{ error: { fields: { field: string; message: string }[] } }>(
      `${server.url}/api/public/offers/${ids.cdi}/share`,
      { body: { to: 'pas-une-adresse', name: 'x'.repeat(101), message: 42 } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f) => f.field).sort()).toEqual(['message', 'name', 'to']);
    expect(bad.body.error.fields.find((f) => f.field === 'to')!.message).toMatch(/adresse e-mail/);
    const notJson = await api(`${server.url}/api/public/offers/${ids.cdi}/share`, { body: [1, 2] });
    expect(notJson.status).toBe(400);
    const draft = await api(`${server.url}/api/public/offers/${ids.draft}/share`, {
      body: { to: 'ami@exemple.fr' },
    });
    expect(draft.status).toBe(404);
    const { rows } = await server.db.query('select 1 from email_outbox');
    expect(rows).toHaveLength(0);
  });

  it(`limite à ${SHARES_PER_HOUR} envois par heure et par adresse IP`, async () => {
    for (let i = 0; i < SHARES_PER_HOUR; i++) {
      const ok = await api(`${server.url}/api/public/offers/${ids.cdd}/share`, {
        body: { to: `ami${i}@exemple.fr` },
      });
      expect(ok.status).toBe(202);
    }
    const refused = await api<{ error: { message: string } }>(
      `${server.url}/api/public/offers/${ids.cdd}/share`,
      {
        body: { to: 'encore@exemple.fr' },
      },
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/réessayez plus tard/);
    const { rows } = await server.db.query('select 1 from email_outbox');
    expect(rows).toHaveLength(SHARES_PER_HOUR);
  });
});
