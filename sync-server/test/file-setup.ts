import { clock } from '../src/clock';
import { configureNotificationLinks } from '../src/messaging/notify';
import { configureReplyAddresses } from '../src/messaging/reply-address';
import { unloadCommunes } from '../src/reference/communes';
import { unloadNaf } from '../src/reference/naf';

/**
 * Before each server test file. The server's files share their worker's modules (vitest.config.ts),
 * so what one file left in a module's state must not reach the next: the clock moved forward, the
 * reply and link settings, a reference file read from another folder, and the environment.
 */
const saved = globalThis as { __environmentAtStart?: NodeJS.ProcessEnv };
saved.__environmentAtStart ??= { ...process.env };
const start = saved.__environmentAtStart;
for (const key of Object.keys(process.env)) if (!(key in start)) delete process.env[key];
Object.assign(process.env, start);

clock.reset();
configureReplyAddresses({});
configureNotificationLinks(() => undefined);
unloadCommunes();
unloadNaf();
