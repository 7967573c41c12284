import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApplicationFolder, FOLDER_MESSAGES, MAX_FOLDERS } from '../../shared/domain/application-folder';
import { createSession } from '../src/auth/sessions';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { FILE_NOT_YOURS, FOLDER_NOT_FOUND } from '../src/candidate/folders';
import { eraseCandidate, exportCandidateData } from '../src/candidate/rgpd';
import { makePdf, makePng } from '../src/files/sample-files';
import { api, startTestServer, type TestServer } from './harness';

/** Issue 4, « Cover letters and application folders » (seed 004 « dossiers »). */

const CANDIDATE_ID = '0a0c0000-0000-4000-8000-000000000006';
let server: TestServer;
let token: string;

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

beforeAll(async () => {
  server = await startTestServer();
});

beforeEach(async () => {
  await server.reset();
  token = await server.login('candidat@demo.test');
});

afterAll(async () => {
  await server?.stop();
});

async function upload(bytes: Buffer, purpose: string, as = token): Promise<string> {
  const res = await fetch(`${server.url}/api/candidate/files?purpose=${purpose}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${as}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  expect([200, 201]).toContain(res.status);
  return ((await res.json()) as { sha256: string }).sha256;
}

/** A distinct small PDF (each upload its own hash). */
const pdf = (tag: string) =>
  Buffer.concat([makePdf().subarray(0, -7), Buffer.from(`%${tag}\n%%EOF\n`, 'latin1')]);

async function otherCandidate(): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, 'not-a-hash', 'candidate', 'Léa', 'Martin', now())`,
    [id, `lea-${id}@exemple.fr`],
  );
  return { id, token: await createSession(server.db, id) };
}

const create = (body: unknown, as = token) =>
  api<ApplicationFolder & ErrorBody>(`${server.url}/api/candidate/folders`, { token: as, body });
const list = (as = token) => api<ApplicationFolder[]>(`${server.url}/api/candidate/folders`, { token: as });

