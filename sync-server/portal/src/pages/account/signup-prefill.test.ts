import { describe, expect, it } from 'vitest';
import { hasPrefill, signupPrefill } from './signup-prefill';

describe('signupPrefill', () => {
  it('reads the follow-up e-mail’s link (as capture-service’s signupLink writes it)', () => {
    const q = new URLSearchParams({ email: 'mh.dupont@exemple.test', prenom: 'Marie-Hélène', nom: 'Dupont' });
    const p = signupPrefill(`?${q}`);
    expect(p).toEqual({ email: 'mh.dupont@exemple.test', firstName: 'Marie-Hélène', lastName: 'Dupont' });
    expect(hasPrefill(p)).toBe(true);
    // Without the leading « ? » too (the router passes the raw query).
    expect(signupPrefill(q.toString())).toEqual(p);
  });

  it('fills nothing without parameters', () => {
    expect(signupPrefill('')).toEqual({ email: '', firstName: '', lastName: '' });
    expect(hasPrefill(signupPrefill('page=2'))).toBe(false);
  });

  it('only prefills: drops control characters, squeezes spaces, caps lengths, skips a bad e-mail', () => {
    const q = new URLSearchParams({
      email: 'pas-une-adresse',
      prenom: '  Jean\u0000\n  Pierre\u202e ',
      nom: 'x'.repeat(500),
    });
    const p = signupPrefill(q.toString());
    expect(p.email).toBe('');
    expect(p.firstName).toBe('Jean Pierre');
    expect(p.lastName).toHaveLength(100);
    expect(signupPrefill('email=%20a%40b.fr%20').email).toBe('a@b.fr');
    expect(signupPrefill(`email=${'a'.repeat(300)}%40b.fr`).email).toBe('');
  });
});
