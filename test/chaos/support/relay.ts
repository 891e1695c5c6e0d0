import type { TopicSpec } from '@app/messaging';
import { testKafkaBrokers } from '@app/messaging/testing';

import { DATABASE_URL } from './database';
import { startProcess, type RunningProcess } from './processes';

/**
 * The Kafka relay as its own process, run from source as README "Kafka" documents it
 * (`node -r @swc-node/register apps/relay/src/main.ts`), on the api's event store schema and a test topic.
 */
export function startRelay(options: {
  readonly eventSchema: string;
  readonly topic: TopicSpec;
  readonly batchSize: number;
  readonly applicationName: string;
}): RunningProcess {
  return startProcess(['-r', '@swc-node/register', 'apps/relay/src/main.ts'], {
    DATABASE_URL,
    EVENT_STORE_SCHEMA: options.eventSchema,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    KAFKA_TOPIC: options.topic.name,
    KAFKA_TOPIC_PARTITIONS: String(options.topic.partitions),
    RELAY_BATCH_SIZE: String(options.batchSize),
    PGAPPNAME: options.applicationName,
  });
}
