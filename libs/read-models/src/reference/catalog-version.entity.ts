import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'catalog_version_view' })
export class CatalogVersionEntity {
  @PrimaryColumn({ type: 'text' }) version!: string;
  @Column({ type: 'timestamptz', name: 'published_at' }) publishedAt!: Date;
  @Column({ type: 'text', nullable: true }) label!: string | null;
  @Column({ type: 'jsonb' }) entries!: unknown;
  @Column({ type: 'integer', name: 'entry_count' }) entryCount!: number;
}
