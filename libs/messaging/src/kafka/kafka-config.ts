import { Kafka, logLevel, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface MessagingConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Topics by role; ticket events all go to one topic so one ticket's events keep their order. */
  readonly topics: { readonly tickets: TopicSpec };
  /** CloudEvents `source` of every message. */
  readonly source: string;
}

export const DEFAULT_TICKETS_TOPIC = 'ipro.repair.tickets.v1';

export function createKafka(
  config: Pick<MessagingConfig, 'brokers' | 'clientId'>,
  options: { readonly logLevel?: logLevel } & Partial<KafkaConfig> = {},
): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: options.logLevel ?? logLevel.ERROR,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 3000 },
    ...options,
  });
}

/**
 * The relay's producer: idempotent (the broker drops a retried batch it already wrote), one request in
 * flight (a retry can never overtake the next batch: per-key order survives retries), and the Java client's
 * murmur2 partitioner, so a key lands in the same partition whichever client produced it.
 */
export function createRelayProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 100, retries: 3, maxRetryTime: 2000 },
  });
}

/** Creates missing topics; an existing topic is left as it is (partition counts are never changed here). */
export async function ensureTopics(kafka: Kafka, topics: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor,
        })),
      });
    } catch (error) {
      // Another relay (or a test) created it in between: fine.
      if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
    }
    // KRaft creates topics asynchronously: metadata may say "unknown topic" for a moment after the answer
    // (kafkajs's own waitForLeaders only retries "leader not available"). Wait until every partition leads.
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const { topics: described } = await admin.fetchTopicMetadata({ topics: missing.map((t) => t.name) });
        if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
          return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`topics ${missing.map((t) => t.name).join(', ')} have no leaders after 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.disconnect();
  }
}
