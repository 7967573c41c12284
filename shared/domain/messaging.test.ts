import { describe, expect, it } from 'vitest';
import { ORGANISATION_KINDS, type OrganisationKind } from './account';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application';
import {
  applicationOpensMessaging,
  MESSAGE_DRAFT_MESSAGES,
  MESSAGE_LIMITS,
  MESSAGING_DIRECTIONS,
  MESSAGING_KIND_POLICY,
  MESSAGING_REFUSAL_CODES,
  MESSAGING_REFUSAL_MESSAGES,
  MESSAGING_RULES,
  type MessagingBasis,
  type MessagingDirection,
  type MessagingFacts,
  mayReadConversation,
  mayWrite,
  messagingRulesFor,
  validateMessageDraft,
} from './messaging';

const CANDIDATE_ID = '0a0c0000-0000-4000-8000-000000000006';
const ORG_ID = '0b0b0000-0000-4000-8000-000000000001';
const OTHER_ORG_ID = '0b0b0000-0000-4000-8000-000000000002';
const RECRUITER_ID = '0c0c0000-0000-4000-8000-000000000001';
const SHA = 'a'.repeat(64);
const SHA2 = 'b'.repeat(64);

/** Facts where nothing allows a message: each test adds what it needs. */
function facts(
  direction: MessagingDirection,
  over: Partial<Omit<MessagingFacts, 'organisation'>> & { kind?: OrganisationKind; verified?: boolean } = {},
): MessagingFacts {
  const { kind = 'employer', verified = true, ...rest } = over;
  return {
    direction,
    sender:
      direction === 'candidate-to-organisation'
        ? { accountKind: 'candidate', accountId: CANDIDATE_ID }
        : {
            accountKind: 'recruiter',
            accountId: RECRUITER_ID,
            memberships: [{ organisationId: ORG_ID, kind, role: 'member' }],
          },
    candidate: { accountId: CANDIDATE_ID, status: 'active', emailConfirmed: true },
    organisation: { id: ORG_ID, kind, verified },
    priorExchange: false,
    applications: [],
    cvListing: 'none',
    companyProfilePublished: false,
    proposedByOrganisation: false,
    blockedByCandidate: false,
    blockedByOrganisation: false,
    ...rest,
  };
}

const C2O = 'candidate-to-organisation' as const;
const O2C = 'organisation-to-candidate' as const;

/** Each basis made true on its own. */
const WITH_BASIS: Record<MessagingBasis, Partial<MessagingFacts>> = {
  'prior-exchange': { priorExchange: true },
  application: { applications: [{ status: 'nouvelle' }] },
  'cv-selection': { cvListing: 'visible' },
  'company-profile': { companyProfilePublished: true },
  proposal: { proposedByOrganisation: true },
};

/** Every basis true at once. */
const EVERYTHING: Partial<MessagingFacts> = Object.assign({}, ...Object.values(WITH_BASIS));

function refused(result: ReturnType<typeof mayWrite>) {
  if (result.allowed) throw new Error(`expected a refusal, got basis ${result.basis}`);
  return result;
}

