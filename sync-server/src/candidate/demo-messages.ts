/**
 * Thomas Garcia's demo conversation (issue 7): with the employer of his first demo application
 * (« Envoyée »), about that application; three messages both ways — he asks, the recruiter answers,
 * he answers back (not read yet by the recruiter). Stable ids, so a demo never duplicates it.
 */
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import { type ConversationDoc, inboxKeyFor } from '../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import type { Queryable } from '../db/database';
import type { DemoCandidateIds } from '../db/seed-demo-candidate';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import { DEMO_APPLICATION_IDS } from './demo-applications';

export const DEMO_CONVERSATION_ID = '0a0d0000-0000-4000-8000-000000000001';
export const DEMO_MESSAGE_IDS = [
  '0a0d0000-0000-4000-8000-000000000011',
  '0a0d0000-0000-4000-8000-000000000012',
  '0a0d0000-0000-4000-8000-000000000013',
] as const;

const HOUR = 3600 * 1000;

export async function seedDemoMessages(
  tx: Queryable,
  engine: SyncEngine,
  ids: DemoCandidateIds,
): Promise<void> {
  const conversations = engine.collection('conversations');
  const messagesDef = engine.collection('messages');
  if (!conversations || !messagesDef) return;
  const exists = await tx.query('select 1 from conversations where id = $1', [DEMO_CONVERSATION_ID]);
  if (exists.rows.length > 0) return;
  const { rows } = await tx.query<{ doc: ApplicationDoc }>(
    'select doc from applications where id = $1 and not deleted',
    [DEMO_APPLICATION_IDS[0]],
  );
  const app = rows[0]?.doc;
  if (!app || app.candidateId !== ids.candidate) return;
  const { rows: people } = await tx.query<{
    organisation_name: string;
    recruiter_id: string;
    recruiter_first: string;
    recruiter_last: string;
    first_name: string;
    last_name: string;
  }>(
    `select o.name as organisation_name, r.id::text as recruiter_id, r.first_name as recruiter_first,
            r.last_name as recruiter_last, c.first_name, c.last_name
       from organisations o
       join memberships m on m.organisation_id = o.id
       join accounts r on r.id = m.account_id
       join accounts c on c.id = $2::uuid
      where o.id = $1::uuid
      order by (r.id::text = $3) desc, m.role, m.created_at, r.id limit 1`,
    [app.organisationId, ids.candidate, app.history?.[1]?.by ?? ''],
  );
  const p = people[0];
  if (!p) return;
  const recruiterName = `${p.recruiter_first} ${p.recruiter_last}`;
  const candidateName = `${p.first_name} ${p.last_name}`;
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
  const offerTitle = String(app.offer?.title ?? 'votre offre');
  const base = {
    conversationId: DEMO_CONVERSATION_ID,
    organisationId: app.organisationId,
    candidateId: ids.candidate,
    attachments: [],
  };
  const messages: MessageDoc[] = [
    {
      ...base,
      id: DEMO_MESSAGE_IDS[0],
      authorKind: 'candidate',
      authorId: ids.candidate,
      authorName: candidateName,
      body: `Bonjour,\n\nJ’ai postulé à votre offre « ${offerTitle} ». Le poste est-il toujours à pourvoir, et à partir de quand ?\n\nCordialement,\nThomas Garcia`,
      via: 'portal',
      createdAt: at(50),
      sentAt: at(50),
    },
    {
      ...base,
      id: DEMO_MESSAGE_IDS[1],
      authorKind: 'organisation',
      authorId: p.recruiter_id,
      authorName: recruiterName,
      body: 'Bonjour Thomas,\n\nOui, le poste est à pourvoir dès le mois prochain. Seriez-vous disponible pour un échange téléphonique jeudi à 10 h ?\n\nBien à vous',
      via: 'workstation',
      createdAt: at(26),
      sentAt: at(26),
    },
    {
      ...base,
      id: DEMO_MESSAGE_IDS[2],
      authorKind: 'candidate',
      authorId: ids.candidate,
      authorName: candidateName,
      body: 'Bonjour,\n\nJeudi 10 h me convient très bien. Je reste joignable au 06 12 34 56 78.\n\nMerci, à jeudi.',
      via: 'portal',
      createdAt: at(3),
      sentAt: at(3),
    },
  ];
  const last = messages[2]!;
  const conversation: ConversationDoc = {
    id: DEMO_CONVERSATION_ID,
    organisationId: app.organisationId,
    organisationName: p.organisation_name.slice(0, 150),
    candidateId: ids.candidate,
    candidateName,
    aboutKind: 'application',
    aboutId: app.id,
    aboutLabel: offerTitle.slice(0, 200),
    subject: `Votre candidature : ${offerTitle}`.slice(0, 150),
    startedBy: 'candidate',
    createdAt: messages[0]!.sentAt,
    lastMessageAt: last.sentAt,
    inboxKey: inboxKeyFor(last.sentAt, DEMO_CONVERSATION_ID),
    lastMessagePreview: last.body.replace(/\s+/g, ' ').slice(0, 160),
    lastMessageFrom: 'candidate',
    messageCount: 3,
    candidateLastAt: last.sentAt,
    // The recruiter read up to their own answer: Thomas's last message is unread.
    readBy: [{ accountId: p.recruiter_id, at: messages[1]!.sentAt }],
    hiddenBy: [],
    blockedByCandidate: false,
    blockedByOrganisation: false,
    updatedAt: last.sentAt,
  };
  await engine.write(tx, conversations, conversation as unknown as Doc, false);
  for (const m of messages) await engine.write(tx, messagesDef, m as unknown as Doc, false);
  // Thomas read the whole conversation (his own mark, kept on the server, never replicated).
  await tx.query(
    `insert into conversation_candidate_marks (conversation_id, account_id, read_at) values ($1, $2::uuid, $3)
     on conflict (conversation_id, account_id) do nothing`,
    [DEMO_CONVERSATION_ID, ids.candidate, last.sentAt],
  );
}
