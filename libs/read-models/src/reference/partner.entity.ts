import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface MembershipPeriod {
  readonly joinedOn: string;
  readonly leftOn: string | null;
}

@Entity({ name: 'partner_view' })
export class PartnerEntity {
  @PrimaryColumn({ type: 'text', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'boolean' }) certified!: boolean;
  /** Partners Circle membership history, oldest first. */
  @Column({ type: 'jsonb' }) memberships!: MembershipPeriod[];
  @Column({ type: 'integer' }) revision!: number;
}
