/**
 * The one contract every adapter of the event store port passes. Call `eventStoreContract(name, harness)` from
 * an adapter's `*.int.spec.ts`. Tests share one store per suite and isolate themselves by stream-name prefix,
 * because EventStoreDB cannot hand out a fresh database per test.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { DuplicateEventIdError, InvalidEventStoreInputError, WrongExpectedRevisionError } from '../errors';
import type {
  BatchHandler,
  ChainedEvent,
  EventStore,
  JsonValue,
  NewEvent,
  RecordedEvent,
} from '../event-store.port';
import { chainHash, eventContent } from '../shared/hash-chain';
import { tailContract } from './tail.contract';

export interface ContractStoreOptions {
  /** Keep some append transactions open this long (adapters that cannot: ignore it). */
  readonly holdAppendTransactionMs?: (stream: string) => number;
}

export interface ContractHarness {
  /** An open store on this suite's isolated database/schema. */
  create(options?: ContractStoreOptions): Promise<EventStore>;
  /** Drop what the suite created. */
  teardown(): Promise<void>;
  /**
   * Where an adapter keeps a narrower promise than the port's, documented in both READMEs and checked here as
   * it is. `idReusedInAnotherStream`: 'refused' (DuplicateEventIdError; the default) or 'stored' (KurrentDB has
   * no index by event id: ids are unique per stream only).
   */
  readonly differences?: { readonly idReusedInAnotherStream: 'refused' | 'stored' };
}

let counter = 0;

/** A unique stream-name prefix per test. */
function prefix(): string {
  counter++;
  return `c${counter}x${randomUUID().slice(0, 8)}-`;
}

export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'TicketOpened',
    schemaVersion: 1,
    data: { serial: 'SN-1', note: 'ｶﾒﾗ 故障', n: 1.5, tags: ['a', 'b'], nested: { ok: true, none: null } },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'partner:P-001' },
    ...overrides,
  };
}

/** A subscription's handler that keeps every event it is handed, in order, in `seen`. */
export function collectInto(seen: RecordedEvent[]): BatchHandler {
  return (batch) => {
    seen.push(...batch);
    return Promise.resolve();
  };
}

/** Gap safety as a subscriber sees it: every stored position exactly once, in increasing order. */
export function expectGapless(seen: readonly RecordedEvent[], stored: readonly RecordedEvent[]): void {
  const positions = seen.map((e) => e.globalPosition);
  expect(positions).toEqual(stored.map((e) => e.globalPosition));
  expect(positions.every((pos, i) => i === 0 || pos > positions[i - 1]!)).toBe(true);
}

/** Global order keeps every stream's revision order: each stream's events come as revisions 0, 1, 2, ... */
export function expectStreamOrder(seen: readonly RecordedEvent[]): void {
  const lastRevision = new Map<string, number>();
  for (const e of seen) {
    expect(e.revision).toBe((lastRevision.get(e.stream) ?? -1) + 1);
    lastRevision.set(e.stream, e.revision);
  }
}

function events(n: number, type = 'TicketOpened'): NewEvent[] {
  return Array.from({ length: n }, (_, i) => anEvent({ type, data: { i } }));
}

async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  type: new (...a: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(type);
  return outcome as E;
}

/** Polls until `check` passes (subscriptions deliver asynchronously). */
async function eventually(check: () => void, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}

