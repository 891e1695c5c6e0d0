import { Injectable } from '@nestjs/common';
import type { CatalogEntry, CatalogVersion, PartnerState } from '@app/domain';
import { CatalogVersionEntity, PartnerEntity, UnitSaleEntity } from '@app/read-models';
import { DataSource } from 'typeorm';

/** Reads reference data from its read models, in the domain's shapes. */
@Injectable()
export class ReferenceLookup {
  constructor(private readonly db: DataSource) {}

  saleOf(serialNumber: string): Promise<UnitSaleEntity | null> {
    return this.db.getRepository(UnitSaleEntity).findOneBy({ serial: serialNumber });
  }

  /** The catalog version in force on `date`: the latest published on or before it, the last recorded on ties. */
  async catalogInForce(date: string): Promise<CatalogVersion | null> {
    const row = await this.db
      .getRepository(CatalogVersionEntity)
      .createQueryBuilder('c')
      .where('c.published_at <= :date', { date })
      .orderBy('c.published_at', 'DESC')
      .addOrderBy('c.recorded_at', 'DESC')
      .getOne();
    return row ? toCatalogVersion(row) : null;
  }

  async partner(partnerId: string): Promise<PartnerState | null> {
    const row = await this.db.getRepository(PartnerEntity).findOneBy({ partnerId });
    if (!row) return null;
    return {
      partnerId: row.partnerId,
      name: row.name,
      memberships: row.memberships,
      certifiedOn: row.certifiedOn,
      version: row.revision + 1,
    };
  }
}

export function toCatalogVersion(row: CatalogVersionEntity): CatalogVersion {
  return { version: row.version, publishedAt: row.publishedAt, entries: row.entries as CatalogEntry[] };
}
