import { sampleCatalog } from '@app/domain';
import { daysAgo, yearsAgo } from '../support/dates';
import { catalogVersionOf, PARTNER_A, PARTNER_B, saleRecordOf, UNITS } from '../support/fixtures';
import { expectStatus, type RouteScenarioKit, type Scenarios } from './route-scenarios';

const catalog = sampleCatalog();

/** The route table's scenarios for the reference data: partners, unit sales, catalog versions. */
export function referenceScenarios(kit: RouteScenarioKit): Scenarios {
  return {
    'POST /partners': async (send) => {
      const res = await send({
        token: kit.t.tokens.support,
        body: { partnerId: 'P-RT-REG', name: '株式会社 経路' },
      });
      await kit.expectCreated(res, '/partners/P-RT-REG', (record) =>
        expect(record).toEqual({
          partnerId: 'P-RT-REG',
          name: '株式会社 経路',
          memberships: [],
          certifiedOn: null,
          revision: 0,
        }),
      );
    },
    'POST /partners/{partnerId}/join-partners-circle': kit.partnerCommand({
      partnerId: 'P-RT-JOIN',
      date: daysAgo(20),
      revision: 1,
      view: { memberships: [{ joinedOn: daysAgo(20), leftOn: null }], certifiedOn: null },
    }),
    'POST /partners/{partnerId}/leave-partners-circle': kit.partnerCommand({
      partnerId: 'P-RT-LEAVE',
      joinedOn: daysAgo(20),
      date: daysAgo(5),
      revision: 2,
      view: { memberships: [{ joinedOn: daysAgo(20), leftOn: daysAgo(5) }], certifiedOn: null },
    }),
    'POST /partners/{partnerId}/certify': kit.partnerCommand({
      partnerId: 'P-RT-CERT',
      date: daysAgo(3),
      revision: 1,
      view: { memberships: [], certifiedOn: daysAgo(3) },
    }),
    'GET /partners': async (send) => {
      const res = await send({ token: kit.t.tokens.auditor });
      expectStatus(res, 200);
      const rows = res.body as {
        partnerId: string;
        name: string;
        memberships: unknown;
        certifiedOn: unknown;
      }[];
      const ids = rows.map((r) => r.partnerId);
      expect(ids).toEqual([...ids].sort());
      expect(rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            partnerId: PARTNER_A,
            name: 'E2E member partner',
            memberships: [{ joinedOn: yearsAgo(10), leftOn: null }],
            certifiedOn: null,
          }),
          expect.objectContaining({
            partnerId: PARTNER_B,
            name: 'E2E other partner',
            memberships: [],
            certifiedOn: null,
          }),
        ]),
      );
    },
    'GET /partners/{partnerId}': async (send) => {
      const res = await send({ token: kit.t.tokens.ops, params: { partnerId: PARTNER_A } });
      expectStatus(res, 200);
      expect(res.body).toEqual({
        partnerId: PARTNER_A,
        name: 'E2E member partner',
        memberships: [{ joinedOn: yearsAgo(10), leftOn: null }],
        certifiedOn: null,
        revision: 1,
      });
    },
    'POST /unit-sales': async (send) => {
      const body = {
        serialNumber: 'SN-RT-SALE',
        modelNumber: 'WV-S1136',
        partnerId: PARTNER_B,
        saleDate: daysAgo(9),
        soldInJapan: true,
      };
      const res = await send({ token: kit.t.tokens.support, body });
      await kit.expectCreated(res, '/unit-sales/SN-RT-SALE', (record) =>
        expect(record).toEqual(saleRecordOf(body)),
      );
    },
    'GET /unit-sales/{serial}': async (send) => {
      const res = await send({
        token: kit.t.tokens.auditor,
        params: { serial: UNITS.cameraPickup.serialNumber },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        serial: UNITS.cameraPickup.serialNumber,
        modelNumber: UNITS.cameraPickup.modelNumber,
        partnerId: PARTNER_A,
        saleDate: UNITS.cameraPickup.saleDate,
        soldInJapan: true,
      });
    },
    'POST /catalog/versions': async (send) => {
      // The full sample entries, so that later filings in this app still find their models in the catalog.
      const version = { version: 'rt-post', publishedAt: '2024-01-01', entries: catalog.entries };
      const res = await send({ token: kit.t.tokens.support, body: version });
      // toMatchObject: the answer adds the store's recordedAt.
      await kit.expectCreated(res, '/catalog/versions/rt-post', (record) =>
        expect(record).toMatchObject(catalogVersionOf(version)),
      );
    },
    'GET /catalog/versions': async (send) => {
      await kit.supportPost(
        '/catalog/versions',
        { version: 'rt-list', publishedAt: '2024-02-01', entries: catalog.entries },
        201,
      );
      const res = await send({ token: kit.t.tokens.partner(PARTNER_A) });
      expectStatus(res, 200);
      const rows = res.body as {
        version: string;
        publishedAt: string;
        entryCount: number;
        entries?: unknown;
      }[];
      expect(rows.map((r) => r.publishedAt)).toEqual(
        rows
          .map((r) => r.publishedAt)
          .sort()
          .reverse(),
      );
      expect(rows.find((r) => r.version === 'rt-list')).toEqual({
        version: 'rt-list',
        publishedAt: '2024-02-01',
        entryCount: catalog.entries.length,
        recordedAt: expect.any(String) as string,
      });
      expect(rows.find((r) => r.version === catalog.version)).toMatchObject({
        publishedAt: catalog.publishedAt,
        entryCount: catalog.entries.length,
      });
    },
    'GET /catalog/versions/{version}': async (send) => {
      const res = await send({
        token: kit.t.tokens.partner(PARTNER_A),
        params: { version: catalog.version },
      });
      expectStatus(res, 200);
      expect(res.body).toMatchObject({
        version: catalog.version,
        publishedAt: catalog.publishedAt,
        entryCount: catalog.entries.length,
        entries: catalog.entries,
      });
    },
  };
}
