import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { DesktopNavigation } from '../../shared/ipc/contract';
import { isDesktopNavigation } from '../../shared/ipc/contract';
import { buildMenuTemplate, SCREEN_ITEMS } from './menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function fakeActions() {
  const navigations: DesktopNavigation[] = [];
  return {
    navigations,
    actions: {
      navigate: (n: DesktopNavigation) => navigations.push(n),
      checkForUpdates: vi.fn(),
      showAbout: vi.fn(),
      openErrorLog: vi.fn(),
    },
  };
}

describe('menu de l’application', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('en français, raccourcis uniques (%s)', (platform) => {
    const items = flatten(buildMenuTemplate(platform, fakeActions().actions));
    const labels = items.filter((i) => i.type !== 'separator').map((i) => i.label);
    for (const label of labels) {
      expect(label, JSON.stringify(label)).toBeTruthy();
      expect(label).not.toMatch(/\b(File|Edit|View|Window|Help|Quit|Copy|Paste|Undo)\b/);
    }
    const accelerators = items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    const tops = buildMenuTemplate(platform, fakeActions().actions).map((i) => i.label);
    expect(tops).toEqual(
      platform === 'darwin'
        ? ['Poste recruteur', 'Fichier', 'Édition', 'Aller à', 'Affichage', 'Fenêtre']
        : ['Fichier', 'Édition', 'Aller à', 'Affichage', 'Fenêtre', 'Aide'],
    );
  });

  it('chaque écran s’ouvre par son entrée ; « Nouvelle offre » et la recherche de mise à jour aussi', () => {
    const { navigations, actions } = fakeActions();
    const items = flatten(buildMenuTemplate('linux', actions));
    const click = (label: string) => {
      const item = items.find((i) => i.label === label);
      expect(item, label).toBeDefined();
      (item!.click as () => void)();
    };
    for (const screen of SCREEN_ITEMS) click(screen.label);
    click('Nouvelle offre');
    click('Rechercher une mise à jour…');
    click('Ouvrir le journal d’erreurs');
    expect(navigations).toEqual([...SCREEN_ITEMS.map((s) => s.navigation), { screen: 'new-offer' }]);
    for (const n of navigations) expect(isDesktopNavigation(n)).toBe(true);
    expect(actions.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(actions.openErrorLog).toHaveBeenCalledTimes(1);
    expect(items.find((i) => i.label === 'Nouvelle offre')?.accelerator).toBe('CmdOrCtrl+N');
  });
});

describe('navigations acceptées par le poste', () => {
  it('seulement les écrans connus, un numéro d’offre valide, une conversation par son identifiant', () => {
    expect(isDesktopNavigation({ screen: 'offers' })).toBe(true);
    expect(isDesktopNavigation({ screen: 'offer', number: '100014A' })).toBe(true);
    expect(
      isDesktopNavigation({ screen: 'conversation', conversationId: '0f0f0000-0000-4000-8000-000000000001' }),
    ).toBe(true);
    for (const bad of [
      null,
      'offers',
      { screen: 'admin' },
      { screen: 'offers', extra: 1 },
      { screen: 'offer', number: '<img>' },
      { screen: 'conversation', conversationId: '../x' },
    ]) {
      expect(isDesktopNavigation(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
