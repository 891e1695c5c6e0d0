import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  anEvent,
  collectInto,
  eventStoreContract,
  expectGapless,
  expectStreamOrder,
} from '../contract/event-store.contract';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { MIGRATIONS } from './migrations';
import { PostgresEventStore } from './postgres-event-store';
import { dropSchemas, randomSchema, until } from '../testing';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = randomSchema('server');
const stores: PostgresEventStore[] = [];

/** Subscriptions read pages of max(batchSize, 500) events; these tests need several full pages. */
const PAGE = 500;

function some(n: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => anEvent({ data: { i } }));
}

eventStoreContract('PostgreSQL server', () =>
  Promise.resolve({
    create: (options = {}) =>
      PostgresEventStore.create({ connectionString: url, schema, maxConnections: 6, ...options }),
    teardown: () => dropSchemas(url, schema),
  }),
);

describe('PostgreSQL adapter specifics', () => {
  const own = randomSchema('pgspec');
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.create({ connectionString: url, schema: own, maxConnections: 4 });
    stores.push(store);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dropSchemas(url, own);
  });

  it('migrates idempotently when several processes start at once', async () => {
    const more = await Promise.all(
      [1, 2, 3].map(() =>
        PostgresEventStore.create({ connectionString: url, schema: own, maxConnections: 1 }),
      ),
    );
    stores.push(...more);
    const { rows } = await store.pool.query<{ version: number }>(
      `SELECT version FROM "${own}".migrations ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('answers concurrent whole-stream reads from shared statements, each with its own stream', async () => {
    const streams = Array.from({ length: 6 }, () => `read-${randomUUID()}`);
    for (const [i, stream] of streams.entries())
      await store.appendToStream(stream, some(i + 1), { expectedRevision: 'no_stream' });
    const statements: string[] = [];
    const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => unknown;
    const spy = jest.spyOn(store.pool, 'query').mockImplementation((...args: unknown[]) => {
      statements.push(String(args[0]));
      return query(...args);
    });
    try {
      // Every stream twice, plus one that does not exist, all at once.
      const asked = [...streams, ...streams, `read-${randomUUID()}`];
      const answers = await Promise.all(asked.map((stream) => store.readStream(stream)));
      answers.forEach((events, i) => {
        const index = streams.indexOf(asked[i] ?? '');
        expect(events.map((e) => [e.stream, e.revision])).toEqual(
          Array.from({ length: index + 1 }, (_, r) => [asked[i], r]),
        );
      });
      const reads = statements.filter((sql) => sql.includes('stream = ANY($1::text[])'));
      // 13 reads: the first goes alone, the others wait for it and share; two may be in flight at once.
      expect(reads.length).toBeGreaterThanOrEqual(1);
      expect(reads.length).toBeLessThanOrEqual(3);
      // A partial read still gets its own statement.
      const tail = await store.readStream(streams[5] ?? '', { fromRevision: 4 });
      expect(tail.map((e) => e.revision)).toEqual([4, 5]);
    } finally {
      spy.mockRestore();
    }
  });

  it('chains hashes per stream and finds the first tampered event', async () => {
    const stream = `chain-${randomUUID()}`;
    await store.appendToStream(stream, [anEvent(), anEvent()]);
    await store.appendToStream(stream, [anEvent({ data: { b: 1, a: [1, { z: 'é', y: null }] } })]);
    expect(await store.verifyStreamChain(stream)).toBeUndefined();
    expect(await store.verifyAll()).toBeUndefined();

    await store.pool.query(
      `UPDATE "${own}".events SET data = '{"forged": true}' WHERE stream = $1 AND revision = 1`,
      [stream],
    );
    const broken = await store.verifyStreamChain(stream);
    expect(broken?.event.revision).toBe(1);
    expect(broken?.reason).toBe('hash-mismatch');
    expect((await store.verifyAll())?.event.stream).toBe(stream);
  });

  describe('subscription read-ahead (the next page is read while a full page is handed over)', () => {
    it('hands over a backlog of several full pages whole, in order, once', async () => {
      const prefix = `ahead-${randomUUID()}-`;
      for (let i = 0; i < 3; i++) await store.appendToStream(`${prefix}${i}`, some(PAGE - 50));
      const stored = await store.readAll({ filter: { streamPrefixes: [prefix] }, maxCount: 10 * PAGE });
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(collectInto(seen), {
        filter: { streamPrefixes: [prefix] },
        batchSize: 100,
      });
      await subscription.caughtUp;
      await subscription.stop();
      expectGapless(seen, stored);
      expect(subscription.position()).toBe(stored.at(-1)?.globalPosition);
    });

    it('a stop during the hand-over ends it: no batch after the stop, no error, the read ahead dropped', async () => {
      const prefix = `ahead-stop-${randomUUID()}-`;
      for (let i = 0; i < 3; i++) await store.appendToStream(`${prefix}${i}`, some(PAGE));
      const seen: RecordedEvent[] = [];
      const errors: unknown[] = [];
      let midway: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => (midway = resolve));
      const subscription = store.subscribeToAll(
        async (batch) => {
          seen.push(...batch);
          if (seen.length === PAGE + 100) midway(); // second page, the third being read ahead
          await sleep(1);
        },
        { filter: { streamPrefixes: [prefix] }, batchSize: 100, onError: (error) => errors.push(error) },
      );
      await reached;
      await subscription.stop();
      const handed = seen.length;
      expect(handed).toBeLessThan(3 * PAGE);
      expect(subscription.position()).toBe(seen.at(-1)?.globalPosition);
      await sleep(100);
      expect(seen).toHaveLength(handed);
      expect(errors).toEqual([]);
    });

    it('keeps a wake-up that arrives while a full page is handed over (the page after it was read before the commit)', async () => {
      // Only the in-process wake-up of its own append delivers promptly here: no LISTEN (whose later NOTIFY would
      // wake the loop a second time), and the fallback poll is a minute.
      const reader = await PostgresEventStore.create({
        connectionString: url,
        schema: own,
        maxConnections: 3,
        notifications: 'poll',
        pollIntervalMs: 60_000,
      });
      stores.push(reader);
      const prefix = `ahead-wake-${randomUUID()}-`;
      await reader.appendToStream(`${prefix}backlog`, some(PAGE + 20));
      const late = anEvent();
      const seen: string[] = [];
      let appendedLate = false;
      const subscription = reader.subscribeToAll(
        async (batch) => {
          seen.push(...batch.map((e) => e.id));
          if (!appendedLate) {
            appendedLate = true;
            // The short second page is being read ahead meanwhile; it is done long before this commit, so
            // only the wake-up of this append (kept for after the hand-over) brings the event.
            await sleep(200);
            await reader.appendToStream(`${prefix}late`, [late]);
          }
        },
        { filter: { streamPrefixes: [prefix] }, batchSize: PAGE },
      );
      try {
        await until(() => seen.includes(late.id), 'the event appended during the hand-over');
        expect(seen).toHaveLength(PAGE + 20 + 1);
      } finally {
        await subscription.stop();
      }
    });

    it('gap safety holds across read-ahead: a backlog read page after page while slow transactions commit late', async () => {
      const slow = await PostgresEventStore.create({
        connectionString: url,
        schema: own,
        maxConnections: 6,
        holdAppendTransactionMs: (stream) =>
          stream.endsWith('-slow') ? 30 + Math.floor(Math.random() * 120) : 0,
      });
      stores.push(slow);
      const prefix = `ahead-gap-${randomUUID()}-`;
      await store.appendToStream(`${prefix}backlog`, some(2 * PAGE + 10));
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(
        async (batch) => {
          seen.push(...batch);
          await sleep(2); // a handler that takes a while, so writers commit during hand-overs
        },
        { filter: { streamPrefixes: [prefix] }, batchSize: 50 },
      );
      try {
        const writers = 8;
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < 5; i++) {
              await slow.appendToStream(
                `${prefix}w${w}${w % 3 === 0 ? '-slow' : ''}`,
                some(20 + (i % 3) * 20),
              );
            }
          }),
        );
        const stored = await store.readAll({ filter: { streamPrefixes: [prefix] }, maxCount: 10 * PAGE });
        expect(stored).toHaveLength(2 * PAGE + 10 + writers * (20 + 40 + 60 + 20 + 40));
        await until(() => seen.length >= stored.length, 'every stored event');
        await sleep(50);
        expectGapless(seen, stored);
        expectStreamOrder(seen);
      } finally {
        await subscription.stop();
      }
    }, 60_000);
  });

  it('wakes a subscriber in another process through LISTEN/NOTIFY, not the slow poll', async () => {
    // A second store object stands for another process: it shares no in-process wake-up with the writer.
    const reader = await PostgresEventStore.create({
      connectionString: url,
      schema: own,
      maxConnections: 2,
      pollIntervalMs: 60_000,
    });
    stores.push(reader);
    const stream = `notify-${randomUUID()}`;
    const seen: string[] = [];
    const subscription = reader.subscribeToAll(
      (batch) => {
        seen.push(...batch.map((e) => e.id));
        return Promise.resolve();
      },
      { filter: { streamPrefixes: [stream] } },
    );
    await subscription.caughtUp;
    const event = anEvent();
    const started = Date.now();
    await store.appendToStream(stream, [event]);
    while (seen.length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 10));
    await subscription.stop();
    expect(seen).toEqual([event.id]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
