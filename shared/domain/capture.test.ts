import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationSchema, applicationSchemaLiteral } from '../schemas/application.schema';
import {
  CAPTURE_CONSENT_TEXT,
  CAPTURE_LIMITS,
  type CaptureContext,
  CaptureError,
  type CaptureInput,
  captureApplications,
  validateCapture,
} from './capture';

// The validator the sync server checks pushed documents with (sync-server/src/sync/validation.ts).
const validateDoc = new Ajv({ strict: false, allErrors: true }).compile(applicationSchema);
const expectValidDoc = (doc: unknown) => {
  const ok = validateDoc(doc);
  expect(validateDoc.errors ?? [], JSON.stringify(doc)).toEqual([]);
  expect(ok).toBe(true);
};

const SHA = 'a'.repeat(64);
const OFFER_1 = '0f000000-0000-4000-8000-000000000001';
const OFFER_2 = '0f000000-0000-4000-8000-000000000002';

function input(patch: Partial<CaptureInput> = {}): CaptureInput {
  return {
    firstName: ' Marie-Hélène ',
    lastName: 'Dupont',
    email: ' MH.Dupont@exemple.fr ',
    phone: ' 06 12 34 56 78 ',
    jobSought: ' Aide-soignante ',
    offerIds: [OFFER_1, OFFER_2],
    rating: 4,
    note: 'Très motivée, disponible tout de suite.',
    consent: true,
    ...patch,
  };
}

function context(patch: Partial<CaptureContext> = {}): CaptureContext {
  let n = 0;
  return {
    organisationId: '0a000000-0000-4000-8000-000000000001',
    eventId: '0e000000-0000-4000-8000-000000000001',
    eventKind: 'salon',
    capturedBy: '0b000000-0000-4000-8000-000000000001',
    capturedByName: 'Julie Martin',
    now: new Date('2026-12-04T09:30:00.000Z'),
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    offers: new Map([
      [
        OFFER_1,
        {
          title: 'Aide-soignant (H/F)',
          number: 'OF-2026-00042',
          companyName: 'EHPAD Les Tilleuls',
          city: 'Carcassonne',
          postalCode: '11000',
        },
      ],
      [OFFER_2, { title: 'Agent de service hospitalier (H/F)', companyName: 'EHPAD Les Tilleuls' }],
    ]),
    organisationName: 'Agglo Emploi',
    ...patch,
  };
}

const fieldsOf = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('CAPTURE_CONSENT_TEXT', () => {
  it('says what is kept, for how long, the follow-up e-mail and the right to object or erase', () => {
    expect(CAPTURE_CONSENT_TEXT).toMatch(/identité, coordonnées/);
    expect(CAPTURE_CONSENT_TEXT).toMatch(/2 ans/);
    expect(CAPTURE_CONSENT_TEXT).toMatch(/e-mail pour compléter son profil/);
    expect(CAPTURE_CONSENT_TEXT).toMatch(/s’opposer/);
    expect(CAPTURE_CONSENT_TEXT).toMatch(/effacement/);
    expect(CAPTURE_CONSENT_TEXT.length).toBeLessThanOrEqual(
      applicationSchemaLiteral.properties.applicant.properties.consent.properties.text.maxLength,
    );
  });
});

