import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../runner/column-transformers';

/** Every ticket event with who/when/correlation: the auditor's history view. */
@Entity({ name: 'ticket_event' })
@Index(['ticketId', 'revision'], { unique: true })
export class TicketEventEntity {
  @PrimaryColumn({ type: 'bigint', name: 'global_position', transformer: bigintNumber })
  globalPosition!: number;
  @Column({ type: 'uuid', name: 'event_id' }) eventId!: string;
  @Column({ type: 'text', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'integer' }) revision!: number;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'integer', name: 'schema_version' }) schemaVersion!: number;
  @Column({ type: 'timestamptz', name: 'recorded_at' }) recordedAt!: Date;
  @Column({ type: 'text' }) actor!: string;
  @Column({ type: 'text', name: 'correlation_id' }) correlationId!: string;
  @Column({ type: 'text', name: 'causation_id', nullable: true }) causationId!: string | null;
  @Column({ type: 'jsonb' }) data!: unknown;
  /**
   * The ticket state right after this event, on every SNAPSHOT_EVERY-th revision only (null otherwise): as-of
   * queries fold the few rows after the nearest snapshot (tickets/snapshots.ts).
   */
  @Column({ type: 'text', nullable: true, select: false, transformer: jsonText }) snapshot!: unknown;
}
