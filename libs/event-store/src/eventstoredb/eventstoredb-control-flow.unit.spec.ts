/**
 * Tests of the EventStoreDB adapter's OWN logic (ordering of events vs caughtUp, an error before the loop,
 * unsubscribe on error, bounded reads; appends with exact revisions, the hash chain in metadata, `$` keys,
 * conflict read-back, batching, old servers, close) against a scripted stand-in for `@kurrent/kurrentdb-client`.
 * They are not a substitute for the contract suite on a real KurrentDB node
 * (`eventstoredb-event-store.int.spec.ts` with EVENTSTORE_URL), which stays the definition of done: the
 * stand-in only mimics what the client's sources show (a Transform stream that emits 'caughtUp' when the
 * server's message enters it, 'error' as soon as the call fails, `unsubscribe()` cancelling the call, and a
 * `readAll` async iterator without a way to cancel the server-side read).
 */
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

import { BACKWARDS, END, NO_STREAM, START, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';

import { DuplicateEventIdError, StoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import { chainHash, eventContent } from '../shared/hash-chain';
import { EventStoreDbEventStore, KurrentDbServerTooOldError } from './eventstoredb-event-store';

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

interface FakeStored {
  event: {
    id: string;
    type: string;
    streamId: string;
    revision: bigint;
    isJson: boolean;
    data: unknown;
    metadata: Record<string, unknown>;
    created: Date;
    position?: FakePosition;
  };
}

interface ProposedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * A stand-in for a node's streams, as far as the adapter's append path needs one: exact-revision and
 * NO_STREAM checks, the server's id check right after an exact expectation (acknowledged without position,
 * content never compared), readStream forwards/backwards, readAll over everything appended.
 */
function fakeServer(options: { positions?: boolean } = {}) {
  const log: FakeStored[] = [];
  const streams = new Map<string, FakeStored[]>();
  const appends: { stream: string; streamState: unknown; events: ProposedEvent[] }[] = [];
  const streamReads: { stream: string; maxCount: number | bigint | undefined }[] = [];
  const channel = {
    closed: 0,
    close() {
      this.closed++;
    },
  };
  let disposed = 0;
  let channelAsked = 0;
  const client = {
    appends,
    streamReads,
    streams,
    channel,
    disposed: () => disposed,
    channelAsked: () => channelAsked,
    appendToStream(stream: string, events: ProposedEvent[], { streamState }: { streamState: unknown }) {
      appends.push({ stream, streamState, events });
      const current = streams.get(stream) ?? [];
      const head = current.length - 1;
      const expected = streamState === NO_STREAM ? -1 : Number(streamState);
      if (typeof streamState !== 'bigint' && streamState !== NO_STREAM)
        throw new Error(
          `the adapter sent ${String(streamState)}: only exact revisions or NO_STREAM expected`,
        );
      if (expected < head) {
        const at = current.slice(expected + 1, expected + 1 + events.length);
        if (at.length === events.length && at.every((s, i) => s.event.id === events[i]?.id))
          return Promise.resolve({ success: true, nextExpectedRevision: BigInt(expected + events.length) });
      }
      if (expected !== head)
        return Promise.reject(
          new WrongExpectedVersionError(undefined, {
            streamName: stream,
            expected: streamState,
            current: head === -1 ? NO_STREAM : BigInt(head),
          }),
        );
      for (const e of events) {
        const at = BigInt((log.length + 1) * 100);
        const stored: FakeStored = {
          event: {
            id: e.id,
            type: e.type,
            streamId: stream,
            revision: BigInt(current.length),
            isJson: true,
            data: e.data,
            metadata: e.metadata,
            created: new Date(0),
            ...(options.positions === false ? {} : { position: { commit: at, prepare: at } }),
          },
        };
        current.push(stored);
        log.push(stored);
      }
      streams.set(stream, current);
      const last = log[log.length - 1]!.event.position;
      return Promise.resolve({
        success: true,
        nextExpectedRevision: BigInt(current.length - 1),
        ...(last ? { position: last } : {}),
      });
    },
    readStream(
      stream: string,
      o: { direction?: unknown; fromRevision?: unknown; maxCount?: number | bigint } = {},
    ) {
      streamReads.push({ stream, maxCount: o.maxCount });
      const all = streams.get(stream) ?? [];
      const backwards = o.direction === BACKWARDS;
      let rows = backwards ? [...all].reverse() : all;
      if (typeof o.fromRevision === 'bigint') {
        const from = o.fromRevision;
        rows = rows.filter((r) => (backwards ? r.event.revision <= from : r.event.revision >= from));
      }
      const limited = rows.slice(0, Number(o.maxCount ?? Number.MAX_SAFE_INTEGER));
      return (async function* () {
        for (const row of limited) {
          await Promise.resolve(); // one row per turn, like the client's bridge
          yield row;
        }
      })();
    },
    readAll(o: { direction?: unknown; fromPosition?: unknown; maxCount?: number | bigint } = {}) {
      const backwards = o.direction === BACKWARDS;
      let rows = backwards ? [...log].reverse() : log;
      const from = o.fromPosition as FakePosition | undefined;
      if (from && typeof from === 'object' && 'commit' in from)
        rows = rows.filter((r) => (r.event.position?.commit ?? 0n) >= from.commit);
      const limited = rows.slice(0, Number(o.maxCount ?? Number.MAX_SAFE_INTEGER));
      return (async function* () {
        for (const row of limited) {
          await Promise.resolve(); // one row per turn, like the client's bridge
          yield row;
        }
      })();
    },
    dispose: () => {
      disposed++;
      return Promise.resolve();
    },
    getChannel: () => {
      channelAsked++;
      return Promise.resolve(channel);
    },
  };
  return client;
}

function storeOn(client: ReturnType<typeof fakeServer>, window?: number): EventStoreDbEventStore {
  const store = new EventStoreDbEventStore({
    connectionString: 'kurrentdb://127.0.0.1:1?tls=false',
    ...(window === undefined ? {} : { idempotencyWindow: window }),
  });
  Object.defineProperty(store, 'client', { value: client });
  return store;
}

let seq = 0;
function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  seq++;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    type: 'TicketOpened',
    schemaVersion: 2,
    data: { n: seq },
    metadata: { correlationId: `c-${seq}`, actor: 'partner:P-001' },
    ...overrides,
  };
}

