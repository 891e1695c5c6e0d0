import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ticket_event no longer carries the full ticket state after EVERY event (about 2.5 KB of JSON per row, which
 * made a rebuild write ~3 GB per million events). It keeps a snapshot on every SNAPSHOT_EVERY-th revision
 * only; "state as of a time" folds the few events after the nearest snapshot (see tickets/snapshots.ts).
 *
 * The ticket states (ticket_summary.state, ticket_event.snapshot) become JSON *text* instead of `jsonb`: no
 * query looks inside them (they are read whole, by ticket, and parsed by the reader), so the server need not
 * parse, validate or re-serialise them; in a rebuild, JSON parsing had been a large share of the server's time
 * (figures: README.md, Benchmarks, "Figures behind the code").
 *
 * The tickets read model is emptied and its checkpoint reset, so the api's projection runner rebuilds it from
 * the events on its next start (read models are disposable; a converted jsonb text would keep jsonb's key
 * order and spacing, which a rebuild would not reproduce, and verify-projections would report every row).
 */
export class HistorySnapshots1764000000000 implements MigrationInterface {
  name = 'HistorySnapshots1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM ticket_event`);
    await q.query(`DELETE FROM ticket_summary`);
    await q.query(
      `UPDATE projection_checkpoint SET position = -1, updated_at = now() WHERE name = 'tickets'`,
    );
    await q.query(`ALTER TABLE ticket_event RENAME COLUMN state_after TO snapshot`);
    await q.query(`ALTER TABLE ticket_event ALTER COLUMN snapshot DROP NOT NULL`);
    await q.query(`ALTER TABLE ticket_event ALTER COLUMN snapshot TYPE text USING snapshot::text`);
    await q.query(`ALTER TABLE ticket_summary ALTER COLUMN state TYPE text USING state::text`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to the previous shape; the tickets read model is rebuilt from the events again.
    await q.query(`DELETE FROM ticket_event`);
    await q.query(`DELETE FROM ticket_summary`);
    await q.query(
      `UPDATE projection_checkpoint SET position = -1, updated_at = now() WHERE name = 'tickets'`,
    );
    await q.query(`ALTER TABLE ticket_summary ALTER COLUMN state TYPE jsonb USING state::jsonb`);
    await q.query(`ALTER TABLE ticket_event ALTER COLUMN snapshot TYPE jsonb USING snapshot::jsonb`);
    await q.query(`ALTER TABLE ticket_event RENAME COLUMN snapshot TO state_after`);
    await q.query(`ALTER TABLE ticket_event ALTER COLUMN state_after SET NOT NULL`);
  }
}
