import { sampleCatalogEntry } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { EntityManager } from 'typeorm';
import type { MembershipPeriod } from './partner.entity';
import { ReferenceProjection } from './reference.projection';

interface PartnerRow {
  partner_id: string;
  name: string;
  certified_on: string | null;
  memberships: MembershipPeriod[];
  revision: number;
}

/**
 * What the reference projection sends, without a database: a recording EntityManager that answers the
 * partner_view read from `partners` (the statements run against PostgreSQL in the int tier).
 */
class RecordingEntityManager {
  readonly reads: unknown[][] = [];
  readonly writes: { sql: string; params: unknown[] }[] = [];
  constructor(private readonly partners: Record<string, PartnerRow> = {}) {}

  query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (sql.startsWith('SELECT partner_id')) {
      this.reads.push(params);
      const row = this.partners[params[0] as string];
      return Promise.resolve(row ? [row] : []);
    }
    this.writes.push({ sql, params });
    return Promise.resolve([]);
  }
  get em(): EntityManager {
    return this as unknown as EntityManager;
  }
}

const AT = '2026-04-01T00:00:00.000Z';
function recorded(
  stream: string,
  revision: number,
  type: string,
  data: Record<string, unknown>,
): RecordedEvent {
  return {
    id: `evt-${stream}-${revision}`,
    type,
    schemaVersion: 1,
    data: { ...data, at: AT, by: 'support:tanaka' },
    metadata: { correlationId: 'c-1', actor: 'support:tanaka' },
    stream,
    revision,
    globalPosition: 10 + revision,
    recordedAt: '2026-04-01T00:00:01.000Z',
  };
}
const partnerEvent = (revision: number, type: string, data: Record<string, unknown> = {}): RecordedEvent =>
  recorded('partner-P-7', revision, type, { partnerId: 'P-7', ...data });

describe('ReferenceProjection (what it sends, without a database)', () => {
  it('names its tables and takes partner, sale and catalog events', () => {
    const p = new ReferenceProjection();
    expect(p.name).toBe('reference');
    expect(p.tables).toEqual(['partner_view', 'unit_sale_view', 'catalog_version_view']);
    expect(p.eventTypes).toEqual([
      'PartnerRegistered',
      'PartnersCircleJoined',
      'PartnersCircleLeft',
      'PartnerCertified',
      'UnitSaleRecorded',
      'CatalogVersionPublished',
    ]);
  });

  it('a registered partner becomes a row with no memberships at revision 0', async () => {
    const db = new RecordingEntityManager();
    await new ReferenceProjection().apply(
      [partnerEvent(0, 'PartnerRegistered', { name: 'Kanto Security' })],
      db.em,
    );
    expect(db.reads).toEqual([['P-7']]);
    expect(db.writes).toHaveLength(1);
    expect(db.writes[0]!.sql).toContain('INSERT INTO partner_view');
    expect(db.writes[0]!.params).toEqual(['P-7', 'Kanto Security', null, '[]', 0]);
  });

  it('a membership event extends the stored row', async () => {
    const db = new RecordingEntityManager({
      'P-7': { partner_id: 'P-7', name: 'Kanto Security', certified_on: null, memberships: [], revision: 0 },
    });
    await new ReferenceProjection().apply(
      [partnerEvent(1, 'PartnersCircleJoined', { date: '2026-04-01' })],
      db.em,
    );
    expect(db.writes[0]!.params).toEqual([
      'P-7',
      'Kanto Security',
      null,
      '[{"joinedOn":"2026-04-01","leftOn":null}]',
      1,
    ]);
  });

  it('leaving closes the open membership; certification keeps its date', async () => {
    const db = new RecordingEntityManager({
      'P-7': {
        partner_id: 'P-7',
        name: 'Kanto Security',
        certified_on: null,
        memberships: [{ joinedOn: '2025-01-10', leftOn: null }],
        revision: 1,
      },
    });
    const projection = new ReferenceProjection();
    await projection.apply([partnerEvent(2, 'PartnersCircleLeft', { date: '2026-03-31' })], db.em);
    expect(db.writes[0]!.params).toEqual([
      'P-7',
      'Kanto Security',
      null,
      '[{"joinedOn":"2025-01-10","leftOn":"2026-03-31"}]',
      2,
    ]);
    await projection.apply([partnerEvent(2, 'PartnerCertified', { date: '2026-02-01' })], db.em);
    expect(db.writes[1]!.params).toEqual([
      'P-7',
      'Kanto Security',
      '2026-02-01',
      '[{"joinedOn":"2025-01-10","leftOn":null}]',
      2,
    ]);
  });

  it('an event at or below the stored revision is not applied again', async () => {
    const db = new RecordingEntityManager({
      'P-7': { partner_id: 'P-7', name: 'Kanto Security', certified_on: null, memberships: [], revision: 1 },
    });
    await new ReferenceProjection().apply(
      [
        partnerEvent(0, 'PartnerRegistered', { name: 'Other' }),
        partnerEvent(1, 'PartnerCertified', { date: '2026-02-01' }),
      ],
      db.em,
    );
    expect(db.reads).toHaveLength(2);
    expect(db.writes).toEqual([]);
  });

  it('a unit sale is inserted as recorded', async () => {
    const db = new RecordingEntityManager();
    const sale = recorded('unit-sale-SN-1', 0, 'UnitSaleRecorded', {
      serialNumber: 'SN-1',
      modelNumber: 'WV-S1136',
      partnerId: 'P-7',
      saleDate: '2026-02-01',
      soldInJapan: true,
    });
    await new ReferenceProjection().apply([sale], db.em);
    expect(db.reads).toEqual([]);
    expect(db.writes[0]!.sql).toContain('INSERT INTO unit_sale_view');
    expect(db.writes[0]!.params).toEqual(['SN-1', 'WV-S1136', 'P-7', '2026-02-01', true]);
  });

  it('a catalog version is inserted with its entries and their count', async () => {
    const db = new RecordingEntityManager();
    const entries = [
      sampleCatalogEntry({ modelNumber: 'WV-A' }),
      sampleCatalogEntry({ modelNumber: 'WV-B' }),
    ];
    const published = recorded('catalog', 3, 'CatalogVersionPublished', {
      version: '2026-04',
      publishedAt: '2026-04-01',
      entries,
    });
    await new ReferenceProjection().apply([published], db.em);
    expect(db.writes[0]!.sql).toContain('INSERT INTO catalog_version_view');
    expect(db.writes[0]!.params).toEqual([
      '2026-04',
      '2026-04-01',
      '2026-04-01T00:00:01.000Z',
      JSON.stringify(entries),
      2,
    ]);
  });

  it('other event types are ignored', async () => {
    const db = new RecordingEntityManager();
    await new ReferenceProjection().apply([recorded('ticket-T-1', 0, 'RepairRequested', {})], db.em);
    expect(db.reads).toEqual([]);
    expect(db.writes).toEqual([]);
  });
});
