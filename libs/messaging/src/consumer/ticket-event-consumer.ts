/**
 * What a downstream service needs to consume the ticket topic correctly: a consumer group (partitions shared
 * among its instances; one ticket is always in one partition, so one instance sees a ticket's events in
 * order) and duplicate dropping by the CloudEvents id. The relay delivers at least once: after a relay crash
 * the last unacknowledged batch comes again, with the same `ce_id`s.
 */
import type { Consumer, IHeaders, Kafka } from 'kafkajs';

export interface TicketEventEnvelope {
  /** `ce_id`: the stored event id, the same on every re-delivery. */
  readonly id: string;
  /** `ce_type`, e.g. `ipro.repair.ticket.replacement-shipped.v1`. */
  readonly type: string;
  /** `ce_subject` = the ticket id = the Kafka key. */
  readonly ticketId: string;
  readonly time: string;
  /** The ticket's stream revision: 0, 1, 2… per ticket. */
  readonly ticketRevision: number;
  readonly data: Record<string, unknown>;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Ids already handled. In production keep them in the consumer's own database, written in the same
 * transaction as the effect of the message; the in-memory set below only covers one process's lifetime.
 */
export interface ProcessedIds {
  has(id: string): boolean | Promise<boolean>;
  add(id: string): void | Promise<void>;
}

/** Remembers the last `capacity` ids (duplicates arrive close to the original: within one relay batch). */
export class InMemoryProcessedIds implements ProcessedIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity = 100_000) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? String(value[0]) : value.toString();
}

export interface TicketEventConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly handle: (event: TicketEventEnvelope) => Promise<void>;
  readonly processed?: ProcessedIds;
  /** Default false: a new group starts at the topic's beginning only when asked. */
  readonly fromBeginning?: boolean;
}

export interface RunningTicketEventConsumer {
  stats(): { readonly handled: number; readonly duplicatesDropped: number };
  stop(): Promise<void>;
}

export async function runTicketEventConsumer(
  options: TicketEventConsumerOptions,
): Promise<RunningTicketEventConsumer> {
  const processed = options.processed ?? new InMemoryProcessedIds();
  const consumer: Consumer = options.kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 100 });
  let handled = 0;
  let duplicatesDropped = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? false });
  await consumer.run({
    // The offset is committed only after `handle` resolved: a consumer crash re-reads, the id check drops.
    eachMessage: async ({ partition, message }) => {
      const id = header(message.headers, 'ce_id');
      const type = header(message.headers, 'ce_type');
      if (id === undefined || type === undefined) return; // not a CloudEvent: not ours to handle
      if (await processed.has(id)) {
        duplicatesDropped++;
        return;
      }
      await options.handle({
        id,
        type,
        ticketId: message.key?.toString() ?? header(message.headers, 'ce_subject') ?? '',
        time: header(message.headers, 'ce_time') ?? '',
        ticketRevision: Number(header(message.headers, 'ce_ticketrevision') ?? -1),
        data: JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>,
        partition,
        offset: message.offset,
      });
      await processed.add(id);
      handled++;
    },
  });
  return {
    stats: () => ({ handled, duplicatesDropped }),
    stop: () => consumer.disconnect(),
  };
}
