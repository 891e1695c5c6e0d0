import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key and filter columns that hold identifiers and codes (ticket ids, partner ids, serials, statuses, schemes,
 * catalog versions) compare bytewise: COLLATE "C". They are never sorted for people to read; where a query
 * orders by one (the tie-break of cursor pagination) it needs a stable total order, which bytes give. On a
 * C.UTF-8 database (as on this project's machines) every order stays the same, since UTF-8 bytes sort like
 * code points; under a linguistic locale, rows tied on the leading key may come in another stable order.
 * What changes is the cost: a libc collation other than "C" calls strcoll for each comparison and keeps
 * PostgreSQL from using abbreviated keys when it sorts, which more than doubled the time to build the history
 * index in rebuild-projections (figures: README.md, Benchmarks, "Figures behind the code").
 * Text from elsewhere (parameters, the events table) compares under these columns' collation: PostgreSQL lets a
 * column's collation win over the default one. Only indexes are rebuilt; no row is rewritten.
 *
 * Statistics, for the same reason (ANALYZE reads one page per sampled row, 300 rows per unit of the largest
 * column target): the JSON documents (ticket states, event data, snapshots) get none, no query filters on them;
 * the history table, only ever read by ticket id through its unique index, gets a target of 10 (3,000 sampled
 * rows instead of 30,000), because ANALYZE after a rebuild was a visible part of it with the default (README).
 */
export class BytewiseKeys1764100000000 implements MigrationInterface {
  name = 'BytewiseKeys1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(collate('"C"', 0, 10));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(collate('"default"', -1, -1));
  }
}

const HISTORY_SCALARS = [
  'global_position',
  'event_id',
  'ticket_id',
  'revision',
  'type',
  'schema_version',
  'recorded_at',
  'actor',
  'correlation_id',
  'causation_id',
];

function collate(collation: string, wide: number, history: number): string {
  const column = (name: string): string => `ALTER COLUMN ${name} TYPE text COLLATE ${collation}`;
  return `
    ALTER TABLE ticket_summary ${['ticket_id', 'partner_id', 'serial', 'status', 'scheme'].map(column).join(', ')};
    ALTER TABLE ticket_event ${column('ticket_id')};
    ALTER TABLE partner_view ${column('partner_id')};
    ALTER TABLE unit_sale_view ${column('serial')}, ${column('partner_id')};
    ALTER TABLE catalog_version_view ${column('version')};
    ALTER TABLE ticket_summary ALTER COLUMN state SET STATISTICS ${wide};
    ALTER TABLE ticket_event ${HISTORY_SCALARS.map((c) => `ALTER COLUMN ${c} SET STATISTICS ${history}`).join(', ')},
      ${['data', 'snapshot'].map((c) => `ALTER COLUMN ${c} SET STATISTICS ${wide}`).join(', ')};`;
}
