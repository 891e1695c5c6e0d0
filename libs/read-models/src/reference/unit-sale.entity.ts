import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Sales records i-PRO already holds: which partner a serial was sold to, and when. */
@Entity({ name: 'unit_sale_view' })
export class UnitSaleEntity {
  @PrimaryColumn({ type: 'text' }) serial!: string;
  @Column({ type: 'text', name: 'model_number' }) modelNumber!: string;
  @Index() @Column({ type: 'text', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'date', name: 'sale_date' }) saleDate!: string;
  @Column({ type: 'boolean', name: 'sold_in_japan' }) soldInJapan!: boolean;
}
