import { randomUUID } from 'node:crypto';
import type { PostgresEventStore } from '@app/event-store';
import { replacementStory } from '@app/domain/testing';
import { scratchSchemas, toStoredEvents } from '@app/event-store/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openReadModelDataSource } from '../data-source';
import { ReferenceProjection } from '../reference/reference.projection';
import { TicketsProjection } from '../tickets/tickets.projection';
import { ProjectionRunner } from './projection-runner';
import { RebuildInProgressError, rebuildAside } from './rebuild-aside';
import { closeRunnerSuite, openSuiteStore } from './runner-suite.test-support';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The swap path where the api's runner is AHEAD of the rebuilt tables: an event applied to the old tables
 * between the shadow's last page and the swap must be applied again to the new tables.
 */
describe('rebuild-aside beside a running ProjectionRunner (server)', () => {
  const schemas = scratchSchemas('rb', { events: 'es', readModels: 'rm' });
  let store: PostgresEventStore;
  let live: DataSource;
  let runner: ProjectionRunner;
  const log: string[] = [];

  const fileTicket = async (): Promise<{ id: string; position: number }> => {
    const id = randomUUID();
    const r = await store.appendToStream(`ticket-${id}`, toStoredEvents(replacementStory(id).slice(0, 3)), {
      expectedRevision: 'no_stream',
    });
    return { id, position: r.lastGlobalPosition };
  };
  const summaryCount = async (id: string): Promise<number> =>
    Number(
      (
        await live.query<{ n: string }[]>(`SELECT count(*) AS n FROM ticket_summary WHERE ticket_id = $1`, [
          id,
        ])
      )[0]?.n,
    );

  beforeAll(async () => {
    store = await openSuiteStore(url, schemas);
    live = await openReadModelDataSource({ url, schema: schemas.readModels, poolSize: 3 });
    runner = new ProjectionRunner(store, live, [new TicketsProjection(), new ReferenceProjection()], {
      error: (m) => log.push(m),
      log: (m) => log.push(m),
    });
    for (let i = 0; i < 5; i++) await fileTicket();
    await runner.start();
  });
  afterAll(() => closeRunnerSuite(url, schemas, { runner, readModels: live, store }));

  it('the runner notices its checkpoint moved, rolls back, and re-applies what the new tables lack', async () => {
    let late: { id: string; position: number } | undefined;
    const result = await rebuildAside({
      url,
      liveSchema: schemas.readModels,
      store,
      projections: runner.projections,
      beforeSwap: async () => {
        late = await fileTicket();
        expect(await runner.waitFor(late.position, 5000)).toBe(true);
        expect(await summaryCount(late.id)).toBe(1); // in the OLD tables
      },
    });
    expect(late).toBeDefined();
    expect(result.position).toBeLessThan(late!.position);
    expect(await summaryCount(late!.id)).toBe(0); // the new tables were built without it...
    const next = await fileTicket(); // ...until the runner's next batch finds its checkpoint moved
    expect(await runner.waitFor(next.position, 5000)).toBe(true);
    expect(runner.swapsObserved).toBe(1);
    expect(await summaryCount(late!.id)).toBe(1);
    expect(await summaryCount(next.id)).toBe(1);
    expect(log.some((m) => m.includes('moved'))).toBe(true);
    const rows = await live.query<{ n: string }[]>(`SELECT count(*) AS n FROM ticket_summary`);
    expect(Number(rows[0]?.n)).toBe(7);
  });

  it('refuses to run beside another rebuild, and drops the schemas a killed rebuild left behind', async () => {
    const admin = new Client({ connectionString: url });
    await admin.connect();
    const leftover = `${schemas.readModels}_shadow_0badf00d`;
    const schemaExists = async (name: string): Promise<boolean> =>
      (await admin.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [name])).rowCount === 1;
    try {
      // What a rebuild killed mid-replay leaves: a shadow schema with tables.
      await admin.query(`CREATE SCHEMA "${leftover}"; CREATE TABLE "${leftover}".ticket_summary (x int)`);
      // Another rebuild of the same schema is running: it holds the rebuild lock.
      const other = new Client({ connectionString: url });
      await other.connect();
      await other.query(`SELECT pg_advisory_lock(hashtext('rebuild-aside'), hashtext($1))`, [
        schemas.readModels,
      ]);
      const before = await live.query<{ n: string }[]>(`SELECT count(*) AS n FROM ticket_summary`);
      await expect(
        rebuildAside({ url, liveSchema: schemas.readModels, store, projections: runner.projections }),
      ).rejects.toBeInstanceOf(RebuildInProgressError);
      // Nothing touched: the other rebuild's schemas stay, the live tables too.
      expect(await schemaExists(leftover)).toBe(true);
      expect(await live.query(`SELECT count(*) AS n FROM ticket_summary`)).toEqual(before);
      await other.end(); // the other rebuild is gone (its lock with its session) ...

      const result = await rebuildAside({
        url,
        liveSchema: schemas.readModels,
        store,
        projections: runner.projections,
      });
      expect(result.leftoversDropped).toEqual([leftover]);
      expect(await schemaExists(leftover)).toBe(false);
      expect(await live.query(`SELECT count(*) AS n FROM ticket_summary`)).toEqual(before);
      // ... and the lock is released after a rebuild: the next one finds nothing left over.
      const again = await rebuildAside({
        url,
        liveSchema: schemas.readModels,
        store,
        projections: runner.projections,
      });
      expect(again.leftoversDropped).toEqual([]);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${leftover}" CASCADE`);
      await admin.end();
    }
  });

  it('a reader that holds one live table and then wants another is not cancelled by the swap (no deadlock)', async () => {
    const admin = new Client({ connectionString: url });
    const reader = new Client({ connectionString: url });
    await Promise.all([admin.connect(), reader.connect()]);
    const q = `"${schemas.readModels}"`;
    /** True once another session holds ACCESS EXCLUSIVE on the live ticket_summary: the swap has begun moving it. */
    const swapHoldsSummary = async (): Promise<boolean> =>
      (
        await admin.query(
          `SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = 'ticket_summary' AND l.mode = 'AccessExclusiveLock' AND l.granted`,
          [schemas.readModels],
        )
      ).rowCount === 1;
    let outcome: Promise<{ count: string } | { error: string }> | undefined;
    try {
      await rebuildAside({
        url,
        liveSchema: schemas.readModels,
        store,
        projections: runner.projections,
        beforeSwap: async () => {
          // One transaction reading the history table, then the summary table: the opposite order of the swap,
          // which moves ticket_summary first (a join, or two reads of one request, can hold tables like this).
          await reader.query('BEGIN');
          await reader.query(`SELECT count(*) FROM ${q}.ticket_event`);
          outcome = (async () => {
            for (let i = 0; i < 300 && !(await swapHoldsSummary()); i++)
              await new Promise((r) => setTimeout(r, 10));
            const rows = await reader.query<{ n: string }>(`SELECT count(*) AS n FROM ${q}.ticket_summary`);
            await reader.query('COMMIT');
            return { count: rows.rows[0]!.n };
          })().catch((error: unknown) => ({ error: String(error) }));
        },
      });
      // The reader waited for the swap and then read the new table; PostgreSQL cancelled neither.
      const now = await live.query<{ n: string }[]>(`SELECT count(*) AS n FROM ticket_summary`);
      expect(await outcome).toEqual({ count: now[0]!.n });
    } finally {
      await Promise.all([admin.end(), reader.end()]);
    }
  });
});
