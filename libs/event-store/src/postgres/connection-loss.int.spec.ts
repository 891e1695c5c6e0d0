import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';

import { anEvent, collectInto } from '../contract/event-store.contract';
import { StoreUnavailableError } from '../errors';
import type { RecordedEvent } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { dropSchemas, randomSchema } from '../testing';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Issue #13: a terminated backend (pg_terminate_backend, a PostgreSQL restart) must neither lose nor double
 * an append, nor silently leave subscribers without wake-ups. Each store here connects with its own
 * application_name, so only its backends are terminated (other suites share the server).
 */
describe('PostgreSQL adapter: lost connections (server)', () => {
  const schema = randomSchema('connloss');
  const admin = new Client({ connectionString: url });
  const stores: PostgresEventStore[] = [];
  const changes: string[] = [];
  const open = async (name: string, pollIntervalMs = 60_000): Promise<PostgresEventStore> => {
    const store = await PostgresEventStore.create({
      connectionString: `${url}?application_name=${name}`,
      schema,
      maxConnections: 4,
      pollIntervalMs,
      onListenerChange: (c) => changes.push(`${name}:${c.state}`),
    });
    stores.push(store);
    return store;
  };
  const terminate = async (name: string, onlyListen = false): Promise<number> => {
    const { rows } = await admin.query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE application_name = $1 AND ($2::boolean = false OR query LIKE 'LISTEN%')`,
      [name, onlyListen],
    );
    return Number(rows[0]?.n);
  };
  async function until(check: () => boolean, what: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(10);
    }
    return Date.now() - started;
  }

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await admin.end();
    await dropSchemas(url, schema);
  });

  it('re-opens a terminated LISTEN connection, reports it, and wakes on the next commit (NOTIFY, not the poll)', async () => {
    const reader = await open('es_connloss_reader');
    const writer = await open('es_connloss_writer');
    const seen: RecordedEvent[] = [];
    const sub = reader.subscribeToAll(collectInto(seen));
    await sub.caughtUp;
    await until(() => reader.connectionStatus().listening, 'LISTEN', 5000);

    expect(await terminate('es_connloss_reader', true)).toBe(1);
    // Bounds here tell mechanisms apart, not speed: the healer retries at once, then after 0.2, 0.5 and 1 s.
    await until(
      () => reader.connectionStatus().restores === 1 && reader.connectionStatus().listening,
      'LISTEN restored',
      5000,
    );
    expect(changes).toEqual(['es_connloss_reader:lost', 'es_connloss_reader:restored']);
    expect(reader.connectionStatus()).toMatchObject({ losses: 1, restores: 1, listening: true });

    // The writer is another store (as another process would be): only NOTIFY can wake the reader, whose
    // fallback poll is a minute away.
    await writer.appendToStream('connloss-a', [anEvent()]);
    // Woken by NOTIFY, not by the fallback poll a minute away (half of it is a wide margin on a loaded machine).
    await until(() => seen.length === 1, 'the reader to see the commit', 30_000);
    await sub.stop();
  });

  it('opens one LISTEN connection, not two, when a subscriber re-opens it while the healer waits to retry', async () => {
    // The healer's first attempt fails (the relay refuses new connections), so it waits 200 ms. Meanwhile the
    // server is reachable again and a new subscription opens the LISTEN connection itself. When the healer
    // wakes it must see that connection and stop, not open a second one (and leak the first).
    let refuse = false;
    let refused = 0;
    const relay = createServer((inbound) => {
      inbound.on('error', () => undefined);
      if (refuse) {
        refused++;
        inbound.destroy();
        return;
      }
      const outbound = connect(5432, '127.0.0.1');
      outbound.on('error', () => undefined);
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const name = 'es_connloss_race';
      const store = await PostgresEventStore.create({
        connectionString: `postgres://postgres@127.0.0.1:${(relay.address() as AddressInfo).port}/test?application_name=${name}`,
        schema,
        maxConnections: 2,
        pollIntervalMs: 60_000,
      });
      stores.push(store);
      const first = store.subscribeToAll(() => Promise.resolve());
      await first.caughtUp;
      await until(() => store.connectionStatus().listening, 'LISTEN', 5000);

      refuse = true;
      expect(await terminate(name, true)).toBe(1);
      await until(
        () => refused >= 1 && !store.connectionStatus().listening,
        'the first re-open to fail',
        2000,
      );
      // Let the refused attempt settle (well inside the healer's 200 ms pause), then open the way again.
      await sleep(50);
      refuse = false;
      const second = store.subscribeToAll(() => Promise.resolve());
      await second.caughtUp;
      await until(() => store.connectionStatus().listening, 'LISTEN re-opened', 3000);

      await sleep(600); // past the healer's 200 ms pause and its would-be second opening
      const { rows } = await admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
        [name],
      );
      expect(Number(rows[0]?.n)).toBe(1);
      await Promise.all([first.stop(), second.stop()]);
    } finally {
      relay.close();
    }
  });

  it('appends whose connection is killed mid-flight are re-sent: each stored exactly once, all acknowledged', async () => {
    const store = await open('es_connloss_appender');
    // Bounded: rounds of 40 concurrent appends with terminations among them, until a termination has hit an
    // append in flight (the store counts the batches it re-sent).
    for (let round = 0; round < 10 && store.connectionStatus().appendRetries === 0; round++) {
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const stream = `connloss-b-${round}-${i}`;
          const events = [anEvent({ data: { i } }), anEvent({ data: { i, second: true } })];
          if (i % 8 === 4) await terminate('es_connloss_appender');
          const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
          return { stream, events, result };
        }),
      );
      for (const o of outcomes) {
        const stored = await store.readStream(o.stream);
        expect(stored.map((e) => e.id)).toEqual(o.events.map((e) => e.id));
        expect(o.result.nextExpectedRevision).toBe(1);
      }
    }
    expect(store.connectionStatus().appendRetries).toBeGreaterThan(0);
  });

  it('gives up with StoreUnavailableError, outcome unknown, when the server stays unreachable', async () => {
    // The store reaches PostgreSQL through a TCP relay that this test then cuts: open sockets die, new
    // connections are refused, as when the database host goes away.
    const sockets = new Set<Socket>();
    const relay = createServer((inbound) => {
      const outbound = connect(5432, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as AddressInfo).port;
    const store = await PostgresEventStore.create({
      connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
      schema,
      maxConnections: 2,
      notifications: 'poll',
    });
    stores.push(store);
    await store.appendToStream('connloss-c', [anEvent()], { expectedRevision: 'no_stream' });
    relay.close();
    for (const s of sockets) s.destroy();
    const error = await store
      .appendToStream('connloss-c', [anEvent()], { expectedRevision: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).outcomeUnknown).toBe(true);
    expect(store.connectionStatus().appendRetries).toBe(4);
    const read = await store.readStream('connloss-c').catch((e: unknown) => e);
    expect(read).toBeInstanceOf(StoreUnavailableError);
  });
});