describe('validateCapture', () => {
  it('accepts a complete capture, and one with only a phone or only an e-mail', () => {
    expect(validateCapture(input())).toEqual([]);
    expect(validateCapture(input({ email: '', offerIds: [], rating: null, note: '' }))).toEqual([]);
    expect(validateCapture(input({ phone: '  ', jobSought: '' }))).toEqual([]);
    expect(validateCapture(input({ cvFile: SHA, phone: '+262 692 12 34 56' }))).toEqual([]);
  });

  it('requires first and last names', () => {
    const errors = validateCapture(input({ firstName: ' ', lastName: '' }));
    expect(errors).toEqual([
      { field: 'firstName', message: 'Le prénom est obligatoire.' },
      { field: 'lastName', message: 'Le nom est obligatoire.' },
    ]);
  });

  it('requires an e-mail or a phone, on the e-mail field', () => {
    const errors = validateCapture(input({ email: ' ', phone: '' }));
    expect(fieldsOf(errors)).toEqual(['email']);
    expect(errors[0]!.message).toContain('une adresse e-mail ou un numéro de téléphone');
  });

  it('checks the e-mail format and that the phone is a phone number', () => {
    const errors = validateCapture(input({ email: 'marie@exemple', phone: '06 12 34' }));
    expect(fieldsOf(errors)).toEqual(['email', 'phone']);
    expect(errors[0]!.message).toMatch(/adresse e-mail n’est pas valide/);
    expect(errors[1]!.message).toMatch(/numéro de téléphone n’est pas valide/);
    expect(fieldsOf(validateCapture(input({ phone: 'pas de téléphone' })))).toEqual(['phone']);
  });

  it('accepts a rating from 1 to 5 or none, nothing else', () => {
    for (const rating of [null, 1, 3, 5])
      expect(validateCapture(input({ rating })), String(rating)).toEqual([]);
    for (const rating of [0, 6, 2.5, Number.NaN, -1]) {
      const errors = validateCapture(input({ rating }));
      expect(fieldsOf(errors), String(rating)).toEqual(['rating']);
    }
    expect(fieldsOf(validateCapture(input({ rating: '4' as unknown as number })))).toEqual(['rating']);
  });

  it('enforces the limits, each on its field', () => {
    const over = (n: number) => 'x'.repeat(n + 1);
    const errors = validateCapture(
      input({
        firstName: over(CAPTURE_LIMITS.name),
        lastName: over(CAPTURE_LIMITS.name),
        email: `${over(CAPTURE_LIMITS.email)}@exemple.fr`,
        phone: '06 12 34 56 78 00 00 00 00',
        jobSought: over(CAPTURE_LIMITS.jobSought),
        note: over(CAPTURE_LIMITS.note),
        offerIds: Array.from({ length: CAPTURE_LIMITS.offers + 1 }, (_, i) => `offre-${i}`),
      }),
    );
    expect(fieldsOf(errors)).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'jobSought',
      'offerIds',
      'note',
    ]);
    for (const e of errors.filter((e) => e.field !== 'offerIds'))
      expect(e.message, e.field).toMatch(/ne doit pas dépasser \d+ caractères/);
    // At the limits exactly, everything passes.
    expect(
      validateCapture(
        input({
          firstName: 'x'.repeat(CAPTURE_LIMITS.name),
          jobSought: 'x'.repeat(CAPTURE_LIMITS.jobSought),
          note: 'x'.repeat(CAPTURE_LIMITS.note),
          offerIds: Array.from({ length: CAPTURE_LIMITS.offers }, (_, i) => `offre-${i}`),
        }),
      ),
    ).toEqual([]);
  });

  it('requires the consent', () => {
    const errors = validateCapture(input({ consent: false }));
    expect(fieldsOf(errors)).toEqual(['consent']);
    expect(errors[0]!.message).toMatch(/^Le consentement de la personne est obligatoire/);
    expect(fieldsOf(validateCapture(input({ consent: 'true' as unknown as boolean })))).toEqual(['consent']);
  });

  it('refuses an offer chosen twice, and a CV that is not a file reference', () => {
    expect(fieldsOf(validateCapture(input({ offerIds: [OFFER_1, OFFER_1] })))).toEqual(['offerIds']);
    expect(fieldsOf(validateCapture(input({ offerIds: [''] })))).toEqual(['offerIds']);
    expect(fieldsOf(validateCapture(input({ cvFile: 'cv.pdf' })))).toEqual(['cvFile']);
    expect(validateCapture(input({ cvFile: '' }))).toEqual([]);
  });

  it('never throws and names real fields, whatever a client sends (property)', () => {
    const keys = [
      'firstName',
      'lastName',
      'email',
      'phone',
      'jobSought',
      'offerIds',
      'rating',
      'note',
      'consent',
    ];
    fc.assert(
      fc.property(
        fc.record({
          firstName: fc.anything(),
          lastName: fc.anything(),
          email: fc.anything(),
          phone: fc.anything(),
          jobSought: fc.anything(),
          offerIds: fc.anything(),
          rating: fc.anything(),
          note: fc.anything(),
          consent: fc.anything(),
        }),
        (body) => {
          const errors = validateCapture(body as unknown as CaptureInput);
          for (const e of errors) expect(keys).toContain(e.field);
          // Random values are (all but surely) not a valid capture: something is always reported.
          expect(errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('captureApplications', () => {
  it('gives one application per offer of interest, sharing one captureId, valid against the schema', () => {
    const docs = captureApplications(input({ cvFile: SHA }), context());
    expect(docs).toHaveLength(2);
    for (const doc of docs) expectValidDoc(doc);
    const [a, b] = docs as [(typeof docs)[number], (typeof docs)[number]];
    expect(a.captureId).toBe('00000000-0000-4000-8000-000000000001');
    expect(b.captureId).toBe(a.captureId);
    expect(new Set([a.id, b.id, a.captureId]).size).toBe(3);
    expect(a).toEqual({
      id: '00000000-0000-4000-8000-000000000002',
      organisationId: '0a000000-0000-4000-8000-000000000001',
      offerId: OFFER_1,
      offer: {
        number: 'OF-2026-00042',
        title: 'Aide-soignant (H/F)',
        companyName: 'EHPAD Les Tilleuls',
        city: 'Carcassonne',
        postalCode: '11000',
      },
      applicant: {
        firstName: 'Marie-Hélène',
        lastName: 'Dupont',
        email: 'MH.Dupont@exemple.fr',
        phone: '06 12 34 56 78',
        jobSought: 'Aide-soignante',
        consent: { at: '2026-12-04T09:30:00.000Z', text: CAPTURE_CONSENT_TEXT },
      },
      cvFile: SHA,
      status: 'nouvelle',
      history: [
        {
          at: '2026-12-04T09:30:00.000Z',
          to: 'nouvelle',
          by: '0b000000-0000-4000-8000-000000000001',
          byName: 'Julie Martin',
        },
      ],
      source: 'salon',
      eventId: '0e000000-0000-4000-8000-000000000001',
      captureId: a.captureId,
      capturedBy: '0b000000-0000-4000-8000-000000000001',
      capturedByName: 'Julie Martin',
      createdAt: '2026-12-04T09:30:00.000Z',
      updatedAt: '2026-12-04T09:30:00.000Z',
    });
    expect(b.offerId).toBe(OFFER_2);
    expect(b.offer).toEqual({
      title: 'Agent de service hospitalier (H/F)',
      companyName: 'EHPAD Les Tilleuls',
    });
    // Neither the rating nor the note is in the application: they go to the capturer's evaluation.
    expect(JSON.stringify(docs)).not.toContain('motivée');
    expect(a).not.toHaveProperty('rating');
  });

  it('without an offer, gives one application to the organisation titled after the job sought', () => {
    const docs = captureApplications(input({ offerIds: [], email: '', cvFile: undefined }), context());
    expect(docs).toHaveLength(1);
    expectValidDoc(docs[0]);
    expect(docs[0]!.offerId).toBeUndefined();
    expect(docs[0]!.offer).toEqual({ title: 'Aide-soignante', companyName: 'Agglo Emploi' });
    expect(docs[0]!.applicant).not.toHaveProperty('email');
    expect(docs[0]!.applicant!.phone).toBe('06 12 34 56 78');
    expect(docs[0]).not.toHaveProperty('cvFile');

    const [spontaneous] = captureApplications(input({ offerIds: [], jobSought: '  ', phone: '' }), context());
    expectValidDoc(spontaneous);
    expect(spontaneous!.offer).toEqual({ title: 'Candidature spontanée', companyName: 'Agglo Emploi' });
    expect(spontaneous!.applicant).not.toHaveProperty('phone');
    expect(spontaneous!.applicant).not.toHaveProperty('jobSought');
  });

  it('marks the source « session » at a recruitment session, and omits the event when there is none', () => {
    const [doc] = captureApplications(input(), context({ eventKind: 'session' }));
    expect(doc!.source).toBe('session');
    const [free] = captureApplications(input(), context({ eventId: undefined, eventKind: undefined }));
    expectValidDoc(free);
    expect(free!.source).toBe('salon');
    expect(free).not.toHaveProperty('eventId');
  });

  it('throws a CaptureError naming the fields when the input is not valid', () => {
    expect(() => captureApplications(input({ consent: false }), context())).toThrow(CaptureError);
    try {
      captureApplications(input({ consent: false, firstName: '' }), context());
      expect.unreachable();
    } catch (e) {
      expect((e as CaptureError).fields.map((f) => f.field)).toEqual(['firstName', 'consent']);
    }
  });

  it('throws when an offer is not known on this workstation', () => {
    try {
      captureApplications(input({ offerIds: [OFFER_1, 'offre-inconnue'] }), context());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureError);
      expect((e as CaptureError).fields).toEqual([
        { field: 'offerIds', message: expect.stringContaining('n’est pas disponible') },
      ]);
    }
  });

  it('trims long snapshots to what the schema accepts', () => {
    const long = 'x'.repeat(400);
    const docs = captureApplications(
      input({ offerIds: [OFFER_1] }),
      context({
        capturedByName: long,
        offers: new Map([[OFFER_1, { title: long, companyName: long, city: long, postalCode: '110000' }]]),
      }),
    );
    expectValidDoc(docs[0]);
  });
});