describe('application folders', () => {
  it('creates a folder with one of the CVs, a letter (text and file) and a video, and lists it', async () => {
    const letter = await upload(pdf('lettre'), 'letter');
    const res = await create({
      name: 'Boulangeries lyonnaises',
      cvId: DEMO_CV_IDS.published,
      letterText: 'Madame, Monsieur,\nje souhaite rejoindre votre équipe…',
      letterFile: { sha256: letter, name: 'Lettre de motivation.pdf' },
      videoUrl: 'https://www.youtube.com/watch?v=abc123',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Boulangeries lyonnaises',
      cvId: DEMO_CV_IDS.published,
      cvTitle: 'Boulanger confirmé, pain de tradition',
      cvFile: null,
      letterText: 'Madame, Monsieur,\nje souhaite rejoindre votre équipe…',
      letterFile: { sha256: letter, name: 'Lettre de motivation.pdf', mime: 'application/pdf' },
      videoUrl: 'https://www.youtube.com/watch?v=abc123',
    });
    const listed = await list();
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    // The shape the application form relies on.
    for (const key of ['id', 'name', 'cvId', 'cvTitle', 'letterText', 'letterFile', 'videoUrl', 'updatedAt'])
      expect(listed.body[0], key).toHaveProperty(key);
    expect(listed.body[0]).toEqual(res.body);
  });

  it('accepts a CV file alone, and updates a folder', async () => {
    const cvFile = await upload(pdf('cv'), 'cv');
    const created = await create({ name: 'Express', cvFile: { sha256: cvFile, name: 'mon-cv.pdf' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      cvId: null,
      cvTitle: null,
      cvFile: { sha256: cvFile, name: 'mon-cv.pdf' },
    });
    const updated = await api<ApplicationFolder>(`${server.url}/api/candidate/folders/${created.body.id}`, {
      method: 'PUT',
      token,
      body: {
        name: 'Express (cuisine)',
        cvId: DEMO_CV_IDS.draft,
        letterText: 'Bonjour',
        videoUrl: 'https://vimeo.com/42',
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: created.body.id,
      name: 'Express (cuisine)',
      cvId: DEMO_CV_IDS.draft,
      cvTitle: 'Commis de cuisine',
      cvFile: null,
      letterText: 'Bonjour',
      videoUrl: 'https://vimeo.com/42',
    });
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
  });

  it('names every field at fault, in French, and writes nothing', async () => {
    const res = await create({
      name: '',
      cvId: DEMO_CV_IDS.published,
      cvFile: { sha256: 'a'.repeat(64), name: 'cv.pdf' },
      letterText: 12,
      videoUrl: 'http://www.youtube.com/watch?v=1',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      { field: 'name', message: FOLDER_MESSAGES.name },
      { field: 'cvId', message: FOLDER_MESSAGES.cvBoth },
      { field: 'letterText', message: FOLDER_MESSAGES.letterText },
      { field: 'videoUrl', message: FOLDER_MESSAGES.video },
    ]);
    for (const raw of ['null', '[]', '"x"', '{"name": {"a": 1}}']) {
      const r = await api<ErrorBody>(`${server.url}/api/candidate/folders`, { token, rawBody: raw });
      expect(r.status, raw).toBe(400);
      expect(r.body.error.fields?.length, raw).toBeGreaterThan(0);
    }
    expect((await list()).body).toEqual([]);
  });

  it('only takes the candidate’s own CVs and files, of the right type', async () => {
    const other = await otherCandidate();
    const theirs = await upload(pdf('autre'), 'letter', other.token);
    const photo = await upload(makePng(), 'photo');
    const res = await create({
      name: 'Pas à moi',
      cvId: randomUUID(),
      letterFile: { sha256: theirs, name: 'lettre.pdf' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([
      { field: 'cvId', message: FOLDER_MESSAGES.cvId },
      { field: 'letterFile', message: FILE_NOT_YOURS },
    ]);
    const image = await create({ name: 'Image', cvFile: { sha256: photo, name: 'cv.png' } });
    expect(image.status).toBe(400);
    expect(image.body.error.fields?.[0]?.field).toBe('cvFile');
    expect(image.body.error.fields?.[0]?.message).toContain('PDF');
    // Another candidate cannot use the demo candidate's CV either.
    const stolen = await create({ name: 'CV volé', cvId: DEMO_CV_IDS.published }, other.token);
    expect(stolen.body.error.fields).toEqual([{ field: 'cvId', message: FOLDER_MESSAGES.cvId }]);
    expect((await list()).body).toEqual([]);
    expect((await list(other.token)).body).toEqual([]);
  });

  it('keeps each candidate’s folders to themselves', async () => {
    const created = await create({ name: 'Mon dossier', cvId: DEMO_CV_IDS.published });
    const other = await otherCandidate();
    const path = `${server.url}/api/candidate/folders/${created.body.id}`;
    expect((await list(other.token)).body).toEqual([]);
    const read = await api<ErrorBody>(path, { token: other.token });
    expect(read.status).toBe(404);
    expect(read.body.error.message).toBe(FOLDER_NOT_FOUND);
    const put = await api(path, {
      method: 'PUT',
      token: other.token,
      body: { name: 'Pris', cvId: DEMO_CV_IDS.published },
    });
    expect(put.status).toBe(404);
    expect((await api(path, { method: 'DELETE', token: other.token })).status).toBe(404);
    expect((await api(`${server.url}/api/candidate/folders/pas-un-id`, { token })).status).toBe(404);
    expect((await api(`${server.url}/api/candidate/folders`)).status).toBe(401);
    const recruiter = await server.login('recruteur1@demo.test');
    expect((await api(`${server.url}/api/candidate/folders`, { token: recruiter })).status).toBe(403);
    expect((await list()).body.map((f) => f.name)).toEqual(['Mon dossier']);
  });

  it('deletes a folder', async () => {
    const created = await create({ name: 'À supprimer', cvId: DEMO_CV_IDS.published });
    const path = `${server.url}/api/candidate/folders/${created.body.id}`;
    expect((await api(path, { method: 'DELETE', token })).status).toBe(204);
    expect((await api(path, { method: 'DELETE', token })).status).toBe(404);
    expect((await list()).body).toEqual([]);
  });

  it(`allows ${MAX_FOLDERS} folders`, async () => {
    for (let i = 0; i < MAX_FOLDERS; i++)
      expect((await create({ name: `Dossier ${i}`, cvId: DEMO_CV_IDS.published })).status).toBe(201);
    const refused = await create({ name: 'Un de trop', cvId: DEMO_CV_IDS.published });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(FOLDER_MESSAGES.tooMany);
  });

  it('shows a folder whose CV was deleted without a CV', async () => {
    const created = await create({ name: 'Cuisine', cvId: DEMO_CV_IDS.draft });
    await server.db.query('delete from candidate_cvs where id = $1', [DEMO_CV_IDS.draft]);
    const [folder] = (await list()).body;
    expect(folder).toMatchObject({ id: created.body.id, cvId: null, cvTitle: null, cvFile: null });
  });
});

describe('RGPD: folders and CVs sent by e-mail', () => {
  it('exports the folders with their files, and erases them with the sends and their e-mails', async () => {
    const letter = await upload(pdf('rgpd'), 'letter');
    await create({
      name: 'Boulangerie',
      cvId: DEMO_CV_IDS.published,
      letterText: 'Ma lettre',
      letterFile: { sha256: letter, name: 'lettre.pdf' },
    });
    const sent = await api(`${server.url}/api/candidate/cvs/${DEMO_CV_IDS.published}/send`, {
      token,
      body: {
        to: 'rh@exemple.fr',
        subject: 'Ma candidature',
        message: 'Bonjour, voici mon CV.',
        layout: 'compact',
        order: 'experience',
      },
    });
    expect(sent.status).toBe(201);

    const exported = await exportCandidateData(server.db, CANDIDATE_ID);
    const data = exported.json.dossiers as {
      dossiers: { nom: string; fichierLettre: string | null; lettreDeMotivation: string }[];
      cvEnvoyesParCourriel: { destinataire: string; objet: string }[];
    };
    expect(data.dossiers).toHaveLength(1);
    expect(data.dossiers[0]).toMatchObject({ nom: 'Boulangerie', lettreDeMotivation: 'Ma lettre' });
    expect(exported.files.map((f) => f.name)).toContain(data.dossiers[0]!.fichierLettre);
    expect(data.cvEnvoyesParCourriel).toEqual([
      expect.objectContaining({ destinataire: 'rh@exemple.fr', objet: 'Ma candidature' }),
    ]);

    await server.db.transaction((tx) => eraseCandidate(tx, server.app.engine, CANDIDATE_ID, 'demande'));
    for (const table of ['application_folders', 'cv_sends'])
      expect((await server.db.query(`select 1 from ${table}`)).rows, table).toHaveLength(0);
    const { rows } = await server.db.query('select 1 from email_outbox where subject = $1', [
      'Ma candidature',
    ]);
    expect(rows).toHaveLength(0);
  });
});
