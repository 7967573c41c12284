/**
 * The server's clock. Everything that depends on the date (offer expiry, invitations,
 * scheduled jobs) reads it here, so tests and the end-to-end specs can move time forward
 * (`POST /api/test/clock`, only when test hooks are enabled) without touching the machine.
 */
let offsetMs = 0;

export const clock = {
  now(): Date {
    return new Date(Date.now() + offsetMs);
  },
  /** Moves the clock forward (or back) by this many milliseconds; returns the new time. */
  advance(ms: number): Date {
    offsetMs += ms;
    return clock.now();
  },
  reset(): void {
    offsetMs = 0;
  },
  get offsetMs(): number {
    return offsetMs;
  },
};
