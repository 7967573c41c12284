/**
 * Messaging by e-mail (issue 7): the notification of a new message with the conversation's signed
 * reply address, the digest job, and replies received by the server's SMTP receiver (real SMTP
 * connections with nodemailer), refused politely when the rules say no.
 */
import { createHash, randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConversationDoc, inboxKeyFor } from '../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../shared/schemas/message.schema';
import type { ErrorCode } from '../../shared/sync/errors';
import { eraseCandidate } from '../src/candidate/rgpd';
import { clock } from '../src/clock';
import { type InboundDeps, type InboundSmtp, messageKeyOf, startInboundSmtp } from '../src/email/inbound';
import { makePdf } from '../src/files/sample-files';
import { HttpError } from '../src/http-error';
import { runMessagingDigest } from '../src/jobs/messaging-digest';
import { notifyCandidateOfMessage } from '../src/messaging/notify';
import { replyAddress, verifyReplyAddress } from '../src/messaging/reply-address';
import { appendCandidateMessage } from '../src/messaging/service';
import type { Doc } from '../src/sync/types';
import { api, startTestServer, type TestServer } from './harness';
import { startTestMailbox, type TestMailbox } from './mail';

const THOMAS = '0a0c0000-0000-4000-8000-000000000006';
const THOMAS_EMAIL = 'candidat@demo.test';
const CLAIRE = '0a0c0000-0000-4000-8000-000000000001';
const BOULANGERIE = '0b0e0000-0000-4000-8000-000000000001';
const BASE = 'http://portail.exemple.test';
const MINUTE = 60_000;

let server: TestServer;
let mailbox: TestMailbox;

beforeAll(async () => {
  mailbox = await startTestMailbox();
  server = await startTestServer({ mailTransport: mailbox.transport });
});

afterAll(async () => {
  await server?.stop();
  await mailbox?.close();
});

beforeEach(async () => {
  await server.reset();
  mailbox.clear();
});

afterEach(() => clock.reset());

// ---------------------------------------------------------------------------------------------
// Helpers

async function writeConversation(doc: ConversationDoc): Promise<void> {
  const def = server.app.engine.collection('conversations');
  if (!def) throw new Error('collection conversations absente');
  await server.db.transaction((tx) => server.app.engine.write(tx, def, doc as unknown as Doc, false));
}

async function newConversation(subject: string, overrides: Partial<ConversationDoc> = {}) {
  const at = clock.now().toISOString();
  const id = randomUUID();
  const doc: ConversationDoc = {
    id,
    organisationId: BOULANGERIE,
    organisationName: 'Boulangeries Martin',
    candidateId: THOMAS,
    candidateName: 'Thomas Garcia',
    aboutKind: 'none',
    subject,
    startedBy: 'organisation',
    createdAt: at,
    lastMessageAt: at,
    inboxKey: inboxKeyFor(at, id),
    messageCount: 1,
    readBy: [],
    hiddenBy: [],
    updatedAt: at,
    ...overrides,
  };
  await writeConversation(doc);
  return doc;
}

function orgMessage(
  conversation: ConversationDoc,
  body: string,
  extra: Partial<MessageDoc> = {},
): MessageDoc {
  const at = clock.now().toISOString();
  return {
    id: randomUUID(),
    conversationId: conversation.id,
    organisationId: conversation.organisationId,
    candidateId: conversation.candidateId,
    authorKind: 'organisation',
    authorId: CLAIRE,
    authorName: 'Claire Martin',
    body,
    attachments: [],
    via: 'workstation',
    createdAt: at,
    sentAt: at,
    ...extra,
  };
}

function notify(conversation: ConversationDoc, message: MessageDoc, base: string | undefined = BASE) {
  return server.db.transaction((tx) => notifyCandidateOfMessage(tx, { conversation, message, base }));
}

interface OutboxRow {
  to_address: string;
  subject: string;
  body_text: string;
  reply_to: string | null;
  headers: Record<string, string> | null;
}

/** The e-mails of the messaging (the other jobs' e-mails, alerts…, left out). */
async function outbox(): Promise<OutboxRow[]> {
  return (
    await server.db.query<OutboxRow>(
      `select to_address, subject, body_text, reply_to, headers from email_outbox
        where dedupe_key like 'messaging-%' order by id`,
    )
  ).rows;
}

