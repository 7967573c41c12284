import { describe, expect, it } from 'vitest';
import {
  checkNote,
  confirmationOf,
  decisionBody,
  decisionDone,
  decisionProblem,
  formatSize,
  messageByline,
  NOTE_MAX,
  NOTE_TOO_LONG,
  readReportedDetail,
  readReportedList,
  removeRow,
  reportByline,
  summariseReported,
  UNKNOWN_ORGANISATION,
} from './reported-conversations-model';

const conversation = (id: string, reportedAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  organisationId: 'org-1',
  organisationName: 'Boulangeries Martin',
  candidateId: 'cand-1',
  candidateName: 'Thomas Garcia',
  subject: 'Votre candidature',
  aboutLabel: 'Boulanger (H/F)',
  messageCount: 3,
  reportedAt,
  ...extra,
});

describe('readReportedList', () => {
  it('reads the rows, newest report first, reports oldest first', () => {
    const rows = readReportedList({
      items: [
        {
          conversation: conversation('a', '2026-12-01T10:00:00.000Z'),
          reports: [
            { reporterKind: 'organisation', reason: 'Insistant', at: '2026-12-01T11:00:00.000Z' },
            { reporterKind: 'candidate', reason: 'Propos déplacés', at: '2026-12-01T10:00:00.000Z' },
          ],
        },
        {
          conversation: conversation('b', '2026-12-03T09:00:00.000Z', { organisationName: '' }),
          reports: [],
        },
        { conversation: { subject: 'sans id' }, reports: [] },
        'rien',
      ],
    });
    expect(rows?.map((r) => r.id)).toEqual(['b', 'a']);
    expect(rows?.[0]?.organisationName).toBe(UNKNOWN_ORGANISATION);
    expect(rows?.[1]).toMatchObject({
      organisationName: 'Boulangeries Martin',
      candidateName: 'Thomas Garcia',
      subject: 'Votre candidature',
      messageCount: 3,
    });
    expect(rows?.[1]?.reports.map((r) => [r.reporterKind, r.reason])).toEqual([
      ['candidate', 'Propos déplacés'],
      ['organisation', 'Insistant'],
    ]);
  });

  it('refuses what is not a list', () => {
    expect(readReportedList(null)).toBeNull();
    expect(readReportedList({ items: 'x' })).toBeNull();
    expect(readReportedList({ items: [] })).toEqual([]);
  });
});

