import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateCv } from '../../shared/domain/cv';
import { MEGABYTE } from '../../shared/domain/files';
import { createSession } from '../src/auth/sessions';
import { makeCvPdf, makeDoc, makeDocx, makeOdt, makeRtf } from '../src/candidate/cv-sample-files';
import { CV_DATA } from '../src/candidate/personal-data/cvs';
import { makePng } from '../src/files/sample-files';
import { importRomeBuiltin } from '../src/reference/rome';
import { api, settle, startTestServer, type TestServer } from './harness';

/** Issue 4: « Attach a personal CV file (pdf, doc, docx, odt, rtf, txt; size-limited; type checked by content; text extracted) ». */

let server: TestServer;
let recruiter: string;

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const TARGET = {
  appellationCode: '11573',
  appellationLabel: 'Boulanger / Boulangère',
  romeCode: 'D1102',
  workplaces: [],
  contractTypes: ['CDI'],
  workingTimes: [],
};

beforeAll(async () => {
  server = await startTestServer();
  await importRomeBuiltin(server.db);
  recruiter = await server.login('recruteur1@demo.test');
});
afterAll(async () => {
  await server?.stop();
});

async function candidate() {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, 'x', 'candidate', 'Sofia', 'Martin', now())`,
    [id, `fichier-${id}@demo.test`],
  );
  return { id, token: await createSession(server.db, id) };
}

async function upload(token: string, bytes: Uint8Array, purpose = 'cv') {
  const res = await fetch(`${server.url}/api/candidate/files?purpose=${purpose}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: Buffer.from(bytes),
  });
  return {
    status: res.status,
    body: (await res.json()) as { sha256: string; mime: string; error?: { message: string } },
  };
}

const getFile = (token: string, hash: string) =>
  fetch(`${server.url}/api/files/${hash}`, { headers: { authorization: `Bearer ${token}` } });

describe('uploading a personal CV', () => {
  it('accepts pdf, doc, docx, odt, rtf and txt, judged by content', async () => {
    const c = await candidate();
    const files: [Uint8Array, string][] = [
      [await makeCvPdf(['CV de Sofia Martin']), 'application/pdf'],
      [makeDoc(), 'application/msword'],
      [
        makeDocx(['CV de Sofia Martin']),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
      [makeOdt(['CV de Sofia Martin']), 'application/vnd.oasis.opendocument.text'],
      [makeRtf(['CV de Sofia Martin']), 'application/rtf'],
      [Buffer.from('CV de Sofia Martin\nBoulangère\n'), 'text/plain'],
    ];
    for (const [bytes, mime] of files) {
      const res = await upload(c.token, bytes);
      expect(res.status, mime).toBe(201);
      expect(res.body).toMatchObject({ sha256: sha(bytes), mime });
      const own = await getFile(c.token, res.body.sha256);
      expect(own.status).toBe(200);
      expect(own.headers.get('content-disposition')).toMatch(/^attachment/);
    }
  });

  it('refuses HTML, images and executables for a CV, and files over 5 Mo, in French', async () => {
    const c = await candidate();
    for (const bytes of [
      Buffer.from('<html><script>alert(1)</script></html>'),
      makePng(),
      Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]),
    ]) {
      const res = await upload(c.token, bytes);
      expect(res.status).toBe(415);
      expect(res.body.error?.message).toContain('PDF, DOC, DOCX, ODT, RTF ou TXT');
    }
    const big = Buffer.alloc(5 * MEGABYTE + 1, 0x41);
    const tooBig = await upload(c.token, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error?.message).toBe('Le fichier dépasse 5 Mo.');
    // Photos keep their image-only rule.
    expect((await upload(c.token, makeDocx(['x']), 'photo')).status).toBe(415);
  });
});

