import { Pool } from 'pg';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The relay's checkpoint: the global position of the last event the broker acknowledged, in
 * `<schema>.relay_checkpoint(name, position)` of the event store's own database. It only ever moves after
 * the broker acknowledged the batch, so a crash re-sends at most the unacknowledged batch.
 */
export class PostgresRelayCheckpoints {
  private constructor(
    private readonly pool: Pool,
    private readonly table: string,
  ) {}

  static async create(options: { readonly connectionString: string; readonly schema: string }): Promise<PostgresRelayCheckpoints> {
    if (!IDENT.test(options.schema)) throw new Error(`invalid checkpoint schema ${JSON.stringify(options.schema)}`);
    const pool = new Pool({ connectionString: options.connectionString, max: 2 });
    // A dropped idle connection (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const table = `"${options.schema}".relay_checkpoint`;
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
        name       text PRIMARY KEY,
        position   bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresRelayCheckpoints(pool, table);
  }

  async load(name: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.table} WHERE name = $1`, [name]);
    return rows[0] ? Number(rows[0].position) : undefined;
  }

  async save(name: string, position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()`,
      [name, position],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export type RelayCheckpoints = Pick<PostgresRelayCheckpoints, 'load' | 'save'>;
