/**
 * The candidate's messaging (issue 7; RGPD export and erasure).
 *
 * Export: their conversations (organisation, subject, what it was about, dates) with every message
 * (author, text, attachments, date), and the attached files they can read.
 *
 * Erasure: every conversation and message of the account becomes a tombstone through the engine
 * (`engine.write(…, true)`: the stored row keeps no content, the members' replicas drop it at their
 * next pull); the messages' file references go; the blocks and reports about them go too.
 */
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import { recordFileRefs } from '../../files/routes';
import type { Doc } from '../../sync/types';
import type { ExportedFile, PersonalDataStep } from './types';

const safe = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'fichier';

export const MESSAGE_DATA: PersonalDataStep = {
  name: 'messages',
  async exportData(q, accountId) {
    const { rows: conversations } = await q.query<{ doc: ConversationDoc }>(
      `select doc from conversations where not deleted and doc->>'candidateId' = $1 order by doc->>'createdAt', id`,
      [accountId],
    );
    const { rows: messages } = await q.query<{ doc: MessageDoc }>(
      `select doc from messages where not deleted and doc->>'candidateId' = $1 order by doc->>'sentAt', id`,
      [accountId],
    );
    const files: ExportedFile[] = [];
    const seen = new Set<string>();
    const { rows: stored } = await q.query<{ sha256: string }>(
      'select sha256 from files where sha256 = any($1::text[])',
      [messages.flatMap((m) => m.doc.attachments.map((a) => a.sha256))],
    );
    const present = new Set(stored.map((r) => r.sha256));
    const byConversation = new Map<string, MessageDoc[]>();
    for (const { doc } of messages) {
      const list = byConversation.get(doc.conversationId) ?? [];
      list.push(doc);
      byConversation.set(doc.conversationId, list);
    }
    return {
      data: conversations.map(({ doc: c }) => ({
        organisation: c.organisationName ?? '',
        objet: c.subject,
        sujet: c.aboutLabel ?? null,
        commenceeLe: c.createdAt,
        commenceePar: c.startedBy === 'candidate' ? 'vous' : 'l’organisation',
        bloqueeParVous: c.blockedByCandidate === true,
        messages: (byConversation.get(c.id) ?? []).map((m) => ({
          auteur: m.authorKind === 'candidate' ? 'vous' : m.authorName,
          texte: m.body,
          envoyeLe: m.sentAt,
          via: m.via,
          piecesJointes: m.attachments.map((a) => {
            if (!present.has(a.sha256)) return { nom: a.name, fichier: null };
            const name = `messages/${a.sha256.slice(0, 8)}-${safe(a.name)}`;
            if (!seen.has(a.sha256)) {
              seen.add(a.sha256);
              files.push({ sha256: a.sha256, name });
            }
            return { nom: a.name, fichier: name };
          }),
        })),
      })),
      files,
    };
  },
  async erase(tx, engine, accountId) {
    const conversations = engine.collection('conversations');
    const messagesDef = engine.collection('messages');
    if (!conversations || !messagesDef) return;
    const { rows: convs } = await tx.query<{ id: string; doc: Doc }>(
      `select id, doc from conversations where not deleted and doc->>'candidateId' = $1 order by id for update`,
      [accountId],
    );
    const { rows: messages } = await tx.query<{ id: string; doc: Doc }>(
      `select id, doc from messages
        where not deleted and (doc->>'candidateId' = $1 or doc->>'conversationId' = any($2::text[]))
        order by id for update`,
      [accountId, convs.map((c) => c.id)],
    );
    for (const m of messages) {
      await engine.write(tx, messagesDef, m.doc, true);
      await recordFileRefs(tx, 'messages', m.id, []);
    }
    for (const c of convs) await engine.write(tx, conversations, c.doc, true);
    await tx.query(
      'delete from conversation_reports where conversation_id = any($1::text[]) or reporter_id = $2::uuid',
      [convs.map((c) => c.id), accountId],
    );
    await tx.query('delete from messaging_blocks where candidate_account_id = $1::uuid', [accountId]);
  },
};
