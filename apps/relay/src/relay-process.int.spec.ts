/**
 * The relay as a real process, killed with SIGKILL mid-stream and started again: every event reaches Kafka
 * at least once, one ticket's events stay in order, and the only duplicates are events after the checkpoint
 * the killed process had written (its unacknowledged batch).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { PostgresEventStore } from '@app/event-store';
import { createKafka, runTicketEventConsumer, type TicketEventEnvelope } from '@app/messaging';
import {
  appendInterleavedStories,
  byKey,
  consumeUntil,
  deleteTestTopic,
  firstDeliveries,
  randomSuffix,
  testKafkaBrokers,
  testTopic,
} from '@app/messaging/testing';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const root = join(__dirname, '..', '..', '..');
const BATCH = 10;

describe('relay process killed with SIGKILL mid-stream', () => {
  const schema = `msg_crash_${randomSuffix()}`;
  const topic = testTopic('crash', 3);
  let store: PostgresEventStore;
  const children: ChildProcess[] = [];

  function startRelay(): ChildProcess {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/relay/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: url,
        EVENT_STORE_SCHEMA: schema,
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        KAFKA_TOPIC: topic.name,
        KAFKA_TOPIC_PARTITIONS: String(topic.partitions),
        RELAY_BATCH_SIZE: String(BATCH),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }

  async function checkpoint(): Promise<number | undefined> {
    const { rows } = await store.pool
      .query<{ position: string }>(
        `SELECT position FROM "${schema}".relay_checkpoint WHERE name = 'kafka-tickets'`,
      )
      .catch(() => ({ rows: [] as { position: string }[] }));
    return rows[0] ? Number(rows[0].position) : undefined;
  }

  beforeAll(async () => {
    store = await PostgresEventStore.create({ connectionString: url, schema, maxConnections: 8 });
  });

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store.close();
    const cleanup = await PostgresEventStore.create({ connectionString: url, schema, maxConnections: 1 });
    await cleanup.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.close();
    await deleteTestTopic(topic);
  }, 30_000);

  it('delivers every event at least once, in per-ticket order, duplicating only the unacknowledged batch', async () => {
    const appended = await appendInterleavedStories(store, 150);
    const stored = await store.readAll({ filter: { streamPrefixes: ['ticket-'] }, maxCount: 10_000 });
    const last = stored.at(-1)!.globalPosition;
    const positionOf = new Map(stored.map((e) => [e.id, e.globalPosition]));

    const first = startRelay();
    const exited = new Promise((resolve) => first.once('exit', resolve));
    // Kill as soon as the relay has acknowledged something: it is then mid-way through ~1,000 events.
    for (let seen = await checkpoint(); seen === undefined; seen = await checkpoint()) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // …after a random moment, so the kill may land in the middle of a send (then that batch comes twice).
    await new Promise((r) => setTimeout(r, Math.random() * 40));
    first.kill('SIGKILL');
    await exited;
    const atKill = (await checkpoint())!;
    expect(atKill).toBeLessThan(last); // really mid-stream

    const second = startRelay();
    const deadline = Date.now() + 60_000;
    while ((await checkpoint()) !== last) {
      if (Date.now() > deadline) throw new Error(`restarted relay did not reach ${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    second.kill('SIGTERM');

    const received = await consumeUntil(topic.name, stored.length, { quietMs: 1500 });
    const unique = firstDeliveries(received);
    expect(new Set(unique.map((m) => m.headers['ce_id']))).toEqual(new Set(stored.map((e) => e.id)));
    for (const [ticketId, messages] of byKey(unique))
      expect(messages.map((m) => m.headers['ce_id'])).toEqual(appended.get(ticketId));
    const duplicates = received.length - unique.length;
    expect(duplicates).toBeLessThanOrEqual(BATCH);
    const duplicateIds = received.filter(
      (m, i) => received.findIndex((o) => o.headers['ce_id'] === m.headers['ce_id']) !== i,
    );
    for (const m of duplicateIds) expect(positionOf.get(m.headers['ce_id']!)!).toBeGreaterThan(atKill);

    // The example consumer's duplicate dropping: its handler sees each event once, per ticket in order.
    const seen: TicketEventEnvelope[] = [];
    const consumer = await runTicketEventConsumer({
      kafka: createKafka({ brokers: testKafkaBrokers(), clientId: 'crash-test-consumer' }, { logLevel: 0 }),
      topic: topic.name,
      groupId: `crash-test-${randomSuffix()}`,
      fromBeginning: true,
      handle: (event) => {
        seen.push(event);
        return Promise.resolve();
      },
    });
    const until = Date.now() + 30_000;
    while (
      consumer.stats().handled + consumer.stats().duplicatesDropped < received.length &&
      Date.now() < until
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await consumer.stop();
    expect(consumer.stats()).toEqual({ handled: stored.length, duplicatesDropped: duplicates });
    for (const [ticketId, ids] of appended) {
      expect(seen.filter((e) => e.ticketId === ticketId).map((e) => e.ticketRevision)).toEqual(
        ids.map((_, i) => i),
      );
    }
  });
});
