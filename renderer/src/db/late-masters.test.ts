import { describe, expect, it } from 'vitest';
import { LateMasters } from './late-masters';

const at = (seq: number) => ({ txid: '100', seq });

describe('LateMasters: server states RxDB may have left out during a push', () => {
  it('owes nothing when no state of the document arrived while its change was unsent', () => {
    const late = new LateMasters();
    expect(late.pullFrom('messages', at(10))).toEqual(at(10));
    late.becamePending('messages', 'm1');
    late.received('messages', ['other'], at(12), (id) => id === 'm1');
    expect(late.settled('messages', 'm1')).toBe(false);
    expect(late.owes('messages')).toBe(false);
    expect(late.pullFrom('messages', at(12))).toEqual(at(12));
  });

  it('pulls again from where the replica was when the change was made, once it is sent', () => {
    const late = new LateMasters();
    late.pullFrom('messages', at(10));
    late.received('messages', ['a'], at(11), () => false);
    late.becamePending('messages', 'm1');
    // The server's state of m1 (its sentAt) arrives with a page while the push is in flight.
    late.received('messages', ['m1'], at(15), (id) => id === 'm1');
    expect(late.settled('messages', 'm1')).toBe(true);
    expect(late.pullFrom('messages', at(15))).toEqual(at(11));
  });

  it('keeps the pull owed until one from early enough is answered (a failed request does not count)', () => {
    const late = new LateMasters();
    late.pullFrom('offers', at(20));
    late.becamePending('offers', 'o1');
    late.received('offers', ['o1'], at(25), () => true);
    late.settled('offers', 'o1');
    // The request fails (no `pulled`): the next one still starts early.
    expect(late.pullFrom('offers', at(25))).toEqual(at(20));
    // A pull from later than owed does not pay the debt.
    late.pulled('offers', at(25));
    expect(late.owes('offers')).toBe(true);
    late.pulled('offers', at(20));
    expect(late.owes('offers')).toBe(false);
    expect(late.pullFrom('offers', at(30))).toEqual(at(30));
  });

  it('takes the earliest of several owed positions, and the start for a change made before any pull', () => {
    const late = new LateMasters();
    late.becamePending('searches', 's0'); // before the first pull of this run
    late.pullFrom('searches', at(5));
    late.received('searches', ['x'], at(8), () => false);
    late.becamePending('searches', 's1');
    late.received('searches', ['s1', 's0'], at(9), () => true);
    expect(late.settled('searches', 's1')).toBe(true);
    expect(late.pullFrom('searches', at(9))).toEqual(at(8));
    expect(late.settled('searches', 's0')).toBe(true);
    expect(late.pullFrom('searches', at(9))).toEqual(at(5));
  });

  it('counts from the beginning when the replica had nothing yet', () => {
    const late = new LateMasters();
    late.pullFrom('cvs', null);
    late.becamePending('cvs', 'c1');
    late.received('cvs', ['c1'], at(3), () => true);
    late.settled('cvs', 'c1');
    expect(late.pullFrom('cvs', at(3))).toBe(null);
    late.pulled('cvs', null);
    expect(late.owes('cvs')).toBe(false);
  });

  it('a document that becomes pending again keeps the first position until it is settled', () => {
    const late = new LateMasters();
    late.pullFrom('offers', at(1));
    late.received('offers', ['a'], at(2), () => false);
    late.becamePending('offers', 'o1');
    late.received('offers', ['b'], at(3), () => false);
    late.becamePending('offers', 'o1');
    late.received('offers', ['o1'], at(4), () => true);
    late.settled('offers', 'o1');
    expect(late.pullFrom('offers', at(4))).toEqual(at(2));
  });

  it('pulls again from where the page that brought the state started, when that is later than the change', () => {
    const late = new LateMasters();
    late.pullFrom('offers', at(1));
    late.becamePending('offers', 'o1'); // an offline change, long before
    late.received('offers', ['x'], at(500), () => false, at(1));
    // The server's state of o1 came in a page that started at 500.
    late.received('offers', ['o1'], at(520), (id) => id === 'o1', at(500));
    late.settled('offers', 'o1');
    expect(late.pullFrom('offers', at(520))).toEqual(at(500));
  });

  it('an arrival whose page start is not known (a live stream’s first event) falls back to the change', () => {
    const late = new LateMasters();
    late.pullFrom('offers', at(1));
    late.received('offers', ['x'], at(10), () => false, at(1));
    late.becamePending('offers', 'o1');
    late.received('offers', ['o1'], at(600), () => true, at(550));
    late.received('offers', ['o1'], at(700), () => true, undefined);
    late.settled('offers', 'o1');
    expect(late.pullFrom('offers', at(700))).toEqual(at(10));
  });

  it('a page start before the change does not pull earlier than the change', () => {
    const late = new LateMasters();
    late.pullFrom('offers', at(1));
    late.received('offers', ['x'], at(40), () => false, at(1));
    late.becamePending('offers', 'o1');
    late.received('offers', ['o1'], at(60), () => true, at(20));
    late.settled('offers', 'o1');
    expect(late.pullFrom('offers', at(60))).toEqual(at(40));
  });
});