async function pendingCount(): Promise<number> {
  const { rows } = await server.db.query<{ n: number }>(
    'select count(*)::int as n from messaging_mail_pending',
  );
  return Number(rows[0]!.n);
}

const candidateOf = (conversation: ConversationDoc) => async (id: string) =>
  id === conversation.id ? conversation.candidateId : null;

// ---------------------------------------------------------------------------------------------

describe('notification of a new message', () => {
  it('queues « Nouveau message de <organisation> » to the candidate, with the conversation’s reply address', async () => {
    const conversation = await newConversation('Entretien pour le poste de boulanger');
    const message = orgMessage(conversation, 'Bonjour Thomas,\nPouvez-vous venir mardi à 10 h ?');
    await notify(conversation, message);
    await notify(conversation, message); // the same message twice: one e-mail

    const rows = await outbox();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.to_address).toBe(THOMAS_EMAIL);
    expect(row.subject).toBe('Nouveau message de Boulangeries Martin : Entretien pour le poste de boulanger');
    expect(row.body_text).toContain('Pouvez-vous venir mardi à 10 h ?');
    expect(row.body_text).toContain(`${BASE}/mes-messages/${conversation.id}`);
    expect(row.body_text).toContain('Répondez directement à cet e-mail');
    expect(row.body_text).toContain('De : Claire Martin (Boulangeries Martin)');
    // The reply address is this conversation's, for this candidate.
    expect(row.reply_to).toBe(await replyAddress(server.db, conversation.id, THOMAS));
    expect(row.reply_to).toMatch(/^r-[0-9a-f]{32}-[a-z2-7]{26}@emploi-territoires\.test$/);
    // Auto-responders (RFC 3834) never answer a notification.
    expect(row.headers).toEqual({ 'Auto-Submitted': 'auto-generated' });
    expect(await verifyReplyAddress(server.db, row.reply_to!, candidateOf(conversation))).toEqual({
      conversationId: conversation.id,
      accountId: THOMAS,
    });
    expect(await verifyReplyAddress(server.db, row.reply_to!, async () => CLAIRE)).toBeNull();

    // Delivered through SMTP with its Reply-To.
    await server.app.outbox.flush();
    const mail = await mailbox.waitFor((m) => m.to.includes(THOMAS_EMAIL));
    expect(mail.replyTo).toContain(row.reply_to!);
    expect(mail.subject).toBe(row.subject);
  });

  it('tells nothing to a disabled account, an unconfirmed address, nor about the candidate’s own message', async () => {
    const conversation = await newConversation('Votre candidature');
    await notify(conversation, {
      ...orgMessage(conversation, 'Le mien'),
      authorKind: 'candidate',
      authorId: THOMAS,
    });
    expect(await outbox()).toEqual([]);

    await server.db.query('update accounts set email_confirmed_at = null where id = $1', [THOMAS]);
    await notify(conversation, orgMessage(conversation, 'Adresse non confirmée'));
    expect(await outbox()).toEqual([]);

    await server.db.query(
      'update accounts set email_confirmed_at = now(), disabled_at = now() where id = $1',
      [THOMAS],
    );
    await notify(conversation, orgMessage(conversation, 'Compte suspendu'));
    expect(await outbox()).toEqual([]);
    expect(await pendingCount()).toBe(0);
  });

  it('without a base, the e-mail points to « Mes messages » and its reply address still works', async () => {
    const conversation = await newConversation('Sans lien');
    const message = orgMessage(conversation, 'Bonjour');
    await server.db.transaction((tx) =>
      notifyCandidateOfMessage(tx, { conversation, message, base: undefined }),
    );
    const [row] = await outbox();
    expect(row?.body_text).toContain('rubrique « Mes messages »');
    expect(row?.reply_to).toBe(await replyAddress(server.db, conversation.id, THOMAS));
  });
});

