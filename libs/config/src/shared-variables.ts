import { z } from 'zod';

import type { MessagingConfig } from '@app/messaging';

import { integer, oneOf, sqlIdentifier, text, url, variable } from './variable';

/**
 * The variables more than one process reads. Each process composes its own set from these and its own
 * (apps/api/src/config, apps/relay/src/relay.config.ts, apps/cli/src/cli.config.ts); the README's
 * "Configuration (environment)" table lists every one of them (a test checks it).
 */

/** Where events and read models live. */
export const DATABASE_VARIABLES = {
  DATABASE_URL: url(['postgres', 'postgresql'], 'a postgres://user@host:port/database URL'),
  EVENTSTORE_URL: url(
    [
      'esdb',
      'esdb+discover',
      'kurrentdb',
      'kurrentdb+discover',
      'kurrent',
      'kurrent+discover',
      'kdb',
      'kdb+discover',
    ],
    'an esdb:// or kurrentdb:// connection string',
  ),
  EVENT_STORE_SCHEMA: sqlIdentifier('event_store'),
  READ_MODEL_SCHEMA: sqlIdentifier('public'),
} as const;

/**
 * 10 per pool: two pools per api process stay well inside a server's default 100 connections even with a few
 * processes (or test suites) side by side; bench:http measures the command path at this size.
 */
export const DEFAULT_POOL_SIZE = 10;

export const POOL_VARIABLES = {
  /** Connections of EACH of the api's two pools (event store, read models). */
  DB_POOL_SIZE: integer(1, 1000, DEFAULT_POOL_SIZE),
} as const;

const brokerList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== ''),
  )
  .pipe(z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/)).min(1));

/** Kafka and the CloudEvents envelope (the relay, in its own process or in the api). */
export const KAFKA_VARIABLES = {
  KAFKA_BROKERS: variable(brokerList, {
    expected: 'a comma-separated list of host:port',
    fallback: ['127.0.0.1:9092'],
  }),
  KAFKA_CLIENT_ID: text('ipro-repair-relay'),
  KAFKA_TOPIC: variable(z.string().regex(/^[A-Za-z0-9._-]{1,249}$/), {
    expected: 'a Kafka topic name (letters, digits, . _ -)',
    fallback: 'ipro.repair.tickets.v1',
  }),
  // Never raised on an existing topic (that would move keys between partitions): only used to create it.
  KAFKA_TOPIC_PARTITIONS: integer(1, 10_000, 6),
  // 1 for the single local broker; 3 in production.
  KAFKA_REPLICATION_FACTOR: integer(1, 32, 1),
  CLOUDEVENTS_SOURCE: text('/ipro/repair-service'),
} as const;

/** The relay's own settings (KafkaRelay's defaults when unset). */
export const RELAY_VARIABLES = {
  RELAY_NAME: text(),
  RELAY_BATCH_SIZE: integer(1, 10_000),
  RELAY_CHECKPOINT_SCHEMA: variable(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/), {
    expected: 'a schema name (letters, digits, _; at most 63)',
  }),
} as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_VARIABLES = {
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  LOG_FORMAT: oneOf(['json', 'text'], 'json'),
  /** Only `production` changes anything (stricter auth checks); any other value is accepted as it is. */
  NODE_ENV: text(),
} as const;

/** The Kafka variables as the relay takes them. */
export function messagingConfigOf(v: {
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_CLIENT_ID: string;
  readonly KAFKA_TOPIC: string;
  readonly KAFKA_TOPIC_PARTITIONS: number;
  readonly KAFKA_REPLICATION_FACTOR: number;
  readonly CLOUDEVENTS_SOURCE: string;
}): MessagingConfig {
  return {
    brokers: v.KAFKA_BROKERS,
    clientId: v.KAFKA_CLIENT_ID,
    topics: {
      tickets: {
        name: v.KAFKA_TOPIC,
        partitions: v.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: v.KAFKA_REPLICATION_FACTOR,
      },
    },
    source: v.CLOUDEVENTS_SOURCE,
  };
}
