/**
 * `npm run bench:relay` — Kafka relay throughput and latency on the real broker and the real PostgreSQL.
 *   (a) ceiling: a bare kafkajs producer (same idempotent settings: acks = all, one request in flight)
 *       sending the very messages the relay would send, pre-mapped, in batches of the relay's size;
 *   (b) the relay publishing the same pre-filled store from an empty checkpoint (store read + mapping +
 *       partner lookup + checkpoint write per batch).
 *   Both are warmed up first (2000 events each); rounds run a, b, b, a, a, b; the best of each counts (drift
 *   hits both alike).
 *   (c) latency: append one event (the api's way, one append per command) → a consumer group receives it;
 *       the clock starts when the append returned (committed).
 *   (d) latency: a command's HTTP response (the real api, relay in-process) → the consumer receives the
 *       command's last event (test/bench/relay-http-latency.ts).
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), KAFKA_BROKERS (default: start
 * or reuse the broker on KAFKA_PORT / 9092 through scripts/kafka/kafka.sh), BENCH_TICKETS (1500 × 7 events),
 * BENCH_BATCH (500), BENCH_LATENCY_EVENTS (300), BENCH_LATENCY_RATE per second (50).
 * Targets: b/a >= 0.7; latency p99 <= 200 ms.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { logLevel, type Kafka } from 'kafkajs';
import { Registry } from 'prom-client';

import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import {
  createKafka,
  createRelayProducer,
  ensureTopics,
  KafkaRelay,
  PostgresRelayCheckpoints,
  RelayMetrics,
  toTicketMessage,
  type OutgoingMessage,
  type TopicSpec,
} from '@app/messaging';
import { replacementStory } from '@app/domain/testing';
import { toStoredEvents } from '@app/event-store/testing';
import { ticketStream } from '@app/messaging/testing';
import { httpToConsumerLatency } from './relay-http-latency';

const url = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const tickets = Number(process.env['BENCH_TICKETS'] ?? 1500);
const batchSize = Number(process.env['BENCH_BATCH'] ?? 500);
const latencyEvents = Number(process.env['BENCH_LATENCY_EVENTS'] ?? 300);
const latencyRate = Number(process.env['BENCH_LATENCY_RATE'] ?? 50);
const httpCommands = Number(process.env['BENCH_HTTP_COMMANDS'] ?? 200);
const httpRate = Number(process.env['BENCH_HTTP_RATE'] ?? 20);
const suffix = randomUUID().slice(0, 8);
const schema = `bench_relay_${suffix}`;
const topics: TopicSpec[] = [];
const topic = (label: string): TopicSpec => {
  const spec = { name: `bench.${label}.${suffix}`, partitions: 6, replicationFactor: 1 };
  topics.push(spec);
  return spec;
};
const quiet = {
  log: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** A relay as the api runs it, with its own checkpoint name and metrics registry per topic. */
function benchRelay(
  kafka: Kafka,
  store: PostgresEventStore,
  checkpoints: PostgresRelayCheckpoints,
  spec: TopicSpec,
): KafkaRelay {
  return new KafkaRelay({
    store,
    checkpoints,
    kafka,
    topic: spec,
    name: spec.name,
    batchSize,
    logger: quiet,
    metrics: new RelayMetrics(spec.name, new Registry()),
  });
}

