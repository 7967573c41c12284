import { describe, expect, it } from 'vitest';
import { attentionView, readAttention } from './attention';

describe('badge et icône de la zone de notification', () => {
  it('compte les messages non lus ; dit aussi les modifications en attente', () => {
    expect(attentionView({ unreadMessages: 0, pendingChanges: 0 })).toEqual({
      badgeCount: 0,
      tooltip: 'Poste recruteur — tout est à jour',
    });
    expect(attentionView({ unreadMessages: 1, pendingChanges: 0 }).tooltip).toBe(
      'Poste recruteur — 1 message non lu',
    );
    expect(attentionView({ unreadMessages: 3, pendingChanges: 2 })).toEqual({
      badgeCount: 3,
      tooltip: 'Poste recruteur — 3 messages non lus, 2 modifications en attente de synchronisation',
    });
    expect(attentionView({ unreadMessages: 0, pendingChanges: 1 })).toEqual({
      badgeCount: 0,
      tooltip: 'Poste recruteur — 1 modification en attente de synchronisation',
    });
  });

  it('refuse ce qui n’est pas deux compteurs entiers positifs', () => {
    expect(readAttention({ unreadMessages: 2, pendingChanges: 0 })).toEqual({
      unreadMessages: 2,
      pendingChanges: 0,
    });
    for (const bad of [
      null,
      3,
      { unreadMessages: -1, pendingChanges: 0 },
      { unreadMessages: 1.5, pendingChanges: 0 },
      { unreadMessages: '2', pendingChanges: 0 },
      { unreadMessages: 2 },
      { unreadMessages: 2, pendingChanges: 0, extra: true },
      { unreadMessages: 1e12, pendingChanges: 0 },
    ]) {
      expect(readAttention(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