describe('readReportedDetail', () => {
  it('orders the messages oldest first and keeps the attachments’ names and sizes', () => {
    const detail = readReportedDetail({
      conversation: conversation('a', '2026-12-01T10:00:00.000Z'),
      reports: [{ reporterKind: 'candidate', reason: 'Menaces', at: '2026-12-01T10:00:00.000Z' }],
      messages: [
        {
          id: 'm2',
          authorKind: 'organisation',
          authorName: 'Julie Martin',
          body: 'Réponse',
          sentAt: '2026-11-30T12:00:00.000Z',
          via: 'workstation',
          attachments: [{ sha256: 'x', name: 'planning.pdf', size: 2048 }],
        },
        {
          id: 'm1',
          authorKind: 'candidate',
          authorName: 'Thomas Garcia',
          body: 'Question',
          sentAt: '2026-11-30T08:00:00.000Z',
          via: 'portal',
          attachments: [],
        },
      ],
    });
    expect(detail?.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(detail?.messages[1]?.attachments).toEqual([{ sha256: 'x', name: 'planning.pdf', size: 2048 }]);
    expect(detail?.row.reports.map((r) => r.reason)).toEqual(['Menaces']);
    expect(readReportedDetail({ messages: [] })).toBeNull();
  });
});

describe('wording', () => {
  it('counts, bylines and sizes in French', () => {
    expect(summariseReported(0)).toBe('Aucune conversation signalée');
    expect(summariseReported(1)).toBe('1 conversation signalée');
    expect(summariseReported(2)).toBe('2 conversations signalées');
    expect(reportByline({ reporterKind: 'candidate', reason: 'x', at: '' })).toBe('Le candidat');
    expect(
      reportByline({ reporterKind: 'organisation', reason: 'x', at: '2026-12-01T10:00:00.000Z' }),
    ).toMatch(/^L’organisation, le 01\/12\/2026 \d\d:\d\d$/);
    expect(
      messageByline({
        id: 'm',
        authorKind: 'candidate',
        authorName: 'Thomas Garcia',
        body: '',
        sentAt: '2026-12-01T10:00:00.000Z',
        via: 'email',
        attachments: [],
      }),
    ).toMatch(/^Thomas Garcia \(candidat\), le 01\/12\/2026 \d\d:\d\d, par e-mail$/);
    expect(formatSize(500)).toBe('500 o');
    expect(formatSize(2048)).toBe('2 Ko');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1,5 Mo');
  });

  it('confirms each decision with its consequences, and announces it', () => {
    const row = { candidateName: 'Thomas Garcia', subject: 'Votre candidature' };
    expect(confirmationOf('classer', row)).toMatchObject({
      title: 'Classer ce signalement ?',
      confirmLabel: 'Classer',
      danger: false,
    });
    const suspend = confirmationOf('suspendre-candidat', row);
    expect(suspend).toMatchObject({
      title: 'Suspendre le compte de Thomas Garcia ?',
      confirmLabel: 'Suspendre le candidat',
      danger: true,
    });
    expect(suspend.consequences.join(' ')).toContain('ne pourra plus se connecter');
    expect(decisionDone('classer', row)).toBe('Signalement classé : « Votre candidature ».');
    expect(decisionDone('suspendre-candidat', row)).toContain('Compte de Thomas Garcia suspendu');
  });
});

describe('the note and the decision', () => {
  it('checks the note as the server does (trimmed, at most 1000 characters)', () => {
    expect(checkNote('   ')).toEqual({ ok: true });
    expect(checkNote(' Vu.\r\nRAS ')).toEqual({ ok: true, value: 'Vu.\nRAS' });
    expect(checkNote('é'.repeat(NOTE_MAX))).toEqual({ ok: true, value: 'é'.repeat(NOTE_MAX) });
    expect(checkNote('😀'.repeat(NOTE_MAX))).toMatchObject({ ok: true });
    expect(checkNote('a'.repeat(NOTE_MAX + 1))).toEqual({ ok: false, message: NOTE_TOO_LONG });
    expect(decisionBody('classer')).toEqual({ decision: 'classer' });
    expect(decisionBody('suspendre-candidat', 'Vu')).toEqual({ decision: 'suspendre-candidat', note: 'Vu' });
  });

  it('places the server’s refusals: gone, on the note, or general', () => {
    expect(decisionProblem({ status: 404, message: 'Plus signalée.' })).toEqual({
      kind: 'gone',
      message: 'Plus signalée.',
    });
    expect(
      decisionProblem({
        status: 400,
        message: 'x',
        fields: [{ field: 'note', message: NOTE_TOO_LONG }],
      }),
    ).toEqual({ kind: 'note', message: NOTE_TOO_LONG });
    expect(decisionProblem({ status: 403, message: 'Réservé aux modérateurs.' })).toEqual({
      kind: 'general',
      message: 'Réservé aux modérateurs.',
    });
    expect(decisionProblem({ message: '' }).message).toBe(
      'La décision n’a pas pu être enregistrée. Réessayez.',
    );
  });

  it('removes a decided row', () => {
    const rows = readReportedList({
      items: [
        { conversation: conversation('a', '2026-12-01T10:00:00.000Z'), reports: [] },
        { conversation: conversation('b', '2026-12-02T10:00:00.000Z'), reports: [] },
      ],
    })!;
    expect(removeRow(rows, 'b').map((r) => r.id)).toEqual(['a']);
  });
});
