/**
 * The application menu, in French, with keyboard shortcuts for the main screens and actions
 * (issue 8). A pure template builder: index.ts gives it to `Menu.buildFromTemplate`, the tests read it.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopNavigation } from '../../shared/ipc/contract';

export interface MenuActions {
  navigate: (navigation: DesktopNavigation) => void;
  checkForUpdates: () => void;
  showAbout: () => void;
  /** Shows the error log file in the file manager (to send it to support). */
  openErrorLog: () => void;
}

/** The screens of « Aller à », each with its shortcut (Ctrl on Windows and Linux, ⌘ on macOS). */
export const SCREEN_ITEMS: { label: string; accelerator: string; navigation: DesktopNavigation }[] = [
  { label: 'Mes offres', accelerator: 'CmdOrCtrl+1', navigation: { screen: 'offers' } },
  { label: 'Mes candidats', accelerator: 'CmdOrCtrl+2', navigation: { screen: 'applicants' } },
  { label: 'Mes messages', accelerator: 'CmdOrCtrl+3', navigation: { screen: 'messages' } },
  { label: 'CVthèque', accelerator: 'CmdOrCtrl+4', navigation: { screen: 'cvtheque' } },
  { label: 'Salons et sessions', accelerator: 'CmdOrCtrl+5', navigation: { screen: 'events' } },
  { label: 'Avis', accelerator: 'CmdOrCtrl+6', navigation: { screen: 'notices' } },
  { label: 'Mes paramètres', accelerator: 'CmdOrCtrl+,', navigation: { screen: 'account' } },
];

export function buildMenuTemplate(
  platform: NodeJS.Platform,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const go = (navigation: DesktopNavigation) => () => actions.navigate(navigation);
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: 'Poste recruteur',
      submenu: [
        { label: 'À propos du Poste recruteur', click: actions.showAbout },
        { label: 'Rechercher une mise à jour…', click: actions.checkForUpdates },
        { label: 'Ouvrir le journal d’erreurs', click: actions.openErrorLog },
        { type: 'separator' },
        { role: 'hide', label: 'Masquer le Poste recruteur' },
        { role: 'hideOthers', label: 'Masquer les autres' },
        { role: 'unhide', label: 'Tout afficher' },
        { type: 'separator' },
        { role: 'quit', label: 'Quitter le Poste recruteur' },
      ],
    });
  }
  template.push(
    {
      label: 'Fichier',
      submenu: [
        { label: 'Nouvelle offre', accelerator: 'CmdOrCtrl+N', click: go({ screen: 'new-offer' }) },
        { type: 'separator' },
        mac
          ? { role: 'close', label: 'Fermer la fenêtre' }
          : { role: 'quit', label: 'Quitter', accelerator: 'Ctrl+Q' },
      ],
    },
    {
      label: 'Édition',
      submenu: [
        { role: 'undo', label: 'Annuler' },
        { role: 'redo', label: 'Rétablir' },
        { type: 'separator' },
        { role: 'cut', label: 'Couper' },
        { role: 'copy', label: 'Copier' },
        { role: 'paste', label: 'Coller' },
        { role: 'selectAll', label: 'Tout sélectionner' },
      ],
    },
    {
      label: 'Aller à',
      submenu: SCREEN_ITEMS.map((item) => ({
        label: item.label,
        accelerator: item.accelerator,
        click: go(item.navigation),
      })),
    },
    {
      label: 'Affichage',
      submenu: [
        { role: 'reload', label: 'Actualiser' },
        { type: 'separator' },
        { role: 'resetZoom', label: 'Taille réelle' },
        { role: 'zoomIn', label: 'Agrandir' },
        { role: 'zoomOut', label: 'Réduire' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Plein écran' },
      ],
    },
    {
      label: 'Fenêtre',
      submenu: [
        { role: 'minimize', label: 'Réduire dans le Dock' },
        ...(mac ? [{ role: 'front', label: 'Tout ramener au premier plan' } as const] : []),
      ],
    },
  );
  if (!mac) {
    template.push({
      label: 'Aide',
      submenu: [
        { label: 'Rechercher une mise à jour…', click: actions.checkForUpdates },
        { label: 'Ouvrir le journal d’erreurs', click: actions.openErrorLog },
        { type: 'separator' },
        { label: 'À propos du Poste recruteur', click: actions.showAbout },
      ],
    });
  }
  return template;
}
