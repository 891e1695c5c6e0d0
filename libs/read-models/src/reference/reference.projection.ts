import {
  catalogEvents,
  type CatalogVersionPublished,
  evolvePartner,
  partnerEvents,
  type PartnerEvent,
  type PartnerState,
  type UnitSaleRecorded,
  unitSaleEvents,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection } from '../runner/projection';
import type { MembershipPeriod } from './partner.entity';
import { catalogVersionV1Of, partnerV1Of, unitSaleV1Of } from './reference-read-model';

/**
 * Partners (with membership history), unit sales and catalog versions: low volume, applied event by event.
 * Stored events are read through their aggregate's codec (libs/domain/src/<aggregate>/<aggregate>.stream.ts).
 */
export class ReferenceProjection implements Projection {
  readonly name = 'reference';
  readonly eventTypes: readonly string[] = [
    ...partnerEvents.eventTypes,
    ...unitSaleEvents.eventTypes,
    ...catalogEvents.eventTypes,
  ];
  readonly tables = ['partner_view', 'unit_sale_view', 'catalog_version_view'] as const;

  async apply(events: readonly RecordedEvent[], em: EntityManager): Promise<void> {
    for (const e of events) {
      if ((partnerEvents.eventTypes as readonly string[]).includes(e.type))
        await applyPartner(e, partnerEvents.decode(e), em);
      else if (e.type === 'UnitSaleRecorded') await applySale(unitSaleEvents.decode(e).data, em);
      else if (e.type === 'CatalogVersionPublished') await applyCatalog(e, catalogEvents.decode(e).data, em);
    }
  }
}

async function applyPartner(e: RecordedEvent, event: PartnerEvent, em: EntityManager): Promise<void> {
  const rows: {
    partner_id: string;
    name: string;
    certified_on: string | null;
    memberships: MembershipPeriod[];
    revision: number;
  }[] = await em.query(
    `SELECT partner_id, name, certified_on, memberships, revision FROM partner_view WHERE partner_id = $1`,
    [event.data.partnerId],
  );
  const row = rows[0];
  if (row && e.revision <= row.revision) return; // already applied
  const before: PartnerState = row
    ? {
        partnerId: row.partner_id,
        name: row.name,
        memberships: row.memberships,
        certifiedOn: row.certified_on,
        // Stryker disable next-line ArithmeticOperator: equivalent, the state's version is not written (the row keeps the event's revision)
        version: row.revision + 1,
      }
    : { partnerId: null, name: null, memberships: [], certifiedOn: null, version: 0 };
  const s = partnerV1Of(evolvePartner(before, event), e.revision);
  if (s === null) return; // an event before registration: the decider never records one
  await em.query(
    `INSERT INTO partner_view (partner_id, name, certified_on, memberships, revision) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (partner_id) DO UPDATE SET name = EXCLUDED.name, certified_on = EXCLUDED.certified_on,
       memberships = EXCLUDED.memberships, revision = EXCLUDED.revision`,
    [s.partnerId, s.name, s.certifiedOn, JSON.stringify(s.memberships), s.revision],
  );
}

async function applySale(d: UnitSaleRecorded['data'], em: EntityManager): Promise<void> {
  const s = unitSaleV1Of(d);
  await em.query(
    `INSERT INTO unit_sale_view (serial, model_number, partner_id, sale_date, sold_in_japan) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (serial) DO NOTHING`,
    [s.serial, s.modelNumber, s.partnerId, s.saleDate, s.soldInJapan],
  );
}

async function applyCatalog(
  e: RecordedEvent,
  d: CatalogVersionPublished['data'],
  em: EntityManager,
): Promise<void> {
  const v = catalogVersionV1Of(d, e.recordedAt);
  await em.query(
    `INSERT INTO catalog_version_view (version, published_at, recorded_at, entries, entry_count)
     VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (version) DO NOTHING`,
    [v.version, v.publishedAt, v.recordedAt, JSON.stringify(v.entries), v.entryCount],
  );
}
