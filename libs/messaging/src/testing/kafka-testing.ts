/**
 * Test helpers for suites that check what reached Kafka (the relay's own tests, the api's end-to-end test).
 * The broker is started once per Jest run by test/kafka-global-setup.ts and found in KAFKA_BROKERS.
 */
import { randomBytes } from 'node:crypto';

import { Kafka, logLevel, type IHeaders } from 'kafkajs';

import { createKafka, ensureTopics, type MessagingConfig, type TopicSpec } from '../kafka/kafka-config';

export function testKafkaBrokers(): string[] {
  return (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
}

export function randomSuffix(): string {
  return randomBytes(5).toString('hex');
}

/** A topic of its own for one suite (several people test against one broker at once). */
export function testTopic(label: string, partitions = 3): TopicSpec {
  return { name: `test.${label}.${randomSuffix()}`, partitions, replicationFactor: 1 };
}

export function testMessagingConfig(
  topic: TopicSpec,
  brokers: readonly string[] = testKafkaBrokers(),
): MessagingConfig {
  return {
    brokers,
    clientId: `test-${randomSuffix()}`,
    topics: { tickets: topic },
    source: '/ipro/repair-service',
  };
}

export function testKafka(brokers: readonly string[] = testKafkaBrokers()): Kafka {
  return createKafka({ brokers, clientId: `test-${randomSuffix()}` }, { logLevel: logLevel.NOTHING });
}

export async function createTestTopic(topic: TopicSpec, kafka: Kafka = testKafka()): Promise<void> {
  await ensureTopics(kafka, [topic]);
}

export async function deleteTestTopic(topic: TopicSpec, kafka: Kafka = testKafka()): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic.name], timeout: 10_000 });
  } catch {
    // Already gone, or the broker is stopping: a test topic left behind dies with the throw-away broker.
  } finally {
    await admin.disconnect();
  }
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body, parsed. */
  readonly body: Record<string, unknown>;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}

/**
 * Reads `topic` from the beginning with a fresh consumer group until `count` messages (duplicates included)
 * arrived, then a short quiet period to catch extra re-deliveries. Rejects after `timeoutMs` saying how many
 * came. Messages are in arrival order: per partition, that is the topic's order.
 */
export async function consumeUntil(
  topic: string,
  count: number,
  options: { readonly timeoutMs?: number; readonly quietMs?: number; readonly kafka?: Kafka } = {},
): Promise<ReceivedMessage[]> {
  const kafka = options.kafka ?? testKafka();
  await waitForTopic(kafka, topic, options.timeoutMs ?? 30_000);
  const consumer = kafka.consumer({ groupId: `test-consumer-${randomSuffix()}`, maxWaitTimeInMs: 100 });
  const received: ReceivedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let reached: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (reached = resolve));
    await consumer.run({
      eachMessage: ({ topic: t, partition, message }) => {
        received.push({
          topic: t,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          headers: headersOf(message.headers),
          body: JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>,
        });
        if (received.length >= count) reached();
        return Promise.resolve();
      },
    });
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    const outcome = await Promise.race([enough.then(() => 'ok' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      throw new Error(`consumeUntil ${topic}: ${received.length} of ${count} messages after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.quietMs ?? 300));
    return [...received];
  } finally {
    await consumer.disconnect();
  }
}

/** The relay creates its topic on its first publish: a consumer started earlier waits for it. */
async function waitForTopic(kafka: Kafka, topic: string, timeoutMs: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await admin.listTopics()).includes(topic)) {
      if (Date.now() > deadline) throw new Error(`topic ${topic} did not appear within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await admin.fetchTopicMetadata({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}

/** Keeps the first delivery of each `ce_id` (what a deduplicating consumer sees). */
export function firstDeliveries(messages: readonly ReceivedMessage[]): ReceivedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const id = m.headers['ce_id'] ?? '';
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Messages grouped by key, each group in topic order. */
export function byKey(messages: readonly ReceivedMessage[]): Map<string, ReceivedMessage[]> {
  const groups = new Map<string, ReceivedMessage[]>();
  for (const m of messages) groups.set(m.key, [...(groups.get(m.key) ?? []), m]);
  return groups;
}
