/**
 * The messaging digest (issue 7): messages that arrived while a candidate had been e-mailed less
 * than 30 minutes before (messaging/notify.ts) wait in `messaging_mail_pending`; once that delay
 * has passed, this job sends ONE e-mail per candidate listing them per conversation, leaving out
 * the conversations the candidate read meanwhile, and nothing at all to a disabled or erased
 * account.
 *
 * Each candidate is handled in one transaction that locks their state row and deletes their
 * waiting rows: two instances never send the same digest, and a failed run sends nothing and
 * leaves the rows for the next tick.
 */
import type { Database } from '../db/database';
import { queueEmail } from '../email/outbox';
import {
  conversationDoc,
  DIGEST_WINDOW_MS,
  type DigestItem,
  digestEmail,
  lockMailState,
  notifiableCandidate,
} from '../messaging/notify';
import { replyAddress } from '../messaging/reply-address';
import type { SyncEngine } from '../sync/engine';
import type { ScheduledJob } from './scheduler';

export interface DigestOutcome {
  /** Candidates whose waiting messages were looked at. */
  candidates: number;
  /** Digest e-mails queued. */
  mailed: number;
  /** Messages listed in them. */
  messages: number;
  /** Waiting messages dropped (read meanwhile, account disabled or erased, conversation gone). */
  dropped: number;
}

const BATCH = 100;

interface PendingRow {
  id: string;
  conversation_id: string;
  organisation_name: string;
  subject: string;
  author_name: string;
  body: string;
  attachment_names: string[] | null;
  sent_at: Date | string;
}

export async function runMessagingDigest(
  db: Database,
  engine: SyncEngine,
  now: Date,
  options: { base: string | undefined },
): Promise<DigestOutcome> {
  const outcome: DigestOutcome = { candidates: 0, mailed: 0, messages: 0, dropped: 0 };
  const dueBefore = new Date(now.getTime() - DIGEST_WINDOW_MS).toISOString();
  const seen = new Set<string>();
  for (;;) {
    const { rows } = await db.query<{ account_id: string }>(
      `select p.account_id::text as account_id
         from messaging_mail_pending p
         left join messaging_mail_state s on s.account_id = p.account_id
        where (s.last_notified_at is null or s.last_notified_at <= $1)
          and not (p.account_id = any($3::uuid[]))
        group by p.account_id
        order by min(p.id)
        limit $2`,
      [dueBefore, BATCH, [...seen]],
    );
    for (const { account_id: accountId } of rows) {
      seen.add(accountId);
      outcome.candidates++;
      await db.transaction(async (tx) => {
        const last = await lockMailState(tx, accountId);
        if (last && last.getTime() > now.getTime() - DIGEST_WINDOW_MS) return; // e-mailed meanwhile
        const taken = await tx.query<PendingRow>(
          `delete from messaging_mail_pending where account_id = $1
           returning id::text as id, conversation_id, organisation_name, subject, author_name, body,
                     attachment_names, sent_at`,
          [accountId],
        );
        const pending = taken.rows.sort((a, b) => Number(a.id) - Number(b.id));
        const candidate = await notifiableCandidate(tx, accountId);
        if (!candidate) {
          outcome.dropped += pending.length;
          return;
        }
        const items: DigestItem[] = [];
        const readAt = new Map<string, number | null>();
        for (const row of pending) {
          if (!readAt.has(row.conversation_id)) {
            const doc = await conversationDoc(tx, engine, row.conversation_id);
            readAt.set(
              row.conversation_id,
              doc === null || (doc && doc.candidateId !== accountId)
                ? Number.POSITIVE_INFINITY // gone (or no longer theirs): nothing to tell
                : doc?.candidateReadAt
                  ? new Date(doc.candidateReadAt).getTime()
                  : null,
            );
          }
          const read = readAt.get(row.conversation_id);
          const sentAt = new Date(row.sent_at);
          if (read !== null && read !== undefined && read >= sentAt.getTime()) {
            outcome.dropped++;
            continue;
          }
          items.push({
            conversationId: row.conversation_id,
            organisationName: row.organisation_name,
            subject: row.subject,
            authorName: row.author_name,
            body: row.body,
            attachmentNames: Array.isArray(row.attachment_names) ? row.attachment_names : [],
            sentAt: sentAt.toISOString(),
          });
        }
        if (items.length === 0) return;
        const conversations = [...new Set(items.map((i) => i.conversationId))];
        const mail = digestEmail({ firstName: candidate.firstName, items, base: options.base });
        const single = conversations.length === 1 ? conversations[0] : undefined;
        await queueEmail(tx, {
          to: candidate.email,
          subject: mail.subject,
          text: mail.text,
          ...(single ? { replyTo: await replyAddress(tx, single, accountId) } : {}),
          dedupeKey: `messaging-digest:${accountId}:${pending[pending.length - 1]?.id}`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        await tx.query('update messaging_mail_state set last_notified_at = $2 where account_id = $1', [
          accountId,
          now.toISOString(),
        ]);
        outcome.mailed++;
        outcome.messages += items.length;
      });
    }
    if (rows.length < BATCH) break;
  }
  return outcome;
}

export function messagingDigestJob(deps: {
  db: Database;
  engine: SyncEngine;
  publicUrl: () => string;
}): ScheduledJob {
  return {
    name: 'messaging-digest',
    run: (now) => runMessagingDigest(deps.db, deps.engine, now, { base: deps.publicUrl() }),
  };
}
