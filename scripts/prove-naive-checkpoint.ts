/**
 * Why the sync checkpoint is a position in commit order (DESIGN §5, guarantee 1): runs the same
 * workload (20 concurrent writers, 5,000 changes, a client pulling continuously by batches of 7)
 * against the naive `updated_at = now()` checkpoint and against our engine, and prints how many
 * changes the client missed with each.
 *
 *   DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres npx tsx scripts/prove-naive-checkpoint.ts
 *
 * DATABASE_URL is an administration URL: the script creates its own database and drops it.
 * Options: WRITERS, CHANGES, BATCH_SIZE (environment).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readConfig } from '../sync-server/src/config';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../sync-server/src/db/seed-demo';
import { startServer } from '../sync-server/src/server';
import {
  describeResult,
  HttpOffersTarget,
  NaiveStore,
  runWorkload,
  type WorkloadResult,
} from '../sync-server/test/naive-checkpoint';

async function main(): Promise<number> {
  const admin = process.env.DATABASE_URL;
  if (!admin || !/^postgres(ql)?:\/\//.test(admin)) {
    console.error(
      'DATABASE_URL doit désigner un serveur PostgreSQL (postgres://…) : la course n’existe pas sous PGlite.',
    );
    return 2;
  }
  const writers = Number(process.env.WRITERS ?? 20);
  const changes = Number(process.env.CHANGES ?? 5000);
  const batchSize = Number(process.env.BATCH_SIZE ?? 7);
  const name = `naive_proof_${randomBytes(5).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  await adminClient.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  console.log(
    `Base temporaire ${name} ; ${writers} rédacteurs, ${changes} modifications, lots de ${batchSize}.`,
  );

  const results: WorkloadResult[] = [];
  try {
    // 1. The naive scheme.
    const store = await NaiveStore.create(databaseUrl, 'naive');
    try {
      const r = await runWorkload(store, { writers, changes, batchSize, seed: 20240501 });
      console.log(describeResult(r));
      results.push(r);
    } finally {
      await store.close();
    }

    // 2. Our engine, through the real server and HTTP.
    const config = readConfig(['--demo'], { PORT: '0', DATABASE_URL: databaseUrl });
    const server = await startServer(config);
    try {
      const recruteur1 = DEMO_ACCOUNTS[0];
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: recruteur1.email, password: DEMO_PASSWORD }),
      });
      if (!res.ok) throw new Error(`connexion impossible : ${res.status}`);
      const { token } = (await res.json()) as { token: string };
      const org = DEMO_ORGANISATIONS.boulangerie.id;
      const target = new HttpOffersTarget({
        url: server.url,
        token,
        organisationId: org,
        keys: [`user:${recruteur1.id}`, `org:${org}`],
        db: server.db,
      });
      const r = await runWorkload(target, { writers, changes, batchSize, seed: 20240501 });
      console.log(describeResult(r));
      results.push(r);
    } finally {
      await server.stop();
    }
  } finally {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }

  const [naive, ours] = results as [WorkloadResult, WorkloadResult];
  console.log('');
  console.log(
    `Modifications manquées par le client — schéma naïf : ${naive.missed.length} ; notre moteur : ${ours.missed.length}`,
  );
  const proven = naive.missed.length > 0 && ours.missed.length === 0 && ours.extra.length === 0;
  console.log(
    proven
      ? 'Démontré : updated_at = now() perd des modifications sous écritures concurrentes ; (txid, seq) n’en perd aucune.'
      : 'Non démontré sur cette exécution (voir les chiffres ci-dessus).',
  );
  return ours.missed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
