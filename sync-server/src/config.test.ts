import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
  it('prend le port de --port avant celui de PORT, 3000 sinon', () => {
    expect(readConfig([], {}).port).toBe(3000);
    expect(readConfig([], { PORT: '4100' }).port).toBe(4100);
    expect(readConfig(['--demo', '--port', '4200'], { PORT: '4100' }).port).toBe(4200);
  });

  it('refuse un port invalide avec un message en français qui nomme l’option', () => {
    expect(() => readConfig(['--port'], {})).toThrow(/--port invalide/);
    expect(() => readConfig(['--port', 'abc'], {})).toThrow(/--port invalide : « abc »/);
    expect(() => readConfig([], { PORT: '70000' })).toThrow(/PORT invalide/);
  });

  it('lit la durée de mise en ligne et la fréquence des tâches, et les refuse hors bornes', () => {
    const config = readConfig([], { OFFER_ONLINE_DAYS: '30', JOBS_INTERVAL_MS: '0', ENABLE_TEST_HOOKS: '1' });
    expect(config.offerOnlineDays).toBe(30);
    expect(config.jobsIntervalMs).toBe(0);
    expect(config.testHooks).toBe(true);
    expect(readConfig([], {}).testHooks).toBe(false);
    expect(() => readConfig([], { OFFER_ONLINE_DAYS: '0' })).toThrow(/OFFER_ONLINE_DAYS invalide/);
    expect(() => readConfig([], { JOBS_INTERVAL_MS: '-5' })).toThrow(/JOBS_INTERVAL_MS invalide/);
  });

  it('lit le récepteur SMTP des réponses, le domaine des adresses de réponse et le secret', () => {
    const plain = readConfig([], {});
    expect(plain.smtpInboundPort).toBeUndefined();
    expect(plain.mailReplyDomain).toBe('emploi-territoires.test');
    expect(plain.messagingSecret).toBeUndefined();
    expect(readConfig([], { MAIL_FROM: 'Emploi <ne-pas-repondre@Exemple.FR>' }).mailReplyDomain).toBe(
      'exemple.fr',
    );
    const set = readConfig([], {
      SMTP_INBOUND_PORT: '2525',
      MAIL_REPLY_DOMAIN: 'reponses.exemple.fr',
      MESSAGING_SECRET: 'x'.repeat(40),
    });
    expect(set.smtpInboundPort).toBe(2525);
    expect(set.mailReplyDomain).toBe('reponses.exemple.fr');
    expect(set.messagingSecret).toBe('x'.repeat(40));
    expect(readConfig([], { SMTP_INBOUND_PORT: '0' }).smtpInboundPort).toBe(0);
    expect(() => readConfig([], { SMTP_INBOUND_PORT: 'smtp' })).toThrow(/SMTP_INBOUND_PORT invalide/);
    expect(() => readConfig([], { SMTP_INBOUND_PORT: '70000' })).toThrow(/SMTP_INBOUND_PORT invalide/);
    expect(() => readConfig([], { MAIL_REPLY_DOMAIN: 'pas un domaine' })).toThrow(
      /MAIL_REPLY_DOMAIN invalide/,
    );
    expect(() => readConfig([], { MESSAGING_SECRET: 'court' })).toThrow(/MESSAGING_SECRET trop court/);
  });

  it('refuse en production les comptes de démonstration et les routes de test', () => {
    expect(() => readConfig(['--demo'], { NODE_ENV: 'production' })).toThrow(
      /--demo refusé avec NODE_ENV=production/,
    );
    expect(() => readConfig([], { NODE_ENV: 'production', ENABLE_TEST_HOOKS: '1' })).toThrow(
      /ENABLE_TEST_HOOKS=1 refusé/,
    );
    expect(readConfig([], { NODE_ENV: 'production' }).demo).toBe(false);
    expect(readConfig(['--demo'], { ENABLE_TEST_HOOKS: '1' })).toMatchObject({ demo: true, testHooks: true });
  });
});
