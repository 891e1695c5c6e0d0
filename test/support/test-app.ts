import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { EscalationMode } from '@app/domain';
import { appLoggerOf } from '@app/config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@app/event-store';
import { randomBytes } from 'node:crypto';
import type { MessagingConfig } from '@app/messaging';
import { Client } from 'pg';
import type { Logger as Pino } from 'pino';
import request from 'supertest';
import { AppModule } from '../../apps/api/src/app.module';
import { type AuthSettings, DEV_AUTH_SECRET } from '../../apps/api/src/auth/auth.config';
import { signToken, type Principal } from '../../apps/api/src/auth/token';
import { configureApp, openApiDocumentOf } from '../../apps/api/src/configure-app';
import { startRuntime, type StartedRuntime } from '../../apps/api/src/infrastructure/create-runtime';
import { loggingParams } from '../../apps/api/src/logging/logging.params';
import { type OpenApiDocument, OpenApiResponseValidator } from './openapi-validator';

export type TestDatabase = 'server' | 'pglite';

/** The PostgreSQL server every machine runs (README); override with TEST_DATABASE_URL. */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestApp {
  readonly app: INestApplication;
  /** The e2e client: every answer is checked against /openapi.json (openapi-validator.ts); a deviation fails. */
  readonly http: ReturnType<typeof request>;
  /** The same client without the contract check, for requests that must reach the app as no client would send. */
  readonly rawHttp: ReturnType<typeof request>;
  readonly contract: OpenApiResponseValidator;
  readonly started: StartedRuntime;
  readonly schemas: { readonly events: string; readonly readModels: string };
  token(principal: Principal): string;
  readonly tokens: { support: string; ops: string; auditor: string; partner(id: string): string };
  /** Direct SQL on the database the app uses (checks that nothing was stored, tampering tests). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The real api (same module, same edge configuration as main.ts) on a private pair of schemas of the real
 * PostgreSQL server, or on embedded PGlite. Each suite gets its own, dropped on close.
 */
export interface TestAppOptions {
  /** Run the Kafka relay in-process, publishing to this configuration's topic. */
  readonly relay?: MessagingConfig;
  /** PostgreSQL application_name of the app's connections (server only), so a test can find its backends. */
  readonly applicationName?: string;
  /**
   * Server only: the app connects here instead of SERVER_URL (e.g. through a TCP proxy the test can cut, to make
   * the database fail on purpose); the test's own `sql` still connects to SERVER_URL directly.
   */
  readonly appDatabaseUrl?: string;
  /** How tickets reach support (PORTAL_AUTO_ESCALATE); default the runtime's `on_receipt`. */
  readonly escalationMode?: EscalationMode;
  /** METRICS_TOKEN: the bearer token /metrics then requires. */
  readonly metricsToken?: string;
  /** The token settings (AUTH_*); default the dev secret, as with nothing configured. */
  readonly auth?: AuthSettings;
  /**
   * Log as main.ts does (nestjs-pino, request lines) to this root logger; default: no logs. nestjs-pino keeps one
   * root per process (module state): in a test file, the first app started with `log` sets it.
   */
  readonly log?: Pino;
}

export async function startTestApp(
  database: TestDatabase = 'server',
  options: TestAppOptions = {},
): Promise<TestApp> {
  const suffix = randomBytes(5).toString('hex');
  // PGlite is one session shared by every connection (see embedded-postgres.ts), so a per-connection
  // search_path cannot isolate schemas there; each PGlite run is a fresh database, so the defaults are private.
  const schemas =
    database === 'server'
      ? { events: `e2e_es_${suffix}`, readModels: `e2e_rm_${suffix}` }
      : { events: 'event_store', readModels: 'public' };
  let embedded: EmbeddedPostgres | undefined;
  const url =
    database === 'server' ? SERVER_URL : (embedded = await startEmbeddedPostgres()).connectionString;
  const serverUrl = database === 'server' ? (options.appDatabaseUrl ?? url) : url;
  const appUrl =
    database === 'server' && options.applicationName
      ? `${serverUrl}${serverUrl.includes('?') ? '&' : '?'}application_name=${options.applicationName}`
      : serverUrl;
  const started = await startRuntime({
    databaseUrl: appUrl,
    eventStoreSchema: schemas.events,
    readModelSchema: schemas.readModels,
    ...(options.relay ? { relay: options.relay } : {}),
    ...(options.escalationMode ? { escalationMode: options.escalationMode } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
  });
  const logging = options.log ? loggingParams(options.log) : undefined;
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(started.runtime, logging ? { logging } : {})],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: logging ? appLoggerOf(logging) : false });
  configureApp(app, options.log ? { requestLog: options.log } : {});
  await app.init();
  const rawHttp = request(app.getHttpServer() as Parameters<typeof request>[0]);
  const contract = new OpenApiResponseValidator(
    JSON.parse(JSON.stringify(openApiDocumentOf(app))) as OpenApiDocument,
  );
  const http = checkedAgainst(contract, rawHttp);
  const now = Math.floor(Date.now() / 1000);
  const token = (p: Principal): string => signToken(p, DEV_AUTH_SECRET, now, 3600);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    app,
    http,
    rawHttp,
    contract,
    started,
    schemas,
    token,
    tokens: {
      support: token({ role: 'support', subject: 'tanaka' }),
      ops: token({ role: 'ops', subject: 'ops-1' }),
      auditor: token({ role: 'auditor', subject: 'audit-1' }),
      partner: (id: string) => token({ role: 'partner', subject: `user-${id}`, partnerId: id }),
    },
    async sql<T>(text: string, params?: unknown[]): Promise<T[]> {
      return (await client.query(text, params)).rows as T[];
    },
    async close() {
      await app.close();
      await started.stop();
      if (database === 'server') {
        await client.query(
          `DROP SCHEMA IF EXISTS "${schemas.events}" CASCADE; DROP SCHEMA IF EXISTS "${schemas.readModels}" CASCADE`,
        );
      }
      await client.end();
      await embedded?.stop();
    },
  };
}

