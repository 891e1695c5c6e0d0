import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'catalog_version_view' })
export class CatalogVersionEntity {
  @PrimaryColumn({ type: 'text' }) version!: string;
  @Column({ type: 'date', name: 'published_at' }) publishedAt!: string;
  /** When the version was recorded: among versions published the same day, the last recorded wins. */
  @Column({ type: 'timestamptz', name: 'recorded_at' }) recordedAt!: Date;
  @Column({ type: 'jsonb' }) entries!: unknown;
  @Column({ type: 'integer', name: 'entry_count' }) entryCount!: number;
}
