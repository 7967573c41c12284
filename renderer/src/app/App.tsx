import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { LoginResponse, SessionUser } from '../../../shared/domain/account';
import type { WorkstationDatabase } from '../db/collections';
import { closeUserDatabase, openUserDatabase } from '../db/database';
import { LocalDataKeyError } from '../db/local-key';
import { SyncController } from '../db/replication';
import { wipeUserData } from '../db/wipe';
import { SignInScreen } from '../features/auth/SignInScreen';
import { closeFileServices, startFileServices } from '../features/files/files-session';
import { SignedOutLinkGate } from '../features/organisations/InvitationScreens';
import { prefetchReferenceData } from '../features/reference/reference-cache';
import {
  ApiError,
  apiFetch,
  initApiFromBridge,
  isElectronSession,
  onApiEvent,
  persistBearerToken,
} from '../lib/api';
import { loadLastUser, saveLastUser } from '../lib/local-store';
import { AppShell } from './AppShell';

/** Shown on the sign-in screen after the server said this session was revoked (`session-revoked`). */
const SESSION_REVOKED_TEXT =
  'Cette session a été fermée depuis un autre appareil ou par un administrateur : les données de votre compte ont été effacées de cet ordinateur. Reconnectez-vous pour les retrouver.';

type Phase =
  | { kind: 'loading'; message: string }
  | { kind: 'signin'; reason: string | null }
  | {
      kind: 'ready';
      user: SessionUser;
      db: WorkstationDatabase;
      sync: SyncController;
      offlineStart: boolean;
    };

const OUTDATED_MESSAGE =
  'Mettez à jour l’application : cette version n’est plus acceptée par le serveur. La synchronisation est suspendue ; vos modifications restent enregistrées sur ce poste.';

