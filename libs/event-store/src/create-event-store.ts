import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

export type EventStoreConfig =
  | {
      readonly kind: 'postgres';
      /** Server or embedded (see `resolveDatabase`) connection string. */
      readonly url: string;
      readonly schema?: string;
      readonly maxConnections?: number;
    }
  | { readonly kind: 'eventstoredb'; readonly url: string };

/** The adapter for a configuration; PostgreSQL schemas are migrated before this resolves. */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'postgres':
      return PostgresEventStore.create({
        connectionString: config.url,
        ...(config.schema === undefined ? {} : { schema: config.schema }),
        ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }),
      });
    case 'eventstoredb':
      return new EventStoreDbEventStore({ connectionString: config.url });
    default: {
      const unknownKind: never = config;
      throw new Error(`unknown event store kind ${JSON.stringify(unknownKind)}`);
    }
  }
}
