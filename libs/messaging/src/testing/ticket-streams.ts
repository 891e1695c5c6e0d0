/** Ticket streams in a store, for the relay and api-to-Kafka tests (events from @app/domain/testing). */
import { randomUUID } from 'node:crypto';

import { ticketStream } from '@app/domain';
import { replacementStory } from '@app/domain/testing';
import { toStoredEvents } from '@app/event-store/testing';
import type { EventStore } from '@app/event-store';

/** Ticket streams as the api names them (libs/domain repair-ticket.stream.ts). */
export { ticketStream };

/**
 * Appends the stories of `tickets` tickets interleaved, one event per append (as the api writes them), so
 * the global log mixes tickets. Returns the ids appended per ticket, in order.
 */
export async function appendInterleavedStories(
  store: EventStore,
  tickets: number,
  prefix = `T-${randomUUID().slice(0, 8)}`,
): Promise<Map<string, string[]>> {
  const stories = Array.from({ length: tickets }, (_, i) => {
    const ticketId = `${prefix}-${i}`;
    return { ticketId, events: toStoredEvents(replacementStory(ticketId, `P-${i % 7}`)) };
  });
  const appended = new Map<string, string[]>(stories.map((s) => [s.ticketId, []]));
  const longest = Math.max(...stories.map((s) => s.events.length));
  for (let step = 0; step < longest; step++) {
    await Promise.all(
      stories.map(async (s) => {
        const event = s.events[step];
        if (!event) return;
        await store.appendToStream(ticketStream(s.ticketId), [event], {
          expectedRevision: step === 0 ? 'no_stream' : step - 1,
        });
        appended.get(s.ticketId)!.push(event.id);
      }),
    );
  }
  return appended;
}
