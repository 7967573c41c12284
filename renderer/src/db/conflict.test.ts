import { describe, expect, it } from 'vitest';
import type { NoticeDoc, OfferDoc } from '../../../shared/schemas';
import {
  deepEqual,
  makeConflictHandler,
  replicatedEqual,
  resolveNoticeConflict,
  resolveOfferConflict,
  type WithDeleted,
} from './conflict';

function offer(patch: Partial<WithDeleted<OfferDoc>> = {}): WithDeleted<OfferDoc> {
  return {
    id: 'o1',
    organisationId: 'org1',
    number: 'OF-0001',
    title: 'Vendeur H/F',
    jobTitle: 'Vendeur',
    city: 'Carcassonne',
    companyName: 'ALLIA',
    contactPhone: '0102030405',
    seasonal: false,
    contractTypes: ['CDI'],
    description: 'Une description suffisamment longue pour la modération.',
    status: 'brouillon',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    _deleted: false,
    ...patch,
  };
}

function notice(patch: Partial<WithDeleted<NoticeDoc>> = {}): WithDeleted<NoticeDoc> {
  return {
    id: 'n1',
    userId: 'u1',
    kind: 'refus',
    title: 'Modification refusée',
    message: 'Le titre est obligatoire.',
    createdAt: '2025-01-01T00:00:00.000Z',
    _deleted: false,
    ...patch,
  };
}

describe('deepEqual', () => {
  it('ignores key order and undefined keys, compares arrays in order', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: null }, { a: undefined })).toBe(false);
  });
  it('replicatedEqual ignores RxDB bookkeeping', () => {
    expect(replicatedEqual({ a: 1, _rev: '1-x', _meta: { lwt: 1 } }, { a: 1, _rev: '2-y' })).toBe(true);
  });
});

