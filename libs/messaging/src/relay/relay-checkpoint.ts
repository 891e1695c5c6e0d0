import { Client, Pool } from 'pg';
import { guardPoolClients } from '@app/event-store';

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
    private readonly options: { readonly connectionString: string; readonly schema: string },
  ) {}

  static async create(options: {
    readonly connectionString: string;
    readonly schema: string;
  }): Promise<PostgresRelayCheckpoints> {
    if (!IDENT.test(options.schema))
      throw new Error(`invalid checkpoint schema ${JSON.stringify(options.schema)}`);
    // A dropped connection (server restart, terminated backend) must not crash the process.
    const pool = guardPoolClients(new Pool({ connectionString: options.connectionString, max: 2 }));
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
    return new PostgresRelayCheckpoints(pool, table, options);
  }

  async load(name: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.table} WHERE name = $1`,
      [name],
    );
    return rows[0] ? Number(rows[0].position) : undefined;
  }

  async save(name: string, position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()`,
      [name, position],
    );
  }

  /**
   * One active relay per checkpoint name: a session-level advisory lock on a connection of its own. Two
   * processes running the relay (the api in-process, a standalone relay, several api replicas) never publish
   * side by side; the lock frees itself when the holder's connection dies (a killed process included), and
   * a standby takes over. Undefined when another relay holds it.
   */
  async tryLead(name: string): Promise<RelayLease | undefined> {
    const client = new Client({ connectionString: this.options.connectionString });
    let markLost: () => void = () => undefined;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    client.on('error', () => markLost());
    client.on('end', () => markLost());
    await client.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
        [`relay:${this.options.schema}:${name}`],
      );
      if (rows[0]?.ok !== true) {
        await client.end();
        return undefined;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // An idle connection can die silently (server restart, network): probe it so the loss is noticed.
    const probe = setInterval(() => {
      client.query('SELECT 1').catch(() => markLost());
    }, 5000);
    probe.unref();
    return {
      lost,
      release: async () => {
        clearInterval(probe);
        await client.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface RelayLease {
  /** Resolves when the lock's connection is gone: another relay may be active from then on. */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

/** `tryLead` optional: without it the relay assumes it is the only one. */
export type RelayCheckpoints = Pick<PostgresRelayCheckpoints, 'load' | 'save'> &
  Partial<Pick<PostgresRelayCheckpoints, 'tryLead'>>;