describe('the rules table (« À qui puis-je écrire ? »)', () => {
  it('gives the candidate the three cases of seed 000 and the company profile of seed 004, in French', () => {
    expect(messagingRulesFor(C2O, 'employer').map((r) => r.label)).toEqual([
      'Aux membres avec qui vous avez déjà eu un échange préalable.',
      'Aux membres ayant posté des annonces pour lesquelles vous avez déposé une candidature.',
      'Aux membres de type « employeurs » (entreprises et agences) ayant mis votre CV dans leurs sélections.',
      'Aux recruteurs d’une entreprise, depuis sa fiche entreprise (pour une candidature spontanée par exemple).',
    ]);
    // Without a kind: every row a candidate may use (prior exchange listed once).
    const all = messagingRulesFor(C2O).map((r) => r.basis);
    expect(all).toEqual(['prior-exchange', 'application', 'cv-selection', 'company-profile', 'proposal']);
  });

  it('gives recruiters « Mes candidats » and « Mes CVs », and advisors their proposals', () => {
    expect(messagingRulesFor(O2C, 'employer').map((r) => r.label)).toEqual([
      'Aux candidats avec qui votre organisation a déjà eu un échange préalable.',
      'Aux candidats ayant déposé une candidature pour une de vos annonces (« Mes candidats »).',
      'Aux candidats dont vous avez mis le CV dans vos sélections (« Mes CVs »), tant que ce CV reste visible dans la CVthèque.',
    ]);
    expect(messagingRulesFor(O2C, 'agency').map((r) => r.basis)).toEqual([
      'prior-exchange',
      'application',
      'cv-selection',
    ]);
    expect(messagingRulesFor(O2C, 'prescriber').map((r) => r.basis)).toEqual(['prior-exchange', 'proposal']);
    expect(messagingRulesFor(C2O, 'prescriber').map((r) => r.basis)).toEqual(['prior-exchange', 'proposal']);
    expect(messagingRulesFor(O2C, 'training')).toEqual([]);
    expect(messagingRulesFor(C2O, 'platform')).toEqual([]);
  });

  it('cannot drift from mayWrite: each row allows exactly its direction, kinds and basis', () => {
    for (const direction of MESSAGING_DIRECTIONS)
      for (const kind of ORGANISATION_KINDS)
        for (const [basis, extra] of Object.entries(WITH_BASIS) as [
          MessagingBasis,
          Partial<MessagingFacts>,
        ][]) {
          const inTable = MESSAGING_RULES.some(
            (r) => r.direction === direction && r.basis === basis && r.organisationKinds.includes(kind),
          );
          const result = mayWrite(facts(direction, { kind, ...extra }));
          expect(result.allowed, `${direction} ${kind} ${basis}`).toBe(inTable);
          if (result.allowed) expect(result.basis).toBe(basis);
        }
  });

  it('decides every organisation kind, and every row names its source', () => {
    expect(Object.keys(MESSAGING_KIND_POLICY).sort()).toEqual([...ORGANISATION_KINDS].sort());
    for (const r of MESSAGING_RULES) {
      expect(r.source).toMatch(/seed 00[04]|DESIGN/);
      expect(r.label).toMatch(/^Aux? .+\.$/);
      expect(Object.isFrozen(r)).toBe(true);
    }
    expect(Object.isFrozen(MESSAGING_RULES)).toBe(true);
  });
});

