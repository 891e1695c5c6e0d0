export * from './event-store.port';
export * from './errors';
export { createEventStore, type EventStoreConfig } from './create-event-store';
export {
  DATABASE_IDENTITY_SQL,
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export {
  EventStoreDbEventStore,
  KurrentDbServerTooOldError,
  type EventStoreDbEventStoreOptions,
} from './eventstoredb/eventstoredb-event-store';
export {
  startEmbeddedPostgres,
  resolveDatabase,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  type ResolvedDatabase,
} from './postgres/embedded-postgres';
export { MIGRATIONS, migrate } from './postgres/migrations';
export { verifyAll, verifyStreamChain } from './postgres/verify-chain';
export { canonicalJson } from './shared/canonical-json';
export {
  chainHash,
  checkLink,
  eventContent,
  findBrokenLink,
  type BrokenLink,
  type StoredEventWithHash,
} from './shared/hash-chain';
export { MAX_EVENTS_PER_APPEND } from './shared/validate-input';
export { guardPoolClients } from './postgres/guard-pool';
export {
  aggregateStream,
  appendAt,
  type CommandAppendResult,
  type CommandDecider,
  handleCommand,
  handleCommandWithDecider,
  type HandleCommandOptions,
  type HandledCommand,
} from './command-handling/handle-command';
