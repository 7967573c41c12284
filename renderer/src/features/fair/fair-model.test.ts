import { describe, expect, it } from 'vitest';
import type { ApplicationDoc } from '../../../../shared/schemas/application.schema';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import type { DownloadResult } from '../files/file-api';
import { memoryFileStore } from '../files/file-store';
import { daySummary, NO_OFFER, ONLINE_REGISTRATION, summaryStatuses } from './day-summary';
import {
  applyForm,
  docToForm,
  EMPTY_EVENT_FORM,
  type EventFormValues,
  formatWhen,
  newEventDoc,
  splitEvents,
  validateEventForm,
} from './event-model';
import {
  fetchOne,
  MISSING_FILE_MESSAGE,
  missingFiles,
  OFFLINE_FILE_MESSAGE,
  preparationPlan,
  prepareFiles,
  progressText,
  readiness,
} from './prepare';

const ORG = '0b0e0000-0000-4000-8000-000000000001';
const PRESCRIBER = '0b0e0000-0000-4000-8000-000000000004';
const sha = (c: string) => c.repeat(64);

function app(patch: Partial<ApplicationDoc>): ApplicationDoc {
  return {
    id: crypto.randomUUID(),
    organisationId: ORG,
    status: 'nouvelle',
    source: 'salon',
    history: [],
    createdAt: '2027-01-01T10:00:00.000Z',
    updatedAt: '2027-01-01T10:00:00.000Z',
    ...patch,
  };
}

function event(patch: Partial<EventDoc> = {}): EventDoc {
  return {
    id: crypto.randomUUID(),
    organisationId: ORG,
    kind: 'salon',
    status: 'planifiee',
    name: 'Salon',
    date: '2027-03-12',
    offerIds: [],
    colleagueIds: [],
    public: true,
    createdBy: 'u',
    createdAt: '2027-01-01T00:00:00.000Z',
    updatedAt: '2027-01-01T00:00:00.000Z',
    ...patch,
  };
}

const form = (patch: Partial<EventFormValues> = {}): EventFormValues => ({
  ...EMPTY_EVENT_FORM,
  name: 'Salon de l’emploi',
  date: '2027-03-12',
  startTime: '09:00',
  endTime: '17:00',
  placeLabel: 'Halle aux grains',
  ...patch,
});

