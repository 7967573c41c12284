import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useSession } from '../../app/session-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormField } from '../../components/FormField';
import { type LocalProtection, localProtectionOf } from '../../db/local-key';
import { useSyncState } from '../../hooks/use-sync-state';
import { ApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { errorText, ONLINE_ONLY } from '../organisations/OrganisationScreen';
import {
  companySizeLabel,
  formatSiret,
  kindLabel,
  sectorLabel,
  sizeBandLabel,
  verificationLabel,
} from '../organisations/organisation-form';
import { useOnline, useOrganisation } from '../organisations/use-organisations';
import { OfflineListsStatus } from '../reference/OfflineListsStatus';
import {
  type AccountView,
  changePassword,
  DELETE_CONFIRMATION_WORD,
  deleteAccount,
  fetchAccount,
  type ProfileValues,
  requestEmailChange,
  saveProfile,
  validatePasswordChange,
  validateProfile,
} from './account-api';
import '../organisations/organisations.css';

type Errors = { field: string; message: string }[];
const errorOf = (errors: Errors, field: string) =>
  errors
    .filter((e) => e.field === field)
    .map((e) => e.message)
    .join(' ') || undefined;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card org-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function OfflineNote({ online }: { online: boolean }) {
  return online ? null : <span className="org-offline">{ONLINE_ONLY}</span>;
}

function ProfileSection({ online }: { online: boolean }) {
  const { user, announce, refreshUser } = useSession();
  const [values, setValues] = useState<ProfileValues>({
    lastName: user.lastName,
    firstName: user.firstName,
    jobTitle: user.jobTitle ?? '',
  });
  const [errors, setErrors] = useState<Errors>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty =
    values.lastName !== user.lastName ||
    values.firstName !== user.firstName ||
    values.jobTitle !== (user.jobTitle ?? '');

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local = validateProfile(values);
    setErrors(local);
    if (local.length > 0) {
      document.getElementById(`account-${local[0]!.field}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await saveProfile({
        lastName: values.lastName.trim(),
        firstName: values.firstName.trim(),
        jobTitle: values.jobTitle.trim(),
      });
      await refreshUser();
      announce('Vos informations sont enregistrées.');
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields);
      else setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (field: keyof ProfileValues, label: string, autoComplete: string) => (
    <FormField id={`account-${field}`} label={label} required error={errorOf(errors, field)}>
      {(p) => (
        <input
          {...p}
          type="text"
          maxLength={100}
          autoComplete={autoComplete}
          value={values[field]}
          onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
        />
      )}
    </FormField>
  );

  return (
    <Section id="account-profile-title" title="Mes informations">
      <form onSubmit={submit} noValidate>
        {general ? (
          <div className="alert alert--error" role="alert">
            {general}
          </div>
        ) : null}
        <div className="grid grid--3">
          {input('lastName', 'Nom', 'family-name')}
          {input('firstName', 'Prénom', 'given-name')}
          {input('jobTitle', 'Poste occupé', 'organization-title')}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy || !online || !dirty}>
            {busy ? 'Enregistrement…' : 'Enregistrer'}
          </button>
          <OfflineNote online={online} />
        </div>
      </form>
    </Section>
  );
}

/** Société, SIRET, secteur, taille (seed 001): the current organisation's, edited through it. */
function OrganisationSummary() {
  const { db, organisation, navigate } = useSession();
  const doc = useOrganisation(db, organisation?.organisationId);
  if (!organisation) return null;
  const rows: [string, string][] = [
    ['Société', doc?.name ?? organisation.organisationName],
    ['Type', kindLabel(organisation.kind)],
    ['Numéro SIRET', doc?.siret ? formatSiret(doc.siret) : '—'],
    ['Secteur d’activité', sectorLabel(doc?.sector) || '—'],
    [
      'Taille de l’entreprise',
      [companySizeLabel(doc?.sizeBand), sizeBandLabel(doc?.sizeBand)].filter(Boolean).join(' — ') || '—',
    ],
    ['Vérification', doc ? verificationLabel(doc.verificationState) : '—'],
  ];
  return (
    <Section id="account-org-title" title="Mon organisation">
      <dl className="org-facts org-facts--inline">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">
        Ces informations sont celles de l’organisation courante ;{' '}
        {organisation.role === 'admin' ? 'vous les modifiez' : 'ses administrateurs les modifient'} depuis
        l’écran « Mon organisation ».
      </p>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => navigate({ name: 'organisation' })}
      >
        {organisation.role === 'admin'
          ? 'Modifier les informations de l’organisation'
          : 'Voir l’organisation'}
      </button>
    </Section>
  );
}

function EmailSection({
  online,
  pending,
  onRequested,
}: {
  online: boolean;
  pending: AccountView['pendingEmailChange'];
  onRequested: (p: NonNullable<AccountView['pendingEmailChange']>) => void;
}) {
  const { user, announce } = useSession();
  const [newEmail, setNewEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local: Errors = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(newEmail.trim()))
      local.push({
        field: 'newEmail',
        message: 'Saisissez une adresse e-mail valide (par exemple nom@exemple.fr).',
      });
    if (!password) local.push({ field: 'password', message: 'Saisissez votre mot de passe actuel.' });
    setErrors(local);
    if (local.length > 0) {
      document
        .getElementById(local[0]!.field === 'newEmail' ? 'account-new-email' : 'account-email-password')
        ?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = await requestEmailChange(newEmail.trim(), password);
      onRequested(res.pendingEmailChange);
      setNewEmail('');
      setPassword('');
      announce(`Un lien de confirmation a été envoyé à ${res.pendingEmailChange.newEmail}.`);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields);
      else setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section id="account-email-title" title="Modifier mon adresse e-mail">
      <p>
        Adresse actuelle : <strong data-testid="account-email">{user.email}</strong>
      </p>
      {pending ? (
        <div className="alert alert--info" role="status" data-testid="pending-email">
          Changement en attente : ouvrez le lien envoyé à <strong>{pending.newEmail}</strong> (valable
          jusqu’au {formatDateTime(pending.expiresAt)}). D’ici là, votre adresse actuelle reste valable.
        </div>
      ) : null}
      <p className="muted">
        Attention : vérifiez de ne pas faire d’erreur de frappe. Un lien de confirmation est envoyé à la
        nouvelle adresse ; une fois confirmée, vous serez déconnecté et vous vous reconnecterez avec elle.
      </p>
      <form onSubmit={submit} noValidate>
        {general ? (
          <div className="alert alert--error" role="alert">
            {general}
          </div>
        ) : null}
        <div className="grid grid--2">
          <FormField
            id="account-new-email"
            label="Nouvelle adresse e-mail"
            required
            error={errorOf(errors, 'newEmail')}
          >
            {(p) => (
              <input
                {...p}
                type="email"
                autoComplete="email"
                maxLength={254}
                value={newEmail}
                onChange={(e) => setNewEmail(e.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="account-email-password"
            label="Mot de passe actuel"
            required
            error={errorOf(errors, 'password')}
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </FormField>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy || !online}>
            {busy ? 'Envoi…' : 'Envoyer le lien de confirmation'}
          </button>
          <OfflineNote online={online} />
        </div>
      </form>
    </Section>
  );
}

function PasswordSection({ online }: { online: boolean }) {
  const { announce } = useSession();
  const [values, setValues] = useState({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const [errors, setErrors] = useState<Errors>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local = validatePasswordChange(values.currentPassword, values.newPassword, values.confirmPassword);
    setErrors(local);
    if (local.length > 0) {
      document.getElementById(`account-${local[0]!.field}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = await changePassword(values.currentPassword, values.newPassword);
      setValues({ currentPassword: '', newPassword: '', confirmPassword: '' });
      announce(
        res.sessionsClosed > 0
          ? `Mot de passe modifié : vos ${res.sessionsClosed} autre(s) session(s) ont été fermées.`
          : 'Mot de passe modifié.',
      );
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields);
      else setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (field: keyof typeof values, label: string, autoComplete: string) => (
    <FormField id={`account-${field}`} label={label} required error={errorOf(errors, field)}>
      {(p) => (
        <input
          {...p}
          type="password"
          autoComplete={autoComplete}
          value={values[field]}
          onChange={(e) => setValues((v) => ({ ...v, [field]: e.target.value }))}
        />
      )}
    </FormField>
  );

  return (
    <Section id="account-password-title" title="Changer mon mot de passe">
      <form onSubmit={submit} noValidate>
        {general ? (
          <div className="alert alert--error" role="alert">
            {general}
          </div>
        ) : null}
        <div className="grid grid--3">
          {input('currentPassword', 'Mot de passe actuel', 'current-password')}
          {input('newPassword', 'Nouveau mot de passe', 'new-password')}
          {input('confirmPassword', 'Confirmer le nouveau mot de passe', 'new-password')}
        </div>
        <p className="muted small">
          10 caractères au moins. Vos autres sessions (autres postes, navigateurs) seront fermées.
        </p>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy || !online}>
            {busy ? 'Modification…' : 'Changer le mot de passe'}
          </button>
          <OfflineNote online={online} />
        </div>
      </form>
    </Section>
  );
}

/**
 * « Cet ordinateur » (issue 8): sign out and wipe this computer's copy of the data (a shared or
 * lent laptop). Pending changes are lost with it: they are counted first.
 */
/** What protects the local copy, as the user reads it (issue 8: data at rest). */
export const LOCAL_PROTECTION_TEXT: Record<LocalProtection, string> = {
  system:
    'Les coordonnées des candidats, vos notes, les messages et les fichiers gardés sur cet ordinateur sont chiffrés ; la clé est protégée par le trousseau du système.',
  weak: 'Les coordonnées des candidats, vos notes, les messages et les fichiers gardés sur cet ordinateur sont chiffrés, mais cet ordinateur n’a pas de trousseau sécurisé : la clé est seulement protégée par votre session. Activez le trousseau du système (par exemple GNOME Keyring ou KWallet) pour la protéger.',
  browser:
    'Dans le navigateur, ces données ne sont pas chiffrées par l’application : elles sont protégées par votre session et le chiffrement du disque. L’application de bureau les chiffre.',
};

function ThisComputerSection() {
  const { sync, signOut, user } = useSession();
  const { pending } = useSyncState(sync);
  const protection = localProtectionOf(user.id);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  return (
    <Section id="account-this-computer" title="Cet ordinateur">
      <p>
        Vos offres, candidats, CV, messages et fichiers sont copiés sur cet ordinateur pour travailler hors
        ligne. Sur un ordinateur partagé ou prêté, effacez-les en vous déconnectant : ils reviendront à votre
        prochaine connexion.
      </p>
      {protection && <p data-testid="local-protection">{LOCAL_PROTECTION_TEXT[protection]}</p>}
      <OfflineListsStatus />
      <button type="button" className="button button--danger" disabled={busy} onClick={() => setAsking(true)}>
        Me déconnecter et effacer les données de cet ordinateur
      </button>
      <ConfirmDialog
        open={asking}
        title="Effacer les données de cet ordinateur ?"
        confirmLabel="Effacer et me déconnecter"
        cancelLabel="Annuler"
        danger
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          setBusy(true);
          void signOut({ wipe: true });
        }}
      >
        <p>
          {pending > 0
            ? `${pending} ${pending > 1 ? 'modifications ne sont pas encore synchronisées : elles seront perdues' : 'modification n’est pas encore synchronisée : elle sera perdue'}. Reconnectez-vous au réseau et attendez la synchronisation pour les garder.`
            : 'Tout est synchronisé : rien ne sera perdu, vos données restent sur le serveur.'}
        </p>
      </ConfirmDialog>
    </Section>
  );
}

