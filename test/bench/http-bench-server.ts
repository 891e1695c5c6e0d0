/**
 * The server side of `npm run bench:http`, run as a CHILD process of the load generator (so autocannon never
 * steals this event loop). It serves, on 127.0.0.1 and random ports:
 *   - the real api (AppModule.forRoot + configureApp, JSON logger as in main.ts) on private schemas of the
 *     PostgreSQL server, with the e2e reference data loaded through its own HTTP routes;
 *   - the CEILING: a tiny Nest app on the same express stack (same JSON body parser and limit, the same
 *     correlation middleware and bearer-token guard) whose one route does one INSERT of the body into a copy of
 *     the events table, through a pg pool of the event store's default size.
 * IPC with the parent: → {ready, apiPort, ceilingPort}; ← phase-start / phase-stop (→ {phase: lag samples, SQL
 * statements sent meanwhile}); ← stop.
 */
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  Body,
  ConsoleLogger,
  Controller,
  type DynamicModule,
  HttpCode,
  Inject,
  type INestApplication,
  Module,
  Post,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Pool } from 'pg';
import request from 'supertest';
import { AppModule } from '../../apps/api/src/app.module';
import { AUTH_SETTINGS, authSettingsFromEnv, DEV_AUTH_SECRET } from '../../apps/api/src/auth/auth.config';
import { Roles } from '../../apps/api/src/auth/auth.decorators';
import { AuthGuard } from '../../apps/api/src/auth/auth.guard';
import { signToken } from '../../apps/api/src/auth/token';
import { BODY_LIMIT, configureApp } from '../../apps/api/src/configure-app';
import { correlationMiddleware } from '../../apps/api/src/http/correlation.middleware';
import { DEFAULT_POOL_SIZE, startRuntime } from '../../apps/api/src/infrastructure/create-runtime';
import { loadReferenceData } from '../support/fixtures';
import { PhaseProfiler } from './phase-profiler';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Pool size of the ceiling AND of each of the api's two pools (event store, read models). */
const BENCH_POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? DEFAULT_POOL_SIZE);

/**
 * SQL statements sent by this process (every pg client: the api's pools, the projection runner, the ceiling),
 * minus those of the lag sampler (marked through AsyncLocalStorage): a noise-free measure of the work per
 * request, where req/s on a shared machine is not.
 */
const sampler = new AsyncLocalStorage<true>();
let statements = 0;
let samplerStatements = 0;
const clientProto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const originalQuery = clientProto.query;
clientProto.query = function (this: unknown, ...args: unknown[]): unknown {
  if (sampler.getStore()) samplerStatements++;
  else statements++;
  return originalQuery.apply(this, args);
};

/**
 * `phase` names the phase; api phases sample the projection lag, and with BENCH_CPU_PROF=dir the server writes a
 * CPU profile of each of them to dir/<phase>.cpuprofile.
 */
export type ToServer =
  { type: 'phase-start'; phase: string; api: boolean } | { type: 'phase-stop' } | { type: 'stop' };
export interface LagSample {
  readonly eventsBehind: number;
  readonly msBehind: number;
}
export type FromServer =
  | { type: 'ready'; apiPort: number; ceilingPort: number }
  | { type: 'phase'; samples: LagSample[]; statements: number; samplerStatements: number; cpuMs: number }
  | { type: 'stopped' };

const CEILING_POOL = Symbol('CEILING_POOL');
const CEILING_TABLE = Symbol('CEILING_TABLE');

@Controller('ceiling')
class CeilingController {
  constructor(
    @Inject(CEILING_POOL) private readonly pool: Pool,
    @Inject(CEILING_TABLE) private readonly table: string,
  ) {}

  /** One autocommitted INSERT of an event-shaped row: what an append costs with nothing around it. */
  @Post()
  @HttpCode(201)
  @Roles('partner')
  async insert(@Body() body: unknown): Promise<{ id: string }> {
    const id = randomUUID();
    await this.pool.query(
      `INSERT INTO ${this.table} (global_position, event_id, stream, revision, type, schema_version, data,
         metadata, transaction_id, hash)
       VALUES (pg_current_xact_id()::text::bigint * 1024, $1, $2, 0, 'RepairRequested', 1, $3, '{}', pg_current_xact_id(), $4)`,
      [id, `ticket-${id}`, JSON.stringify(body ?? null), 'f'.repeat(64)],
    );
    return { id };
  }
}

function ceilingModule(pool: Pool, table: string): DynamicModule {
  return {
    module: CeilingModule,
    providers: [
      { provide: CEILING_POOL, useValue: pool },
      { provide: CEILING_TABLE, useValue: table },
      { provide: AUTH_SETTINGS, useValue: authSettingsFromEnv({}) },
      { provide: APP_GUARD, useClass: AuthGuard },
    ],
  };
}
@Module({ controllers: [CeilingController] })
class CeilingModule {}

