import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface MembershipPeriod {
  readonly joinedOn: string;
  readonly leftOn: string | null;
}

@Entity({ name: 'partner_view' })
export class PartnerEntity {
  @PrimaryColumn({ type: 'text', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'text' }) name!: string;
  /** Certified partners may replace parts themselves and buy parts. */
  @Column({ type: 'date', name: 'certified_on', nullable: true }) certifiedOn!: string | null;
  /** Partners Circle membership history, oldest first. */
  @Column({ type: 'jsonb' }) memberships!: MembershipPeriod[];
  /** Stream revision of the partner record last applied. */
  @Column({ type: 'integer' }) revision!: number;
}