function DeleteSection({ online }: { online: boolean }) {
  const { db, sync, signOut } = useSession();
  const [password, setPassword] = useState('');
  const [word, setWord] = useState('');
  const [errors, setErrors] = useState<Errors>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmed = word.trim() === DELETE_CONFIRMATION_WORD;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setGeneral(null);
    const local: Errors = [];
    if (!password) local.push({ field: 'password', message: 'Saisissez votre mot de passe.' });
    if (!confirmed)
      local.push({
        field: 'word',
        message: `Tapez ${DELETE_CONFIRMATION_WORD} pour confirmer la suppression.`,
      });
    setErrors(local);
    if (local.length > 0) {
      document.getElementById(`account-delete-${local[0]!.field}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await deleteAccount(password);
      // The account's data leaves this workstation too.
      await sync.stop();
      await db.remove().catch(() => undefined);
      await signOut();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length > 0) setErrors(err.fields.map((f) => ({ ...f })));
      else setGeneral(errorText(err));
      setBusy(false);
    }
  }

  return (
    <Section id="account-delete-title" title="Supprimer mon compte">
      <p>
        Vos informations personnelles (nom, prénom, poste, adresse e-mail) sont effacées et vous êtes retiré
        de vos organisations ; les offres que vous avez rédigées restent à votre organisation. Cette action
        est définitive.
      </p>
      <p className="muted small">
        Si vous êtes le seul administrateur d’une organisation qui a d’autres membres, nommez d’abord un autre
        administrateur.
      </p>
      <form onSubmit={submit} noValidate>
        {general ? (
          <div className="alert alert--error" role="alert" data-testid="delete-error">
            {general}
          </div>
        ) : null}
        <div className="grid grid--2">
          <FormField
            id="account-delete-password"
            label="Mot de passe"
            required
            error={errorOf(errors, 'password')}
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </FormField>
          <FormField
            id="account-delete-word"
            label={`Pour confirmer, tapez ${DELETE_CONFIRMATION_WORD}`}
            required
            error={errorOf(errors, 'word')}
          >
            {(p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                value={word}
                onChange={(e) => setWord(e.target.value)}
              />
            )}
          </FormField>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--danger" disabled={busy || !online || !confirmed}>
            {busy ? 'Suppression…' : 'Supprimer définitivement mon compte'}
          </button>
          <OfflineNote online={online} />
        </div>
      </form>
    </Section>
  );
}

/** « Mes paramètres » (seed 001, seed 003 « Gestion de votre compte utilisateur »). */
export function AccountScreen() {
  const { sync } = useSession();
  const online = useOnline(sync);
  const [view, setView] = useState<AccountView | null>(null);

  useEffect(() => {
    if (!online) return;
    let cancelled = false;
    fetchAccount()
      .then((v) => {
        if (!cancelled) setView(v);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [online]);

  return (
    <section aria-labelledby="account-title" className="org-screen">
      <div className="page-header">
        <h1 id="account-title" tabIndex={-1}>
          Mes paramètres
        </h1>
        <p className="muted">Vos informations de recruteur, votre mot de passe et votre adresse e-mail.</p>
      </div>
      {!online ? (
        <div className="alert alert--warning" role="status">
          Hors ligne : vos paramètres s’affichent, mais les modifications sont disponibles en ligne
          uniquement.
        </div>
      ) : null}
      <ProfileSection online={online} />
      <OrganisationSummary />
      <EmailSection
        online={online}
        pending={view?.pendingEmailChange ?? null}
        onRequested={(p) => setView((v) => (v ? { ...v, pendingEmailChange: p } : v))}
      />
      <PasswordSection online={online} />
      <ThisComputerSection />
      <DeleteSection online={online} />
    </section>
  );
}