describe('digest', () => {
  it('sends ONE e-mail for the messages that arrived within 30 minutes, listed per conversation', async () => {
    const a = await newConversation('Entretien');
    const b = await newConversation('Votre CV');
    await notify(a, orgMessage(a, 'Premier message'));
    expect(await outbox()).toHaveLength(1);
    clock.advance(MINUTE);
    await notify(a, orgMessage(a, 'Deuxième message'));
    clock.advance(MINUTE);
    await notify(a, orgMessage(a, 'Troisième message'));
    clock.advance(MINUTE);
    await notify(b, orgMessage(b, 'Message sur votre CV'));
    expect(await outbox()).toHaveLength(1);
    expect(await pendingCount()).toBe(3);

    // Within the 30 minutes: the job waits.
    await server.app.scheduler.runAll();
    expect(await outbox()).toHaveLength(1);

    clock.advance(30 * MINUTE);
    const results = await server.app.scheduler.runAll();
    expect(results['messaging-digest']).toEqual({ candidates: 1, mailed: 1, messages: 3, dropped: 0 });
    const rows = await outbox();
    expect(rows).toHaveLength(2);
    const digest = rows[1]!;
    expect(digest.to_address).toBe(THOMAS_EMAIL);
    expect(digest.subject).toBe('3 nouveaux messages de Boulangeries Martin');
    for (const text of [
      'Deuxième message',
      'Troisième message',
      'Message sur votre CV',
      '« Entretien »',
      '« Votre CV »',
    ])
      expect(digest.body_text).toContain(text);
    expect(digest.body_text).not.toContain('Premier message');
    expect(digest.body_text.indexOf('Deuxième message')).toBeLessThan(
      digest.body_text.indexOf('Troisième message'),
    );
    expect(digest.body_text).toContain(`${BASE.replace('portail.exemple.test', '')}`);
    expect(digest.reply_to).toBeNull(); // two conversations: links, no single reply address
    expect(await pendingCount()).toBe(0);

    // Nothing more to send.
    clock.advance(31 * MINUTE);
    await server.app.scheduler.runAll();
    expect(await outbox()).toHaveLength(2);
  });

  it('one conversation’s digest is answered directly; messages read meanwhile are left out', async () => {
    const a = await newConversation('Entretien');
    const b = await newConversation('Autre sujet');
    await notify(a, orgMessage(a, 'Premier'));
    clock.advance(MINUTE);
    await notify(a, orgMessage(a, 'Deuxième'));
    await notify(b, orgMessage(b, 'Lu entre-temps'));
    clock.advance(MINUTE);
    // The candidate reads conversation b on the portal.
    await writeConversation({ ...b, candidateReadAt: clock.now().toISOString() });

    clock.advance(30 * MINUTE);
    const outcome = await runMessagingDigest(server.db, server.app.engine, clock.now(), { base: BASE });
    expect(outcome).toEqual({ candidates: 1, mailed: 1, messages: 1, dropped: 1 });
    const digest = (await outbox())[1]!;
    expect(digest.subject).toBe('1 nouveau message de Boulangeries Martin');
    expect(digest.body_text).toContain('Deuxième');
    expect(digest.body_text).not.toContain('Lu entre-temps');
    expect(digest.body_text).toContain('Répondez directement à cet e-mail');
    expect(digest.body_text).toContain(`${BASE}/mes-messages/${a.id}`);
    expect(digest.reply_to).toBe(await replyAddress(server.db, a.id, THOMAS));
  });

  it('a candidate who read the conversation since the last e-mail is told of the next message at once', async () => {
    const a = await newConversation('Entretien');
    await notify(a, orgMessage(a, 'Premier'));
    clock.advance(2 * MINUTE);
    const read = { ...a, candidateReadAt: clock.now().toISOString() };
    clock.advance(MINUTE);
    await notify(read, orgMessage(read, 'Suite de la conversation'));
    expect((await outbox()).map((r) => r.body_text.includes('Suite de la conversation'))).toEqual([
      false,
      true,
    ]);
    expect(await pendingCount()).toBe(0);
  });

  it('a disabled account gets no digest', async () => {
    const a = await newConversation('Entretien');
    await notify(a, orgMessage(a, 'Premier'));
    await notify(a, orgMessage(a, 'Deuxième'));
    await server.db.query('update accounts set disabled_at = now() where id = $1', [THOMAS]);
    clock.advance(31 * MINUTE);
    const outcome = await runMessagingDigest(server.db, server.app.engine, clock.now(), { base: BASE });
    expect(outcome).toEqual({ candidates: 1, mailed: 0, messages: 0, dropped: 1 });
    expect(await outbox()).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------
// The SMTP receiver

type AppendInput = Parameters<typeof appendCandidateMessage>[2];

describe('replies by e-mail', () => {
  let inbound: InboundSmtp;
  const calls: AppendInput[] = [];
  let appendImpl: (input: AppendInput) => Promise<MessageDoc>;

  const fakeAppend: InboundDeps['append'] = async (_db, _engine, input) => {
    calls.push(input);
    return appendImpl(input);
  };

  beforeAll(async () => {
    inbound = await startInboundSmtp(
      {
        db: server.db,
        engine: server.app.engine,
        append: (db, engine, input) => fakeAppend(db, engine, input),
        base: () => BASE,
      },
      { host: '127.0.0.1', port: 0 },
    );
  });
  afterAll(async () => {
    await inbound?.close();
  });
  beforeEach(() => {
    calls.length = 0;
    appendImpl = async (input) => ({ ...({} as MessageDoc), body: input.body });
  });

  function send(mail: SendMailOptions) {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inbound.port,
      secure: false,
      ignoreTLS: true,
    });
    return transport
      .sendMail({ from: `Thomas Garcia <${THOMAS_EMAIL}>`, ...mail })
      .finally(() => transport.close());
  }

  const quotedReply = (text: string) =>
    `${text}\n\nLe ven. 5 déc. 2026 à 10:12, Emploi Territoires <ne-pas-repondre@emploi-territoires.test> a écrit :\n> Bonjour Thomas,\n> Pouvez-vous venir mardi ?\n`;

  it('lands the new text and the attachments in the conversation, once', async () => {
    const conversation = await newConversation('Entretien');
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    const pdf = makePdf();
    const messageId = `<${randomUUID()}@exemple.fr>`;
    const info = await send({
      to: to.toUpperCase(), // mail systems may change the case
      subject: 'Re: Nouveau message de Boulangeries Martin',
      text: quotedReply('Oui, mardi 10 h me convient.\n\n-- \nThomas Garcia'),
      messageId,
      attachments: [{ filename: 'attestation.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(info.accepted).toHaveLength(1);
    expect(calls).toHaveLength(1);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    expect(calls[0]).toEqual({
      accountId: THOMAS,
      conversationId: conversation.id,
      body: 'Oui, mardi 10 h me convient.',
      attachments: [{ sha256, name: 'attestation.pdf', size: pdf.length }],
      via: 'email',
    });
    // The file is stored, checked for the `message` use, the candidate its uploader.
    const file = await server.db.query<{ purpose: string; mime: string }>(
      'select purpose, mime from files where sha256 = $1',
      [sha256],
    );
    expect(file.rows).toEqual([{ purpose: 'message', mime: 'application/pdf' }]);
    const uploader = await server.db.query(
      'select 1 from file_uploaders where sha256 = $1 and account_id = $2',
      [sha256, THOMAS],
    );
    expect(uploader.rows).toHaveLength(1);

    // The sending server retries the same message: it lands once.
    await send({ to, subject: 'Re: x', text: 'Oui, mardi 10 h me convient.', messageId });
    expect(calls).toHaveLength(1);
    expect(await outbox()).toEqual([]);
  });

  it('answers 550 to a forged or altered address, before any data', async () => {
    const conversation = await newConversation('Entretien');
    const good = await replyAddress(server.db, conversation.id, THOMAS);
    const other = await newConversation('Autre', { candidateId: '0a0c0000-0000-4000-8000-000000000007' });
    const forged = [
      good.replace(
        /-([a-z2-7])([a-z2-7]{25})@/,
        (_m, c: string, rest: string) => `-${c === 'a' ? 'b' : 'a'}${rest}@`,
      ),
      // The signature of one conversation on another conversation's id.
      good.replace(conversation.id.replace(/-/g, ''), other.id.replace(/-/g, '')),
      // An unknown conversation.
      good.replace(conversation.id.replace(/-/g, ''), randomUUID().replace(/-/g, '')),
      `ne-pas-repondre@emploi-territoires.test`,
      good.replace('emploi-territoires.test', 'ailleurs.test'),
    ];
    for (const to of forged) {
      const error = await send({ to, subject: 'x', text: 'Je tente ma chance' }).then(
        () => null,
        (e: unknown) => e as { responseCode?: number; response?: string },
      );
      expect(error, to).not.toBeNull();
      expect(error?.responseCode).toBe(550);
      expect(error?.response).toContain('Adresse de réponse inconnue ou altérée');
    }
    expect(calls).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('refused by the rules: the candidate gets a polite e-mail saying why, and nothing lands', async () => {
    const conversation = await newConversation('Entretien');
    appendImpl = async () => {
      throw new HttpError(
        403,
        'messaging-refused' as ErrorCode,
        'Vous avez bloqué cette organisation : débloquez-la depuis « Mes messages » pour lui écrire à nouveau.',
        [{ field: 'organisationId', message: 'Organisation bloquée.' }],
      );
    };
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    await send({ to, subject: 'Re: x', text: quotedReply('Je voulais vous répondre.') });
    expect(calls).toHaveLength(1);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.to_address).toBe(THOMAS_EMAIL);
    expect(rows[0]!.subject).toBe('Votre réponse n’a pas été ajoutée à la conversation « Entretien »');
    expect(rows[0]!.body_text).toContain('Raison : Vous avez bloqué cette organisation');
    expect(rows[0]!.body_text).toContain('> Je voulais vous répondre.');
    expect(rows[0]!.body_text).toContain(`${BASE}/mes-messages/${conversation.id}`);
    expect(rows[0]!.reply_to).toBeNull();

    // Rate limit: the same polite answer.
    appendImpl = async () => {
      throw new HttpError(
        429,
        'too-many-requests',
        'Vous avez envoyé beaucoup de messages : réessayez dans une heure.',
      );
    };
    await send({ to, subject: 'Re: x', text: 'Encore un' });
    expect((await outbox())[1]?.body_text).toContain('Raison : Vous avez envoyé beaucoup de messages');
  });

  it('an empty reply or a refused attachment is answered without calling the service', async () => {
    const conversation = await newConversation('Entretien');
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    await send({ to, subject: 'Re: x', text: quotedReply('') });
    await send({
      to,
      subject: 'Re: x',
      text: 'Voici mon CV',
      attachments: [
        { filename: 'cv.exe', content: Buffer.from('MZ\u0090\u0000binaire'), contentType: 'application/pdf' },
      ],
    });
    expect(calls).toEqual([]);
    const rows = await outbox();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.body_text).toContain('Votre réponse est vide');
    expect(rows[1]!.body_text).toContain('« cv.exe » : Format refusé');
  });

  it('refuses with 550 a reply whose From is not the account’s address; the case does not matter', async () => {
    const conversation = await newConversation('Entretien');
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    const error = await send({
      to,
      subject: 'Re: x',
      text: 'Je réponds à sa place',
      from: 'autre@exemple.test',
    }).then(
      () => null,
      (e: unknown) => e as { responseCode?: number; response?: string },
    );
    expect(error?.responseCode).toBe(550);
    expect(error?.response).toContain('Adresse d’expéditeur refusée');
    expect(calls).toEqual([]);
    expect(await outbox()).toEqual([]);
    const claims = await server.db.query('select 1 from messaging_mail_inbound');
    expect(claims.rows).toEqual([]);

    const info = await send({
      to,
      subject: 'Re: x',
      text: 'C’est bien moi',
      from: 'Thomas <CANDIDAT@Demo.Test>',
    });
    expect(info.accepted).toHaveLength(1);
    expect(calls.map((c) => c.body)).toEqual(['C’est bien moi']);
  });

  it('sends at most 3 polite refusals per conversation and hour', async () => {
    const conversation = await newConversation('Entretien');
    appendImpl = async () => {
      throw new HttpError(403, 'messaging-refused' as ErrorCode, 'Vous avez bloqué cette organisation.');
    };
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    for (let i = 0; i < 6; i++) await send({ to, subject: 'Re: x', text: `Essai ${i}` });
    expect(calls).toHaveLength(6);
    expect(await outbox()).toHaveLength(3);
    // An hour later, the candidate is told again.
    clock.advance(61 * MINUTE);
    await send({ to, subject: 'Re: x', text: 'Essai suivant' });
    expect(await outbox()).toHaveLength(4);
  });

  it('keeps no attachment of a refused reply', async () => {
    const conversation = await newConversation('Entretien');
    appendImpl = async () => {
      throw new HttpError(403, 'messaging-refused' as ErrorCode, 'Vous avez bloqué cette organisation.');
    };
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    const pdf = makePdf();
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await send({
      to,
      subject: 'Re: x',
      text: 'Mon attestation',
      attachments: [{ filename: 'attestation.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.attachments.map((a) => a.sha256)).toEqual([sha256]);
    expect((await server.db.query('select 1 from files where sha256 = $1', [sha256])).rows).toEqual([]);
    expect((await server.db.query('select 1 from file_uploaders where sha256 = $1', [sha256])).rows).toEqual(
      [],
    );
  });

  it('a claim left « processing » by a crash does not block the sender’s retry for ever', async () => {
    const conversation = await newConversation('Entretien');
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    const claim = (messageId: string, minutesAgo: number) =>
      server.db.query(
        `insert into messaging_mail_inbound (message_key, conversation_id, account_id, outcome, received_at)
         values ($1, $2, $3, 'processing', $4)`,
        [
          messageKeyOf({ messageId }, new Uint8Array()),
          conversation.id,
          THOMAS,
          new Date(clock.now().getTime() - minutesAgo * MINUTE).toISOString(),
        ],
      );
    const recent = `<${randomUUID()}@exemple.fr>`;
    const stale = `<${randomUUID()}@exemple.fr>`;
    await claim(recent, 2);
    await claim(stale, 11);
    await send({ to, subject: 'Re: x', text: 'En cours ailleurs', messageId: recent });
    expect(calls).toEqual([]);
    await send({ to, subject: 'Re: x', text: 'Après la panne', messageId: stale });
    expect(calls.map((c) => c.body)).toEqual(['Après la panne']);
    const { rows } = await server.db.query<{ outcome: string }>(
      'select outcome from messaging_mail_inbound where message_key = $1',
      [messageKeyOf({ messageId: stale }, new Uint8Array())],
    );
    expect(rows).toEqual([{ outcome: 'appended' }]);
  });

  it('never answers automatic mail, bounces or our own address (no loop), nor adds them', async () => {
    const conversation = await newConversation('Entretien');
    const to = await replyAddress(server.db, conversation.id, THOMAS);
    await send({
      to,
      subject: 'Absence',
      text: 'Je suis en congés.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await send({ to, subject: 'Liste', text: 'Lettre', headers: { Precedence: 'bulk' } });
    await send({ to, subject: 'Retour', text: 'Non distribué', envelope: { from: '', to } });
    await send({
      to,
      subject: 'Boucle',
      text: 'Moi-même',
      from: 'Emploi Territoires <ne-pas-repondre@emploi-territoires.test>',
    });
    expect(calls).toEqual([]);
    expect(await outbox()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Through the real messaging service

describe('with the messaging service', () => {
  it('a reply by e-mail lands in the conversation the candidate reads on the portal', async () => {
    const token = await server.login(THOMAS_EMAIL);
    const recipients = await api<{ items: { organisationId: string }[] }>(
      `${server.url}/api/me/messaging/recipients`,
      { token },
    );
    expect(recipients.status, JSON.stringify(recipients.body)).toBe(200);
    const organisationId = recipients.body.items[0]?.organisationId;
    expect(organisationId).toBeTruthy();
    const started = await api<{ conversation: { id: string } }>(`${server.url}/api/me/conversations`, {
      token,
      body: { organisationId, subject: 'Ma candidature', body: 'Bonjour, avez-vous reçu ma candidature ?' },
    });
    expect(started.status).toBe(201);
    const conversationId = started.body.conversation.id;

    const inbound = await startInboundSmtp(
      { db: server.db, engine: server.app.engine, append: appendCandidateMessage, base: () => BASE },
      { host: '127.0.0.1', port: 0 },
    );
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: inbound.port,
        ignoreTLS: true,
      });
      await transport.sendMail({
        from: THOMAS_EMAIL,
        to: await replyAddress(server.db, conversationId, THOMAS),
        subject: 'Re: Ma candidature',
        text: 'J’ajoute mes disponibilités : tous les matins.\n\nLe lun. 1 déc. 2026, X <x@y.test> a écrit :\n> ancien',
      });
      transport.close();
    } finally {
      await inbound.close();
    }
    const read = await api<{ messages: { body: string; via: string; authorKind: string }[] }>(
      `${server.url}/api/me/conversations/${conversationId}`,
      { token },
    );
    expect(read.status).toBe(200);
    expect(read.body.messages.map((m) => [m.authorKind, m.via, m.body])).toEqual([
      ['candidate', 'portal', 'Bonjour, avez-vous reçu ma candidature ?'],
      ['candidate', 'email', 'J’ajoute mes disponibilités : tous les matins.'],
    ]);
  });

  it('a recruiter’s message pushed by the workstation queues the e-mail with its reply address, and the reply lands', async () => {
    const token = await server.login('recruteur1@demo.test');
    const at = clock.now().toISOString();
    const conversationId = randomUUID();
    const pushed = await api<unknown[]>(`${server.url}/api/sync/messages/v0/push`, {
      token,
      body: [
        {
          assumedMasterState: null,
          newDocumentState: {
            id: randomUUID(),
            conversationId,
            organisationId: BOULANGERIE,
            candidateId: THOMAS,
            authorKind: 'organisation',
            authorId: CLAIRE,
            authorName: 'Claire Martin',
            body: 'Bonjour Thomas, pouvez-vous passer jeudi ?',
            attachments: [],
            via: 'workstation',
            createdAt: at,
            sentAt: at,
            conversation: { subject: 'Votre candidature', candidateId: THOMAS, aboutKind: 'none' },
          },
        },
      ],
    });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toEqual([]);
    const [notification] = await outbox();
    expect(notification?.to_address).toBe(THOMAS_EMAIL);
    expect(notification?.subject).toBe('Nouveau message de Boulangeries Martin : Votre candidature');
    expect(notification?.body_text).toContain('Bonjour Thomas, pouvez-vous passer jeudi ?');
    expect(notification?.reply_to).toBe(await replyAddress(server.db, conversationId, THOMAS));

    const inbound = await startInboundSmtp(
      { db: server.db, engine: server.app.engine, append: appendCandidateMessage, base: () => BASE },
      { host: '127.0.0.1', port: 0 },
    );
    try {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: inbound.port,
        ignoreTLS: true,
      });
      await transport.sendMail({
        from: THOMAS_EMAIL,
        to: notification!.reply_to!,
        subject: `Re: ${notification!.subject}`,
        text: `Oui, jeudi me convient.\n\nLe ven. 5 déc. 2026 à 10:12, Emploi Territoires <ne-pas-repondre@emploi-territoires.test> a écrit :\n${notification!.body_text
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n')}`,
      });
      transport.close();
    } finally {
      await inbound.close();
    }
    const stored = await server.db.query<{ doc: MessageDoc }>(
      `select doc from messages where doc->>'conversationId' = $1 and not deleted order by doc->>'sentAt'`,
      [conversationId],
    );
    expect(stored.rows.map((r) => [r.doc.authorKind, r.doc.via, r.doc.body])).toEqual([
      ['organisation', 'workstation', 'Bonjour Thomas, pouvez-vous passer jeudi ?'],
      ['candidate', 'email', 'Oui, jeudi me convient.'],
    ]);
  });

  it('the candidate’s erasure leaves nothing in the mail tables', async () => {
    const a = await newConversation('Entretien');
    await notify(a, orgMessage(a, 'Premier'));
    await notify(a, orgMessage(a, 'Deuxième'));
    await server.db.query(
      `insert into messaging_mail_inbound (message_key, conversation_id, account_id, outcome, received_at)
       values ('k', $1, $2, 'appended', now())`,
      [a.id, THOMAS],
    );
    expect(await pendingCount()).toBe(1);
    await server.db.transaction((tx) => eraseCandidate(tx, server.app.engine, THOMAS, 'demande'));
    for (const table of ['messaging_mail_state', 'messaging_mail_pending', 'messaging_mail_inbound']) {
      const { rows } = await server.db.query(`select * from ${table}`);
      expect(rows, table).toEqual([]);
    }
    expect(await outbox()).toEqual([]);
  });
});
