import { OFFER_ONLINE_DAYS } from '../../shared/domain/offer';
import { clock } from '../src/clock';
import { unloadDepartementCentres } from '../src/cvtheque/places';
import { offerSettings } from '../src/domain/offers';
import { configureNotificationLinks } from '../src/messaging/notify';
import { configureReplyAddresses } from '../src/messaging/reply-address';
import { unloadCommunes } from '../src/reference/communes';
import { unloadNaf } from '../src/reference/naf';
import { unloadAreas } from '../src/search/places';

/**
 * Before each server test file. The server's files share their worker's modules (vitest.config.ts),
 * so what one file left in a module's state must not reach the next: the clock moved forward, the
 * reply and link settings, the offers' online days, a reference file (and what was derived from it)
 * read from another folder, and the environment (but Vitest's own variables, set for each file).
 */
const saved = globalThis as { __environmentAtStart?: NodeJS.ProcessEnv };
const own = (key: string) => key.startsWith('VITEST');
saved.__environmentAtStart ??= Object.fromEntries(Object.entries(process.env).filter(([k]) => !own(k)));
const start = saved.__environmentAtStart;
for (const key of Object.keys(process.env)) if (!own(key) && !(key in start)) delete process.env[key];
Object.assign(process.env, start);

clock.reset();
configureReplyAddresses({});
configureNotificationLinks(() => undefined);
unloadCommunes();
unloadNaf();
unloadDepartementCentres();
unloadAreas();
offerSettings.onlineDays = OFFER_ONLINE_DAYS;
