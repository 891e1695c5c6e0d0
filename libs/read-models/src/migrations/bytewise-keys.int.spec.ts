import { randomBytes } from 'node:crypto';
import { PostgresEventStore } from '@app/event-store';
import type { DataSource } from 'typeorm';
import { openReadModelDataSource } from '../data-source';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

interface ColumnRow {
  table: string;
  column: string;
  collation: string | null;
  statistics: number | null;
}

/** Collation and statistics target of every column of `tables` in `schema`. */
async function columns(db: DataSource, schema: string, tables: string[]): Promise<Map<string, ColumnRow>> {
  const rows: ColumnRow[] = await db.query(
    `SELECT c.relname AS "table", a.attname AS "column", co.collname AS collation,
            a.attstattarget AS statistics
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, tables],
  );
  return new Map(rows.map((r) => [`${r.table}.${r.column}`, r]));
}

describe('bytewise keys and statistics targets (migrations, PostgreSQL)', () => {
  const suffix = randomBytes(4).toString('hex');
  const schemas = { readModels: `bk_rm_${suffix}`, events: `bk_es_${suffix}` };
  let db: DataSource;

  beforeAll(async () => {
    db = await openReadModelDataSource({ url, schema: schemas.readModels, poolSize: 2 });
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schemas.readModels}" CASCADE`);
    await db.query(`DROP SCHEMA IF EXISTS "${schemas.events}" CASCADE`);
    await db.destroy();
  });

  const keys = [
    'ticket_summary.ticket_id',
    'ticket_summary.partner_id',
    'ticket_summary.serial',
    'ticket_summary.status',
    'ticket_summary.scheme',
    'ticket_event.ticket_id',
    'partner_view.partner_id',
    'unit_sale_view.serial',
    'unit_sale_view.partner_id',
    'catalog_version_view.version',
  ];
  const tables = ['ticket_summary', 'ticket_event', 'partner_view', 'unit_sale_view', 'catalog_version_view'];

  it('makes identifier columns compare bytewise and trims ANALYZE of wide and history columns; down undoes it', async () => {
    let cols = await columns(db, schemas.readModels, tables);
    for (const key of keys) expect([key, cols.get(key)?.collation]).toEqual([key, 'C']);
    // Text that is not an identifier keeps the database's collation.
    expect(cols.get('ticket_summary.model_number')?.collation).toBe('default');
    // The state column became `details` (TicketDetails1764300000000), which keeps no statistics either.
    expect(cols.has('ticket_summary.state')).toBe(false);
    expect(cols.get('ticket_summary.details')?.statistics).toBe(0);
    expect(cols.get('ticket_event.data')?.statistics).toBe(0);
    expect(cols.get('ticket_event.snapshot')?.statistics).toBe(0);
    expect(cols.get('ticket_event.ticket_id')?.statistics).toBe(10);
    expect(cols.get('ticket_summary.status')?.statistics).toBe(-1); // the default target

    // Undo the migrations after this one, then this one (bounded by the number of migrations).
    for (let i = 0; i < db.migrations.length; i++) {
      const [last] = await db.query<{ name: string }[]>(
        `SELECT name FROM "${schemas.readModels}".read_model_migrations ORDER BY id DESC LIMIT 1`,
      );
      await db.undoLastMigration({ transaction: 'all' });
      if (last?.name === 'BytewiseKeys1764100000000') break;
    }
    cols = await columns(db, schemas.readModels, tables);
    for (const key of keys) expect([key, cols.get(key)?.collation]).toEqual([key, 'default']);
    expect(cols.get('ticket_summary.state')?.statistics).toBe(-1);
    expect(cols.get('ticket_event.ticket_id')?.statistics).toBe(-1);

    await db.runMigrations({ transaction: 'all' });
    cols = await columns(db, schemas.readModels, tables);
    expect(cols.get('ticket_event.ticket_id')?.collation).toBe('C');
  });

  it('orders key columns bytewise, whatever the database locale (the total order cursors page by)', async () => {
    const ids = ['b-2', 'B-1', 'a_3', 'a-3', '0f', 'Z9', 'a3', 'P-10', 'P-9'];
    await db.query(
      `INSERT INTO partner_view (partner_id, name, certified_on, memberships, revision)
       SELECT id, id, NULL, '[]', 0 FROM unnest($1::text[]) AS t(id)`,
      [ids],
    );
    const rows: { id: string }[] = await db.query(
      `SELECT partner_id AS id FROM partner_view ORDER BY partner_id`,
    );
    // Code-unit order of ASCII = byte order.
    expect(rows.map((r) => r.id)).toEqual([...ids].sort());
  });

  it('stores stream names in the event store bytewise too', async () => {
    const store = await PostgresEventStore.create({ connectionString: url, schema: schemas.events });
    try {
      const rows: { collation: string }[] = await db.query(
        `SELECT co.collname AS collation FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_collation co ON co.oid = a.attcollation
          WHERE n.nspname = $1 AND c.relname = 'events' AND a.attname = 'stream'`,
        [schemas.events],
      );
      expect(rows).toEqual([{ collation: 'C' }]);
    } finally {
      await store.close();
    }
  });
});
