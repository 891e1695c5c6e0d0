import type { EscalationMode } from '@app/domain';
import {
  DATABASE_VARIABLES,
  type Environment,
  flag,
  integer,
  InvalidConfigurationError,
  KAFKA_VARIABLES,
  LOG_VARIABLES,
  type LogSettings,
  messagingConfigOf,
  parseVariables,
  POOL_VARIABLES,
  RELAY_VARIABLES,
  text,
} from '@app/config';

import { AUTH_VARIABLES, authSettingsOf, type AuthSettings } from '../auth/auth.config';
import type { RuntimeConfig } from '../infrastructure/create-runtime';

/** The api's own variables (the shared ones are in @app/config). */
export const API_VARIABLES = {
  PORT: integer(1, 65535, 3000),
  HOST: text('127.0.0.1'),
  EMBEDDED_PG_DATA_DIR: text(),
  DEMO_DATA: flag(true),
  METRICS_TOKEN: text(undefined, { secret: true }),
  PORTAL_AUTO_ESCALATE: flag(true),
  RELAY_IN_PROCESS: flag(false),
  DASHBOARD_REFRESH_SECONDS: integer(1, 3600, 15),
} as const;

/** The variables parseVariables reads for the api (AUTH_* have their own parser, authSettingsOf). */
const API_PARSED = {
  ...DATABASE_VARIABLES,
  ...POOL_VARIABLES,
  ...API_VARIABLES,
  ...KAFKA_VARIABLES,
  ...RELAY_VARIABLES,
  ...LOG_VARIABLES,
} as const;

/** Every variable the api reads, by name (the README's table lists each; a test checks it). */
export const API_ENVIRONMENT = { ...API_PARSED, ...AUTH_VARIABLES } as const;

/** The api's configuration, parsed once at start (main.ts) before anything connects. */
export interface ApiConfig {
  readonly runtime: RuntimeConfig;
  readonly auth: AuthSettings;
  readonly port: number;
  readonly host: string;
  readonly demoData: boolean;
  readonly log: LogSettings;
}

/**
 * Parses every variable of the api at once. Throws InvalidConfigurationError with one line per bad variable
 * (and per broken rule between variables); never connects to anything.
 */
export function parseApiConfig(env: Environment): ApiConfig {
  const problems: string[] = [];
  const v = parseVariables(API_PARSED, env, problems);
  const auth = authSettingsOf(env, problems);
  if (v.RELAY_IN_PROCESS && v.EVENTSTORE_URL !== undefined)
    problems.push(
      'RELAY_IN_PROCESS: expected false with EVENTSTORE_URL (the relay checkpoint lives in the PostgreSQL event store), got "true"',
    );
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  const escalationMode: EscalationMode = v.PORTAL_AUTO_ESCALATE ? 'on_receipt' : 'by_support';
  const runtime: RuntimeConfig = {
    ...(v.DATABASE_URL === undefined ? {} : { databaseUrl: v.DATABASE_URL }),
    ...(v.EVENTSTORE_URL === undefined ? {} : { eventStoreUrl: v.EVENTSTORE_URL }),
    eventStoreSchema: v.EVENT_STORE_SCHEMA,
    readModelSchema: v.READ_MODEL_SCHEMA,
    ...(v.EMBEDDED_PG_DATA_DIR === undefined ? {} : { embeddedDataDir: v.EMBEDDED_PG_DATA_DIR }),
    poolSize: v.DB_POOL_SIZE,
    ...(v.RELAY_IN_PROCESS
      ? {
          relay: messagingConfigOf(v),
          relayOptions: {
            ...(v.RELAY_NAME === undefined ? {} : { name: v.RELAY_NAME }),
            ...(v.RELAY_BATCH_SIZE === undefined ? {} : { batchSize: v.RELAY_BATCH_SIZE }),
            ...(v.RELAY_CHECKPOINT_SCHEMA === undefined
              ? {}
              : { checkpointSchema: v.RELAY_CHECKPOINT_SCHEMA }),
          },
        }
      : {}),
    escalationMode,
    ...(v.METRICS_TOKEN === undefined ? {} : { metricsToken: v.METRICS_TOKEN }),
    auth,
    dashboardRefreshSeconds: v.DASHBOARD_REFRESH_SECONDS,
  };
  return {
    runtime,
    auth,
    port: v.PORT,
    host: v.HOST,
    demoData: v.DEMO_DATA,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
  };
}
