/**
 * The dock or taskbar badge and the tray icon's tooltip (issue 8): unread messages first (the badge
 * counts them), then changes not yet synchronised. Pure, unit-tested; applied in services.ts.
 */
import type { DesktopAttention } from '../../shared/ipc/contract';

export interface AttentionView {
  /** The badge's number (0: no badge). */
  badgeCount: number;
  tooltip: string;
}

const MAX_COUNT = 1_000_000;

export function readAttention(value: unknown): DesktopAttention | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_COUNT;
  if (!ok(v.unreadMessages) || !ok(v.pendingChanges) || Object.keys(v).length !== 2) return null;
  return { unreadMessages: v.unreadMessages as number, pendingChanges: v.pendingChanges as number };
}

export function attentionView({ unreadMessages, pendingChanges }: DesktopAttention): AttentionView {
  const parts: string[] = [];
  if (unreadMessages > 0)
    parts.push(`${unreadMessages} ${unreadMessages > 1 ? 'messages non lus' : 'message non lu'}`);
  if (pendingChanges > 0)
    parts.push(
      `${pendingChanges} ${pendingChanges > 1 ? 'modifications en attente de synchronisation' : 'modification en attente de synchronisation'}`,
    );
  return {
    badgeCount: unreadMessages,
    tooltip: parts.length > 0 ? `Poste recruteur — ${parts.join(', ')}` : 'Poste recruteur — tout est à jour',
  };
}