describe('event form', () => {
  const now = new Date('2027-01-15T10:00:00Z');
  it('accepts a complete salon', () => {
    expect(validateEventForm(form(), { request: false, checkDate: true, now })).toEqual([]);
  });

  it('names every faulty field in French', () => {
    const errors = validateEventForm(
      form({ name: ' ', date: '2027-02-30', startTime: '14:00', endTime: '10:00', placeLabel: '', city: '' }),
      { request: false, checkDate: true, now },
    );
    expect(errors.map((e) => e.field)).toEqual(['name', 'date', 'endTime', 'place']);
    expect(errors.find((e) => e.field === 'endTime')?.message).toBe(
      'L’heure de fin doit être après l’heure de début.',
    );
  });

  it('refuses a date more than a year ago only when the date is new or changed', () => {
    const old = form({ date: '2025-12-01' });
    expect(validateEventForm(old, { request: false, checkDate: true, now }).map((e) => e.field)).toEqual([
      'date',
    ]);
    expect(validateEventForm(old, { request: false, checkDate: false, now })).toEqual([]);
  });

  it('a session request needs the partner, the offer and a message, not a date', () => {
    const v = form({ kind: 'session', date: '', placeLabel: '' });
    expect(validateEventForm(v, { request: true, checkDate: true, now }).map((e) => e.field)).toEqual([
      'partnerOrganisationId',
      'request.offerId',
      'request.message',
    ]);
    const doc = newEventDoc(
      'e1',
      ORG,
      'u1',
      { ...v, partnerOrganisationId: PRESCRIBER, requestOfferId: 'o1', requestMessage: ' Trois postes ' },
      true,
      '2027-01-15T10:00:00.000Z',
    );
    expect(doc).toMatchObject({
      status: 'demandee',
      partnerOrganisationId: PRESCRIBER,
      offerIds: ['o1'],
      request: { offerId: 'o1', message: 'Trois postes', byId: 'u1' },
    });
  });

  it('round-trips a document through the form, dropping emptied fields', () => {
    const doc = newEventDoc(
      'e1',
      ORG,
      'u1',
      form({ city: 'Carcassonne', postalCode: '11000', description: 'x' }),
      false,
      't',
    );
    expect(doc.place).toEqual({ label: 'Halle aux grains', city: 'Carcassonne', postalCode: '11000' });
    const back = docToForm(doc);
    expect(back.placeLabel).toBe('Halle aux grains');
    applyForm(
      doc,
      { ...back, description: '', startTime: '', placeLabel: '', city: '', postalCode: '' },
      't2',
    );
    expect(doc.description).toBeUndefined();
    expect(doc.startTime).toBeUndefined();
    expect(doc.place).toBeUndefined();
    expect(doc.updatedAt).toBe('t2');
  });

  it('splits requests to answer, upcoming and past events', () => {
    const asked = event({
      organisationId: 'other',
      partnerOrganisationId: ORG,
      status: 'demandee',
      kind: 'session',
      date: '',
    });
    const mine = event({ status: 'demandee', kind: 'session', partnerOrganisationId: PRESCRIBER, date: '' });
    const soon = event({ date: '2027-02-01' });
    const later = event({ date: '2027-05-01' });
    const past = event({ date: '2026-12-01' });
    const foreign = event({ organisationId: 'other' });
    const lists = splitEvents([later, past, asked, soon, mine, foreign], ORG, '2027-01-15');
    expect(lists.requests).toEqual([asked]);
    expect(lists.upcoming).toEqual([soon, later, mine]);
    expect(lists.past).toEqual([past]);
    expect(formatWhen(soon)).toBe('01/02/2027');
    expect(formatWhen({ date: '2027-02-01', startTime: '09:00', endTime: '12:00' })).toBe(
      '01/02/2027, 09:00 – 12:00',
    );
    expect(formatWhen({ date: '' })).toBe('Date à fixer');
  });
});

