import { logLevel } from 'kafkajs';

import { createEventStoreFromEnv, type EventStore } from '@app/event-store';

import { createKafka, messagingConfigFromEnv, type MessagingConfig } from '../kafka/kafka-config';
import { KafkaRelay, type KafkaRelayOptions } from './kafka-relay';
import { PostgresRelayCheckpoints } from './relay-checkpoint';

export interface RelayDeps {
  readonly store: EventStore;
  /** The event store's PostgreSQL database: the checkpoint lives there too. */
  readonly connectionString: string;
  /** Schema of the `relay_checkpoint` table. Default: `EVENT_STORE_SCHEMA`, else `event_store`. */
  readonly checkpointSchema?: string;
  readonly config?: MessagingConfig;
  readonly relay?: Partial<
    Pick<KafkaRelayOptions, 'name' | 'batchSize' | 'backoff' | 'metrics' | 'logger' | 'standbyPollMs'>
  >;
  readonly kafkaLogLevel?: logLevel;
}

export interface RunningRelay {
  readonly relay: KafkaRelay;
  /** Stops the relay and closes what `createKafkaRelay` opened (not the store). */
  close(): Promise<void>;
}

/** Wires a relay from its parts; call `relay.start()` to run it. */
export async function createKafkaRelay(
  deps: RelayDeps,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningRelay> {
  const config = deps.config ?? messagingConfigFromEnv(env);
  const checkpoints = await PostgresRelayCheckpoints.create({
    connectionString: deps.connectionString,
    schema:
      deps.checkpointSchema ?? env['RELAY_CHECKPOINT_SCHEMA'] ?? env['EVENT_STORE_SCHEMA'] ?? 'event_store',
  });
  const kafka = createKafka(config, { logLevel: deps.kafkaLogLevel ?? logLevel.NOTHING });
  const relay = new KafkaRelay({
    store: deps.store,
    checkpoints,
    kafka,
    topic: config.topics.tickets,
    source: config.source,
    ...(env['RELAY_BATCH_SIZE'] ? { batchSize: Number(env['RELAY_BATCH_SIZE']) } : {}),
    ...deps.relay,
  });
  return {
    relay,
    close: async () => {
      await relay.stop();
      await checkpoints.close();
    },
  };
}

/**
 * The whole relay from the environment (the standalone process): `DATABASE_URL` (required: a relay in its
 * own process cannot share an embedded database), `EVENT_STORE_SCHEMA`, `KAFKA_BROKERS`, `KAFKA_TOPIC`, … (see
 * `messagingConfigFromEnv`), `RELAY_NAME`, `RELAY_BATCH_SIZE`.
 */
export async function createKafkaRelayFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RunningRelay> {
  if (!env['DATABASE_URL'])
    throw new Error('DATABASE_URL is required: the relay reads the event store in PostgreSQL');
  const opened = await createEventStoreFromEnv(env);
  try {
    const running = await createKafkaRelay(
      {
        store: opened.store,
        connectionString: env['DATABASE_URL'],
        ...(env['RELAY_NAME'] ? { relay: { name: env['RELAY_NAME'] } } : {}),
      },
      env,
    );
    return {
      relay: running.relay,
      close: async () => {
        await running.close();
        await opened.stop();
      },
    };
  } catch (error) {
    await opened.stop();
    throw error;
  }
}
