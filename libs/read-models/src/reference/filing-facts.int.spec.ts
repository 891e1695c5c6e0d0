import { randomBytes } from 'node:crypto';
import { openReadModelDataSource } from '../data-source';
import type { DataSource } from 'typeorm';
import { FilingFactsReader } from './filing-facts';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * FilingFactsReader against the real read-model tables: concurrent filings share statements (the batching the
 * command path relies on), and each still gets the facts of its own serial and date.
 */
describe('FilingFactsReader (PostgreSQL)', () => {
  const schema = `facts_${randomBytes(4).toString('hex')}`;
  let db: DataSource;
  let statements: string[];

  beforeAll(async () => {
    db = await openReadModelDataSource({ url, schema, poolSize: 4 });
    await db.query(
      `INSERT INTO partner_view (partner_id, name, certified_on, memberships, revision) VALUES
         ('P-1', 'Member Co', '2020-01-01', '[{"joinedOn":"2020-01-01","leftOn":null}]', 1),
         ('P-2', 'Other Co', NULL, '[]', 0)`,
    );
    await db.query(
      `INSERT INTO unit_sale_view (serial, model_number, partner_id, sale_date, sold_in_japan) VALUES
         ('S-1', 'WV-X1', 'P-1', '2024-04-01', true),
         ('S-2', 'WV-X2', 'P-2', '2025-05-05', false)`,
    );
    await db.query(
      `INSERT INTO catalog_version_view (version, published_at, recorded_at, entries, entry_count) VALUES
         ('v-old', '2024-01-01', now(), '[]', 0),
         ('v-new', '2026-01-01', now(), '[]', 0)`,
    );
    // Count the statements the reader sends (the catalog entries read once per version included).
    statements = [];
    const query = db.query.bind(db);
    jest.spyOn(db, 'query').mockImplementation((sql: string, params?: unknown[]) => {
      statements.push(sql);
      return query(sql, params);
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await db.query(`DROP SCHEMA "${schema}" CASCADE`);
    await db.destroy();
  });

  it('answers concurrent filings from shared statements, each with its own serial and date', async () => {
    const reader = new FilingFactsReader(db);
    const asks = Array.from({ length: 30 }, (_, i) => {
      const serial = ['S-1', 'S-2', 'S-unknown'][i % 3] ?? 'S-1';
      const today = i % 2 === 0 ? '2026-06-01' : '2025-06-01';
      return { serial, today };
    });
    const answers = await Promise.all(asks.map((a) => reader.read(a.serial, a.today)));

    answers.forEach((facts, i) => {
      const { serial, today } = asks[i] ?? { serial: '', today: '' };
      if (serial === 'S-1') {
        expect(facts.sale).toEqual({
          modelNumber: 'WV-X1',
          partnerId: 'P-1',
          saleDate: '2024-04-01',
          soldInJapan: true,
        });
        expect(facts.partner).toMatchObject({ partnerId: 'P-1', name: 'Member Co', version: 2 });
      } else if (serial === 'S-2') {
        expect(facts.sale).toMatchObject({ modelNumber: 'WV-X2', partnerId: 'P-2', soldInJapan: false });
        expect(facts.partner).toMatchObject({ partnerId: 'P-2', version: 1 });
      } else {
        expect(facts.sale).toBeNull();
        expect(facts.partner).toBeNull();
      }
      // The catalog version in force on that filing's own date.
      expect(facts.catalogFact('WV-X1')?.version).toBe(today === '2026-06-01' ? 'v-new' : 'v-old');
    });
    const factStatements = statements.filter((s) => s.includes('unnest($1::text[], $2::date[])'));
    // 30 filings at once: the first goes alone, the rest wait and share (at most 64 per statement).
    expect(factStatements.length).toBeGreaterThanOrEqual(1);
    expect(factStatements.length).toBeLessThanOrEqual(3);
  });

  it('reads a lone filing at once, and a failed statement fails only its own filings', async () => {
    const reader = new FilingFactsReader(db);
    await expect(reader.read('S-1', '2026-06-01')).resolves.toMatchObject({ sale: { partnerId: 'P-1' } });
    // A date PostgreSQL refuses fails the statement it travels in; the next filing gets a fresh one.
    await expect(reader.read('S-1', 'not-a-date')).rejects.toThrow(/date/);
    await expect(reader.read('S-2', '2026-06-01')).resolves.toMatchObject({ sale: { partnerId: 'P-2' } });
  });
});
