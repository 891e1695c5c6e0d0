import { Logger } from '@nestjs/common';
import type { EscalationMode } from '@app/domain';
import { createEventStore, type EventStore, resolveDatabase } from '@app/event-store';
import {
  openReadModelDataSource,
  ProjectionRunner,
  readSideOn,
  ReferenceProjection,
  TicketsProjection,
} from '@app/read-models';
import { DEFAULT_POOL_SIZE } from '@app/config';
import { createKafkaRelay, type MessagingConfig, type RunningRelay } from '@app/messaging';
import type { AuthSettings } from '../auth/auth.config';
import type { AppRuntime, HealthReporter } from './runtime';

export interface RuntimeConfig {
  /** PostgreSQL server; unset → embedded PGlite (see README). */
  readonly databaseUrl?: string;
  /** EventStoreDB / KurrentDB for events instead of PostgreSQL (read models stay in PostgreSQL). */
  readonly eventStoreUrl?: string;
  readonly eventStoreSchema?: string;
  readonly readModelSchema?: string;
  /**
   * PORTAL_AUTO_ESCALATE=false: the portal leaves ready tickets for support to escalate by hand (`by_support`);
   * unset or true: it escalates them on receipt (`on_receipt`, the default).
   */
  readonly escalationMode?: EscalationMode;
  /** METRICS_TOKEN: the bearer token `/metrics` asks for (unset: public). */
  readonly metricsToken?: string;
  /** Persist the embedded database here (default: in memory). */
  readonly embeddedDataDir?: string;
  /**
   * Run the Kafka relay inside this process (RELAY_IN_PROCESS=true); otherwise `apps/relay` runs it.
   * Needs the PostgreSQL event store (its checkpoint lives beside the events).
   */
  readonly relay?: MessagingConfig;
  /** RELAY_NAME, RELAY_BATCH_SIZE, RELAY_CHECKPOINT_SCHEMA of the in-process relay. */
  readonly relayOptions?: {
    readonly name?: string;
    readonly batchSize?: number;
    readonly checkpointSchema?: string;
  };
  /** Connections of EACH of the two pools (event store, read models); default DEFAULT_POOL_SIZE (@app/config). */
  readonly poolSize?: number;
  /** The token settings (AUTH_*); default: the dev secret, as with nothing configured. */
  readonly auth?: AuthSettings;
  /** DASHBOARD_REFRESH_SECONDS of the dashboard page. */
  readonly dashboardRefreshSeconds?: number;
}

export { DEFAULT_POOL_SIZE };

export interface StartedRuntime {
  readonly runtime: AppRuntime;
  readonly databaseUrl: string;
  readonly embedded: boolean;
  /** RSS (bytes) of the embedded database's process; undefined on a server. */
  databaseRss(): Promise<number | undefined>;
  stop(): Promise<void>;
}

/**
 * The start banner's memory line: the RSS of this process and, on the embedded default, of the PGlite child
 * (README, "Embedded default: footprint").
 */
export async function footprintLine(started: Pick<StartedRuntime, 'databaseRss'>): Promise<string> {
  const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;
  const api = process.memoryUsage.rss();
  const database = await started.databaseRss().catch(() => undefined);
  return database === undefined
    ? `memory: api ${mb(api)} RSS`
    : `memory: api ${mb(api)} + embedded PGlite ${mb(database)} = ${mb(api + database)} RSS`;
}

/** Database, event store, read models and their projections, started and caught up. */
export async function startRuntime(config: RuntimeConfig): Promise<StartedRuntime> {
  const database = await resolveDatabase({
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    ...(config.embeddedDataDir ? { dataDir: config.embeddedDataDir } : {}),
  });
  const url = database.connectionString;
  const poolSize = config.poolSize ?? DEFAULT_POOL_SIZE;
  const store: EventStore = config.eventStoreUrl
    ? await createEventStore({ kind: 'eventstoredb', url: config.eventStoreUrl })
    : await createEventStore({
        kind: 'postgres',
        url,
        maxConnections: poolSize,
        ...(config.eventStoreSchema ? { schema: config.eventStoreSchema } : {}),
      });
  const dataSource = await openReadModelDataSource({
    url,
    poolSize,
    ...(config.readModelSchema ? { schema: config.readModelSchema } : {}),
  });
  const logger = new Logger('projections');
  const projections = new ProjectionRunner(
    store,
    dataSource,
    [new TicketsProjection(), new ReferenceProjection()],
    {
      error: (m: string) => logger.error(m),
    },
  );
  await projections.start();
  let relay: RunningRelay | undefined;
  const healthReporters: HealthReporter[] = [];
  if (config.relay) {
    if (config.eventStoreUrl)
      throw new Error('RELAY_IN_PROCESS needs the PostgreSQL event store (the relay checkpoint lives there)');
    relay = await createKafkaRelay({
      store,
      connectionString: url,
      checkpointSchema: config.relayOptions?.checkpointSchema ?? config.eventStoreSchema ?? 'event_store',
      config: config.relay,
      relay: {
        ...(config.relayOptions?.name === undefined ? {} : { name: config.relayOptions.name }),
        ...(config.relayOptions?.batchSize === undefined ? {} : { batchSize: config.relayOptions.batchSize }),
      },
    });
    await relay.relay.start();
    const running = relay.relay;
    healthReporters.push({ name: 'relay', report: async () => ({ ...(await running.report()) }) });
  }
  return {
    runtime: {
      store,
      readSide: readSideOn(dataSource),
      readModelSql: dataSource,
      projections,
      healthReporters,
      ...(config.escalationMode ? { escalationMode: config.escalationMode } : {}),
      ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
      ...(config.auth ? { auth: config.auth } : {}),
      ...(config.dashboardRefreshSeconds ? { dashboardRefreshSeconds: config.dashboardRefreshSeconds } : {}),
    },
    databaseUrl: url,
    embedded: database.embedded,
    databaseRss: () => database.databaseRss(),
    async stop() {
      await relay?.close();
      await projections.stop();
      await dataSource.destroy();
      await store.close();
      await database.stop();
    },
  };
}