describe('seed 000, candidate → organisation', () => {
  it('« aux membres avec qui vous avez déjà eu un échange préalable »: employers, agencies, prescribers', () => {
    for (const kind of ['employer', 'agency', 'prescriber'] as const)
      expect(mayWrite(facts(C2O, { kind, priorExchange: true }))).toEqual({
        allowed: true,
        basis: 'prior-exchange',
      });
  });

  it('« aux membres ayant posté des annonces pour lesquelles vous avez déposé une candidature », whatever became of it', () => {
    for (const status of [
      'nouvelle',
      'a_l_etude',
      'entretien',
      'preselectionnee',
      'embauchee',
      'refusee',
    ] as const)
      expect(mayWrite(facts(C2O, { applications: [{ status }] }))).toEqual({
        allowed: true,
        basis: 'application',
      });
    // An agency posts offers too.
    expect(mayWrite(facts(C2O, { kind: 'agency', applications: [{ status: 'refusee' }] }))).toEqual({
      allowed: true,
      basis: 'application',
    });
  });

  it('does not count an application the candidate withdrew, nor a proposal they did not accept', () => {
    for (const status of ['retiree', 'proposee', 'declinee'] as const) {
      const r = refused(mayWrite(facts(C2O, { applications: [{ status }] })));
      expect(r.code).toBe('no-basis');
    }
    // One filed application among withdrawn ones is enough.
    expect(mayWrite(facts(C2O, { applications: [{ status: 'retiree' }, { status: 'archivee' }] }))).toEqual({
      allowed: true,
      basis: 'application',
    });
  });

  it('counts an archived application as what it was before it was archived', () => {
    const archived = (from: ApplicationStatus) => ({
      status: 'archivee' as const,
      history: [
        { from: 'nouvelle', to: from },
        { from, to: 'archivee' },
      ],
    });
    expect(applicationOpensMessaging(archived('refusee'))).toBe(true);
    expect(applicationOpensMessaging(archived('embauchee'))).toBe(true);
    expect(applicationOpensMessaging(archived('retiree'))).toBe(false);
    expect(applicationOpensMessaging(archived('declinee'))).toBe(false);
    expect(applicationOpensMessaging({ status: 'archivee' })).toBe(true);
    expect(mayWrite(facts(C2O, { applications: [archived('retiree')] })).allowed).toBe(false);
    expect(mayWrite(facts(C2O, { applications: [archived('refusee')] })).allowed).toBe(true);
    const counted = APPLICATION_STATUSES.filter((status) => applicationOpensMessaging({ status }));
    expect(counted).toEqual([
      'nouvelle',
      'a_l_etude',
      'entretien',
      'preselectionnee',
      'embauchee',
      'refusee',
      'archivee',
    ]);
  });

  it('« aux membres de type « employeurs » ayant mis votre CV dans ses sélections »: employers and agencies, visible or not', () => {
    for (const kind of ['employer', 'agency'] as const)
      for (const cvListing of ['visible', 'hidden'] as const)
        expect(mayWrite(facts(C2O, { kind, cvListing }))).toEqual({ allowed: true, basis: 'cv-selection' });
  });

  it('does not count the CV lists of an advisor', () => {
    const r = refused(mayWrite(facts(C2O, { kind: 'prescriber', cvListing: 'visible' })));
    expect(r.code).toBe('no-basis');
    expect(r.message).toContain('proposé pour une offre');
  });

  it('seed 004: writes to a company through its published company profile', () => {
    expect(mayWrite(facts(C2O, { companyProfilePublished: true }))).toEqual({
      allowed: true,
      basis: 'company-profile',
    });
    expect(mayWrite(facts(C2O, { kind: 'agency', companyProfilePublished: true }))).toEqual({
      allowed: true,
      basis: 'company-profile',
    });
  });

  it('refuses without any basis, and says how to write to the company', () => {
    const r = refused(mayWrite(facts(C2O)));
    expect(r.code).toBe('no-basis');
    expect(r.message).toContain(
      'Vous pourrez écrire à cette entreprise après avoir postulé à l’une de ses offres, ou depuis sa fiche entreprise',
    );
    expect(r.message).toContain('vous n’avez postulé à aucune de ses offres');
  });

  it('writes to the advisor’s structure that proposed the candidate for an offer', () => {
    expect(mayWrite(facts(C2O, { kind: 'prescriber', proposedByOrganisation: true }))).toEqual({
      allowed: true,
      basis: 'proposal',
    });
    // A proposal by an employer is not « une candidature déposée », and no basis for the candidate.
    expect(mayWrite(facts(C2O, { proposedByOrganisation: true })).allowed).toBe(false);
  });

  it('gives the first basis of the table when several hold', () => {
    expect(mayWrite(facts(C2O, EVERYTHING))).toEqual({ allowed: true, basis: 'prior-exchange' });
    expect(mayWrite(facts(C2O, { ...EVERYTHING, priorExchange: false }))).toEqual({
      allowed: true,
      basis: 'application',
    });
  });
});

