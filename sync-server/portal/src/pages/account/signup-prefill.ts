/**
 * The sign-up form's prefill from its link (issue 6): the follow-up e-mail of a fair capture links
 * to `/inscription?email=…&prenom=…&nom=…` (`signupLink` in sync-server/src/domain/capture-service.ts).
 * The values only fill the inputs, which the person checks and may change; the server validates
 * what is submitted as for any sign-up. Control characters are dropped, spaces squeezed, lengths
 * capped, and an e-mail that does not look like one is left out.
 */

export interface SignupPrefill {
  email: string;
  firstName: string;
  lastName: string;
}

const LIMITS = { email: 254, name: 100 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function clean(value: string | null, max: number): string {
  if (!value) return '';
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
      .trim()
  );
}

export function signupPrefill(search: string): SignupPrefill {
  const q = new URLSearchParams(search);
  const email = clean(q.get('email'), LIMITS.email).replace(/\s/g, '');
  return {
    email: EMAIL.test(email) ? email : '',
    firstName: clean(q.get('prenom'), LIMITS.name),
    lastName: clean(q.get('nom'), LIMITS.name),
  };
}

/** Whether the link filled anything (the page then asks the person to check it). */
export const hasPrefill = (p: SignupPrefill) => Boolean(p.email || p.firstName || p.lastName);
