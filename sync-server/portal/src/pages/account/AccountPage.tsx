import { useState } from 'react';
import type { CandidateProfile } from '../../../../../shared/domain/candidate-profile';
import { apiRequest } from '../../api';
import { Link, PATHS } from '../../router';
import { useSession } from '../../session';
import { useDocumentTitle } from '../../useDocumentTitle';
import { useLoad } from '../../useLoad';
import { ProfileSection } from './ProfileSection';
import { SearchSection } from './SearchSection';
import { SettingsSection } from './SettingsSection';
import './account.css';

type Section = 'profil' | 'recherche' | 'parametres';

const TABS: { section: Section; to: string; label: string }[] = [
  { section: 'profil', to: PATHS.account, label: 'Mon profil' },
  { section: 'recherche', to: `${PATHS.account}/recherche`, label: 'Ma recherche' },
  { section: 'parametres', to: `${PATHS.account}/parametres`, label: 'Paramètres' },
];

/** Until the address is confirmed: a banner with « Renvoyer le lien ». */
function ConfirmBanner() {
  const { session } = useSession();
  const [state, setState] = useState<
    { status: 'idle' | 'busy' } | { status: 'sent' | 'error'; message: string }
  >({
    status: 'idle',
  });
  if (session.status !== 'signed-in' || session.user.emailConfirmed) return null;
  const resend = async () => {
    setState({ status: 'busy' });
    try {
      await apiRequest('POST', '/api/candidate/email-confirmation/resend', {});
      setState({ status: 'sent', message: `Un nouveau lien a été envoyé à ${session.user.email}.` });
    } catch (e) {
      setState({ status: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div className="notice notice--info account-banner">
      <p>
        Confirmez votre adresse e-mail ({session.user.email}) avec le lien que nous vous avons envoyé : vous
        pourrez alors postuler aux offres.
      </p>
      <button
        type="button"
        className="button button--secondary"
        disabled={state.status === 'busy'}
        onClick={() => void resend()}
      >
        Renvoyer le lien
      </button>
      <p role="status" className={state.status === 'error' ? 'field__error' : undefined}>
        {state.status === 'sent' || state.status === 'error' ? state.message : ''}
      </p>
    </div>
  );
}

export function AccountPage({ section, search }: { section: Section; search: string }) {
  const title = TABS.find((t) => t.section === section)?.label ?? 'Mon compte';
  useDocumentTitle(`${title} – Mon compte`);
  const welcome = new URLSearchParams(search).has('bienvenue');
  const [saved, setSaved] = useState<CandidateProfile | null>(null);
  const [load, retry] = useLoad('profile', (signal) =>
    apiRequest<{ profile: CandidateProfile }>('GET', '/api/candidate/profile', undefined, { signal }),
  );

  return (
    <div className="account-page">
      <h1>Mon compte</h1>
      {welcome && (
        <div className="notice notice--success" role="status">
          <p>Votre compte est créé. Complétez votre profil pour que les recruteurs vous trouvent.</p>
        </div>
      )}
      <ConfirmBanner />
      <nav aria-label="Rubriques de mon compte">
        <ul className="tabs">
          {TABS.map((t) => (
            <li key={t.section}>
              <Link to={t.to} aria-current={t.section === section ? 'page' : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'parametres' ? (
        <SettingsSection search={search} />
      ) : load.status === 'loading' ? (
        <p aria-busy="true">Chargement de votre profil…</p>
      ) : load.status === 'error' ? (
        <div className="notice notice--error" role="alert">
          <p>{load.error instanceof Error ? load.error.message : 'Votre profil n’a pas pu être chargé.'}</p>
          <button type="button" className="button button--secondary" onClick={retry}>
            Réessayer
          </button>
        </div>
      ) : section === 'profil' ? (
        <ProfileSection key="profil" initial={saved ?? load.data.profile} onSaved={setSaved} />
      ) : (
        <SearchSection key="recherche" initial={saved ?? load.data.profile} onSaved={setSaved} />
      )}
    </div>
  );
}
