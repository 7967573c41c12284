import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { OrganisationDoc } from '../../../../shared/schemas';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { FormField } from '../../components/FormField';
import { deepEqual } from '../../db/conflict';
import { ApiError, NetworkError } from '../../lib/api';
import { formatDate, plural } from '../../lib/format';
import { useReferenceState } from '../reference/use-reference-suggestions';
import { IdentityFields } from './IdentityFields';
import {
  cancelInvitation,
  inviteMember,
  removeMember,
  resendInvitation,
  setMemberRole,
  updateOrganisation,
} from './organisation-api';
import {
  adminCount,
  describeSubtype,
  docToForm,
  EMPTY_ORGANISATION_FORM,
  type FieldError,
  formatSiret,
  formField,
  formToPayload,
  inviterName,
  isExpired,
  kindLabel,
  memberName,
  myRole,
  type OrganisationFormValues,
  organisationFieldId,
  roleLabel,
  sectorLabel,
  sizeBandLabel,
  validateOrganisationForm,
  verificationLabel,
  verificationMessage,
} from './organisation-form';
import { freshest, useOnline, useOrganisation } from './use-organisations';
import './organisations.css';

export const ONLINE_ONLY = 'Disponible en ligne uniquement';

export function errorText(err: unknown, fallback = 'L’action n’a pas pu aboutir. Réessayez.'): string {
  if (err instanceof ApiError || err instanceof NetworkError) return err.message;
  return fallback;
}

function VerificationBanner({ doc }: { doc: OrganisationDoc }) {
  const message = verificationMessage(doc);
  if (!message) return null;
  return (
    <div
      className={`alert alert--${message.tone === 'error' ? 'error' : message.tone === 'warning' ? 'warning' : 'info'} org-banner`}
      role="status"
      data-testid="verification-banner"
    >
      <strong>{message.title}.</strong> {message.text}
    </div>
  );
}