function send(message: FromServer): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const suffix = randomBytes(5).toString('hex');
  const schemas = { events: `bench_http_es_${suffix}`, readModels: `bench_http_rm_${suffix}` };
  const admin = new Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  const apps: INestApplication[] = [];
  let stopRuntime: (() => Promise<void>) | undefined;
  const ceilingPool = new Pool({ connectionString: BENCH_DATABASE_URL, max: BENCH_POOL_SIZE });
  ceilingPool.on('error', () => undefined);

  const cleanup = async (): Promise<void> => {
    for (const a of apps) await a.close().catch(() => undefined);
    await stopRuntime?.().catch(() => undefined);
    await ceilingPool.end().catch(() => undefined);
    await admin
      .query(
        `DROP SCHEMA IF EXISTS "${schemas.events}" CASCADE; DROP SCHEMA IF EXISTS "${schemas.readModels}" CASCADE`,
      )
      .catch(() => undefined);
    await admin.end().catch(() => undefined);
  };

  try {
    const started = await startRuntime({
      databaseUrl: BENCH_DATABASE_URL,
      eventStoreSchema: schemas.events,
      readModelSchema: schemas.readModels,
      poolSize: BENCH_POOL_SIZE,
    });
    stopRuntime = () => started.stop();
    // Same logger as production (main.ts): one JSON line per request; the parent sends stdout to /dev/null.
    const logger = new ConsoleLogger({ json: true });
    const api = await NestFactory.create(AppModule.forRoot(started.runtime), { logger });
    apps.push(api);
    configureApp(api);
    await api.listen(0, '127.0.0.1');

    const table = `"${schemas.events}".ceiling_events`;
    await admin.query(`CREATE TABLE ${table} (LIKE "${schemas.events}".events INCLUDING ALL)`);
    const ceiling = await NestFactory.create<NestExpressApplication>(ceilingModule(ceilingPool, table), {
      logger,
      bodyParser: false,
    });
    apps.push(ceiling);
    ceiling.useBodyParser('json', { limit: BODY_LIMIT });
    ceiling.disable('x-powered-by');
    ceiling.use(correlationMiddleware);
    await ceiling.listen(0, '127.0.0.1');

    const now = Math.floor(Date.now() / 1000);
    await loadReferenceData({
      http: request(api.getHttpServer() as Parameters<typeof request>[0]),
      tokens: {
        support: signToken({ role: 'support', subject: 'bench-loader' }, DEV_AUTH_SECRET, now, 3600),
      },
    });

    const profiler = process.env.BENCH_CPU_PROF ? new PhaseProfiler(process.env.BENCH_CPU_PROF) : undefined;
    let phase:
      | {
          samples: LagSample[];
          timer: NodeJS.Timeout | undefined;
          statementsAtStart: number;
          samplerAtStart: number;
          cpuAtStart: NodeJS.CpuUsage;
        }
      | undefined;
    process.on('message', (message: ToServer) => {
      switch (message.type) {
        case 'phase-start': {
          const p = {
            samples: [] as LagSample[],
            timer: undefined as NodeJS.Timeout | undefined,
            statementsAtStart: 0,
            samplerAtStart: samplerStatements,
            cpuAtStart: process.cpuUsage(),
          };
          if (message.api) {
            // Every 200 ms (a sample still running is not overlapped): the runner's own lag(). It probes the
            // store at most once a second (LAG_PROBE_TTL_MS); samples in between are the runner's own figures.
            let busy = false;
            p.timer = setInterval(() => {
              if (busy) return;
              busy = true;
              sampler
                .run(true, () => started.runtime.projections.lag())
                .then((lag) => p.samples.push({ eventsBehind: lag.eventsBehind, msBehind: lag.msBehind }))
                .catch(() => undefined)
                .finally(() => (busy = false));
            }, 200);
            void profiler?.start(message.phase);
          }
          p.statementsAtStart = statements;
          phase = p;
          break;
        }
        case 'phase-stop': {
          const p = phase;
          phase = undefined;
          clearInterval(p?.timer);
          const sent = statements - (p?.statementsAtStart ?? statements);
          const cpu = process.cpuUsage(p?.cpuAtStart);
          void (p?.timer ? (profiler?.stop() ?? Promise.resolve()) : Promise.resolve()).then(() =>
            send({
              type: 'phase',
              samples: p?.samples ?? [],
              statements: sent,
              samplerStatements: samplerStatements - (p?.samplerAtStart ?? samplerStatements),
              cpuMs: (cpu.user + cpu.system) / 1000,
            }),
          );
          break;
        }
        case 'stop':
          void cleanup().then(() => {
            send({ type: 'stopped' });
            process.exit(0);
          });
          break;
        default: {
          const unknown: never = message;
          throw new Error(`unknown message ${JSON.stringify(unknown)}`);
        }
      }
    });
    send({ type: 'ready', apiPort: portOf(api), ceilingPort: portOf(ceiling) });
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function portOf(app: INestApplication): number {
  const address = (app.getHttpServer() as import('node:http').Server).address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a port');
  return address.port;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
