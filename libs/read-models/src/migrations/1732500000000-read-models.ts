import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read-model tables. All of them but `idempotency_record` are disposable: a rebuild refills them from events. */
export class ReadModels1732500000000 implements MigrationInterface {
  name = 'ReadModels1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_checkpoint (
        name text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE ticket_summary (
        ticket_id text PRIMARY KEY,
        partner_id text NOT NULL,
        serial text NOT NULL,
        model_number text NOT NULL,
        status text NOT NULL,
        scheme text,
        coverage text,
        chargeable boolean,
        prefecture text,
        requested_at timestamptz NOT NULL,
        failure_date date,
        updated_at timestamptz NOT NULL,
        resolved_at timestamptz,
        visit_date date,
        revision integer NOT NULL,
        last_position bigint NOT NULL,
        state jsonb NOT NULL
      );
      CREATE INDEX ticket_summary_partner_requested ON ticket_summary (partner_id, requested_at);
      CREATE INDEX ticket_summary_status_scheme ON ticket_summary (status, scheme);
      CREATE INDEX ticket_summary_serial ON ticket_summary (serial);
      CREATE INDEX ticket_summary_requested ON ticket_summary (requested_at, ticket_id);
      CREATE TABLE ticket_event (
        global_position bigint PRIMARY KEY,
        event_id uuid NOT NULL,
        ticket_id text NOT NULL,
        revision integer NOT NULL,
        type text NOT NULL,
        schema_version integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor text NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        data jsonb NOT NULL,
        state_after jsonb NOT NULL
      );
      CREATE UNIQUE INDEX ticket_event_ticket_revision ON ticket_event (ticket_id, revision);
      CREATE TABLE partner_view (
        partner_id text PRIMARY KEY,
        name text NOT NULL,
        certified_on date,
        memberships jsonb NOT NULL,
        revision integer NOT NULL
      );
      CREATE TABLE unit_sale_view (
        serial text PRIMARY KEY,
        model_number text NOT NULL,
        partner_id text NOT NULL,
        sale_date date NOT NULL,
        sold_in_japan boolean NOT NULL
      );
      CREATE INDEX unit_sale_view_partner ON unit_sale_view (partner_id);
      CREATE TABLE catalog_version_view (
        version text PRIMARY KEY,
        published_at date NOT NULL,
        recorded_at timestamptz NOT NULL,
        entries jsonb NOT NULL,
        entry_count integer NOT NULL
      );
      CREATE TABLE idempotency_record (
        principal text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        status integer NOT NULL,
        body jsonb NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal, key)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_record, catalog_version_view, unit_sale_view, partner_view,
      ticket_event, ticket_summary, projection_checkpoint`);
  }
}
