import type { BrokenLink } from '../shared/hash-chain';
import type { PostgresEventStore } from './postgres-event-store';

/** Auditor entry points: recompute the hash chain of one stream / of every stream; first broken event or undefined. */
export function verifyStreamChain(
  store: PostgresEventStore,
  stream: string,
): Promise<BrokenLink | undefined> {
  return store.verifyStreamChain(stream);
}

export function verifyAll(store: PostgresEventStore): Promise<BrokenLink | undefined> {
  return store.verifyAll();
}
