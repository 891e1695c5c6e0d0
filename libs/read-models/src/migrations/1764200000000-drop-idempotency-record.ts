import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue #13: a keyed command's outcome is decided by the event store's append (event ids derived from the
 * Idempotency-Key, apps/api/src/infrastructure/idempotency.ts), no longer by a response record written beside
 * it, which a crash between the append and the record could leave half-done. The table goes.
 */
export class DropIdempotencyRecord1764200000000 implements MigrationInterface {
  name = 'DropIdempotencyRecord1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS idempotency_record');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE idempotency_record (
      principal text NOT NULL, key text NOT NULL, fingerprint text NOT NULL, status integer NOT NULL,
      body jsonb NOT NULL, headers jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (principal, key))`);
  }
}
