import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

// Throw-away PostgreSQL schemas for tests and benchmarks: random names per suite or run (several people test on
// one server at once), dropped with all they hold afterwards.

const randomSuffix = (): string => randomBytes(5).toString('hex');

/** One schema of the event store's own tests: `es_<label>_<random>`. */
export function randomSchema(label: string): string {
  return `es_${label}_${randomSuffix()}`;
}

/**
 * A suite's schemas by role, sharing one random suffix: `scratchSchemas('lag', { events: 'es' })` gives
 * `{ events: 'lag_es_<random>' }`.
 */
export function scratchSchemas<Role extends string>(
  prefix: string,
  tags: Readonly<Record<Role, string>>,
): Readonly<Record<Role, string>> {
  const suffix = randomSuffix();
  const names = Object.entries<string>(tags).map(([role, tag]) => [role, `${prefix}_${tag}_${suffix}`]);
  return Object.fromEntries(names) as Record<Role, string>;
}

/** Drops each schema that exists, with everything in it, over a connection of its own. */
export async function dropSchemas(connectionString: string, ...schemas: readonly string[]): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
