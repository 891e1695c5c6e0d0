import { eventStoreContract } from '../contract/event-store.contract';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { PostgresEventStore } from './postgres-event-store';

// The same adapter and SQL against embedded PGlite, through its PostgreSQL socket and the `pg` driver.
let embedded: EmbeddedPostgres | undefined;

eventStoreContract('PGlite (embedded, via socket)', async () => {
  embedded = await startEmbeddedPostgres();
  const connectionString = embedded.connectionString;
  return {
    create: (options = {}) =>
      PostgresEventStore.create({ connectionString, schema: 'event_store', maxConnections: 4, ...options }),
    teardown: async () => {
      await embedded?.stop();
    },
  };
});