async function prefill(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const started = Date.now();
  const queue = Array.from({ length: tickets }, (_, i) => `B-${suffix}-${i}`);
  // 16 writers, each appending its tickets' events one by one (as the api would).
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        const events = toStoredEvents(replacementStory(id, `P-${id.length % 9}`));
        for (const [i, e] of events.entries()) {
          await store.appendToStream(ticketStream(id), [e], {
            expectedRevision: i === 0 ? 'no_stream' : i - 1,
          });
        }
      }
    }),
  );
  const all: RecordedEvent[] = [];
  for (
    let page = await store.readAll({ maxCount: 5000 });
    page.length > 0;
    page = await store.readAll({ after: all.at(-1)!.globalPosition, maxCount: 5000 })
  ) {
    all.push(...page);
  }
  console.log(
    `prefilled ${all.length} events (${tickets} tickets) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return all;
}

async function bareProducer(
  kafka: Kafka,
  messages: readonly OutgoingMessage[],
  spec: TopicSpec,
): Promise<number> {
  await ensureTopics(kafka, [spec]);
  const producer = createRelayProducer(kafka);
  await producer.connect();
  const started = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i += batchSize) {
    await producer.send({
      topic: spec.name,
      acks: -1,
      messages: messages
        .slice(i, i + batchSize)
        .map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
    });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return messages.length / seconds;
}

async function relayRun(
  kafka: Kafka,
  store: PostgresEventStore,
  checkpoints: PostgresRelayCheckpoints,
  spec: TopicSpec,
  last: number,
  count: number,
): Promise<number> {
  await ensureTopics(kafka, [spec]); // topic creation is not relay throughput
  const relay = benchRelay(kafka, store, checkpoints, spec);
  const started = process.hrtime.bigint();
  await relay.start();
  while (relay.status().checkpoint !== last) await new Promise((r) => setTimeout(r, 2));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await relay.stop();
  return count / seconds;
}

async function latency(
  kafka: Kafka,
  store: PostgresEventStore,
  checkpoints: PostgresRelayCheckpoints,
): Promise<number[]> {
  const spec = topic('latency');
  await ensureTopics(kafka, [spec]);
  // Starts at the store's end: only the events appended below are published.
  const end = (await store.readAll({ after: 0, maxCount: 1_000_000 })).at(-1)?.globalPosition;
  if (end !== undefined) await checkpoints.save(spec.name, end);
  const relay = benchRelay(kafka, store, checkpoints, spec);
  await relay.start();
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = kafka.consumer({ groupId: `bench-${suffix}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: spec.name, fromBeginning: true });
  let allIn: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allIn = resolve));
  await consumer.run({
    eachMessage: ({ message }) => {
      const at = appendedAt.get(message.headers?.['ce_id']?.toString() ?? '');
      if (at !== undefined) latencies.push(performance.now() - at);
      if (latencies.length >= latencyEvents) allIn();
      return Promise.resolve();
    },
  });
  await new Promise((r) => setTimeout(r, 2000)); // group joined, partitions assigned
  const perTicket = 7;
  let sent = 0;
  for (let t = 0; sent < latencyEvents; t++) {
    const id = `L-${suffix}-${t}`;
    const events = toStoredEvents(replacementStory(id)).slice(0, Math.min(perTicket, latencyEvents - sent));
    for (const [i, e] of events.entries()) {
      await store.appendToStream(ticketStream(id), [e], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      appendedAt.set(e.id, performance.now());
      sent++;
      await new Promise((r) => setTimeout(r, 1000 / latencyRate));
    }
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  await consumer.disconnect();
  await relay.stop();
  return latencies.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  let managed = false;
  if (!process.env['KAFKA_BROKERS']) {
    execFileSync(
      'bash',
      [join(__dirname, '..', '..', 'scripts', 'kafka', 'kafka.sh'), 'acquire', String(process.pid)],
      { stdio: 'inherit' },
    );
    managed = true;
  }
  const brokers = (process.env['KAFKA_BROKERS'] ?? `127.0.0.1:${process.env['KAFKA_PORT'] ?? 9092}`).split(
    ',',
  );
  const kafka = createKafka({ brokers, clientId: `bench-${suffix}` }, { logLevel: logLevel.NOTHING });
  const store = await PostgresEventStore.create({ connectionString: url, schema, maxConnections: 16 });
  const checkpoints = await PostgresRelayCheckpoints.create({ connectionString: url, schema });
  try {
    const events = await prefill(store);
    const last = events.at(-1)!.globalPosition;
    // The messages the relay will send: the bare producer sends exactly these.
    const partners = new Map<string, string>();
    const messages: OutgoingMessage[] = [];
    for (const e of events) {
      const data = e.data as { ticketId: string; partnerId?: string };
      if (data.partnerId !== undefined) partners.set(data.ticketId, data.partnerId);
      const result = toTicketMessage(e, { partnerId: partners.get(data.ticketId)! });
      if (result.kind === 'message') messages.push(result.message);
    }

    // Warm-up (JIT, connections, first group/topic creations) with a slice of the work, for both contenders:
    // the bare producer sends 2000 messages, and a relay publishes the last 2000 events (its checkpoint set
    // just before them), so the store reads, the mapping and the store's LISTEN connection are warm too.
    await bareProducer(kafka, messages.slice(0, 2000), topic('warmup'));
    const warmRelay = topic('warmup-relay');
    const warmFrom = events.at(-2001);
    if (warmFrom) await checkpoints.save(warmRelay.name, warmFrom.globalPosition);
    await relayRun(kafka, store, checkpoints, warmRelay, last, Math.min(2000, events.length));

    const bare: number[] = [];
    const relayed: number[] = [];
    // a b b a a b: drift and neighbours' load hit both contenders alike.
    for (const [round, order] of (['ab', 'ba', 'ab'] as const).entries()) {
      for (const who of order) {
        if (who === 'a') bare.push(await bareProducer(kafka, messages, topic(`bare${round}`)));
        else
          relayed.push(
            await relayRun(kafka, store, checkpoints, topic(`relay${round}`), last, messages.length),
          );
      }
    }
    const a = Math.max(...bare);
    const b = Math.max(...relayed);
    console.log(
      `\nthroughput, ${messages.length} events, batches of ${batchSize} (best of 3; all runs: bare ${bare.map((x) => x.toFixed(0)).join(', ')}; relay ${relayed.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(`  (a) bare kafkajs producer   ${a.toFixed(0).padStart(8)} events/s`);
    console.log(`  (b) relay store → Kafka     ${b.toFixed(0).padStart(8)} events/s`);
    console.log(
      `  b/a = ${(b / a).toFixed(2)} best of each, ${(median(relayed) / median(bare)).toFixed(2)} median of each   (target >= 0.70: ${b / a >= 0.7 ? 'met' : 'NOT met'} on the best)`,
    );

    const lat = await latency(kafka, store, checkpoints);
    const p50 = percentile(lat, 50);
    const p99 = percentile(lat, 99);
    console.log(
      `\nlatency store append → consumer receipt, ${lat.length}/${latencyEvents} events at ${latencyRate}/s`,
    );
    console.log(
      `  p50 ${p50.toFixed(1)} ms   p99 ${p99.toFixed(1)} ms   max ${lat.at(-1)?.toFixed(1)} ms   (target p99 <= 200 ms: ${p99 <= 200 ? 'met' : 'NOT met'})`,
    );

    const http = await httpToConsumerLatency(kafka, brokers, topic('http'), httpCommands, httpRate);
    const h50 = percentile(http, 50);
    const h99 = percentile(http, 99);
    console.log(
      `\nlatency HTTP response (POST /tickets) → consumer receipt of its last event, ${http.length}/${httpCommands} commands at ${httpRate}/s`,
    );
    console.log(
      `  p50 ${h50.toFixed(1)} ms   p99 ${h99.toFixed(1)} ms   max ${http.at(-1)?.toFixed(1)} ms   (negative: received before the response; target p99 <= 200 ms: ${h99 <= 200 ? 'met' : 'NOT met'})`,
    );
  } finally {
    await checkpoints.close();
    await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await store.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: topics.map((t) => t.name) }).catch(() => undefined);
    await admin.disconnect();
    if (managed)
      execFileSync(
        'bash',
        [join(__dirname, '..', '..', 'scripts', 'kafka', 'kafka.sh'), 'release', String(process.pid)],
        { stdio: 'inherit' },
      );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