describe('resolveOfferConflict', () => {
  it('takes a deleted master as is', () => {
    const master = offer({ _deleted: true, title: '' });
    const out = resolveOfferConflict({
      assumedMasterState: offer(),
      realMasterState: master,
      newDocumentState: offer({ title: 'Nouveau titre' }),
    });
    expect(out).toEqual(master);
  });

  it('takes the master when the server refused (master equals the assumed state)', () => {
    const base = offer();
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: { ...base },
      newDocumentState: offer({ title: 'Titre refusé', status: 'en_attente' }),
    });
    expect(out).toEqual(base);
  });

  it('without an assumed state (its creation reached the server, the answer was lost), keeps the local edits on the master', () => {
    // The server completed the creation (number); the offer was edited here since.
    const master = offer({ title: 'Serveur', number: 'OF-0010' });
    expect(
      resolveOfferConflict({ realMasterState: master, newDocumentState: offer({ title: 'Local' }) }),
    ).toEqual({ ...master, title: 'Local' });
    // Nothing edited here: the master as it is.
    expect(
      resolveOfferConflict({ realMasterState: master, newDocumentState: offer({ title: 'Serveur' }) }),
    ).toEqual(master);
  });

  it('re-applies only the fields the user changed on top of a moved master', () => {
    const base = offer();
    const master = offer({ city: 'Narbonne', updatedAt: '2025-02-01T00:00:00.000Z', number: 'OF-0009' });
    const mine = offer({ title: 'Vendeur confirmé H/F', contractTypes: ['CDI', 'CDD'] });
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.title).toBe('Vendeur confirmé H/F');
    expect(out.contractTypes).toEqual(['CDI', 'CDD']);
    expect(out.city).toBe('Narbonne');
    expect(out.number).toBe('OF-0009');
    expect(out.updatedAt).toBe('2025-02-01T00:00:00.000Z');
  });

  it('never re-applies server-owned fields, even if the user changed them', () => {
    const base = offer();
    const master = offer({ city: 'Narbonne', moderationReason: 'Mention H/F manquante' });
    const mine = offer({
      number: 'HACK',
      authorId: 'someone',
      moderationReason: '',
      updatedAt: '2030-01-01',
    });
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.number).toBe('OF-0001');
    expect(out.authorId).toBeUndefined();
    expect(out.moderationReason).toBe('Mention H/F manquante');
    expect(out.updatedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('removes an optional field the user cleared', () => {
    const base = offer({ contactName: 'Mme Martin' });
    const master = offer({ contactName: 'Mme Martin', city: 'Narbonne' });
    const mine = offer();
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect('contactName' in out).toBe(false);
    expect(out.city).toBe('Narbonne');
  });

  it('keeps the master status unless the user changed it', () => {
    const base = offer({ status: 'en_attente' });
    const master = offer({ status: 'publiee', publishedAt: '2025-02-01T00:00:00.000Z' });
    const mine = offer({ status: 'en_attente', title: 'Titre corrigé' });
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.status).toBe('publiee');
    expect(out.title).toBe('Titre corrigé');
  });

  it('re-applies a status change that is still valid, with the right previous status', () => {
    const base = offer({ status: 'brouillon' });
    const master = offer({ status: 'brouillon', city: 'Narbonne', updatedAt: '2025-03-01T00:00:00.000Z' });
    const mine = offer({ status: 'supprimee', previousStatus: 'brouillon' });
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.status).toBe('supprimee');
    expect(out.previousStatus).toBe('brouillon');

    const published = offer({ status: 'publiee', updatedAt: '2025-03-01T00:00:00.000Z' });
    const deleted = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: published,
      newDocumentState: mine,
    });
    expect(deleted.status).toBe('supprimee');
    expect(deleted.previousStatus).toBe('publiee');
  });

  it('drops a status change that is no longer allowed on the new master', () => {
    const base = offer({ status: 'brouillon' });
    // A colleague deleted the offer while this device submitted it.
    const master = offer({ status: 'supprimee', previousStatus: 'brouillon' });
    const mine = offer({
      status: 'en_attente',
      description: 'Nouvelle description assez longue pour passer.',
    });
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.status).toBe('supprimee');
    expect(out.description).toBe('Nouvelle description assez longue pour passer.');
  });

  it('strips RxDB bookkeeping from the result', () => {
    const base = offer();
    const master = {
      ...offer({ city: 'Narbonne' }),
      _rev: '3-abc',
      _meta: { lwt: 1 },
    } as WithDeleted<OfferDoc>;
    const out = resolveOfferConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: base,
    });
    expect('_rev' in out).toBe(false);
    expect('_meta' in out).toBe(false);
  });
});

describe('resolveNoticeConflict', () => {
  it('master wins but a local read mark is kept', () => {
    const master = notice({ message: 'Nouveau message' });
    const out = resolveNoticeConflict({
      assumedMasterState: notice(),
      realMasterState: master,
      newDocumentState: notice({ readAt: '2025-01-02T00:00:00.000Z', message: 'local' }),
    });
    expect(out).toEqual({ ...master, readAt: '2025-01-02T00:00:00.000Z' });
  });
  it('keeps the master read date and deletions', () => {
    const read = notice({ readAt: '2025-01-01T10:00:00.000Z' });
    expect(
      resolveNoticeConflict({ realMasterState: read, newDocumentState: notice({ readAt: '2025-01-03' }) })
        .readAt,
    ).toBe('2025-01-01T10:00:00.000Z');
    const gone = notice({ _deleted: true });
    expect(
      resolveNoticeConflict({ realMasterState: gone, newDocumentState: notice({ readAt: 'x' }) }),
    ).toEqual(gone);
  });
});

describe('makeConflictHandler', () => {
  it('wraps a resolver in the RxDB 17 shape', async () => {
    const handler = makeConflictHandler(resolveNoticeConflict);
    expect(handler.isEqual(notice(), { ...notice(), _rev: '1-a' } as WithDeleted<NoticeDoc>, 'test')).toBe(
      true,
    );
    expect(handler.isEqual(notice(), notice({ readAt: 'x' }), 'test')).toBe(false);
    const out = await handler.resolve(
      { realMasterState: notice(), newDocumentState: notice({ readAt: 'r' }) },
      'test',
    );
    expect(out.readAt).toBe('r');
  });
});