/** The identity as members (not administrators) see it. */
function IdentityFacts({ doc }: { doc: OrganisationDoc }) {
  const naf = useReferenceState('naf');
  const nafLabel = doc.nafCode ? naf.index?.byCode.get(doc.nafCode)?.label : undefined;
  const a = doc.address;
  const rows: [string, string][] = [
    ['Catégorie', describeSubtype(doc.kind, doc.subtype) || '—'],
    ['Numéro SIRET', doc.siret ? formatSiret(doc.siret) : '—'],
    ['Code NAF', doc.nafCode ? `${doc.nafCode}${nafLabel ? ` — ${nafLabel}` : ''}` : '—'],
    ['Secteur d’activité', sectorLabel(doc.sector) || '—'],
    ['Effectif salarié', sizeBandLabel(doc.sizeBand) || '—'],
    ['Téléphone', doc.phone ?? '—'],
    ['E-mail de contact', doc.email ?? '—'],
    ['Adresse', a ? [a.street, `${a.postalCode} ${a.city}`].filter(Boolean).join(', ') : '—'],
  ];
  return (
    <dl className="org-facts" data-testid="organisation-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The identity form: editable by administrators, read-only for members. */
function IdentitySection({
  doc,
  isAdmin,
  online,
  onSaved,
}: {
  doc: OrganisationDoc;
  isAdmin: boolean;
  online: boolean;
  onSaved: (doc: OrganisationDoc) => void;
}) {
  const { announce } = useSession();
  const [values, setValues] = useState<OrganisationFormValues>(EMPTY_ORGANISATION_FORM);
  const [baseline, setBaseline] = useState<OrganisationFormValues>(EMPTY_ORGANISATION_FORM);
  const [loadedAt, setLoadedAt] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const dirty = !deepEqual(values, baseline);

  // The document as the replica holds it; kept while the user has unsaved edits.
  useEffect(() => {
    const key = `${doc.id}|${doc.updatedAt}`;
    if (key === loadedAt) return;
    if (loadedAt?.startsWith(doc.id) && dirty) return;
    const form = docToForm(doc);
    setValues(form);
    setBaseline(form);
    setLoadedAt(key);
  }, [doc, loadedAt, dirty]);

  useEffect(() => {
    if (focusTick > 0) summaryRef.current?.focus();
  }, [focusTick]);

  async function save(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local = validateOrganisationForm(values, { antenna: !!doc.parentId });
    if (local.length > 0) {
      setErrors(local);
      setFocusTick((t) => t + 1);
      return;
    }
    setErrors([]);
    setSaving(true);
    try {
      const payload = formToPayload(values);
      if (doc.parentId) delete payload.siret;
      const res = await updateOrganisation(doc.id, payload);
      const form = docToForm(res.organisation);
      setValues(form);
      setBaseline(form);
      setLoadedAt(`${res.organisation.id}|${res.organisation.updatedAt}`);
      onSaved(res.organisation);
      announce(
        res.organisation.verificationState !== doc.verificationState &&
          res.organisation.verificationState === 'en_attente'
          ? 'Informations enregistrées : l’organisation repasse en vérification.'
          : 'Informations de l’organisation enregistrées.',
      );
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) {
        setErrors(err.fields.map((f) => ({ field: formField(f.field), message: f.message })));
        setFocusTick((t) => t + 1);
      } else setGeneral(errorText(err));
    } finally {
      setSaving(false);
    }
  }

  if (!isAdmin)
    return (
      <section className="card org-section" aria-labelledby="org-identity-title">
        <h2 id="org-identity-title">Informations de l’organisation</h2>
        <IdentityFacts doc={doc} />
        <p className="muted small">Seuls les administrateurs de l’organisation modifient ces informations.</p>
      </section>
    );

  return (
    <section className="card org-section" aria-labelledby="org-identity-title">
      <h2 id="org-identity-title">Informations de l’organisation</h2>
      <form onSubmit={save} noValidate>
        <ErrorSummary
          ref={summaryRef}
          errors={errors}
          fieldId={(f) => organisationFieldId('org', f)}
          title="Les informations n’ont pas été enregistrées"
        />
        {general ? (
          <div className="alert alert--error" role="alert">
            {general}
          </div>
        ) : null}
        <IdentityFields
          prefix="org"
          values={values}
          errors={errors}
          readOnly={!isAdmin}
          onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
          {...(doc.parentId ? { fixedSiret: doc.siret ?? null } : {})}
        />
        {isAdmin ? (
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={saving || !online || !dirty}>
              {saving ? 'Enregistrement…' : 'Enregistrer les modifications'}
            </button>
            {dirty ? (
              <button
                type="button"
                className="button button--ghost"
                onClick={() => {
                  setValues(baseline);
                  setErrors([]);
                }}
              >
                Annuler les modifications
              </button>
            ) : null}
            {!online ? <span className="org-offline">{ONLINE_ONLY}</span> : null}
            {doc.verificationState === 'verifiee' && (doc.kind === 'employer' || doc.kind === 'agency') ? (
              <p className="muted small org-form-note">
                Un changement de SIRET renvoie l’organisation en vérification : ses nouvelles offres
                attendront la décision de la modération.
              </p>
            ) : null}
          </div>
        ) : null}
      </form>
    </section>
  );
}

type PendingAction =
  | { kind: 'remove'; accountId: string; name: string; self: boolean }
  | { kind: 'cancel-invitation'; id: string; email: string };

function MembersSection({
  doc,
  isAdmin,
  online,
  onChanged,
}: {
  doc: OrganisationDoc;
  isAdmin: boolean;
  online: boolean;
  onChanged: (doc: OrganisationDoc | null) => void;
}) {
  const { user, announce, refreshUser, navigate } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const admins = adminCount(doc);
  const members = useMemo(
    () =>
      [...doc.members].sort(
        (a, b) =>
          (a.role === b.role ? 0 : a.role === 'admin' ? -1 : 1) ||
          a.lastName.localeCompare(b.lastName, 'fr') ||
          a.firstName.localeCompare(b.firstName, 'fr'),
      ),
    [doc.members],
  );

  async function run(key: string, action: () => Promise<void>) {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  const changeRole = (accountId: string, name: string, role: 'admin' | 'member') =>
    run(`role-${accountId}`, async () => {
      const res = await setMemberRole(doc.id, accountId, role);
      onChanged(res.organisation);
      await refreshUser();
      announce(
        role === 'admin' ? `${name} est désormais administrateur.` : `${name} n’est plus administrateur.`,
      );
    });

  const confirmRemove = (action: Extract<PendingAction, { kind: 'remove' }>) =>
    run(`remove-${action.accountId}`, async () => {
      const res = await removeMember(doc.id, action.accountId);
      setPending(null);
      if (action.self) {
        await refreshUser();
        announce(`Vous avez quitté « ${doc.name} ».`);
        navigate({ name: 'organisation' });
      } else {
        onChanged(res.organisation);
        announce(`${action.name} a été retiré de l’organisation.`);
      }
    });

  return (
    <section className="card org-section" aria-labelledby="org-members-title">
      <h2 id="org-members-title">
        Collaborateurs{' '}
        <span className="muted small">
          ({members.length} {plural(members.length, 'membre', 'membres')})
        </span>
      </h2>
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data-table org-members" data-testid="members-table">
          <caption className="visually-hidden">Membres de l’organisation {doc.name}</caption>
          <thead>
            <tr>
              <th scope="col">Nom</th>
              <th scope="col">E-mail</th>
              <th scope="col">Rôle</th>
              <th scope="col">Membre depuis</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const name = memberName(m);
              const me = m.accountId === user.id;
              const lastAdmin = m.role === 'admin' && admins <= 1;
              return (
                <tr key={m.accountId}>
                  <th scope="row">
                    {name}
                    {me ? <span className="muted"> (vous)</span> : null}
                    {m.jobTitle ? <span className="org-member__job">{m.jobTitle}</span> : null}
                  </th>
                  <td>{m.email}</td>
                  <td>
                    <span className={`status ${m.role === 'admin' ? 'status--info' : 'status--muted'}`}>
                      {roleLabel(m.role)}
                    </span>
                  </td>
                  <td>{formatDate(m.joinedAt)}</td>
                  <td>
                    <div className="row-actions">
                      {isAdmin && m.role === 'member' ? (
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          disabled={!online || busy !== null}
                          title={online ? undefined : ONLINE_ONLY}
                          onClick={() => void changeRole(m.accountId, name, 'admin')}
                        >
                          Nommer administrateur
                        </button>
                      ) : null}
                      {isAdmin && m.role === 'admin' && !lastAdmin ? (
                        <button
                          type="button"
                          className="button button--small button--ghost"
                          disabled={!online || busy !== null}
                          title={online ? undefined : ONLINE_ONLY}
                          onClick={() => void changeRole(m.accountId, name, 'member')}
                        >
                          Retirer le rôle d’administrateur
                        </button>
                      ) : null}
                      {(isAdmin && !me) || (me && !lastAdmin && members.length > 1) ? (
                        <button
                          type="button"
                          className="button button--small button--danger-outline"
                          disabled={!online || busy !== null}
                          title={online ? undefined : ONLINE_ONLY}
                          onClick={() =>
                            setPending({ kind: 'remove', accountId: m.accountId, name, self: me })
                          }
                        >
                          {me ? 'Quitter l’organisation' : 'Retirer de la structure'}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!online ? (
        <p className="org-offline">Gestion des collaborateurs : {ONLINE_ONLY.toLowerCase()}.</p>
      ) : null}
      {isAdmin && admins <= 1 ? (
        <p className="muted small">
          Vous êtes le seul administrateur : nommez un autre administrateur avant de quitter l’organisation ou
          de supprimer votre compte.
        </p>
      ) : null}
      <ConfirmDialog
        open={pending?.kind === 'remove'}
        title={
          pending?.kind === 'remove' && pending.self
            ? 'Quitter l’organisation ?'
            : 'Retirer ce collaborateur ?'
        }
        confirmLabel={pending?.kind === 'remove' && pending.self ? 'Quitter l’organisation' : 'Retirer'}
        danger
        onCancel={() => setPending(null)}
        onConfirm={() => {
          if (pending?.kind === 'remove') void confirmRemove(pending);
        }}
      >
        {pending?.kind === 'remove' ? (
          <p>
            {pending.self
              ? `Vous n’aurez plus accès aux offres, fiches entreprise et candidatures de « ${doc.name} ». Elles seront retirées de ce poste à la prochaine synchronisation.`
              : `${pending.name} n’aura plus accès aux données de « ${doc.name} » : elles seront retirées de son poste à sa prochaine synchronisation.`}
          </p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}

function InvitationsSection({
  doc,
  online,
  onChanged,
}: {
  doc: OrganisationDoc;
  online: boolean;
  onChanged: (doc: OrganisationDoc) => void;
}) {
  const { announce } = useSession();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<{ id: string; email: string } | null>(null);
  const invitations = doc.invitations ?? [];

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setError(null);
    const value = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      setFieldError('Saisissez l’adresse e-mail de la personne à inviter.');
      document.getElementById('invite-email')?.focus();
      return;
    }
    setFieldError(null);
    setBusy('invite');
    try {
      const res = await inviteMember(doc.id, value);
      onChanged(res.organisation);
      setEmail('');
      announce(`Invitation envoyée à ${res.invitation.email}.`);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setFieldError(err.fields[0]!.message);
      else setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  async function act(key: string, action: () => Promise<void>) {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card org-section" aria-labelledby="org-invitations-title">
      <h2 id="org-invitations-title">Inviter des collaborateurs</h2>
      <p className="muted">
        Tous les membres peuvent inviter un collègue. Il reçoit un lien valable 7 jours pour rejoindre
        l’organisation avec son compte, ou en créer un.
      </p>
      <form className="org-invite" onSubmit={submit} noValidate>
        <FormField id="invite-email" label="E-mail du collaborateur" error={fieldError ?? undefined}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="off"
              maxLength={254}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </FormField>
        <button type="submit" className="button button--primary" disabled={!online || busy !== null}>
          {busy === 'invite' ? 'Envoi…' : 'Envoyer l’invitation'}
        </button>
        {!online ? <span className="org-offline">{ONLINE_ONLY}</span> : null}
      </form>
      {error ? (
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      ) : null}
      <h3 className="org-subtitle">Invitations en attente</h3>
      {invitations.length === 0 ? (
        <p className="muted" data-testid="no-invitations">
          Aucune invitation en attente.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="invitations-table">
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Invité par</th>
                <th scope="col">Envoyée le</th>
                <th scope="col">Validité</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((inv) => {
                const expired = isExpired(inv.expiresAt);
                return (
                  <tr key={inv.id}>
                    <th scope="row">{inv.email}</th>
                    <td>{inviterName(doc, inv.invitedBy)}</td>
                    <td>{formatDate(inv.invitedAt)}</td>
                    <td>
                      {expired ? (
                        <span className="status status--warning">Expirée</span>
                      ) : (
                        <>jusqu’au {formatDate(inv.expiresAt)}</>
                      )}
                    </td>
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          disabled={!online || busy !== null}
                          title={online ? undefined : ONLINE_ONLY}
                          onClick={() =>
                            void act(`resend-${inv.id}`, async () => {
                              const res = await resendInvitation(doc.id, inv.id);
                              onChanged(res.organisation);
                              announce(
                                `Invitation renvoyée à ${inv.email} : l’ancien lien ne fonctionne plus.`,
                              );
                            })
                          }
                        >
                          Renvoyer
                        </button>
                        <button
                          type="button"
                          className="button button--small button--danger-outline"
                          disabled={!online || busy !== null}
                          title={online ? undefined : ONLINE_ONLY}
                          onClick={() => setCancelling({ id: inv.id, email: inv.email })}
                        >
                          Annuler
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title="Annuler cette invitation ?"
        confirmLabel="Annuler l’invitation"
        cancelLabel="Garder l’invitation"
        danger
        onCancel={() => setCancelling(null)}
        onConfirm={() => {
          const c = cancelling;
          if (!c) return;
          setCancelling(null);
          void act(`cancel-${c.id}`, async () => {
            const res = await cancelInvitation(doc.id, c.id);
            onChanged(res.organisation);
            announce(`Invitation de ${c.email} annulée.`);
          });
        }}
      >
        <p>Le lien envoyé à {cancelling?.email} ne fonctionnera plus.</p>
      </ConfirmDialog>
    </section>
  );
}

/**
 * « Mon organisation » (seed 003 « Gérer vos collaborateurs », « Modifier les informations »): the
 * current organisation's identity, verification, members and invitations. Reads the replica; every
 * change goes through the server (online only).
 */
export function OrganisationScreen() {
  const { db, sync, user, organisation, navigate } = useSession();
  const online = useOnline(sync);
  const replica = useOrganisation(db, organisation?.organisationId);
  const [answered, setAnswered] = useState<OrganisationDoc | null>(null);
  const doc = freshest(replica, answered?.id === organisation?.organisationId ? answered : null);
  const role = myRole(doc, user) ?? organisation?.role ?? null;
  const isAdmin = role === 'admin';

  if (!organisation) {
    return (
      <section aria-labelledby="org-title">
        <div className="page-header">
          <h1 id="org-title" tabIndex={-1}>
            Mon organisation
          </h1>
        </div>
        <div className="empty-state">
          <p>Vous n’êtes membre d’aucune organisation de recruteurs.</p>
          <p className="muted">
            Demandez à un collègue de vous inviter (avec l’adresse e-mail de votre compte), ou créez votre
            organisation.
          </p>
          <button
            type="button"
            className="button button--primary"
            onClick={() => navigate({ name: 'organisation-create' })}
          >
            Créer une organisation
          </button>
        </div>
      </section>
    );
  }

  const mayCreateAntenna =
    isAdmin &&
    !!doc &&
    !doc.parentId &&
    (doc.kind === 'employer' || doc.kind === 'agency' || doc.kind === 'training');

  return (
    <section aria-labelledby="org-title" className="org-screen">
      <div className="page-header org-header">
        <div>
          <h1 id="org-title" tabIndex={-1}>
            {doc?.name ?? organisation.organisationName}
          </h1>
          {doc ? (
            <p className="muted org-header__meta">
              {kindLabel(doc.kind)}
              {doc.subtype ? ` · ${describeSubtype(doc.kind, doc.subtype)}` : ''}
              {doc.siret ? ` · SIRET ${formatSiret(doc.siret)}` : ''}
              {doc.parentId ? ' · antenne' : ''}
              {' · '}
              <span
                className={`status ${doc.verificationState === 'verifiee' ? 'status--success' : doc.verificationState === 'refusee' ? 'status--danger' : 'status--warning'}`}
              >
                {verificationLabel(doc.verificationState)}
              </span>
              {' · '}
              vous êtes {roleLabel(role ?? 'member').toLowerCase()}
            </p>
          ) : null}
        </div>
        <div className="org-header__actions">
          {mayCreateAntenna ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => navigate({ name: 'organisation-create', parentId: doc.id })}
            >
              Créer une antenne
            </button>
          ) : null}
          <button
            type="button"
            className="button button--ghost"
            onClick={() => navigate({ name: 'organisation-create' })}
          >
            Créer une autre organisation
          </button>
        </div>
      </div>
      {!online ? (
        <div className="alert alert--warning" role="status">
          Hors ligne : vous voyez les informations enregistrées sur ce poste. Modifier l’organisation, inviter
          ou retirer des collaborateurs est disponible en ligne uniquement.
        </div>
      ) : null}
      {doc === undefined ? (
        <p>Chargement…</p>
      ) : doc === null ? (
        <div className="empty-state">
          <p>
            Les informations de l’organisation ne sont pas encore sur ce poste : elles arrivent à la prochaine
            synchronisation.
          </p>
        </div>
      ) : (
        <>
          <VerificationBanner doc={doc} />
          <IdentitySection doc={doc} isAdmin={isAdmin} online={online} onSaved={setAnswered} />
          <MembersSection doc={doc} isAdmin={isAdmin} online={online} onChanged={(d) => setAnswered(d)} />
          <InvitationsSection doc={doc} online={online} onChanged={setAnswered} />
        </>
      )}
    </section>
  );
}
