import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #16: the list's `chargeable` column follows the domain's ticketBilling, the rule the ticket detail's
 * `billing` shows. Rows stored under the earlier rule differ for a free repair with a charge line and no quote yet
 * (a remote-area travel charge, an onsite fee): they said false, the rule says true. No shape changes, but stored
 * values would disagree with the detail until their ticket's next event, so the tickets read model is emptied and
 * its checkpoint reset: the projection runner rebuilds it from the events on its next start.
 */
export class ChargeableRule1764400000000 implements MigrationInterface {
  name = 'ChargeableRule1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await resetTickets(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await resetTickets(q);
  }
}

async function resetTickets(q: QueryRunner): Promise<void> {
  await q.query(`DELETE FROM ticket_event`);
  await q.query(`DELETE FROM ticket_summary`);
  await q.query(`UPDATE projection_checkpoint SET position = -1, updated_at = now() WHERE name = 'tickets'`);
}