describe('seed 000, organisation → candidate', () => {
  it('« Mes candidats »: writes to a candidate who applied to one of the organisation’s offers', () => {
    for (const kind of ['employer', 'agency'] as const)
      for (const status of ['nouvelle', 'entretien', 'refusee', 'embauchee'] as const)
        expect(mayWrite(facts(O2C, { kind, applications: [{ status }] }))).toEqual({
          allowed: true,
          basis: 'application',
        });
  });

  it('does not write to a candidate who withdrew their application or was only proposed', () => {
    for (const status of ['retiree', 'proposee', 'declinee'] as const) {
      const r = refused(mayWrite(facts(O2C, { applications: [{ status }] })));
      expect(r.code).toBe('no-basis');
      expect(r.message).toBe(
        'Vous ne pouvez pas écrire à ce candidat : il n’a postulé à aucune de vos annonces, son CV n’est pas dans vos sélections et vous n’avez pas d’échange préalable avec lui. Ajoutez son CV à l’une de vos listes depuis la CVthèque, ou attendez sa candidature.',
      );
    }
  });

  it('« Mes CVs »: contacts a candidate whose visible CV is in one of the organisation’s lists', () => {
    for (const kind of ['employer', 'agency'] as const)
      expect(mayWrite(facts(O2C, { kind, cvListing: 'visible' }))).toEqual({
        allowed: true,
        basis: 'cv-selection',
      });
  });

  it('no longer writes first once the listed CV was hidden from the CVthèque (seed 004 « si ceux-ci sont visibles »)', () => {
    const r = refused(mayWrite(facts(O2C, { cvListing: 'hidden' })));
    expect(r.code).toBe('no-basis');
    expect(r.message).toContain('il ne l’a plus rendu visible dans la CVthèque');
  });

  it('a published company profile is no basis for the organisation to write first', () => {
    expect(refused(mayWrite(facts(O2C, { companyProfilePublished: true }))).code).toBe('no-basis');
  });

  it('an advisor writes to a person their structure proposed, not to applicants or listed CVs', () => {
    expect(mayWrite(facts(O2C, { kind: 'prescriber', proposedByOrganisation: true }))).toEqual({
      allowed: true,
      basis: 'proposal',
    });
    const r = refused(
      mayWrite(
        facts(O2C, { kind: 'prescriber', applications: [{ status: 'nouvelle' }], cvListing: 'visible' }),
      ),
    );
    expect(r.code).toBe('no-basis');
    expect(r.message).toContain('Proposez-la pour une offre pour pouvoir lui écrire.');
  });
});

describe('prior exchange counts both ways', () => {
  it('a conversation the candidate opened from the company profile stays open once the profile is unpublished', () => {
    // The candidate wrote through the profile; the recruiter may answer, and the candidate reply again.
    expect(mayWrite(facts(C2O, { companyProfilePublished: true }))).toEqual({
      allowed: true,
      basis: 'company-profile',
    });
    expect(mayWrite(facts(O2C, { priorExchange: true }))).toEqual({ allowed: true, basis: 'prior-exchange' });
    expect(mayWrite(facts(C2O, { priorExchange: true }))).toEqual({ allowed: true, basis: 'prior-exchange' });
  });

  it('a conversation the recruiter opened about an application outlives its withdrawal', () => {
    const withdrawn = { applications: [{ status: 'retiree' as const }] };
    expect(mayWrite(facts(O2C, withdrawn)).allowed).toBe(false);
    expect(mayWrite(facts(O2C, { ...withdrawn, priorExchange: true }))).toEqual({
      allowed: true,
      basis: 'prior-exchange',
    });
    expect(mayWrite(facts(C2O, { ...withdrawn, priorExchange: true }))).toEqual({
      allowed: true,
      basis: 'prior-exchange',
    });
  });
});

describe('blocks win over every basis', () => {
  it('refuses in both directions, whatever the bases, and says who blocked', () => {
    const bases: Partial<MessagingFacts>[] = [...Object.values(WITH_BASIS), EVERYTHING];
    for (const kind of ['employer', 'agency', 'prescriber'] as const)
      for (const extra of bases) {
        const byCandidate = { kind, ...extra, blockedByCandidate: true };
        const byOrganisation = { kind, ...extra, blockedByOrganisation: true };
        expect(refused(mayWrite(facts(C2O, byCandidate))).code).toBe('blocked-by-sender');
        expect(refused(mayWrite(facts(O2C, byCandidate))).code).toBe('blocked-by-recipient');
        expect(refused(mayWrite(facts(C2O, byOrganisation))).code).toBe('blocked-by-recipient');
        expect(refused(mayWrite(facts(O2C, byOrganisation))).code).toBe('blocked-by-sender');
      }
  });

  it('explains the block to each side in French', () => {
    expect(refused(mayWrite(facts(C2O, { ...EVERYTHING, blockedByCandidate: true }))).message).toBe(
      'Vous avez bloqué cette organisation : débloquez-la depuis « Mes messages » pour lui écrire à nouveau.',
    );
    expect(refused(mayWrite(facts(O2C, { ...EVERYTHING, blockedByCandidate: true }))).message).toBe(
      'Ce candidat ne souhaite plus recevoir de messages de votre organisation : vous ne pouvez plus lui écrire.',
    );
    expect(refused(mayWrite(facts(C2O, { ...EVERYTHING, blockedByOrganisation: true }))).message).toBe(
      'Cette organisation ne reçoit plus vos messages : vous ne pouvez plus lui écrire.',
    );
    expect(refused(mayWrite(facts(O2C, { ...EVERYTHING, blockedByOrganisation: true }))).message).toBe(
      'Votre organisation a bloqué ce candidat : débloquez-le depuis la conversation pour lui écrire à nouveau.',
    );
  });
});