/** Events in the app's store: what a refused or all-or-nothing command must leave unchanged. */
export async function storedEventCount(t: Pick<TestApp, 'sql' | 'schemas'>): Promise<number> {
  const [row] = await t.sql<{ n: string }>(`SELECT count(*) AS n FROM "${t.schemas.events}".events`);
  return Number(row?.n);
}

/** A token issued now for `lifetimeSeconds`, signed with the app's dev key unless another `secret` is named. */
export function tokenIssuedNow(
  principal: Principal,
  lifetimeSeconds: number,
  secret = DEV_AUTH_SECRET,
): string {
  return signToken(principal, secret, Math.floor(Date.now() / 1000), lifetimeSeconds);
}

type Agent = ReturnType<typeof request>;
type Callback = (err: unknown, res: request.Response) => void;
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** The agent, with every answer checked by the contract before the test sees it (a deviation rejects). */
export function checkedAgainst(contract: OpenApiResponseValidator, agent: Agent): Agent {
  return new Proxy(agent, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !METHODS.has(prop) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const test = (value as (...a: unknown[]) => request.Test).apply(target, args);
        const end = test.end.bind(test) as (fn: Callback) => request.Test;
        test.end = ((fn: Callback) =>
          end((err, res) => {
            if (!err && res && test.method !== 'HEAD') {
              try {
                contract.check({
                  method: test.method,
                  url: test.url,
                  status: res.status,
                  headers: res.headers,
                  body: /json/.test(String(res.headers['content-type'])) ? res.body : res.text,
                });
              } catch (violation) {
                fn(violation, res);
                return;
              }
            }
            fn(err, res);
          })) as typeof test.end;
        return test;
      };
    },
  });
}