describe('EventStoreDB adapter logic: appends, hash chain, metadata, batching, close (scripted stand-in)', () => {
  it('stores the hash chain in metadata ($hash), computed as on PostgreSQL, chained across appends', async () => {
    const client = fakeServer();
    const store = storeOn(client);
    const a = [newEvent(), newEvent()];
    const b = newEvent();
    await store.appendToStream('s', a, { expectedRevision: 'no_stream' });
    await store.appendToStream('s', [b], { expectedRevision: 1 });
    const sent = client.appends.flatMap((x) => x.events);
    let previous = '';
    [...a, b].forEach((e, revision) => {
      previous = chainHash(previous, 's', revision, eventContent(e));
      expect(sent[revision]?.metadata['$hash']).toBe(previous);
      expect(sent[revision]?.metadata['$schemaVersion']).toBe(2);
    });
    expect(await store.verifyChains()).toEqual({ events: 3, streams: 1 });
    expect(await store.verifyChains({ stream: 's' })).toEqual({ events: 3, streams: 1 });
  });

  it('verify names the first event whose stored content no longer matches its hash', async () => {
    const client = fakeServer();
    const store = storeOn(client);
    await store.appendToStream('s', [newEvent(), newEvent(), newEvent()]);
    await store.appendToStream('t', [newEvent()]);
    client.streams.get('s')![1]!.event.data = { n: 'TAMPERED' };
    const report = await store.verifyChains();
    expect(report.broken?.reason).toBe('hash-mismatch');
    expect(report.broken?.event.stream).toBe('s');
    expect(report.broken?.event.revision).toBe(1);
    expect((await store.verifyChains({ stream: 't' })).broken).toBeUndefined();
  });

  it("'any' is sent as the exact head revision, and a retry found in the stream's tail is not sent again", async () => {
    const client = fakeServer();
    const store = storeOn(client);
    await store.appendToStream('s', [newEvent()]);
    const batch = [newEvent(), newEvent()];
    const first = await store.appendToStream('s', batch, { expectedRevision: 'any' });
    await store.appendToStream('s', [newEvent()], { expectedRevision: 'stream_exists' });
    expect(client.appends.map((x) => x.streamState)).toEqual([NO_STREAM, 0n, 2n]);
    const retry = await store.appendToStream('s', batch, { expectedRevision: 'any' });
    expect(retry).toEqual(first);
    expect(client.appends).toHaveLength(3);
    expect(client.streams.get('s')).toHaveLength(4);
  });

  it("'any' plans again from the new head when another writer moved it in between", async () => {
    const client = fakeServer();
    const store = storeOn(client);
    await store.appendToStream('s', [newEvent()]);
    const append = client.appendToStream.bind(client);
    let raced = false;
    client.appendToStream = (stream, events, o) => {
      if (!raced) {
        raced = true; // another writer lands first
        void append(
          stream,
          [{ id: '00000000-0000-4000-8000-999999999999', type: 'X', data: {}, metadata: {} }],
          o,
        );
      }
      return append(stream, events, o);
    };
    const result = await store.appendToStream('s', [newEvent()], { expectedRevision: 'any' });
    expect(result.nextExpectedRevision).toBe(2);
    expect(client.appends.map((x) => x.streamState)).toEqual([NO_STREAM, 0n, 0n, 1n]);
  });

  it('a retry with other content is refused (DuplicateEventIdError), by the tail search or the read-back', async () => {
    const client = fakeServer();
    const store = storeOn(client);
    const original = newEvent();
    await store.appendToStream('s', [original], { expectedRevision: 'no_stream' });
    const changed = { ...original, data: { other: true } };
    await expect(store.appendToStream('s', [changed])).rejects.toBeInstanceOf(DuplicateEventIdError);
    // Exact expectation: the server acknowledges the ids without looking at content; the read-back refuses.
    await expect(
      store.appendToStream('s', [changed], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(DuplicateEventIdError);
    expect(client.streams.get('s')).toHaveLength(1);
  });

  it('a conflict reads back only the batch’s revisions, never a window of 1,000 events', async () => {
    const client = fakeServer();
    const store = storeOn(client);
    await store.appendToStream(
      's',
      Array.from({ length: 30 }, () => newEvent()),
    );
    client.streamReads.length = 0;
    await expect(
      store.appendToStream('s', [newEvent(), newEvent()], { expectedRevision: 5 }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(client.streamReads.length).toBeGreaterThan(0);
    expect(client.streamReads.every((r) => Number(r.maxCount) <= 2)).toBe(true);
  });

  it('caller metadata keys starting with $ are stored escaped ($$) and come back unchanged', async () => {
    const client = fakeServer();
    const store = storeOn(client);
    const metadata = { correlationId: 'c', actor: 'a', $custom: 1, $$two: 2, $hash: 'mine' };
    const event = newEvent({ metadata });
    const first = await store.appendToStream('s', [event]);
    const sent = client.appends[0]!.events[0]!.metadata;
    expect(sent).toMatchObject({ $$custom: 1, $$$two: 2, $$hash: 'mine', $correlationId: 'c' });
    expect(sent['$hash']).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.readStream('s'))[0]?.metadata).toEqual(metadata);
    // The read-back compares with what the caller sent: a retry is recognised, not a DuplicateEventIdError.
    expect(await store.appendToStream('s', [event], { expectedRevision: 'no_stream' })).toEqual(first);
  });

  it('an event without a commit position (EventStoreDB before 22.6) is refused with a clear error, never -1', async () => {
    const client = fakeServer({ positions: false });
    const store = storeOn(client);
    await expect(store.appendToStream('s', [newEvent()])).rejects.toBeInstanceOf(KurrentDbServerTooOldError);
    await expect(store.readStream('s')).rejects.toThrow(/22\.6/);
  });

  it('an unreachable node becomes StoreUnavailableError (append: outcome unknown)', async () => {
    const client = fakeServer();
    const store = storeOn(client);
    client.appendToStream = () =>
      Promise.reject(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }));
    const error = await store.appendToStream('s', [newEvent()], { expectedRevision: 'no_stream' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).outcomeUnknown).toBe(true);
  });

  it('close() disposes the client and closes its gRPC channel; asks for no channel when none was used', async () => {
    const used = fakeServer();
    const store = storeOn(used);
    await store.appendToStream('s', [newEvent()]);
    await store.close();
    expect(used.disposed()).toBe(1);
    expect(used.channel.closed).toBe(1);

    const unused = fakeServer();
    const reader = storeOn(unused);
    await reader.readStream('s');
    await reader.close();
    expect(unused.disposed()).toBe(1);
    expect(unused.channelAsked()).toBe(0);
  });
});

