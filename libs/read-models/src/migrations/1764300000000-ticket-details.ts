import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #15: the read side gets shapes of its own. ticket_summary no longer stores the decider's state (which
 * the api served as the ticket view and read back for the warranty status): it stores `details`, the
 * projection's `TicketDetailsV1`, and a `delivery_date` column for the warranty status. The projection continues
 * a ticket from its history rows (the snapshots of ticket_event), no longer from the summary.
 *
 * The tickets read model is emptied and its checkpoint reset, so the projection runner rebuilds it from the
 * events on its next start (read models are disposable; no view is converted in place).
 */
export class TicketDetails1764300000000 implements MigrationInterface {
  name = 'TicketDetails1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await resetTickets(q);
    await q.query(`ALTER TABLE ticket_summary DROP COLUMN state`);
    await q.query(`ALTER TABLE ticket_summary ADD COLUMN details text NOT NULL`);
    // A JSON document no query filters on: no statistics, as for the state it replaces (BytewiseKeys).
    await q.query(`ALTER TABLE ticket_summary ALTER COLUMN details SET STATISTICS 0`);
    await q.query(`ALTER TABLE ticket_summary ADD COLUMN delivery_date date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await resetTickets(q);
    await q.query(`ALTER TABLE ticket_summary DROP COLUMN delivery_date`);
    await q.query(`ALTER TABLE ticket_summary DROP COLUMN details`);
    await q.query(`ALTER TABLE ticket_summary ADD COLUMN state text NOT NULL`);
    await q.query(`ALTER TABLE ticket_summary ALTER COLUMN state SET STATISTICS 0`);
  }
}

async function resetTickets(q: QueryRunner): Promise<void> {
  await q.query(`DELETE FROM ticket_event`);
  await q.query(`DELETE FROM ticket_summary`);
  await q.query(`UPDATE projection_checkpoint SET position = -1, updated_at = now() WHERE name = 'tickets'`);
}
