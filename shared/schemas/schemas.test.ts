import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// dev-mode's schema checker only: the plugin itself (which loads a remote iframe) is never added.
import { checkSchema } from 'rxdb/plugins/dev-mode';
import { describe, expect, it } from 'vitest';
import { REPLICATED_SCHEMAS } from './index';

const SNAPSHOTS = join(__dirname, 'snapshots');

/**
 * Replicas on laptops hold data written with older schemas. A schema may only change
 * with a version bump (and a migration on the client): the snapshot of each published
 * version is frozen. To publish a new version, bump `version`, add a migration strategy,
 * and run `UPDATE_SCHEMA_SNAPSHOTS=1 npx vitest run shared/schemas`.
 */
describe('replicated schemas are frozen per version', () => {
  for (const [name, schema] of Object.entries(REPLICATED_SCHEMAS)) {
    it(`${name} v${schema.version} matches its snapshot`, () => {
      const file = join(SNAPSHOTS, `${name}.v${schema.version}.json`);
      const current = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env.UPDATE_SCHEMA_SNAPSHOTS === '1' && !existsSync(file)) writeFileSync(file, current);
      expect(existsSync(file), `instantané manquant : ${file}`).toBe(true);
      expect(current, `le schéma ${name} a changé sans changer de version`).toBe(readFileSync(file, 'utf8'));
    });

    it(`${name} passes RxDB's own schema checks (reserved names, indexes, primary key)`, () => {
      expect(() => checkSchema(schema as never)).not.toThrow();
    });

    it(`${name}: indexed fields are required and bounded (Dexie)`, () => {
      const s = schema as unknown as {
        indexes?: (string | string[])[];
        required?: string[];
        properties: Record<string, { type?: string; maxLength?: number; maximum?: number }>;
      };
      for (const field of (s.indexes ?? []).flat()) {
        expect(s.required, `${field} indexé doit être obligatoire`).toContain(field);
        const p = s.properties[field]!;
        const bounded = p.type === 'string' ? p.maxLength !== undefined : p.maximum !== undefined;
        expect(bounded, `${field} indexé doit être borné`).toBe(true);
      }
    });
  }
});
