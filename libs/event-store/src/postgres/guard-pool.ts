import type { Pool } from 'pg';

/**
 * A pooled client whose connection dies while it is checked out but between two queries (a terminated
 * backend, a PostgreSQL restart) emits 'error' with nobody listening: pg-pool listens only while the client
 * is idle, and TypeORM not at all, so Node would end the process. Every client of a guarded pool gets a
 * listener that swallows it: the next query on that client fails (and is retried or mapped to 503 by its
 * caller), and pg-pool drops the broken client on release. Idle errors go to the pool's own 'error' listener.
 */
export function guardPoolClients(pool: Pool): Pool {
  const guard = (client: { on(event: 'error', listener: () => void): unknown }): void => {
    client.on('error', () => undefined);
  };
  pool.on('connect', guard);
  pool.on('error', () => undefined);
  // Clients opened before the guard (TypeORM connects once while initialising).
  for (const client of (pool as unknown as { _clients?: readonly Parameters<typeof guard>[0][] })._clients ??
    [])
    guard(client);
  return pool;
}
