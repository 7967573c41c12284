/** Shared helpers of the messaging suites (messaging.test.ts, messaging-sync.test.ts). */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type ConversationDoc, inboxKeyFor } from '../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../shared/schemas/message.schema';
import type { NoticeDoc } from '../../shared/schemas/notice.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { hashPassword } from '../src/auth/password';
import { DEMO_PASSWORD } from '../src/db/seed-demo';
import { makePdf } from '../src/files/sample-files';
import { api, settle, type TestServer } from './harness';

export type Live<T> = T & { _deleted: boolean };
export const live = <T>(doc: T): Live<T> => ({ ...doc, _deleted: false });

export function helpers(getServer: () => TestServer) {
  const url = (path: string) => `${getServer().url}${path}`;

  async function addMember(email: string, organisationId: string) {
    const server = getServer();
    const id = randomUUID();
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
       values ($1, $2, $3, 'recruiter', 'Paul', 'Lefèvre', 'Recruteur')`,
      [id, email, await hashPassword(DEMO_PASSWORD)],
    );
    await server.db.query(
      "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
      [id, organisationId],
    );
    return { id, token: await server.login(email) };
  }

  /** A confirmed candidate account, signed in. */
  async function newCandidate(firstName = 'Léa', lastName = 'Durand') {
    const server = getServer();
    const id = randomUUID();
    const email = `candidat-${id.slice(0, 8)}@exemple.test`;
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
       values ($1, $2, $3, 'candidate', $4, $5, now())`,
      [id, email, await hashPassword(DEMO_PASSWORD), firstName, lastName],
    );
    return { id, email, token: await server.login(email) };
  }

  /** A published offer of this organisation that takes applications on the portal. */
  async function offerOf(organisationId: string): Promise<string> {
    const { rows } = await getServer().db.query<{ id: string }>(
      `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
         and coalesce(doc->>'applicationMode', 'portail') = 'portail' order by doc->>'number' limit 1`,
      [organisationId],
    );
    expect(rows[0], `une offre publiée de ${organisationId}`).toBeDefined();
    return rows[0]!.id;
  }

  /** The candidate applies on the portal with a PDF CV; returns the application id. */
  async function apply(token: string, organisationId: string): Promise<string> {
    const upload = await fetch(url('/api/candidate/files?purpose=cv'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: makePdf(),
    });
    const file = ((await upload.json()) as { sha256: string }).sha256;
    const res = await api<{ application: { id: string } }>(url('/api/candidate/applications'), {
      token,
      body: { offerId: await offerOf(organisationId), file },
    });
    expect(res.status).toBe(201);
    return res.body.application.id;
  }

  async function pullAll<T>(collection: string, token: string, from: SyncCheckpoint | null = null) {
    await settle(getServer().db);
    const docs = new Map<string, Live<T>>();
    let checkpoint = from;
    for (let i = 0; i < 100; i++) {
      const q = new URLSearchParams({ batchSize: '100' });
      if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
      const res = await api<PullResponse<Live<T>>>(url(`/api/sync/${collection}/v0/pull?${q}`), { token });
      expect(res.status).toBe(200);
      if (res.body.documents.length === 0) break;
      for (const d of res.body.documents) docs.set((d as unknown as { id: string }).id, d);
      checkpoint = res.body.checkpoint;
    }
    return docs;
  }

  async function push<T>(
    collection: string,
    token: string,
    rows: { assumedMasterState: T | null; newDocumentState: T }[],
  ): Promise<T[]> {
    const res = await api<T[]>(url(`/api/sync/${collection}/v0/push`), { token, body: rows });
    expect(res.status).toBe(200);
    return res.body;
  }

  async function noticesOf(userId: string): Promise<NoticeDoc[]> {
    const { rows } = await getServer().db.query<{ doc: NoticeDoc }>(
      "select doc from notices where doc->>'userId' = $1 and not deleted order by seq",
      [userId],
    );
    return rows.map((r) => r.doc);
  }

  async function stored<T>(table: 'conversations' | 'messages', id: string) {
    const { rows } = await getServer().db.query<{ doc: T; deleted: boolean; keys: string[] }>(
      `select doc, deleted, keys from ${table} where id = $1`,
      [id],
    );
    return rows[0];
  }

  async function messagesOf(conversationId: string): Promise<MessageDoc[]> {
    const { rows } = await getServer().db.query<{ doc: MessageDoc }>(
      `select doc from messages where not deleted and doc->>'conversationId' = $1 order by doc->>'sentAt', id`,
      [conversationId],
    );
    return rows.map((r) => r.doc);
  }

  async function outboxTo(email: string) {
    const { rows } = await getServer().db.query<{ subject: string }>(
      'select subject from email_outbox where lower(to_address) = lower($1)',
      [email],
    );
    return rows;
  }

  return {
    url,
    addMember,
    newCandidate,
    offerOf,
    apply,
    pullAll,
    push,
    noticesOf,
    stored,
    messagesOf,
    outboxTo,
  };
}

/** A conversation as a workstation writes it (server-owned fields are placeholders). */
export function conversationDraft(input: {
  organisationId: string;
  aboutKind: ConversationDoc['aboutKind'];
  aboutId?: string;
  candidateId?: string;
  subject?: string;
  id?: string;
}): ConversationDoc {
  const id = input.id ?? randomUUID();
  const at = new Date(Date.now() - 1000).toISOString();
  return {
    id,
    organisationId: input.organisationId,
    candidateId: input.candidateId ?? '',
    candidateName: 'Nom inventé',
    aboutKind: input.aboutKind,
    ...(input.aboutId ? { aboutId: input.aboutId } : {}),
    subject: input.subject ?? 'Votre candidature',
    startedBy: 'organisation',
    createdAt: at,
    lastMessageAt: at,
    inboxKey: inboxKeyFor(at, id),
    messageCount: 0,
    readBy: [],
    hiddenBy: [],
    updatedAt: at,
  };
}

/** A message as a workstation writes it; `header` for the first message of a conversation made offline. */
export function messageDraft(input: {
  conversation: ConversationDoc;
  authorId: string;
  body: string;
  header?: boolean;
  id?: string;
}): MessageDoc {
  const at = new Date(Date.now() - 500).toISOString();
  const c = input.conversation;
  return {
    id: input.id ?? randomUUID(),
    conversationId: c.id,
    organisationId: c.organisationId,
    candidateId: c.candidateId,
    authorKind: 'organisation',
    authorId: input.authorId,
    authorName: 'Nom inventé',
    body: input.body,
    attachments: [],
    via: 'workstation',
    createdAt: at,
    sentAt: at,
    ...(input.header
      ? {
          conversation: {
            subject: c.subject,
            aboutKind: c.aboutKind,
            ...(c.aboutId ? { aboutId: c.aboutId } : {}),
            ...(c.candidateId ? { candidateId: c.candidateId } : {}),
          },
        }
      : {}),
  };
}
