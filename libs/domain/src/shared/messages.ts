import { type CommandMetadata } from './actor';
import { type Instant } from './calendar';

/**
 * The two message shapes every aggregate shares. A command: its type, its data, and who issued it when. An
 * event at schema version 1 (a newer version gets its own type beside its upcaster): its data stamped with `at`
 * (the command's `metadata.now`) and `by` (the actor, `partner:P-001`), so that an auditor reading the raw
 * stream sees who did what and when without the store's metadata.
 */
export type DomainCommand<T extends string, D> = Readonly<{
  type: T;
  data: Readonly<D>;
  metadata: CommandMetadata;
}>;

export type DomainEvent<T extends string, D> = Readonly<{
  type: T;
  schemaVersion: 1;
  data: Readonly<D & { at: Instant; by: string }>;
}>;
