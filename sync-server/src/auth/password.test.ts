import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_COST, verifyPassword } from './password';

describe('password hashes', () => {
  it('verify with the parameters each hash carries, and refuse a wrong password', async () => {
    const hash = await hashPassword('un mot de passe assez long');
    expect(await verifyPassword('un mot de passe assez long', hash)).toBe(true);
    expect(await verifyPassword('un autre mot de passe', hash)).toBe(false);
    expect(await verifyPassword('un mot de passe assez long', 'pas-un-hash')).toBe(false);
  });

  it('cost N=2^15 in any server not run by the test runner', () => {
    expect(PASSWORD_COST).toBe(32768);
    const module = fileURLToPath(new URL('./password.ts', import.meta.url));
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(module)}); console.log((await m.hashPassword('x')).split('$')[1]);`,
      ],
      { env: { ...process.env, VITEST: '' }, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('32768');
  });
});