describe('EventStoreDB adapter logic: subscription batches (scripted stand-in)', () => {
  it('events arriving one message at a time are handed over batchSize at once, the rest when caught up', async () => {
    const client = fakeClient(10);
    const store = storeWith(client);
    const sizes: number[] = [];
    const subscription = store.subscribeToAll(
      (batch) => {
        sizes.push(batch.length);
        return Promise.resolve();
      },
      { batchSize: 4 },
    );
    await until(() => client.subscriptions.length === 1);
    const sub = client.subscriptions[0]!;
    // As the gRPC stream delivers them: one event per message, each in its own turn of the event loop.
    for (let i = 0; i < 10; i++) {
      sub.write(resolved(i));
      await new Promise((r) => setImmediate(r));
    }
    await subscription.caughtUp;
    expect(sizes).toEqual([4, 4, 2]);
    await subscription.stop();
  });

  it('a lone live event is handed over after a short linger, not held for a full batch', async () => {
    const client = fakeClient(1);
    const store = storeWith(client);
    const seen: number[] = [];
    const subscription = store.subscribeToAll(
      (batch) => {
        seen.push(...batch.map((e) => e.revision));
        return Promise.resolve();
      },
      { batchSize: 100 },
    );
    await until(() => client.subscriptions.length === 1);
    client.subscriptions[0]!.write(resolved(0));
    await subscription.caughtUp;
    client.subscriptions[0]!.write(resolved(1));
    await until(() => seen.length === 2);
    expect(seen).toEqual([0, 1]);
    await subscription.stop();
  });
});
