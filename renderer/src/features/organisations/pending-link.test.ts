import { describe, expect, it } from 'vitest';
import { parsePendingLink } from './pending-link';

describe('links from e-mails', () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789-abcd';
  it('reads an invitation or an e-mail confirmation token', () => {
    expect(parsePendingLink(`?invitation=${token}`)).toEqual({ kind: 'invitation', token });
    expect(parsePendingLink(`?x=1&email-change=${token}`)).toEqual({ kind: 'email-change', token });
  });
  it('ignores anything else', () => {
    expect(parsePendingLink('')).toBeNull();
    expect(parsePendingLink('?invitation=court')).toBeNull();
    expect(parsePendingLink('?invitation=<script>alert(1)</script>aaaaaaaaaaaaaaaaaaaa')).toBeNull();
  });
});
