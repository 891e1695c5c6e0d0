/**
 * `readTail` of the EventStoreDB adapter against a scripted stand-in for the client's `readAll` (as in
 * eventstoredb-control-flow.unit.spec.ts): which reads it makes and what it counts. The contract suite on a real
 * KurrentDB node (EVENTSTORE_URL) stays the definition of done.
 */
import { BACKWARDS, END, FORWARDS, START } from '@kurrent/kurrentdb-client';

import { StoreUnavailableError } from '../errors';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

interface FakePosition {
  commit: bigint;
  prepare: bigint;
}

/** Event i sits at commit position (i + 1) × 100, created i seconds after the epoch; a system event last. */
function logOf(count: number) {
  const at = (i: number): FakePosition => ({ commit: BigInt((i + 1) * 100), prepare: BigInt((i + 1) * 100) });
  const event = (i: number, stream: string, type: string) => ({
    event: {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type,
      streamId: stream,
      revision: BigInt(i),
      isJson: true,
      data: { i },
      metadata: { correlationId: 'c', actor: 'a' },
      created: new Date(i * 1000),
      position: at(i),
    },
  });
  return Array.from({ length: count }, (_, i) => event(i, 's-1', 'TicketOpened'));
}

function fakeClient(log: ReturnType<typeof logOf>, failure?: Error) {
  const reads: { direction: unknown; maxCount: unknown }[] = [];
  return {
    reads,
    readAll(options: { direction?: unknown; fromPosition?: unknown; maxCount?: number | bigint }) {
      reads.push({ direction: options.direction, maxCount: options.maxCount });
      const from = options.fromPosition as FakePosition | typeof START | typeof END | undefined;
      let rows = options.direction === BACKWARDS ? [...log].reverse() : log;
      if (from !== undefined && from !== START && from !== END)
        rows = rows.filter((r) => r.event.position.commit >= from.commit);
      const limited = rows.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
      return (async function* () {
        if (failure) throw failure;
        for (const row of limited) yield await Promise.resolve(row);
      })();
    },
  };
}

function storeWith(client: ReturnType<typeof fakeClient>): EventStoreDbEventStore {
  const store = new EventStoreDbEventStore({ connectionString: 'kurrentdb://127.0.0.1:1?tls=false' });
  Object.defineProperty(store, 'client', { value: client });
  return store;
}

describe('EventStoreDB adapter readTail (scripted client stand-in, not a real node)', () => {
  it('caught up: the head from a one-event backwards read, and no forward read at all', async () => {
    const client = fakeClient(logOf(5));
    expect(await storeWith(client).readTail({ after: 500 })).toEqual({
      headPosition: 500,
      headRecordedAt: new Date(4000).toISOString(),
      eventsAfter: 0,
    });
    expect(client.reads).toEqual([{ direction: BACKWARDS, maxCount: 1 }]);
  });

  it('behind: counts the events after the position by reading them forwards, at most maxCount', async () => {
    const client = fakeClient(logOf(5));
    const store = storeWith(client);
    expect(await store.readTail({ after: 200 })).toEqual({
      headPosition: 500,
      headRecordedAt: new Date(4000).toISOString(),
      eventsAfter: 3,
      firstAfterRecordedAt: new Date(2000).toISOString(),
    });
    const capped = fakeClient(logOf(5));
    expect((await storeWith(capped).readTail({ after: 200, maxCount: 2 })).eventsAfter).toBe(2);
    // The forward read asks for no more than the cap (+1: a read from a position includes that position).
    const forwards = capped.reads.filter((r) => r.direction === FORWARDS);
    expect(forwards.length).toBeGreaterThan(0);
    expect(forwards.every((r) => Number(r.maxCount) <= 3)).toBe(true);
  });

  it('an empty log: head -1, nothing after', async () => {
    expect(await storeWith(fakeClient([])).readTail()).toEqual({ headPosition: -1, eventsAfter: 0 });
  });

  it('a server that cannot be reached: StoreUnavailableError', async () => {
    const unreachable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    await expect(storeWith(fakeClient(logOf(2), unreachable)).readTail()).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });
});