/** Why the local data could not be opened: the desktop's keychain message when it is the cause. */
function localDataFailure(err: unknown): string {
  return err instanceof LocalDataKeyError
    ? err.message
    : 'Impossible d’ouvrir les données locales de ce poste.';
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading', message: 'Ouverture de votre espace…' });
  const [outdated, setOutdated] = useState(false);
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  const openSession = useCallback(async (user: SessionUser, offlineStart: boolean) => {
    if (user.kind === 'candidate') {
      setPhase({
        kind: 'signin',
        reason:
          'Ce poste de travail est réservé aux recruteurs. Les candidats utilisent le portail candidat.',
      });
      return;
    }
    setPhase({ kind: 'loading', message: 'Ouverture de vos données locales…' });
    saveLastUser(user);
    const previous = phaseRef.current;
    if (previous.kind === 'ready') await previous.sync.stop();
    const db = await openUserDatabase(user.id);
    const sync = new SyncController(db, user.id);
    sync.start();
    // Files waiting for upload resume, and the referentials (jobs, communes, NAF) are cached for offline use.
    startFileServices(user.id);
    void prefetchReferenceData().catch(() => undefined);
    setPhase({ kind: 'ready', user, db, sync, offlineStart });
  }, []);

  // Restore the session: cookie (browser) or saved token (Electron); offline, the last profile.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      await initApiFromBridge();
      try {
        const { user } = await apiFetch<{ user: SessionUser }>('/api/auth/me', { quietAuth: true });
        if (!cancelled) await openSession(user, false);
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.code === 'session-revoked') {
          // Revoked while this computer was off: the last profile's copy of the data goes.
          const last = loadLastUser();
          await persistBearerToken(null);
          if (last) await wipeUserData(last.id);
          if (!cancelled) setPhase({ kind: 'signin', reason: SESSION_REVOKED_TEXT });
          return;
        }
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
          setPhase({ kind: 'signin', reason: null });
          return;
        }
        if (err instanceof ApiError && err.status === 426) setOutdated(true);
        const last = loadLastUser();
        if (last) await openSession(last, true);
        else
          setPhase({
            kind: 'signin',
            reason: 'Le serveur est injoignable : connectez-vous dès que la connexion est rétablie.',
          });
      }
    })().catch((err: unknown) => {
      if (!cancelled) setPhase({ kind: 'signin', reason: localDataFailure(err) });
    });
    return () => {
      cancelled = true;
    };
  }, [openSession]);

  // Session lost (401) anywhere: back to sign-in, local data kept. A session revoked from elsewhere
  // (issue 8): this computer's copy of the data is wiped. Outdated client (426): banner.
  useEffect(() => {
    let leaving = false;
    const leave = async (revoked: boolean) => {
      const current = phaseRef.current;
      if (current.kind !== 'ready' || leaving) return;
      leaving = true;
      try {
        // The live stream only sees « 401 »: ask the server whether the session was revoked.
        if (!revoked) {
          try {
            await apiFetch('/api/auth/me', { quietAuth: true });
          } catch (err) {
            revoked = err instanceof ApiError && err.code === 'session-revoked';
          }
        }
        // The screens leave before the local database closes: a screen still showing would read a
        // database being closed or erased (a blank page).
        flushSync(() =>
          setPhase({
            kind: 'loading',
            message: revoked ? 'Effacement des données de cet ordinateur…' : 'Fermeture de la session…',
          }),
        );
        await current.sync.stop();
        closeFileServices();
        if (revoked) {
          await persistBearerToken(null);
          await wipeUserData(current.user.id);
          setPhase({ kind: 'signin', reason: SESSION_REVOKED_TEXT });
        } else {
          await closeUserDatabase();
          setPhase({
            kind: 'signin',
            reason:
              'Votre session a expiré. Connectez-vous à nouveau : vos modifications enregistrées sur ce poste sont conservées.',
          });
        }
      } catch {
        // Whatever failed while closing, the session is over: never stay on the closing screen.
        setPhase({ kind: 'signin', reason: 'Votre session est terminée. Connectez-vous à nouveau.' });
      } finally {
        leaving = false;
      }
    };
    const offAuth = onApiEvent('unauthenticated', () => void leave(false));
    const offRevoked = onApiEvent('revoked', () => void leave(true));
    const offOutdated = onApiEvent('outdated', () => setOutdated(true));
    return () => {
      offAuth();
      offRevoked();
      offOutdated();
    };
  }, []);

  const onSignedIn = useCallback(
    async (res: LoginResponse) => {
      if (isElectronSession()) await persistBearerToken(res.token);
      try {
        await openSession(res.user, false);
      } catch (err) {
        setPhase({ kind: 'signin', reason: localDataFailure(err) });
      }
    },
    [openSession],
  );

  const signOut = useCallback(async (options: { wipe?: boolean } = {}) => {
    const current = phaseRef.current;
    try {
      await apiFetch('/api/auth/logout', { method: 'POST', quietAuth: true });
    } catch {
      // Offline: the cookie stays until it expires; local sign-out still happens.
    }
    await persistBearerToken(null);
    saveLastUser(null);
    // The screens leave before the local database closes (see `leave` above).
    flushSync(() =>
      setPhase({
        kind: 'loading',
        message: options.wipe ? 'Effacement des données de cet ordinateur…' : 'Déconnexion…',
      }),
    );
    if (current.kind === 'ready') await current.sync.stop();
    closeFileServices();
    if (options.wipe && current.kind === 'ready') {
      const complete = await wipeUserData(current.user.id);
      setPhase({
        kind: 'signin',
        reason: complete
          ? 'Vous êtes déconnecté. Les données de votre compte ont été effacées de cet ordinateur.'
          : 'Vous êtes déconnecté. Une partie des données n’a pas pu être effacée : fermez les autres onglets de l’application, puis recommencez.',
      });
      return;
    }
    await closeUserDatabase();
    setPhase({ kind: 'signin', reason: 'Vous êtes déconnecté.' });
  }, []);

  return (
    <>
      {outdated ? (
        <div className="banner banner--error" role="alert" data-testid="outdated-banner">
          {OUTDATED_MESSAGE}
        </div>
      ) : null}
      {phase.kind === 'loading' ? (
        <main className="loading" id="contenu" aria-busy="true">
          <p>{phase.message}</p>
        </main>
      ) : phase.kind === 'signin' ? (
        <SignedOutLinkGate onSignedIn={onSignedIn}>
          {(linkReason) => <SignInScreen onSignedIn={onSignedIn} reason={linkReason ?? phase.reason} />}
        </SignedOutLinkGate>
      ) : (
        <AppShell
          key={phase.user.id}
          user={phase.user}
          db={phase.db}
          sync={phase.sync}
          offlineStart={phase.offlineStart}
          onSignOut={signOut}
        />
      )}
    </>
  );
}
