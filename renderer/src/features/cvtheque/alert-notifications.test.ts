import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { NoticeDoc } from '../../../../shared/schemas';
import { ALERT_NOTIFY_MARGIN_MS, type AlertNotifier, watchSearchAlerts } from './alert-notifications';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');

function notice(patch: Partial<NoticeDoc>): NoticeDoc {
  return {
    id: 'n1',
    userId: 'u1',
    kind: 'information',
    documentCollection: 'searches',
    documentId: 's1',
    title: '2 nouveaux CV pour votre recherche « serveur »',
    message: 'Deux CV correspondent désormais à votre recherche favorite.',
    createdAt: new Date(T0 + 1000).toISOString(),
    ...patch,
  };
}

function fakeNotifier(allowed = true) {
  const shown: { id: string; title: string; body: string }[] = [];
  const clicks: (() => void)[] = [];
  const notifier: AlertNotifier = {
    allowed: () => allowed,
    show: (n, onClick) => {
      shown.push(n);
      clicks.push(onClick);
    },
  };
  return { notifier, shown, clicks };
}

describe('notifications des alertes de recherches favorites', () => {
  it('montre une fois chaque nouvel avis d’alerte, et le clic ouvre les avis', () => {
    const inserts = new Subject<{ documentData: NoticeDoc }>();
    const { notifier, shown, clicks } = fakeNotifier();
    let opened = 0;
    const stop = watchSearchAlerts(
      inserts,
      notifier,
      () => opened++,
      () => T0,
    );
    inserts.next({ documentData: notice({}) });
    inserts.next({ documentData: notice({}) });
    expect(shown).toEqual([
      {
        id: 'n1',
        title: '2 nouveaux CV pour votre recherche « serveur »',
        body: 'Deux CV correspondent désormais à votre recherche favorite.',
      },
    ]);
    clicks[0]!();
    expect(opened).toBe(1);
    stop();
    inserts.next({ documentData: notice({ id: 'n2' }) });
    expect(shown).toHaveLength(1);
  });

  it('ignore les autres avis, les avis lus, les anciens (première synchronisation) et sans permission', () => {
    const inserts = new Subject<{ documentData: NoticeDoc }>();
    const { notifier, shown } = fakeNotifier();
    watchSearchAlerts(
      inserts,
      notifier,
      () => undefined,
      () => T0,
    );
    inserts.next({ documentData: notice({ id: 'a', documentCollection: 'offers' }) });
    inserts.next({ documentData: notice({ id: 'b', readAt: new Date(T0).toISOString() }) });
    inserts.next({
      documentData: notice({ id: 'c', createdAt: new Date(T0 - ALERT_NOTIFY_MARGIN_MS - 1).toISOString() }),
    });
    inserts.next({ documentData: notice({ id: 'd', createdAt: 'pas une date' }) });
    expect(shown).toEqual([]);
    inserts.next({ documentData: notice({ id: 'e', createdAt: new Date(T0 - 60_000).toISOString() }) });
    expect(shown.map((n) => n.id)).toEqual(['e']);

    const denied = fakeNotifier(false);
    const inserts2 = new Subject<{ documentData: NoticeDoc }>();
    watchSearchAlerts(
      inserts2,
      denied.notifier,
      () => undefined,
      () => T0,
    );
    inserts2.next({ documentData: notice({}) });
    expect(denied.shown).toEqual([]);
  });
});
