/**
 * The broker goes away and comes back (its own broker on its own port, started and stopped by
 * scripts/kafka/kafka.sh, data kept across the restart): the relay reports degraded, keeps its checkpoint,
 * and publishes everything once the broker is back. Nothing is lost.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { PostgresEventStore } from '@app/event-store';
import { until as poll } from '@app/event-store/testing';

import {
  appendInterleavedStories,
  byKey,
  consumeUntil,
  firstDeliveries,
  randomSuffix,
  testKafka,
  testMessagingConfig,
  testTopic,
} from '../testing';
import { createKafkaRelay, type RunningRelay } from './create-relay';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const script = join(__dirname, '..', '..', '..', '..', 'scripts', 'kafka', 'kafka.sh');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePortPair(): Promise<number> {
  for (;;) {
    // Below the ephemeral range (32768+), so no outgoing connection takes the port meanwhile.
    const port = 20_000 + Math.floor(Math.random() * 6_000) * 2;
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
}

function kafkaScript(port: number, ...args: string[]): void {
  execFileSync('bash', [script, ...args], {
    env: { ...process.env, KAFKA_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
}

/** Polls until `check` holds (at most 60 s: a broker restart takes a while). */
const until = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> =>
  poll(check, what, { timeoutMs, intervalMs: 50 });

describe('Kafka relay across a broker restart', () => {
  const schema = `msg_brk_${randomSuffix()}`;
  const topic = testTopic('restart', 3);
  let port: number;
  let brokers: string[];
  let store: PostgresEventStore;
  let running: RunningRelay | undefined;

  beforeAll(async () => {
    port = await freePortPair();
    brokers = [`127.0.0.1:${port}`];
    kafkaScript(port, 'start');
    store = await PostgresEventStore.create({ connectionString: url, schema, maxConnections: 6 });
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await store.close();
    kafkaScript(port, 'stop', '--purge');
  }, 60_000);

  it('reports degraded while the broker is down, keeps its checkpoint, and loses nothing', async () => {
    running = await createKafkaRelay({
      store,
      connectionString: url,
      checkpointSchema: schema,
      config: testMessagingConfig(topic, brokers),
      relay: { batchSize: 50, backoff: { initialMs: 100, maxMs: 500 } },
    });
    const relay = running.relay;
    const before = await appendInterleavedStories(store, 5);
    await relay.start();
    await until(() => relay.status().caughtUp, 'first catch-up');
    const checkpointBefore = relay.status().checkpoint;

    // Idle and caught up: nothing is pending, so the lag is 0 (not the delay of the last batch).
    await until(() => relay.status().lagSeconds === 0, 'lag 0 when caught up', 5_000);

    kafkaScript(port, 'stop');
    const appendedAt = Date.now();
    const during = await appendInterleavedStories(store, 5);
    await until(() => relay.status().state === 'degraded', 'degraded state');
    const report = await relay.report();
    expect(report.status).toBe('degraded');
    expect(report.lastError).toEqual(expect.any(String));
    // Degraded about a second after the first unacknowledged publish (stall threshold 1 s, watchdog tick
    // 0.2 s, plus the subscription's wake-up), not when kafkajs's own retries give up (7–10 s before).
    expect(Date.parse(report.degradedSince!) - appendedAt).toBeLessThan(2_500);
    expect(relay.status().checkpoint).toBe(checkpointBefore);
    // While the broker is away the lag is the age of the oldest waiting event, and it grows.
    const lagDuring = relay.status().lagSeconds;
    expect(lagDuring).toBeGreaterThan(0);
    await until(() => relay.status().lagSeconds > lagDuring, 'lag growing during the outage', 5_000);

    kafkaScript(port, 'start', '--keep-data');
    const stored = await store.readAll({ filter: { streamPrefixes: ['ticket-'] }, maxCount: 10_000 });
    await until(
      () => relay.status().checkpoint === stored.at(-1)!.globalPosition,
      'catch-up after the restart',
    );
    expect(relay.status().state).toBe('running');
    expect(relay.status().degradedSince).toBeNull();
    // Caught up again and idle: the lag returns to 0 instead of staying at the outage's last batch delay.
    await until(() => relay.status().lagSeconds === 0, 'lag back to 0 after the outage', 5_000);

    const received = await consumeUntil(topic.name, stored.length, { kafka: testKafka(brokers) });
    const unique = firstDeliveries(received);
    expect(new Set(unique.map((m) => m.headers['ce_id']))).toEqual(new Set(stored.map((e) => e.id)));
    const expected = new Map([...before, ...during]);
    for (const [ticketId, messages] of byKey(unique))
      expect(messages.map((m) => m.headers['ce_id'])).toEqual(expected.get(ticketId));
  });
});
