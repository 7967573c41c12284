import { describe, expect, it } from 'vitest';
import { pendingRestartQuestion, updateBannerModel } from './update-banner-model';

describe('bandeau de mise à jour', () => {
  it('rien pendant la recherche, à jour, désactivé ou après un échec ; la progression ; puis l’offre de redémarrer', () => {
    expect(updateBannerModel(null)).toBeNull();
    expect(updateBannerModel({ state: 'checking' })).toBeNull();
    expect(updateBannerModel({ state: 'idle', lastCheckAt: null, error: 'Serveur injoignable' })).toBeNull();
    expect(updateBannerModel({ state: 'disabled', reason: 'développement' })).toBeNull();
    expect(
      updateBannerModel({ state: 'downloading', version: '1.4.1', percent: 42, bytesPerSecond: 10 }),
    ).toEqual({
      kind: 'downloading',
      percent: 42,
      text: 'Téléchargement de la version 1.4.1 : 42 %',
    });
    expect(updateBannerModel({ state: 'ready', version: '1.4.1' })).toMatchObject({
      kind: 'ready',
      version: '1.4.1',
    });
  });

  it('la question avant de redémarrer avec des modifications en attente', () => {
    expect(pendingRestartQuestion(1)).toMatch(/^1 modification n’est pas encore synchronisée\. Elle reste /);
    expect(pendingRestartQuestion(3)).toMatch(
      /^3 modifications ne sont pas encore synchronisées\. Elles restent /,
    );
    expect(pendingRestartQuestion(3)).toContain('Redémarrer maintenant ?');
  });
});