describe('a CV with its file', () => {
  it('attaches a file: its text is extracted for search; recruiters read it while the CV is visible', async () => {
    const c = await candidate();
    const other = await candidate();
    const docx = makeDocx(['Sofia Martin', 'Spécialiste de la pâte feuilletée et du croissant']);
    const { body: file } = await upload(c.token, docx);
    const created = await api<CandidateCv>(`${server.url}/api/candidate/cvs`, {
      token: c.token,
      body: { target: TARGET, file: { sha256: file.sha256, name: 'mon-cv.docx' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.file).toEqual({
      sha256: file.sha256,
      name: 'mon-cv.docx',
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      size: docx.length,
    });
    const text = await server.db.query<{ text: string }>('select text from cv_file_texts where sha256 = $1', [
      file.sha256,
    ]);
    expect(text.rows[0]?.text).toContain('pâte feuilletée');

    // Before publication: the recruiter may not read it; another candidate never.
    expect((await getFile(recruiter, file.sha256)).status).toBe(404);
    const published = await api(`${server.url}/api/candidate/cvs/${created.body.id}/publish`, {
      token: c.token,
      body: {},
    });
    expect(published.status).toBe(200);
    await settle(server.db);
    const search = await server.db.query<{ search: string }>('select search from cvs where id = $1', [
      created.body.id,
    ]);
    expect(search.rows[0]?.search).toContain('croissant');
    expect((await getFile(recruiter, file.sha256)).status).toBe(200);
    expect((await getFile(other.token, file.sha256)).status).toBe(404);

    await api(`${server.url}/api/candidate/cvs/${created.body.id}/suspend`, { token: c.token, body: {} });
    expect((await getFile(recruiter, file.sha256)).status).toBe(404);
    expect((await getFile(c.token, file.sha256)).status).toBe(200);
  });

  it('refuses a file the candidate did not send, or of a type a CV does not accept', async () => {
    const c = await candidate();
    const other = await candidate();
    const { body: theirs } = await upload(other.token, Buffer.from('Le CV de quelqu’un d’autre'));
    const res = await api<{ error: { fields: { field: string }[] } }>(`${server.url}/api/candidate/cvs`, {
      token: c.token,
      body: { file: { sha256: theirs.sha256 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]?.field).toBe('file');
    const photo = await upload(c.token, makePng(), 'photo');
    const asCv = await api(`${server.url}/api/candidate/cvs`, {
      token: c.token,
      body: { file: { sha256: photo.body.sha256 } },
    });
    expect(asCv.status).toBe(400);
  });

  it('express mode: a CV made of the attached file alone, which cannot be removed', async () => {
    const c = await candidate();
    const noFile = await api<{ error: { fields: { field: string }[] } }>(`${server.url}/api/candidate/cvs`, {
      token: c.token,
      body: { express: true },
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.fields[0]?.field).toBe('file');
    const rtf = makeRtf(['Sofia Martin', 'Vendeuse en boulangerie']);
    const { body: file } = await upload(c.token, rtf);
    const express = await api<CandidateCv>(`${server.url}/api/candidate/cvs`, {
      token: c.token,
      body: { express: true, file: { sha256: file.sha256, name: 'cv.rtf' }, target: TARGET },
    });
    expect(express.status).toBe(201);
    expect(express.body).toMatchObject({ express: true, title: 'Boulanger / Boulangère' });
    const removed = await api(`${server.url}/api/candidate/cvs/${express.body.id}`, {
      token: c.token,
      method: 'PUT',
      body: { file: null },
    });
    expect(removed.status).toBe(400);
    expect(
      (await api(`${server.url}/api/candidate/cvs/${express.body.id}/publish`, { token: c.token, body: {} }))
        .status,
    ).toBe(200);
    await settle(server.db);
    const doc = await server.db.query<{ doc: { express: boolean; file: { name: string } } }>(
      'select doc from cvs where id = $1',
      [express.body.id],
    );
    expect(doc.rows[0]?.doc).toMatchObject({ express: true, file: { name: 'cv.rtf' } });
  });

  it('RGPD: export lists the file; erasure removes the CV files and their text', async () => {
    const c = await candidate();
    const pdf = await makeCvPdf(['Sofia Martin, boulangère']);
    const { body: file } = await upload(c.token, pdf);
    await api(`${server.url}/api/candidate/cvs`, {
      token: c.token,
      body: { file: { sha256: file.sha256, name: 'CV Sofia.pdf' } },
    });
    const exported = await CV_DATA.exportData(server.db, c.id);
    expect(exported.files).toEqual([{ sha256: file.sha256, name: 'cv/1-CV Sofia.pdf' }]);
    await server.db.transaction((tx) => CV_DATA.erase(tx, server.app.engine, c.id));
    for (const table of ['files', 'cv_file_texts', 'file_refs']) {
      const { rows } = await server.db.query(`select 1 from ${table} where sha256 = $1`, [file.sha256]);
      expect(rows, table).toHaveLength(0);
    }
  });
});
