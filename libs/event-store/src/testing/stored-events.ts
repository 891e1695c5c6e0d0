import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../event-store.port';

/** An event as an aggregate records it: a type, a schema version, and data naming who acted (`by`). */
export interface RecordableEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: { readonly by: string };
}

/**
 * Test events ready to append: a fresh event id each, one correlation id for the batch, the actor from the
 * event's own `by`. Event data are the JSON the aggregate recorded (checked by the store on append).
 */
export function toStoredEvents(
  events: readonly RecordableEvent[],
  correlationId: string = randomUUID(),
): NewEvent[] {
  return events.map((e) => ({
    id: randomUUID(),
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: { correlationId, actor: e.data.by },
  }));
}
