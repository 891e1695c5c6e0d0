import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

/** Test helper: a random schema name per suite (several people test on one server at once), and its drop. */
export function randomSchema(label: string): string {
  return `es_${label}_${randomBytes(5).toString('hex')}`;
}

export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