export function eventStoreContract(name: string, harnessFactory: () => Promise<ContractHarness>): void {
  describe(`event store contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    let p: string;

    beforeAll(async () => {
      harness = await harnessFactory();
      store = await harness.create();
    }, 60_000);
    afterAll(async () => {
      await store?.close();
      await harness?.teardown();
    }, 30_000);
    beforeEach(() => {
      p = prefix();
    });

    const readMine = (after?: number): Promise<RecordedEvent[]> =>
      store.readAll({
        ...(after === undefined ? {} : { after }),
        filter: { streamPrefixes: [p] },
        maxCount: 10000,
      });

    describe('expected revision', () => {
      it("'no_stream' accepts a new stream", async () => {
        const result = await store.appendToStream(`${p}s`, events(2), { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1);
        expect(await store.streamRevision(`${p}s`)).toBe(1);
      });

      it("'no_stream' rejects an existing stream, naming its revision", async () => {
        await store.appendToStream(`${p}s`, events(3));
        const error = await expectRejection(
          store.appendToStream(`${p}s`, events(1), { expectedRevision: 'no_stream' }),
          WrongExpectedRevisionError,
        );
        expect(error.actualRevision).toBe(2);
        expect(await store.streamRevision(`${p}s`)).toBe(2);
      });

      it("'stream_exists' accepts an existing stream", async () => {
        await store.appendToStream(`${p}s`, events(1));
        const result = await store.appendToStream(`${p}s`, events(1), { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it("'stream_exists' rejects a missing stream, actual revision undefined", async () => {
        const error = await expectRejection(
          store.appendToStream(`${p}s`, events(1), { expectedRevision: 'stream_exists' }),
          WrongExpectedRevisionError,
        );
        expect(error.actualRevision).toBeUndefined();
        expect(await store.readStream(`${p}s`)).toEqual([]);
      });

      it('an exact revision accepts the current revision', async () => {
        await store.appendToStream(`${p}s`, events(2));
        const result = await store.appendToStream(`${p}s`, events(3), { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(4);
      });

      it('an exact revision rejects a stale revision, naming the actual one', async () => {
        await store.appendToStream(`${p}s`, events(3));
        const error = await expectRejection(
          store.appendToStream(`${p}s`, events(1), { expectedRevision: 1 }),
          WrongExpectedRevisionError,
        );
        expect(error.actualRevision).toBe(2);
        expect(error.stream).toBe(`${p}s`);
      });

      it('an exact revision rejects a missing stream', async () => {
        const error = await expectRejection(
          store.appendToStream(`${p}s`, events(1), { expectedRevision: 0 }),
          WrongExpectedRevisionError,
        );
        expect(error.actualRevision).toBeUndefined();
      });

      it("'any' accepts a new and an existing stream", async () => {
        expect(
          (await store.appendToStream(`${p}s`, events(1), { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(0);
        expect((await store.appendToStream(`${p}s`, events(1))).nextExpectedRevision).toBe(1);
      });
    });

    it('exactly one of concurrent writers with the same expected revision wins', async () => {
      await store.appendToStream(`${p}s`, events(1));
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => store.appendToStream(`${p}s`, events(1), { expectedRevision: 0 })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost.every((e) => e instanceof WrongExpectedRevisionError)).toBe(true);
      expect(await store.readStream(`${p}s`)).toHaveLength(2);
    });

    describe('idempotency', () => {
      it('a retry with the same ids returns the original result and stores nothing twice', async () => {
        const batch = events(2);
        const first = await store.appendToStream(`${p}s`, batch, { expectedRevision: 'no_stream' });
        const retry = await store.appendToStream(`${p}s`, batch, { expectedRevision: 'no_stream' });
        expect(retry).toEqual(first);
        expect(await store.readStream(`${p}s`)).toHaveLength(2);
      });

      it('a late retry returns the original result although the stream moved on', async () => {
        const batch = events(2);
        const first = await store.appendToStream(`${p}s`, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(`${p}s`, events(1), { expectedRevision: 1 });
        const retry = await store.appendToStream(`${p}s`, batch, { expectedRevision: 'no_stream' });
        expect(retry).toEqual(first);
        expect((await store.readStream(`${p}s`)).map((e) => e.id)).toEqual([
          ...batch.map((e) => e.id),
          expect.any(String),
        ]);
      });

      it.each(['any', 'stream_exists'] as const)(
        "a retry with '%s' after the stream moved on returns the original result and stores nothing twice",
        async (expectedRevision) => {
          // (A retry after the server forgot recent ids — a KurrentDB node restart — cannot be simulated here;
          // this is the case the adapter must handle without the server's in-memory cache.)
          await store.appendToStream(`${p}s`, events(1));
          const batch = events(2);
          const first = await store.appendToStream(`${p}s`, batch, { expectedRevision });
          await store.appendToStream(`${p}s`, events(1));
          const retry = await store.appendToStream(`${p}s`, batch, { expectedRevision });
          expect(retry).toEqual(first);
          const ids = (await store.readStream(`${p}s`)).map((e) => e.id);
          expect(ids).toHaveLength(4);
          expect(ids.slice(1, 3)).toEqual(batch.map((e) => e.id));
        },
      );

      it('an id reused in another stream is refused, or stored there where the adapter documents so', async () => {
        const original = anEvent();
        await store.appendToStream(`${p}a`, [original]);
        const again = store.appendToStream(`${p}b`, [original]);
        if ((harness.differences?.idReusedInAnotherStream ?? 'refused') === 'refused') {
          expect((await expectRejection(again, DuplicateEventIdError)).eventId).toBe(original.id);
          expect(await store.readStream(`${p}b`)).toEqual([]);
        } else {
          expect((await again).nextExpectedRevision).toBe(0);
          expect((await store.readStream(`${p}b`)).map((e) => e.id)).toEqual([original.id]);
        }
        expect((await store.readStream(`${p}a`)).map((e) => e.id)).toEqual([original.id]);
      });

      it('a reused id with other content is refused and stores nothing', async () => {
        const original = anEvent();
        await store.appendToStream(`${p}s`, [original]);
        const error = await expectRejection(
          store.appendToStream(`${p}s`, [{ ...original, data: { other: true } }]),
          DuplicateEventIdError,
        );
        expect(error.eventId).toBe(original.id);
        const stored = await store.readStream(`${p}s`);
        expect(stored.map((e) => e.data)).toEqual([original.data]);
      });
    });

    describe('reading', () => {
      it('keeps every field of a stored event', async () => {
        const event = anEvent({ type: 'RepairRequested', schemaVersion: 3 });
        const before = Date.now();
        const result = await store.appendToStream(`${p}s`, [event]);
        const [stored] = await store.readStream(`${p}s`);
        expect(stored).toEqual({
          ...event,
          stream: `${p}s`,
          revision: 0,
          globalPosition: result.lastGlobalPosition,
          recordedAt: expect.any(String) as unknown,
        });
        const recordedAt = Date.parse(stored?.recordedAt ?? '');
        expect(Math.abs(recordedAt - before)).toBeLessThan(60_000);
      });

      it('keeps caller metadata whose keys start with $ (and retries of it are recognised)', async () => {
        // Extra keys are plain JSON to the port; these four would collide with KurrentDB's own keys if stored
        // as they are.
        const metadata = {
          correlationId: 'c-1',
          actor: 'partner:P-001',
          $custom: 'x',
          $$double: 2,
          $schemaVersion: 'callers own',
          $hash: 'not ours',
        };
        const event = anEvent({ metadata });
        const first = await store.appendToStream(`${p}s`, [event]);
        const [stored] = await store.readStream(`${p}s`);
        expect(stored?.metadata).toEqual(event.metadata);
        expect(stored?.schemaVersion).toBe(1);
        expect(await store.appendToStream(`${p}s`, [event])).toEqual(first);
        expect((await store.verifyChains({ stream: `${p}s` })).broken).toBeUndefined();
      });

      it('reads a stream forwards and backwards from a revision with a limit', async () => {
        await store.appendToStream(`${p}s`, events(6));
        const revisions = async (o: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
          (await store.readStream(`${p}s`, o)).map((e) => e.revision);
        expect(await revisions({})).toEqual([0, 1, 2, 3, 4, 5]);
        expect(await revisions({ fromRevision: 2, maxCount: 3 })).toEqual([2, 3, 4]);
        expect(await revisions({ direction: 'backwards' })).toEqual([5, 4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
        expect(await store.readStream(`${p}missing`)).toEqual([]);
      });

      it('reads all events in commit order, after a position, page by page', async () => {
        const appended: number[] = [];
        for (const s of ['a', 'b', 'a', 'c', 'b']) {
          appended.push((await store.appendToStream(`${p}${s}`, events(1))).lastGlobalPosition);
        }
        const all = await readMine();
        expect(all.map((e) => e.globalPosition)).toEqual(appended);
        expect(all.map((e) => e.stream)).toEqual(['a', 'b', 'a', 'c', 'b'].map((s) => `${p}${s}`));
        const firstPage = await store.readAll({
          after: appended[0]! - 1,
          maxCount: 2,
          filter: { streamPrefixes: [p] },
        });
        expect(firstPage.map((e) => e.globalPosition)).toEqual(appended.slice(0, 2));
        const next = await store.readAll({
          after: appended[1],
          maxCount: 2,
          filter: { streamPrefixes: [p] },
        });
        expect(next.map((e) => e.globalPosition)).toEqual(appended.slice(2, 4));
      });

      it('reads all without a filter, including other streams, strictly increasing', async () => {
        const start = (await store.appendToStream(`${p}first`, events(1))).lastGlobalPosition;
        await store.appendToStream(`${p}second`, events(2));
        const all = await store.readAll({ after: start - 1, maxCount: 500 });
        const positions = all.map((e) => e.globalPosition);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(new Set(positions).size).toBe(positions.length);
        expect(all.filter((e) => e.stream.startsWith(p)).map((e) => e.stream)).toEqual([
          `${p}first`,
          `${p}second`,
          `${p}second`,
        ]);
      });

      it('reads after a number that is not an event position: strictly after it', async () => {
        const appended: number[] = [];
        for (let i = 0; i < 4; i++) {
          appended.push((await store.appendToStream(`${p}s`, events(1))).lastGlobalPosition);
        }
        const mine = (after: number, maxCount = 10): Promise<number[]> =>
          store
            .readAll({ after, maxCount, filter: { streamPrefixes: [p] } })
            .then((all) => all.map((e) => e.globalPosition));
        // Between two events (positions are sparse in every adapter), one below the first, and 0.
        const between = appended[2]! - 1;
        expect(between).toBeGreaterThan(appended[1]!);
        expect(await mine(between)).toEqual(appended.slice(2));
        expect(await mine(between, 1)).toEqual(appended.slice(2, 3));
        expect(await mine(appended[0]! - 1)).toEqual(appended);
        expect((await mine(0, 10000)).slice(-4)).toEqual(appended);
        // Exactly an event's position: strictly after it.
        expect(await mine(appended[2]!)).toEqual(appended.slice(3));
      });

      it('filters readAll by event types and by stream prefixes', async () => {
        await store.appendToStream(`${p}ticket-1`, [
          ...events(1, 'TicketOpened'),
          ...events(1, 'TicketClosed'),
        ]);
        await store.appendToStream(`${p}partner-1`, events(1, 'PartnerJoined'));
        await store.appendToStream(`${p}ticket_2`, events(1, 'TicketOpened'));
        const byType = await store.readAll({
          filter: { eventTypes: ['TicketClosed', 'PartnerJoined'], streamPrefixes: [p] },
        });
        expect(byType.map((e) => e.type)).toEqual(['TicketClosed', 'PartnerJoined']);
        // `_` must match literally, not as a LIKE wildcard.
        const byPrefix = await store.readAll({ filter: { streamPrefixes: [`${p}ticket-`, `${p}partner`] } });
        expect(byPrefix.map((e) => e.stream)).toEqual([`${p}ticket-1`, `${p}ticket-1`, `${p}partner-1`]);
      });
    });

    describe('subscriptions', () => {
      it('resume after a checkpoint, catch up, then go live', async () => {
        const results = [];
        for (let i = 0; i < 5; i++) results.push(await store.appendToStream(`${p}s`, events(1)));
        const checkpoint = results[1]!.lastGlobalPosition;
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll(collectInto(seen), {
          after: checkpoint,
          filter: { streamPrefixes: [p] },
          batchSize: 2,
        });
        try {
          await subscription.caughtUp;
          expect(seen.map((e) => e.revision)).toEqual([2, 3, 4]);
          await store.appendToStream(`${p}s`, events(2), { expectedRevision: 4 });
          await eventually(() => expect(seen.map((e) => e.revision)).toEqual([2, 3, 4, 5, 6]));
          expect(subscription.position()).toBe(seen[seen.length - 1]?.globalPosition);
        } finally {
          await subscription.stop();
        }
        await store.appendToStream(`${p}s`, events(1));
        await sleep(100);
        expect(seen).toHaveLength(5);
      });

      it('subscribes after a number that is not an event position, strictly after it', async () => {
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await store.appendToStream(`${p}s`, events(1)));
        const between = results[2]!.lastGlobalPosition - 1;
        expect(between).toBeGreaterThan(results[1]!.lastGlobalPosition);
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll(collectInto(seen), {
          after: between,
          filter: { streamPrefixes: [p] },
        });
        try {
          await subscription.caughtUp;
          expect(seen.map((e) => e.revision)).toEqual([2, 3]);
        } finally {
          await subscription.stop();
        }
      });

      it('caughtUp waits for a slow handler to process every event committed at start', async () => {
        for (let i = 0; i < 5; i++) await store.appendToStream(`${p}s`, events(1));
        const handled: number[] = [];
        const subscription = store.subscribeToAll(
          async (batch) => {
            await sleep(20);
            handled.push(...batch.map((e) => e.revision));
          },
          { filter: { streamPrefixes: [p] }, batchSize: 1 },
        );
        try {
          await subscription.caughtUp;
          expect(handled).toEqual([0, 1, 2, 3, 4]);
        } finally {
          await subscription.stop();
        }
      });

      it('caughtUp rejects, and onError is called once, when the handler fails before catching up', async () => {
        await store.appendToStream(`${p}s`, events(3));
        const failure = new Error('projection failed');
        const reported: unknown[] = [];
        const subscription = store.subscribeToAll(() => Promise.reject(failure), {
          filter: { streamPrefixes: [p] },
          onError: (error) => reported.push(error),
        });
        try {
          await expect(subscription.caughtUp).rejects.toBe(failure);
          await sleep(50);
          expect(reported).toEqual([failure]);
        } finally {
          await subscription.stop();
        }
      });

      it('hands over at most batchSize events at once, several at once while catching up', async () => {
        await store.appendToStream(`${p}s`, events(10));
        const sizes: number[] = [];
        const subscription = store.subscribeToAll(
          (batch) => {
            sizes.push(batch.length);
            return Promise.resolve();
          },
          { filter: { streamPrefixes: [p] }, batchSize: 3 },
        );
        try {
          await subscription.caughtUp;
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
          expect(sizes.length).toBeLessThan(10);
        } finally {
          await subscription.stop();
        }
      });

      it('stops and reports when the handler throws', async () => {
        await store.appendToStream(`${p}s`, events(1));
        const failure = new Error('projection failed');
        let calls = 0;
        const reported = new Promise<unknown>((resolve) => {
          store.subscribeToAll(
            () => {
              calls++;
              return Promise.reject(failure);
            },
            { filter: { streamPrefixes: [p] }, onError: resolve },
          );
        });
        expect(await reported).toBe(failure);
        // Stopped: a later event never reaches the handler (an append in this process wakes a live one at once).
        await store.appendToStream(`${p}s`, events(1));
        await sleep(500);
        expect(calls).toBe(1);
      });
    });

    it('gap safety: a live subscriber sees every global position exactly once, in order, under concurrent writers with slow transactions', async () => {
      // A second store whose appends sometimes keep their transaction open, committing after later positions.
      const slow = await harness.create({
        holdAppendTransactionMs: (stream) =>
          stream.endsWith('-slow') ? 30 + Math.floor(Math.random() * 120) : 0,
      });
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll(collectInto(seen), {
        filter: { streamPrefixes: [p] },
        batchSize: 7,
      });
      try {
        await subscription.caughtUp;
        const writers = 12;
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < 6; i++) {
              const stream = `${p}w${w}${w % 3 === 0 ? '-slow' : ''}`;
              await slow.appendToStream(stream, events(1 + (i % 3)), {
                expectedRevision: i === 0 ? 'no_stream' : 'any',
              });
            }
          }),
        );
        const stored = await readMine();
        expect(stored).toHaveLength(writers * (1 + 2 + 3 + 1 + 2 + 3));
        await eventually(() => expect(seen.length).toBeGreaterThanOrEqual(stored.length));
        await sleep(50);
        expectGapless(seen, stored);
        expectStreamOrder(seen);
      } finally {
        await subscription.stop();
        await slow.close();
      }
    }, 60_000);

    describe('hash chain (tamper evidence)', () => {
      it('every stream verifies, and each exported event carries its hash and the previous one', async () => {
        const before = new Date(Date.now() - 60_000).toISOString();
        await store.appendToStream(`${p}a`, events(3));
        await store.appendToStream(`${p}b`, events(1));
        await store.appendToStream(`${p}a`, events(2), { expectedRevision: 2 });
        await store.appendToStream(`${p}a`, events(1), { expectedRevision: 'any' });
        const one = await store.verifyChains({ stream: `${p}a` });
        expect(one).toEqual({ events: 6, streams: 1 });
        const all = await store.verifyChains();
        expect(all.broken).toBeUndefined();
        expect(all.events).toBeGreaterThanOrEqual(7);
        expect(all.streams).toBeGreaterThanOrEqual(2);
        expect(await store.verifyChains({ stream: `${p}missing` })).toEqual({ events: 0, streams: 0 });

        const chained: ChainedEvent[] = [];
        for await (const e of store.readChained({ kind: 'stream', stream: `${p}a` })) chained.push(e);
        const stored = await store.readStream(`${p}a`);
        expect(chained.map((e) => e.id)).toEqual(stored.map((e) => e.id));
        chained.forEach((e, i) => {
          expect(e.prevHash).toBe(i === 0 ? '' : chained[i - 1]?.hash);
          expect(e.hash).toBe(chainHash(e.prevHash, e.stream, e.revision, eventContent(e)));
        });

        const inPeriod: ChainedEvent[] = [];
        const after = new Date(Date.now() + 60_000).toISOString();
        for await (const e of store.readChained({ kind: 'recorded', from: before, to: after }))
          if (e.stream.startsWith(p)) inPeriod.push(e);
        expect(inPeriod.map((e) => `${e.stream}@${e.revision}`)).toEqual(
          (await readMine()).map((e) => `${e.stream}@${e.revision}`),
        );
        const lastOfA = inPeriod.filter((e) => e.stream === `${p}a`).at(-1);
        expect(lastOfA?.prevHash).toBe(chained[4]?.hash);
      });
    });

    tailContract({ store: () => store, prefix: () => p });

    describe('bad input is refused with the field named, storing nothing', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      const cases: ReadonlyArray<[string, string, (s: string) => Promise<unknown>]> = [
        ['an empty stream name', 'stream', () => store.appendToStream('', events(1))],
        [
          'a BigInt in data',
          'events[0].data.amount',
          (s) => store.appendToStream(s, [anEvent({ data: { amount: 10n } as unknown as JsonValue })]),
        ],
        [
          'a cycle in data',
          'events[0].data.self',
          (s) => store.appendToStream(s, [anEvent({ data: cyclic as unknown as JsonValue })]),
        ],
        [
          'a negative expected revision',
          'expectedRevision',
          (s) => store.appendToStream(s, events(1), { expectedRevision: -1 }),
        ],
        [
          'a missing id',
          'events[1].id',
          (s) => store.appendToStream(s, [anEvent(), { ...anEvent(), id: undefined } as unknown as NewEvent]),
        ],
        ['a missing type', 'events[0].type', (s) => store.appendToStream(s, [{ ...anEvent(), type: '' }])],
        [
          'a missing actor',
          'events[0].metadata.actor',
          (s) => store.appendToStream(s, [anEvent({ metadata: { correlationId: 'c' } as never })]),
        ],
        ['no events', 'events', (s) => store.appendToStream(s, [])],
        ['a negative readStream revision', 'fromRevision', (s) => store.readStream(s, { fromRevision: -1 })],
      ];
      it.each(cases)('%s', async (_label, field, act) => {
        const error = await expectRejection(act(`${p}s`), InvalidEventStoreInputError);
        expect(error.field).toBe(field);
        expect(await store.streamRevision(`${p}s`)).toBeUndefined();
      });
    });
  });
}
