/**
 * The contract of `readTail` (the head probe behind projection lag), part of `eventStoreContract`: every adapter
 * counts the events after a position exactly (positions are sparse, so never `head − after`) and dates the head
 * and the first event after it as its reads do.
 */
import { randomUUID } from 'node:crypto';

import type { EventStore, NewEvent } from '../event-store.port';

export interface TailContractContext {
  /** The suite's shared store. */
  readonly store: () => EventStore;
  /** The current test's stream-name prefix. */
  readonly prefix: () => string;
}

function some(n: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    type: 'TailProbed',
    schemaVersion: 1,
    data: { i },
    metadata: { correlationId: randomUUID(), actor: 'system:contract' },
  }));
}

export function tailContract(ctx: TailContractContext): void {
  describe('readTail (the head probe behind projection lag)', () => {
    it('names the last append as the head and counts exactly the events after a position', async () => {
      const store = ctx.store();
      const p = ctx.prefix();
      const first = await store.appendToStream(`${p}a`, some(2));
      await store.appendToStream(`${p}b`, some(3));
      const last = await store.appendToStream(`${p}a`, some(1));
      const [firstOfB] = await store.readStream(`${p}b`);
      const [head] = await store.readStream(`${p}a`, { direction: 'backwards', maxCount: 1 });

      expect(await store.readTail({ after: first.lastGlobalPosition })).toEqual({
        headPosition: last.lastGlobalPosition,
        headRecordedAt: head?.recordedAt,
        eventsAfter: 4,
        firstAfterRecordedAt: firstOfB?.recordedAt,
      });
      // Any number is a position ("strictly after it"): one before the first append's last event counts it too.
      expect((await store.readTail({ after: first.lastGlobalPosition - 1 })).eventsAfter).toBe(5);
    });

    it('counts up to maxCount', async () => {
      const store = ctx.store();
      const first = await store.appendToStream(`${ctx.prefix()}s`, some(1));
      await store.appendToStream(`${ctx.prefix()}s`, some(4));
      expect((await store.readTail({ after: first.lastGlobalPosition, maxCount: 3 })).eventsAfter).toBe(3);
    });

    it('after the head: nothing after it, and the head still named', async () => {
      const store = ctx.store();
      const last = await store.appendToStream(`${ctx.prefix()}s`, some(2));
      const tail = await store.readTail({ after: last.lastGlobalPosition });
      expect(tail).toEqual({
        headPosition: last.lastGlobalPosition,
        headRecordedAt: expect.any(String) as unknown,
        eventsAfter: 0,
      });
      expect(await store.readTail({ after: last.lastGlobalPosition + 1_000_000 })).toEqual(tail);
    });

    it('refuses a negative position and a count below 1, naming the field', async () => {
      const store = ctx.store();
      await expect(store.readTail({ after: -2 })).rejects.toMatchObject({ field: 'after' });
      await expect(store.readTail({ maxCount: 0 })).rejects.toMatchObject({ field: 'maxCount' });
    });
  });
}
