import { useEffect, useMemo, useState } from 'react';
import type { MayWriteResult } from '../../../../shared/domain/messaging';
import type { ApplicationDoc, CvDoc, CvListDoc } from '../../../../shared/schemas';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import { type Session, useSession, type WriteTarget } from '../../app/session-context';
import { Composer } from './Composer';
import { conversationAbout } from './inbox-model';
import type { NewConversation as NewConversationData } from './messages-db';
import { cvListingOf, NO_CANDIDATE_ACCOUNT_MESSAGE, writeDecision } from './write-rules';

export interface ResolvedTarget {
  /** The existing conversation about it, if any. */
  existing: ConversationDoc | null;
  draft: NewConversationData | null;
  decision: MayWriteResult | null;
  /** Why nothing can be written, when the replica does not have the document. */
  missing?: string;
}

const json = <T,>(d: { toJSON(): unknown } | null | undefined) => (d ? (d.toJSON() as T) : null);

export function candidateNameOfCv(cv: Pick<CvDoc, 'anonymous' | 'firstName' | 'lastName' | 'title'>): string {
  const name = `${cv.firstName ?? ''} ${cv.lastName ?? ''}`.trim();
  return cv.anonymous || !name ? `Candidat anonyme (${cv.title})` : name;
}

/** What « Écrire » about an application or a CV opens: its conversation, or a new one and the rules' verdict. */
export async function resolveWriteTarget(session: Session, target: WriteTarget): Promise<ResolvedTarget> {
  const { db, organisation, user } = session;
  if (!organisation) return { existing: null, draft: null, decision: null, missing: 'Aucune organisation.' };
  const orgId = organisation.organisationId;
  const conversations = (await db.conversations.find({ selector: { organisationId: orgId } }).exec()).map(
    (d) => d.toJSON() as ConversationDoc,
  );
  const lists = (await db.cvLists.find({ selector: { organisationId: orgId } }).exec()).map(
    (d) => d.toJSON() as CvListDoc,
  );
  const existing = conversationAbout(conversations, orgId, target);
  if (existing) return { existing, draft: null, decision: null };
  const id = crypto.randomUUID();

  if (target.aboutKind === 'application') {
    const app = json<ApplicationDoc>(await db.applications.findOne(target.aboutId).exec());
    if (!app)
      return {
        existing: null,
        draft: null,
        decision: null,
        missing: 'Cette candidature n’est pas sur ce poste.',
      };
    const name = `${app.applicant?.firstName ?? ''} ${app.applicant?.lastName ?? ''}`.trim() || 'Candidat';
    const offerTitle = app.offer?.title ?? 'candidature spontanée';
    const draft: NewConversationData = {
      id,
      aboutKind: 'application',
      aboutId: app.id,
      aboutLabel: offerTitle,
      candidateId: app.candidateId ?? '',
      candidateName: name,
      subject: `Votre candidature : ${offerTitle}`.slice(0, 150),
    };
    if (!app.candidateId)
      return {
        existing: null,
        draft,
        decision: {
          allowed: false,
          code: 'candidate-account-required',
          message: NO_CANDIDATE_ACCOUNT_MESSAGE,
        },
      };
    const applications = (
      await db.applications.find({ selector: { organisationId: orgId, candidateId: app.candidateId } }).exec()
    ).map((d) => d.toJSON() as ApplicationDoc);
    const cvIds = [...new Set(applications.map((a) => a.cvId).filter((x): x is string => !!x))];
    const visible = new Set((await db.cvs.findByIds(cvIds).exec()).keys());
    const decision = writeDecision({
      user,
      organisation,
      candidateId: app.candidateId,
      applications,
      cvListing: cvListingOf(cvIds, lists, orgId, (cvId) => visible.has(cvId)),
      conversations: conversations.filter((c) => c.candidateId === app.candidateId),
    });
    return { existing: null, draft, decision };
  }

  const cv = json<CvDoc>(await db.cvs.findOne(target.aboutId).exec());
  if (!cv)
    return {
      existing: null,
      draft: null,
      decision: null,
      missing:
        'Ce CV n’est pas enregistré sur ce poste : ajoutez-le à l’une de vos listes pour pouvoir écrire à son auteur (ou il n’est plus visible dans la CVthèque).',
    };
  const applications = (
    await db.applications.find({ selector: { organisationId: orgId, cvId: cv.id } }).exec()
  ).map((d) => d.toJSON() as ApplicationDoc);
  const candidateId = applications.find((a) => a.candidateId)?.candidateId ?? '';
  const draft: NewConversationData = {
    id,
    aboutKind: 'cv',
    aboutId: cv.id,
    aboutLabel: cv.title,
    candidateId,
    candidateName: candidateNameOfCv(cv),
    subject: `Votre CV : ${cv.title}`.slice(0, 150),
  };
  const decision = writeDecision({
    user,
    organisation,
    candidateId,
    applications,
    cvListing: cvListingOf([cv.id], lists, orgId, () => true),
    conversations: conversations.filter(
      (c) => (candidateId && c.candidateId === candidateId) || (c.aboutKind === 'cv' && c.aboutId === cv.id),
    ),
  });
  return { existing: null, draft, decision };
}

/** A new conversation from « Écrire »: the rules said first, the box only when they allow it. */
export function NewConversationView({
  target,
  onOpen,
}: {
  target: WriteTarget;
  onOpen: (conversationId: string) => void;
}) {
  const session = useSession();
  const [resolved, setResolved] = useState<ResolvedTarget | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: resolved once per target (the draft's id stays)
  useEffect(() => {
    let live = true;
    setResolved(null);
    void resolveWriteTarget(session, target).then((r) => {
      if (!live) return;
      if (r.existing) onOpen(r.existing.id);
      else setResolved(r);
    });
    return () => {
      live = false;
    };
  }, [target.aboutKind, target.aboutId, session.organisation?.organisationId]);

  const draft = resolved?.draft ?? null;
  const title = useMemo(() => (draft ? `Écrire à ${draft.candidateName}` : 'Écrire'), [draft]);
  if (!resolved) return <p aria-busy="true">Préparation du message…</p>;
  return (
    <section className="conversation" aria-labelledby="new-conversation-title" data-testid="new-conversation">
      <h2 id="new-conversation-title" tabIndex={-1}>
        {title}
      </h2>
      {resolved.missing ? (
        <p className="alert alert--info" role="status" data-testid="cannot-write">
          {resolved.missing}
        </p>
      ) : null}
      {resolved.decision && !resolved.decision.allowed ? (
        <div className="alert alert--info" role="status" data-testid="cannot-write">
          <p>
            <strong>Vous ne pouvez pas écrire à cette personne.</strong>
          </p>
          <p>{resolved.decision.message}</p>
        </div>
      ) : null}
      {draft && resolved.decision?.allowed ? (
        <Composer
          conversation={null}
          newConversation={draft}
          onSent={(message) => {
            session.announce(
              session.sync.getState().online
                ? 'Message enregistré : il part vers le candidat.'
                : 'Message enregistré sur ce poste : il sera envoyé au retour de la connexion.',
            );
            onOpen(message.conversationId);
          }}
        />
      ) : null}
    </section>
  );
}
