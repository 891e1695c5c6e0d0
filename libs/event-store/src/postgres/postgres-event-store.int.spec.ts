import { randomUUID } from 'node:crypto';

import { anEvent, eventStoreContract } from '../contract/event-store.contract';
import { MIGRATIONS } from './migrations';
import { PostgresEventStore } from './postgres-event-store';
import { dropSchema, randomSchema } from './postgres-test-schema';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = randomSchema('server');
const stores: PostgresEventStore[] = [];

eventStoreContract('PostgreSQL server', () =>
  Promise.resolve({
    create: (options = {}) => PostgresEventStore.create({ connectionString: url, schema, maxConnections: 6, ...options }),
    teardown: () => dropSchema(url, schema),
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
    await dropSchema(url, own);
  });

  it('migrates idempotently when several processes start at once', async () => {
    const more = await Promise.all([1, 2, 3].map(() => PostgresEventStore.create({ connectionString: url, schema: own, maxConnections: 1 })));
    stores.push(...more);
    const { rows } = await store.pool.query<{ version: number }>(`SELECT version FROM "${own}".migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('chains hashes per stream and finds the first tampered event', async () => {
    const stream = `chain-${randomUUID()}`;
    await store.appendToStream(stream, [anEvent(), anEvent()]);
    await store.appendToStream(stream, [anEvent({ data: { b: 1, a: [1, { z: 'é', y: null }] } })]);
    expect(await store.verifyStreamChain(stream)).toBeUndefined();
    expect(await store.verifyAll()).toBeUndefined();

    await store.pool.query(`UPDATE "${own}".events SET data = '{"forged": true}' WHERE stream = $1 AND revision = 1`, [stream]);
    const broken = await store.verifyStreamChain(stream);
    expect(broken?.event.revision).toBe(1);
    expect(broken?.reason).toBe('hash-mismatch');
    expect((await store.verifyAll())?.event.stream).toBe(stream);
  });

  it('wakes a subscriber in another process through LISTEN/NOTIFY, not the slow poll', async () => {
    // A second store object stands for another process: it shares no in-process wake-up with the writer.
    const reader = await PostgresEventStore.create({ connectionString: url, schema: own, maxConnections: 2, pollIntervalMs: 60_000 });
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
