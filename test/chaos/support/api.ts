import { randomBytes } from 'node:crypto';

import { sampleCatalog } from '@app/domain';

import { DEV_AUTH_SECRET } from '../../../apps/api/src/auth/auth.config';
import { signToken, type Principal } from '../../../apps/api/src/auth/token';
import { DATABASE_URL, type ChaosDatabase } from './database';
import { send } from './http';
import {
  freePort,
  kill9,
  postgresClientPorts,
  startProcess,
  stopProcess,
  waitUntil,
  type RunningProcess,
} from './processes';

/**
 * Entry point of the build: `nest build api` (run once per Jest run by chaos-global-setup.ts) compiles with
 * tsconfig.build.json into `dist/` (tsconfig.json's outDir), keeping the source layout, and nest-cli.json names
 * the entry `apps/api/src/main`; the Nest CLI rewrites the `@app/*` aliases in the emitted JavaScript.
 */
export const API_MAIN = 'dist/apps/api/src/main.js';

export const CHAOS_PARTNER = 'PC-CHAOS';

export interface Tokens {
  readonly partner: string;
  readonly support: string;
}

/** The api as a real OS process on private schemas of the PostgreSQL server, started from the build. */
export class ApiUnderTest {
  readonly suffix = randomBytes(5).toString('hex');
  readonly schemas = { events: `chaos_es_${this.suffix}`, readModels: `chaos_rm_${this.suffix}` };
  /** Every backend this api opens carries it (PGAPPNAME): how the suite finds them in pg_stat_activity. */
  readonly applicationName = `chaos-api-${this.suffix}`;
  readonly tokens: Tokens;
  private current: RunningProcess | undefined;
  starts = 0;

  private constructor(readonly port: number) {
    const now = Math.floor(Date.now() / 1000);
    const token = (p: Principal): string => signToken(p, DEV_AUTH_SECRET, now, 3600);
    this.tokens = {
      partner: token({ role: 'partner', subject: 'chaos-portal', partnerId: CHAOS_PARTNER }),
      support: token({ role: 'support', subject: 'chaos-support' }),
    };
  }

  static async create(): Promise<ApiUnderTest> {
    return new ApiUnderTest(await freePort());
  }

  /** A scenario's api: created, started, reference data loaded, projections caught up with it. */
  static async ready(db: ChaosDatabase): Promise<ApiUnderTest> {
    const api = await ApiUnderTest.create();
    await api.start();
    await api.loadReferenceData();
    await api.caughtUp(db);
    return api;
  }

  /** The end of a scenario: the process killed, its schemas dropped, the database connection closed. */
  static async dispose(api: ApiUnderTest | undefined, db: ChaosDatabase): Promise<void> {
    await api?.kill();
    if (api) await db.dropSchemas(api.schemas.events, api.schemas.readModels);
    await db.close();
  }

  get process(): RunningProcess | undefined {
    return this.current;
  }

  env(): Record<string, string> {
    return {
      DATABASE_URL,
      EVENT_STORE_SCHEMA: this.schemas.events,
      READ_MODEL_SCHEMA: this.schemas.readModels,
      DEMO_DATA: 'false',
      PORT: String(this.port),
      HOST: '127.0.0.1',
      PGAPPNAME: this.applicationName,
    };
  }

  /** Starts the process and waits until /health answers 200 (projections caught up). */
  async start(): Promise<void> {
    const p = startProcess([API_MAIN], this.env());
    this.current = p;
    this.starts++;
    try {
      await waitUntil(
        `api on port ${this.port}`,
        async () => {
          if (!p.alive()) throw new Error(`api exited while starting:\n${p.output()}`);
          return (await send(this.port, { method: 'GET', path: '/health', timeoutMs: 2_000 })).status === 200;
        },
        30_000,
      );
    } catch (error) {
      await kill9(p);
      throw error;
    }
  }

  /** Local ports of this process's PostgreSQL connections (see ChaosDatabase.backends). */
  clientPorts(): number[] {
    return this.current?.alive() ? postgresClientPorts(this.current.pid) : [];
  }

  async kill(): Promise<void> {
    if (this.current) await kill9(this.current);
  }

  async stop(): Promise<void> {
    if (this.current) await stopProcess(this.current);
  }

  /** Catalog and the filing partner, over HTTP as support staff would. */
  async loadReferenceData(): Promise<void> {
    const catalog = sampleCatalog();
    const post = async (path: string, body: object): Promise<void> => {
      const res = await send(this.port, { method: 'POST', path, token: this.tokens.support, body });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await post('/catalog/versions', {
      version: catalog.version,
      publishedAt: catalog.publishedAt,
      entries: catalog.entries,
    });
    await post('/partners', { partnerId: CHAOS_PARTNER, name: 'Chaos suite partner' });
  }

  /**
   * Waits until the read models show everything stored (filings read the catalog from them). Fails naming
   * the cause when another session's open transaction holds every reader of the cluster back.
   */
  async caughtUp(db: ChaosDatabase, timeoutMs = 20_000): Promise<void> {
    const last = await db.lastPosition(this.schemas.events);
    try {
      await waitUntil(
        'projections caught up',
        async () => {
          const health = await send(this.port, { method: 'GET', path: '/health', timeoutMs: 2_000 });
          const position = (health.body as { projections?: { position?: number } } | null)?.projections
            ?.position;
          return typeof position === 'number' && position >= last;
        },
        timeoutMs,
      );
    } catch (error) {
      const blockers = await db.oldTransactions(5);
      throw new Error(
        `${(error as Error).message}; transactions open on the cluster: ${blockers.join(' | ') || 'none'}`,
      );
    }
  }
}
