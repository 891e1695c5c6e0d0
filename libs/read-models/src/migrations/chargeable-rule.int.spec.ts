import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openReadModelDataSource } from '../data-source';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** ChargeableRule1764400000000: rows stored under the old `chargeable` rule are dropped and rebuilt from events. */
describe('chargeable rule migration (PostgreSQL)', () => {
  const schema = `cr_rm_${randomBytes(4).toString('hex')}`;
  let db: DataSource;

  beforeAll(async () => {
    db = await openReadModelDataSource({ url, schema, poolSize: 2 });
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.destroy();
  });

  it('empties the tickets read model and resets its checkpoint, leaving the other projections alone', async () => {
    await db.undoLastMigration({ transaction: 'all' });
    await db.query(
      `INSERT INTO projection_checkpoint (name, position, updated_at) VALUES ('tickets', 42, now()), ('reference', 7, now())`,
    );
    await db.query(
      `INSERT INTO ticket_summary (ticket_id, partner_id, serial, model_number, status, chargeable, requested_at,
         updated_at, revision, last_position, details)
       VALUES ('T-OLD', 'P-1', 'SN-1', 'WJ-NX400', 'awaiting_quote', false, now(), now(), 1, 40, '{}')`,
    );
    await db.runMigrations({ transaction: 'all' });
    expect(await db.query(`SELECT count(*)::int AS n FROM ticket_summary`)).toEqual([{ n: 0 }]);
    expect(
      await db.query(`SELECT name, position::int AS position FROM projection_checkpoint ORDER BY name`),
    ).toEqual([
      { name: 'reference', position: 7 },
      { name: 'tickets', position: -1 },
    ]);
  });
});
