import { logLevel } from 'kafkajs';

import type { EventStore } from '@app/event-store';

import { createKafka, type MessagingConfig } from '../kafka/kafka-config';
import { KafkaRelay, type KafkaRelayOptions } from './kafka-relay';
import { PostgresRelayCheckpoints } from './relay-checkpoint';

export interface RelayDeps {
  readonly store: EventStore;
  /** The event store's PostgreSQL database: the checkpoint lives there too. */
  readonly connectionString: string;
  /** Schema of the `relay_checkpoint` table; default `event_store` (the event store's default schema). */
  readonly checkpointSchema?: string;
  readonly config: MessagingConfig;
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

/**
 * Wires a relay from its parts; call `relay.start()` to run it. Every setting comes in `deps` (the processes
 * parse the environment: apps/relay/src/relay.config.ts, apps/api/src/config/api.config.ts).
 */
export async function createKafkaRelay(deps: RelayDeps): Promise<RunningRelay> {
  const config = deps.config;
  const checkpoints = await PostgresRelayCheckpoints.create({
    connectionString: deps.connectionString,
    schema: deps.checkpointSchema ?? 'event_store',
  });
  const kafka = createKafka(config, { logLevel: deps.kafkaLogLevel ?? logLevel.NOTHING });
  const relay = new KafkaRelay({
    store: deps.store,
    checkpoints,
    kafka,
    topic: config.topics.tickets,
    source: config.source,
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
