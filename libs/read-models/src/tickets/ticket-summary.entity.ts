import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../runner/column-transformers';

/** One row per ticket: lists, filters, detail, warranty status, dashboard; `details` is the detail view. */
@Entity({ name: 'ticket_summary' })
@Index(['partnerId', 'requestedAt'])
@Index(['status', 'scheme'])
export class TicketSummaryEntity {
  @PrimaryColumn({ type: 'text', name: 'ticket_id' }) ticketId!: string;
  @Column({ type: 'text', name: 'partner_id' }) partnerId!: string;
  @Index() @Column({ type: 'text' }) serial!: string;
  @Column({ type: 'text', name: 'model_number' }) modelNumber!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text', nullable: true }) scheme!: string | null;
  @Column({ type: 'text', nullable: true }) coverage!: string | null;
  @Column({ type: 'boolean', nullable: true }) chargeable!: boolean | null;
  @Column({ type: 'text', nullable: true }) prefecture!: string | null;
  @Column({ type: 'timestamptz', name: 'requested_at' }) requestedAt!: Date;
  @Column({ type: 'date', name: 'failure_date', nullable: true }) failureDate!: string | null;
  /** The end-user delivery date the request recorded. */
  @Column({ type: 'date', name: 'delivery_date', nullable: true }) deliveryDate!: string | null;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  /** Scheduled onsite visit (scheme ③) while not yet completed. */
  @Column({ type: 'date', name: 'visit_date', nullable: true }) visitDate!: string | null;
  @Column({ type: 'integer' }) revision!: number;
  @Column({ type: 'bigint', name: 'last_position', transformer: bigintNumber }) lastPosition!: number;
  /**
   * `TicketDetailsV1` after `revision`, as JSON text (not `json`/`jsonb`: an opaque document, never queried
   * into; see migration HistorySnapshots).
   */
  @Column({ type: 'text', transformer: jsonText }) details!: unknown;
}
