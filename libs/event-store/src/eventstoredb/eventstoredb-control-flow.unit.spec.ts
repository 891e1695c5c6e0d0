/**
 * Tests of the EventStoreDB adapter's OWN control flow (ordering of events vs caughtUp, an error before the
 * loop, unsubscribe on error, bounded reads) against a scripted stand-in for `@kurrent/kurrentdb-client`.
 * They are not a substitute for the contract suite on a real KurrentDB node
 * (`eventstoredb-event-store.int.spec.ts` with EVENTSTORE_URL), which stays the definition of done: the
 * stand-in only mimics what the client's sources show (a Transform stream that emits 'caughtUp' when the
 * server's message enters it, 'error' as soon as the call fails, `unsubscribe()` cancelling the call, and a
 * `readAll` async iterator without a way to cancel the server-side read).
 */
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { BACKWARDS, END, START } from '@kurrent/kurrentdb-client';

import type { RecordedEvent } from '../event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

interface FakePosition {
  commit: bigint;
  prepare: bigint;
}

function resolved(i: number, stream = 's-1'): { event: Record<string, unknown> } {
  const at = BigInt((i + 1) * 100);
  return {
    event: {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'TicketOpened',
      streamId: stream,
      revision: BigInt(i),
      isJson: true,
      data: { i },
      metadata: { correlationId: 'c', actor: 'a', $schemaVersion: 1 },
      created: new Date(0),
      position: { commit: at, prepare: at },
    },
  };
}

class FakeSubscription extends PassThrough {
  unsubscribed = 0;
  constructor() {
    super({ objectMode: true });
  }
  unsubscribe(): Promise<void> {
    this.unsubscribed++;
    return Promise.resolve();
  }
}

/** A stand-in for the client's readAll/subscribeToAll over a fixed log of `count` events. */
function fakeClient(count: number) {
  const log = Array.from({ length: count }, (_, i) => resolved(i));
  const reads: { maxCount: number | bigint | undefined; from: unknown; direction: unknown }[] = [];
  const subscriptions: FakeSubscription[] = [];
  let served = 0;
  return {
    reads,
    subscriptions,
    servedEvents: () => served,
    readAll(options: {
      direction?: unknown;
      fromPosition?: typeof START | typeof END | FakePosition;
      maxCount?: number | bigint;
    }) {
      reads.push({ maxCount: options.maxCount, from: options.fromPosition, direction: options.direction });
      const backwards = options.direction === BACKWARDS;
      const from = options.fromPosition;
      let rows = backwards ? [...log].reverse() : log;
      if (from !== undefined && from !== START && from !== END) {
        rows = rows.filter((r) => (r.event['position'] as FakePosition).commit >= from.commit);
      }
      const limited = rows.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
      return (async function* () {
        for (const row of limited) {
          await Promise.resolve(); // one row per turn, like the client's bridge
          served++;
          yield row;
        }
      })();
    },
    subscribeToAll() {
      const subscription = new FakeSubscription();
      subscriptions.push(subscription);
      return subscription;
    },
    dispose: () => Promise.resolve(),
  };
}

function storeWith(client: ReturnType<typeof fakeClient>): EventStoreDbEventStore {
  const store = new EventStoreDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:1?tls=false' });
  Object.defineProperty(store, 'client', { value: client });
  return store;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(5);
  expect(check()).toBe(true);
}

describe('EventStoreDB adapter control flow (scripted client stand-in, not a real node)', () => {
  it('caughtUp waits until the handler has processed the events committed at start, whatever the client emits', async () => {
    const client = fakeClient(3);
    const store = storeWith(client);
    const handled: number[] = [];
    const subscription = store.subscribeToAll(
      async (batch: readonly RecordedEvent[]) => {
        await sleep(20);
        handled.push(...batch.map((e) => e.revision));
      },
      { batchSize: 1 },
    );
    let caughtUp = false;
    void subscription.caughtUp.then(() => (caughtUp = true));
    await until(() => client.subscriptions.length === 1);
    const sub = client.subscriptions[0]!;
    for (let i = 0; i < 3; i++) sub.write(resolved(i));
    sub.emit('caughtUp', {}); // the client's event, ahead of the buffered events
    await sleep(10);
    expect(caughtUp).toBe(false);
    await subscription.caughtUp;
    expect(handled).toEqual([0, 1, 2]);
    await subscription.stop();
  });

  it("an 'error' before the loop starts reaches onError once, rejects caughtUp, unsubscribes, no crash", async () => {
    const client = fakeClient(2);
    const store = storeWith(client);
    const errors: unknown[] = [];
    const subscription = store.subscribeToAll(() => Promise.resolve(), {
      onError: (error) => errors.push(error),
    });
    await until(() => client.subscriptions.length === 1);
    const failure = new Error('access denied');
    client.subscriptions[0]!.emit('error', failure);
    await expect(subscription.caughtUp).rejects.toBe(failure);
    await sleep(20);
    expect(errors).toEqual([failure]);
    expect(client.subscriptions[0]!.unsubscribed).toBe(1);
    await subscription.stop();
  });

  it('a handler failure unsubscribes server-side and reports once', async () => {
    const client = fakeClient(2);
    const store = storeWith(client);
    const errors: unknown[] = [];
    const failure = new Error('projection failed');
    const subscription = store.subscribeToAll(() => Promise.reject(failure), {
      onError: (error) => errors.push(error),
    });
    await until(() => client.subscriptions.length === 1);
    client.subscriptions[0]!.write(resolved(0));
    await expect(subscription.caughtUp).rejects.toBe(failure);
    await sleep(20);
    expect(errors).toEqual([failure]);
    expect(client.subscriptions[0]!.unsubscribed).toBeGreaterThanOrEqual(1);
  });

  it('readAll asks for what it needs, never Number.MAX_SAFE_INTEGER, and reads no further', async () => {
    const client = fakeClient(50);
    const store = storeWith(client);
    const events = await store.readAll({ maxCount: 3 });
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
    expect(client.reads.every((r) => r.maxCount !== Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(client.servedEvents()).toBeLessThanOrEqual(4);
  });

  it('readAll after a number that is not a position: strictly after it', async () => {
    const client = fakeClient(5);
    const store = storeWith(client);
    // 250 lies between the positions 200 and 300; the stand-in has no record there.
    const events = await store.readAll({ after: 250, maxCount: 10 });
    expect(events.map((e) => e.globalPosition)).toEqual([300, 400, 500]);
  });
});