describe('préparer le salon', () => {
  it('lists what the event needs: offers, applications of its offers and its own, CVs, files once', () => {
    const e = event({ offerIds: ['o1', 'o2', 'o3'] });
    const apps = [
      app({
        offerId: 'o1',
        cvFile: sha('a'),
        letterFile: sha('b'),
        applicant: { firstName: 'Léa', lastName: 'Martin' },
      }),
      app({ offerId: 'o2', cvId: 'cv1', cvFile: sha('a') }),
      app({ offerId: 'o2', cvId: 'cv-missing' }),
      app({ eventId: e.id, cvFile: sha('d') }),
      app({ offerId: 'other', cvFile: sha('e') }),
    ];
    const plan = preparationPlan(
      e,
      new Map([
        ['o1', {}],
        ['o2', {}],
      ]),
      apps,
      new Map([
        ['cv1', { id: 'cv1', file: { sha256: sha('c'), name: 'cv.pdf', mime: 'application/pdf', size: 1 } }],
      ]),
    );
    expect(plan.missingOffers).toEqual(['o3']);
    expect(plan.applications).toHaveLength(4);
    expect(plan.missingCvs).toEqual(['cv-missing']);
    expect(plan.files.map((f) => f.sha256)).toEqual([sha('a'), sha('b'), sha('c'), sha('d')]);
    expect(plan.files[1]).toMatchObject({ role: 'lettre', owner: 'Léa Martin' });
  });

  it('downloads only the missing files, with progress, and one error per failed file', async () => {
    const store = memoryFileStore();
    await store.putFile({
      sha256: sha('a'),
      blob: new Blob(['a']),
      mime: 'application/pdf',
      size: 1,
      storedAt: 1,
    });
    const needs = ['a', 'b', 'c', 'd'].map((c) => ({ sha256: sha(c), role: 'lettre' as const, owner: c }));
    expect((await missingFiles(needs, store)).map((n) => n.owner)).toEqual(['b', 'c', 'd']);
    const calls: string[] = [];
    const download = async (s: string): Promise<DownloadResult> => {
      calls.push(s);
      if (s === sha('c')) return { kind: 'missing' };
      if (s === sha('d')) return { kind: 'offline' };
      return { kind: 'ok', blob: new Blob(['x']), mime: 'application/pdf' };
    };
    const seen: string[] = [];
    const result = await prepareFiles(
      needs,
      store,
      download,
      (p) => seen.push(progressText(p.done, p.total)),
      {
        concurrency: 2,
      },
    );
    expect(calls.sort()).toEqual([sha('b'), sha('c'), sha('d')]);
    expect(result.done).toBe(2);
    expect(result.errors.map((e) => [e.need.owner, e.message]).sort()).toEqual([
      ['c', MISSING_FILE_MESSAGE],
      ['d', OFFLINE_FILE_MESSAGE],
    ]);
    expect(seen[0]).toBe('0 fichier sur 4');
    expect(seen.at(-1)).toBe('2 fichiers sur 4');
    expect(await store.getFile(sha('b'))).not.toBeNull();
    // Retry of one file once the network is back.
    expect(
      await fetchOne(needs[3]!, store, async () => ({
        kind: 'ok',
        blob: new Blob(['d']),
        mime: 'image/png',
      })),
    ).toEqual({
      status: 'local',
    });
    expect(await missingFiles(needs, store)).toHaveLength(1);
  });

  it('is ready only when caught up, nothing missing and every file local', () => {
    const plan = { missingOffers: [], missingCvs: [] };
    expect(
      readiness(plan, { total: 3, done: 3, errors: 0 }, { online: true, pending: 0, caughtUp: true }),
    ).toEqual({
      ready: true,
      reasons: [],
    });
    expect(
      readiness(plan, { total: 3, done: 2, errors: 0 }, { online: true, pending: 0, caughtUp: true }).reasons,
    ).toEqual(['1 fichier à télécharger.']);
    expect(
      readiness(plan, { total: 3, done: 3, errors: 0 }, { online: true, pending: 2, caughtUp: true }).ready,
    ).toBe(false);
    expect(
      readiness(plan, { total: 0, done: 0, errors: 0 }, { online: false, pending: 0, caughtUp: true }).ready,
    ).toBe(false);
    expect(
      readiness(
        { missingOffers: ['o'], missingCvs: [] },
        { total: 0, done: 0, errors: 0 },
        { online: true, pending: 0, caughtUp: true },
      ).reasons,
    ).toEqual(['1 offre présentée pas encore sur ce poste.']);
  });
});

describe('bilan de la journée', () => {
  it('counts people once per capture, per offer and status, per colleague', () => {
    const titles = new Map([
      ['o1', 'Boulanger'],
      ['o2', 'Vendeur'],
    ]);
    const summary = daySummary(
      [
        app({ offerId: 'o1', captureId: 'c1', capturedBy: 'u1', capturedByName: 'Marie Dupont' }),
        app({
          offerId: 'o2',
          captureId: 'c1',
          capturedBy: 'u1',
          capturedByName: 'Marie Dupont',
          status: 'entretien',
        }),
        app({
          offerId: 'o1',
          captureId: 'c2',
          capturedBy: 'u2',
          capturedByName: 'Paul Roux',
          status: 'refusee',
        }),
        app({ offerId: 'o1' }),
        app({}),
      ],
      titles,
    );
    expect(summary.people).toBe(4);
    expect(summary.applications).toBe(5);
    expect(summary.byStatus).toEqual({ nouvelle: 3, entretien: 1, refusee: 1 });
    expect(summaryStatuses(summary)).toEqual(['nouvelle', 'entretien', 'refusee']);
    expect(summary.perOffer.map((o) => [o.title, o.total, o.byStatus])).toEqual([
      ['Boulanger', 3, { nouvelle: 2, refusee: 1 }],
      [NO_OFFER, 1, { nouvelle: 1 }],
      ['Vendeur', 1, { entretien: 1 }],
    ]);
    expect(summary.perColleague).toEqual([
      { name: ONLINE_REGISTRATION, people: 2 },
      { name: 'Marie Dupont', people: 1 },
      { name: 'Paul Roux', people: 1 },
    ]);
  });

  it('an empty day is zero everywhere', () => {
    expect(daySummary([], new Map())).toEqual({
      people: 0,
      applications: 0,
      byStatus: {},
      perOffer: [],
      perColleague: [],
    });
  });
});
