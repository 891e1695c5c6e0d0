import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { resolveDatabase } from './postgres/embedded-postgres';
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

/**
 * From the environment: `EVENTSTORE_URL` set → EventStoreDB; otherwise PostgreSQL at `DATABASE_URL`, or an
 * embedded PGlite when that is unset too (`EVENT_STORE_SCHEMA` names the schema, default `event_store`).
 * `stop` closes the store and the embedded database, if one was started.
 */
export async function createEventStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<{
  readonly store: EventStore;
  readonly connectionString: string | undefined;
  stop(): Promise<void>;
}> {
  const esdb = env['EVENTSTORE_URL'];
  if (esdb) {
    const store = await createEventStore({ kind: 'eventstoredb', url: esdb });
    return { store, connectionString: undefined, stop: () => store.close() };
  }
  const database = await resolveDatabase(env);
  try {
    const schema = env['EVENT_STORE_SCHEMA'];
    const store = await createEventStore({
      kind: 'postgres',
      url: database.connectionString,
      ...(schema ? { schema } : {}),
    });
    return {
      store,
      connectionString: database.connectionString,
      stop: async () => {
        await store.close();
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}