describe('parties', () => {
  it('seed 004: writing to recruiters needs a candidate account', () => {
    const r = refused(
      mayWrite({
        ...facts(C2O, EVERYTHING),
        sender: { accountKind: 'recruiter', accountId: RECRUITER_ID, memberships: [] },
      }),
    );
    expect(r.code).toBe('candidate-account-required');
    expect(r.message).toContain('vous devez disposer d’un compte candidat');
  });

  it('a candidate writes only as themself', () => {
    const r = refused(
      mayWrite({ ...facts(C2O, EVERYTHING), sender: { accountKind: 'candidate', accountId: RECRUITER_ID } }),
    );
    expect(r.code).toBe('not-a-member');
    expect(r.message).toBe(
      'Vous ne pouvez pas écrire au nom d’un autre candidat : envoyez vos messages depuis votre propre compte.',
    );
  });

  it('a recruiter writes only for an organisation they belong to', () => {
    const other = refused(
      mayWrite({
        ...facts(O2C, EVERYTHING),
        sender: {
          accountKind: 'recruiter',
          accountId: RECRUITER_ID,
          memberships: [{ organisationId: OTHER_ORG_ID, kind: 'employer' }],
        },
      }),
    );
    expect(other.code).toBe('not-a-member');
    expect(other.message).toContain('Vous n’êtes pas membre de cette organisation');
    const candidate = refused(
      mayWrite({ ...facts(O2C, EVERYTHING), sender: { accountKind: 'candidate', accountId: CANDIDATE_ID } }),
    );
    expect(candidate.code).toBe('not-a-member');
  });

  it('an erased or disabled candidate account neither writes nor receives', () => {
    for (const direction of MESSAGING_DIRECTIONS) {
      const erased = refused(
        mayWrite({
          ...facts(direction, EVERYTHING),
          candidate: { accountId: CANDIDATE_ID, status: 'erased', emailConfirmed: true },
        }),
      );
      expect(erased.code).toBe('candidate-erased');
      const disabled = refused(
        mayWrite({
          ...facts(direction, EVERYTHING),
          candidate: { accountId: CANDIDATE_ID, status: 'disabled', emailConfirmed: true },
        }),
      );
      expect(disabled.code).toBe('candidate-disabled');
    }
    expect(
      refused(
        mayWrite({
          ...facts(O2C, EVERYTHING),
          candidate: { accountId: CANDIDATE_ID, status: 'erased', emailConfirmed: true },
        }),
      ).message,
    ).toBe(
      'Ce candidat a supprimé son compte : vous ne pouvez plus lui écrire. Ses messages ont été effacés.',
    );
    expect(
      refused(
        mayWrite({
          ...facts(C2O, EVERYTHING),
          candidate: { accountId: CANDIDATE_ID, status: 'disabled', emailConfirmed: true },
        }),
      ).message,
    ).toContain('Votre compte est suspendu');
  });

  it('a candidate confirms their e-mail address before writing; the recruiter may still write to them', () => {
    const unconfirmed = { accountId: CANDIDATE_ID, status: 'active' as const, emailConfirmed: false };
    const r = refused(mayWrite({ ...facts(C2O, EVERYTHING), candidate: unconfirmed }));
    expect(r.code).toBe('email-not-confirmed');
    expect(r.message).toContain('Votre adresse e-mail n’est pas encore confirmée');
    expect(mayWrite({ ...facts(O2C, EVERYTHING), candidate: unconfirmed }).allowed).toBe(true);
  });

  it('moderators read reported conversations but never write in them', () => {
    const r = refused(mayWrite(facts(O2C, { kind: 'platform', ...EVERYTHING })));
    expect(r.code).toBe('moderators-read-only');
    expect(r.message).toContain('Les modérateurs lisent les conversations signalées mais n’y écrivent pas');
    const c = refused(mayWrite(facts(C2O, { kind: 'platform', ...EVERYTHING })));
    expect(c.code).toBe('moderators-read-only');
    expect(c.message).toContain('formulaire de contact');
  });

  it('training bodies have no messaging, in either direction', () => {
    for (const direction of MESSAGING_DIRECTIONS) {
      const r = refused(mayWrite(facts(direction, { kind: 'training', ...EVERYTHING })));
      expect(r.code).toBe('messaging-not-offered');
    }
    expect(refused(mayWrite(facts(O2C, { kind: 'training', ...EVERYTHING }))).message).toContain(
      'Les organismes de formation n’ont pas accès à la messagerie',
    );
  });

  it('an unverified organisation neither writes nor is written to', () => {
    expect(refused(mayWrite(facts(O2C, { ...EVERYTHING, verified: false }))).message).toBe(
      'Votre organisation n’a pas encore été vérifiée par la plateforme : vous pourrez écrire aux candidats une fois la vérification faite.',
    );
    expect(refused(mayWrite(facts(C2O, { ...EVERYTHING, verified: false }))).code).toBe(
      'organisation-not-verified',
    );
  });

  it('every refusal code has a French message for each side, saying why and ending with a full stop', () => {
    for (const code of MESSAGING_REFUSAL_CODES) {
      if (code === 'no-basis') continue;
      const m = MESSAGING_REFUSAL_MESSAGES[code];
      for (const text of [m.candidate, m.organisation]) {
        expect(text).toMatch(/\.$/);
        // French typography: a space before the colon that introduces what to do or why.
        expect(text).toMatch(/\S : \S/);
      }
    }
    expect(new Set(MESSAGING_REFUSAL_CODES).size).toBe(MESSAGING_REFUSAL_CODES.length);
    for (const code of MESSAGING_REFUSAL_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

describe('mayReadConversation', () => {
  const conversation = { candidateAccountId: CANDIDATE_ID, organisationId: ORG_ID, reported: false };
  const member = (organisationId: string, kind: OrganisationKind) => ({
    accountKind: 'recruiter' as const,
    accountId: RECRUITER_ID,
    memberships: [{ organisationId, kind }],
  });

  it('lets the candidate and every member of the organisation read, and no one else', () => {
    expect(mayReadConversation({ accountKind: 'candidate', accountId: CANDIDATE_ID }, conversation)).toBe(
      true,
    );
    expect(mayReadConversation({ accountKind: 'candidate', accountId: RECRUITER_ID }, conversation)).toBe(
      false,
    );
    expect(mayReadConversation(member(ORG_ID, 'employer'), conversation)).toBe(true);
    expect(mayReadConversation(member(OTHER_ORG_ID, 'employer'), conversation)).toBe(false);
  });

  it('lets a moderator read a conversation only once it was reported', () => {
    expect(mayReadConversation(member(OTHER_ORG_ID, 'platform'), conversation)).toBe(false);
    expect(mayReadConversation(member(OTHER_ORG_ID, 'platform'), { ...conversation, reported: true })).toBe(
      true,
    );
    expect(mayReadConversation(member(OTHER_ORG_ID, 'employer'), { ...conversation, reported: true })).toBe(
      false,
    );
  });
});

describe('validateMessageDraft', () => {
  it('accepts a subject and a body, trimmed, newlines kept and \\r\\n made \\n', () => {
    expect(
      validateMessageDraft({ subject: '  Votre candidature  ', body: '\nBonjour,\r\n\r\nÀ bientôt.\t\n ' }),
    ).toEqual({
      ok: true,
      value: { subject: 'Votre candidature', body: 'Bonjour,\n\nÀ bientôt.', attachments: [] },
    });
  });

  it('requires the subject and the body, naming each field', () => {
    expect(validateMessageDraft({ subject: '   ', body: '' })).toEqual({
      ok: false,
      errors: [
        { field: 'subject', message: 'L’objet du message est obligatoire.' },
        { field: 'body', message: 'Le message est vide : écrivez votre message.' },
      ],
    });
    expect(validateMessageDraft(null)).toEqual({
      ok: false,
      errors: [
        { field: 'subject', message: MESSAGE_DRAFT_MESSAGES.subjectRequired },
        { field: 'body', message: MESSAGE_DRAFT_MESSAGES.bodyRequired },
      ],
    });
    expect(validateMessageDraft({ subject: 12, body: ['x'] }).ok).toBe(false);
  });

  it('limits the subject to 150 characters and the body to 10 000, counting an emoji as one', () => {
    expect(validateMessageDraft({ subject: 'a'.repeat(150), body: 'b'.repeat(10_000) }).ok).toBe(true);
    expect(validateMessageDraft({ subject: '😀'.repeat(150), body: 'ok' }).ok).toBe(true);
    expect(validateMessageDraft({ subject: 'a'.repeat(151), body: 'b'.repeat(10_001) })).toEqual({
      ok: false,
      errors: [
        { field: 'subject', message: 'L’objet du message ne doit pas dépasser 150 caractères.' },
        {
          field: 'body',
          message: `Le message ne doit pas dépasser ${(10_000).toLocaleString('fr-FR')} caractères.`,
        },
      ],
    });
    expect(MESSAGE_LIMITS.subject).toBe(150);
    expect(MESSAGE_LIMITS.body).toBe(10_000);
  });

  it('refuses control characters: none in the subject, only newlines and tabs in the body', () => {
    const subject = validateMessageDraft({ subject: 'Objet\nsur deux lignes', body: 'ok' });
    expect(subject).toEqual({
      ok: false,
      errors: [{ field: 'subject', message: MESSAGE_DRAFT_MESSAGES.subjectControl }],
    });
    for (const bad of ['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085'])
      expect(validateMessageDraft({ subject: 'Objet', body: `Bonjour ${bad} fin` })).toEqual({
        ok: false,
        errors: [
          {
            field: 'body',
            message:
              'Le message contient des caractères invisibles non autorisés : copiez-le à nouveau en texte simple.',
          },
        ],
      });
    expect(validateMessageDraft({ subject: 'Objet', body: 'Ligne\n\tindentée' }).ok).toBe(true);
  });

  it('accepts up to five attachments referred to by SHA-256, named and within 5 Mo', () => {
    const ok = validateMessageDraft({
      subject: 'CV',
      body: 'Ci-joint.',
      attachments: [{ sha256: SHA, name: ' cv.pdf ', size: 1000 }],
    });
    expect(ok).toEqual({
      ok: true,
      value: { subject: 'CV', body: 'Ci-joint.', attachments: [{ sha256: SHA, name: 'cv.pdf', size: 1000 }] },
    });
    const six = Array.from({ length: 6 }, (_, i) => ({
      sha256: String(i).repeat(64),
      name: `${i}.pdf`,
      size: 1,
    }));
    expect(validateMessageDraft({ subject: 'CV', body: 'x', attachments: six })).toEqual({
      ok: false,
      errors: [{ field: 'attachments', message: 'Vous pouvez joindre au plus 5 fichiers à un message.' }],
    });
    expect(validateMessageDraft({ subject: 'CV', body: 'x', attachments: 'cv.pdf' })).toEqual({
      ok: false,
      errors: [{ field: 'attachments', message: MESSAGE_DRAFT_MESSAGES.attachmentsList }],
    });
  });

  it('names the attachment at fault', () => {
    const result = validateMessageDraft({
      subject: 'CV',
      body: 'x',
      attachments: [
        { sha256: SHA, name: 'cv.pdf', size: 10 },
        { sha256: 'xyz', name: 'a.pdf', size: 10 },
        { sha256: SHA2, name: '../etc/passwd', size: 10 },
        { sha256: SHA2, name: 'gros.pdf', size: 5 * 1024 * 1024 + 1 },
        { sha256: SHA, name: 'cv-encore.pdf', size: 10 },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'attachments.1', message: 'Pièce jointe invalide : joignez ce fichier à nouveau.' },
        { field: 'attachments.2', message: MESSAGE_DRAFT_MESSAGES.attachmentName },
        { field: 'attachments.3', message: 'La pièce jointe dépasse 5 Mo.' },
        { field: 'attachments.4', message: 'Ce fichier est déjà joint au message.' },
      ],
    });
    expect(
      validateMessageDraft({
        subject: 'CV',
        body: 'x',
        attachments: [{ sha256: SHA, name: 'a.pdf', size: 0 }],
      }).ok,
    ).toBe(false);
  });
});
