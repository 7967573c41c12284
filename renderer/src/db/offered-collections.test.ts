import { describe, expect, it } from 'vitest';
import { collectionCreators, OPTIONAL_COLLECTIONS } from './collections';
import { offeredOptional } from './offered-collections';

const versionOf = (name: keyof typeof collectionCreators) => collectionCreators[name].schema.version;

describe('optional collections start only when the server offers them', () => {
  it('the messaging collections are optional', () => {
    expect([...OPTIONAL_COLLECTIONS].sort()).toEqual(['conversations', 'messages']);
  });

  it('an older server (no messaging) offers none; a recent one both; another version none', () => {
    const old = { collections: [{ name: 'offers', version: 1, schema: {} }] };
    expect(offeredOptional(old, OPTIONAL_COLLECTIONS, versionOf)).toEqual([]);
    const recent = {
      collections: [
        { name: 'offers', version: 1, schema: {} },
        { name: 'conversations', version: 0, schema: {} },
        { name: 'messages', version: 0, schema: {} },
      ],
    };
    expect(offeredOptional(recent, OPTIONAL_COLLECTIONS, versionOf)).toEqual(['conversations', 'messages']);
    const other = { collections: [{ name: 'messages', version: 7, schema: {} }] };
    expect(offeredOptional(other, OPTIONAL_COLLECTIONS, versionOf)).toEqual([]);
  });
});
