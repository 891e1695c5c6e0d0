import { Client, Pool } from 'pg';

/** The PostgreSQL server of the tests (README); override with TEST_DATABASE_URL. */
export const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** How the suite recognises one api process's connections in pg_stat_activity. */
export interface ApiIdentity {
  readonly applicationName: string;
  clientPorts(): number[];
}

export interface StoredTicket {
  readonly stream: string;
  readonly ticketId: string;
  readonly position: number;
}

export interface StoredEvent {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly position: number;
}

/** The suite's own view of the database: what the store holds, and the levers of the chaos. */
export class ChaosDatabase {
  private readonly pool = new Pool({
    connectionString: DATABASE_URL,
    max: 3,
    application_name: 'chaos-suite',
  });

  constructor() {
    this.pool.on('error', () => undefined);
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }

  /** Filed tickets by filing key (the key travels in `endUserReference`), oldest first. */
  async ticketsByFilingKey(eventSchema: string): Promise<Map<string, StoredTicket[]>> {
    const rows = await this.query<{ key: string | null; stream: string; position: string }>(
      `SELECT data->>'endUserReference' AS key, stream, global_position AS position
         FROM "${eventSchema}".events WHERE type = 'RepairRequested' ORDER BY global_position`,
    );
    const byKey = new Map<string, StoredTicket[]>();
    for (const r of rows) {
      if (r.key === null) continue;
      const ticket = {
        stream: r.stream,
        ticketId: r.stream.replace(/^ticket-/, ''),
        position: Number(r.position),
      };
      byKey.set(r.key, [...(byKey.get(r.key) ?? []), ticket]);
    }
    return byKey;
  }

  /** Every ticket event, in global order. */
  async ticketEvents(eventSchema: string): Promise<StoredEvent[]> {
    const rows = await this.query<{
      id: string;
      stream: string;
      revision: string;
      type: string;
      position: string;
    }>(
      `SELECT event_id AS id, stream, revision, type, global_position AS position
         FROM "${eventSchema}".events WHERE stream LIKE 'ticket-%' ORDER BY global_position`,
    );
    return rows.map((r) => ({ ...r, revision: Number(r.revision), position: Number(r.position) }));
  }

  /** Correlation ids of the requests whose events were committed (each HTTP attempt gets its own). */
  async committedCorrelationIds(eventSchema: string): Promise<Set<string>> {
    const rows = await this.query<{ id: string }>(
      `SELECT DISTINCT metadata->>'correlationId' AS id FROM "${eventSchema}".events`,
    );
    return new Set(rows.map((r) => r.id));
  }

  async lastPosition(eventSchema: string): Promise<number> {
    const [row] = await this.query<{ p: string | null }>(
      `SELECT max(global_position) AS p FROM "${eventSchema}".events`,
    );
    return Number(row?.p ?? 0);
  }

  async relayCheckpoint(eventSchema: string): Promise<number | undefined> {
    const rows = await this.query<{ position: string }>(
      `SELECT position FROM "${eventSchema}".relay_checkpoint WHERE name = 'kafka-tickets'`,
    ).catch(() => []);
    return rows[0] ? Number(rows[0].position) : undefined;
  }

  /**
   * The api's backends. Two ways, either is enough: every connection it opens carries `application_name`
   * from the PGAPPNAME the suite gives it (node-postgres reads PGAPPNAME; the service names no connection
   * itself today), and the client ports of the sockets its pid owns (`ss -tnp`), in case it ever does.
   */
  async backends(api: ApiIdentity): Promise<{ pid: number; query: string }[]> {
    return this.query(
      `SELECT pid, query FROM pg_stat_activity
        WHERE pid <> pg_backend_pid()
          AND (application_name = $1 OR (client_addr = '127.0.0.1' AND client_port = ANY($2::int[])))`,
      [api.applicationName, api.clientPorts()],
    );
  }

  async terminateBackends(api: ApiIdentity): Promise<number> {
    const rows = await this.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
        WHERE pid <> pg_backend_pid()
          AND (application_name = $1 OR (client_addr = '127.0.0.1' AND client_port = ANY($2::int[])))`,
      [api.applicationName, api.clientPorts()],
    );
    return rows.filter((r) => r.ok).length;
  }

  /**
   * Holds every projection checkpoint row `FOR UPDATE` in a session of its own: the api's projection batch
   * (which locks them first) waits, so a command's read-your-writes wait blocks after its append committed.
   */
  async holdProjectionCheckpoints(readModelSchema: string): Promise<() => Promise<void>> {
    const client = new Client({ connectionString: DATABASE_URL, application_name: 'chaos-suite-lock' });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query(`SELECT name FROM "${readModelSchema}".projection_checkpoint FOR UPDATE`);
    return async () => {
      await client.query('ROLLBACK');
      await client.end();
    };
  }

  /**
   * Transactions open on the whole cluster for more than `seconds`: the event store's readers wait for the
   * oldest one (README "Event store", gap safety), so one left open by anybody stalls every projection.
   */
  async oldTransactions(seconds: number): Promise<string[]> {
    const rows = await this.query<{ pid: number; app: string; state: string; age: string; query: string }>(
      `SELECT pid, application_name AS app, state, round(extract(epoch FROM now() - xact_start))::text AS age,
              left(query, 100) AS query
         FROM pg_stat_activity
        WHERE backend_xid IS NOT NULL AND xact_start < now() - make_interval(secs => $1)
        ORDER BY xact_start`,
      [seconds],
    );
    return rows.map(
      (r) => `pid ${r.pid} (${r.app || 'no application_name'}, ${r.state}, ${r.age} s): ${r.query}`,
    );
  }

  async dropSchemas(...schemas: readonly string[]): Promise<void> {
    for (const s of schemas) await this.pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
