import {
  DATABASE_VARIABLES,
  type Environment,
  integer,
  InvalidConfigurationError,
  KAFKA_VARIABLES,
  LOG_VARIABLES,
  type LogSettings,
  messagingConfigOf,
  parseVariables,
  problemLine,
  RELAY_VARIABLES,
  text,
} from '@app/config';
import type { MessagingConfig } from '@app/messaging';

/** Every variable the relay process reads (the README's table lists each; a test checks it). */
export const RELAY_ENVIRONMENT = {
  ...DATABASE_VARIABLES,
  ...KAFKA_VARIABLES,
  ...RELAY_VARIABLES,
  /** Unset: no HTTP server; set: `/health` and `/metrics` on 127.0.0.1 at this port. */
  RELAY_HTTP_PORT: integer(1, 65535),
  ...LOG_VARIABLES,
} as const;

/** The example consumer's variables (apps/relay/src/example-consumer.ts). */
export const CONSUMER_ENVIRONMENT = {
  ...KAFKA_VARIABLES,
  CONSUMER_GROUP: text('example-consumer'),
} as const;

export interface RelayProcessConfig {
  readonly databaseUrl: string;
  /** EVENTSTORE_URL: the events are in KurrentDB (the checkpoint stays in PostgreSQL). */
  readonly eventStoreUrl?: string;
  readonly eventStoreSchema: string;
  readonly checkpointSchema: string;
  readonly messaging: MessagingConfig;
  readonly name?: string;
  readonly batchSize?: number;
  readonly httpPort?: number;
  readonly log: LogSettings;
}

/** The relay's configuration, parsed once at start; one line per bad variable (InvalidConfigurationError). */
export function parseRelayConfig(env: Environment): RelayProcessConfig {
  const problems: string[] = [];
  const v = parseVariables(RELAY_ENVIRONMENT, env, problems);
  // A relay in its own process cannot share an embedded database; its checkpoint lives in PostgreSQL.
  if (v.DATABASE_URL === undefined && !problems.some((p) => p.startsWith('DATABASE_URL')))
    problems.push(
      problemLine(
        'DATABASE_URL',
        'the PostgreSQL server of the relay checkpoint (required by the relay)',
        undefined,
      ),
    );
  if (problems.length > 0 || v.DATABASE_URL === undefined) throw new InvalidConfigurationError(problems);
  return {
    databaseUrl: v.DATABASE_URL,
    ...(v.EVENTSTORE_URL === undefined ? {} : { eventStoreUrl: v.EVENTSTORE_URL }),
    eventStoreSchema: v.EVENT_STORE_SCHEMA,
    checkpointSchema: v.RELAY_CHECKPOINT_SCHEMA ?? v.EVENT_STORE_SCHEMA,
    messaging: messagingConfigOf(v),
    ...(v.RELAY_NAME === undefined ? {} : { name: v.RELAY_NAME }),
    ...(v.RELAY_BATCH_SIZE === undefined ? {} : { batchSize: v.RELAY_BATCH_SIZE }),
    ...(v.RELAY_HTTP_PORT === undefined ? {} : { httpPort: v.RELAY_HTTP_PORT }),
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
  };
}

/** The example consumer's configuration. */
export function parseConsumerConfig(env: Environment): { messaging: MessagingConfig; groupId: string } {
  const problems: string[] = [];
  const v = parseVariables(CONSUMER_ENVIRONMENT, env, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return { messaging: messagingConfigOf(v), groupId: v.CONSUMER_GROUP };
}
