import type { UpdateStatusView } from '../../../../shared/ipc/contract';

/**
 * What the desktop workstation says about its own update (issue 8), from the main process's status:
 * nothing while it checks or when all is current, the download's progress, then the offer to
 * restart. The web workstation has no updater: the bridge is absent and nothing is shown.
 */
export type UpdateBanner =
  | null
  | { kind: 'downloading'; text: string; percent: number }
  | { kind: 'ready'; text: string; version: string };

export function updateBannerModel(status: UpdateStatusView | null): UpdateBanner {
  if (!status) return null;
  if (status.state === 'downloading') {
    return {
      kind: 'downloading',
      percent: status.percent,
      text: `Téléchargement de la version ${status.version} : ${status.percent} %`,
    };
  }
  if (status.state === 'ready') {
    return {
      kind: 'ready',
      version: status.version,
      text: `La version ${status.version} est prête. Elle s’installe au redémarrage de l’application.`,
    };
  }
  return null;
}

/** The question asked before restarting over local changes not yet synchronised. */
export function pendingRestartQuestion(pending: number): string {
  if (pending <= 1)
    return '1 modification n’est pas encore synchronisée. Elle reste enregistrée sur cet ordinateur et sera envoyée au serveur après le redémarrage, dès que la connexion le permet. Redémarrer maintenant ?';
  return `${pending} modifications ne sont pas encore synchronisées. Elles restent enregistrées sur cet ordinateur et seront envoyées au serveur après le redémarrage, dès que la connexion le permet. Redémarrer maintenant ?`;
}
