import { NotFoundException } from '@nestjs/common';
import { readSideOn } from '@app/read-models';
import type { Principal } from '../auth/token';
import { GetWarrantyStatus, GetWarrantyStatusHandler } from '../warranty/warranty-status';
import { liveAndRebuilt, readSideUnderTest } from './read-side-oracles-fixture.test-support';
import { partner1, partner2, support, T } from './read-side-oracles-stories.test-support';

// The warranty view against literal oracles (periods by the partner guide's rules, DOMAIN.md); the scenario is
// in read-side-oracles-stories.test-support.ts, the rows and lists in read-side-oracles.int.spec.ts.

describe('read side against literal oracles: ticket_summary, history, list filters, warranty view', () => {
  const rs = readSideUnderTest();

  const warranty = (serial: string, principal: Principal, deliveryDate?: string) =>
    new GetWarrantyStatusHandler(readSideOn(rs.db).tickets, readSideOn(rs.db).reference).execute(
      // As of 2026-11-30 11:00 in Japan.
      new GetWarrantyStatus(serial, deliveryDate, principal, '2026-11-30T02:00:00.000Z'),
    );

  /** The view's periods, each a literal [first day, last day]; null where the unit has no extension. */
  const periods = (product: readonly [string, string], extension: readonly [string, string] | null) => ({
    productWarranty: { start: product[0], end: product[1] },
    partnersCircleExtension: extension === null ? null : { start: extension[0], end: extension[1] },
  });

  liveAndRebuilt(rs, (when) => {
    it(`${when}: warranty view of a unit in the extension (periods by the partner guide's rules)`, async () => {
      expect(await warranty('OR-PICK', partner1)).toEqual({
        serialNumber: 'OR-PICK',
        modelNumber: 'WV-X1574LN',
        asOf: '2026-11-30',
        deliveryDate: '2023-06-01',
        deliveryDateSource: 'latest_ticket',
        coverage: 'partners_circle_extension',
        reasons: ['within_partners_circle_extension'],
        scheme: 'pickup_repair',
        periods: periods(['2023-06-01', '2024-05-31'], ['2024-06-01', '2028-05-31']),
        catalogVersion: 'sample-2023-05',
        membership: {
          partnerId: 'P-001',
          saleDate: '2023-05-01',
          memberAtSaleDate: true,
          period: { joinedOn: '2020-04-01', leftOn: null },
          // The partner record's version: revision 1 = two events (registered, joined).
          recordVersion: 2,
        },
        sale: { partnerId: 'P-001', saleDate: '2023-05-01', soldInJapan: true },
        pastTickets: [
          {
            ticketId: T.pickup,
            status: 'delivered',
            scheme: 'pickup_repair',
            coverage: 'partners_circle_extension',
            requestedAt: '2026-11-19T01:00:00.000Z',
          },
        ],
      });
    });

    it(`${when}: warranty view of a unit past both warranties, and of a year-1 unit`, async () => {
      expect(await warranty('OR-PAID-A', support)).toMatchObject({
        coverage: 'out_of_warranty',
        deliveryDate: '2020-06-01',
        periods: periods(['2020-06-01', '2021-05-31'], ['2021-06-01', '2025-05-31']),
        pastTickets: [
          { ticketId: T.quoteAccepted, status: 'failed_unit_in_transit', coverage: 'out_of_warranty' },
        ],
      });
      expect(await warranty('OR-REPL', support)).toMatchObject({
        coverage: 'product_warranty',
        scheme: 'replacement',
        periods: periods(['2026-03-10', '2027-03-09'], ['2027-03-10', '2031-03-09']),
        pastTickets: [{ ticketId: T.replacement, status: 'closed', requestedAt: '2026-11-21T01:00:00.000Z' }],
      });
    });

    it(`${when}: warranty view of a non-member's recorder: product warranty only, seen by its partner only`, async () => {
      expect(await warranty('OR-NVR-2', partner2)).toMatchObject({
        coverage: 'product_warranty',
        scheme: 'onsite_repair',
        periods: periods(['2026-07-01', '2027-06-30'], null),
        pastTickets: [{ ticketId: T.onsitePlanned, status: 'onsite_dispatched' }],
      });
      await expect(warranty('OR-NVR-2', partner1)).rejects.toBeInstanceOf(NotFoundException);
    });

    it(`${when}: warranty view of a leap-day delivery: the product warranty ends on Feb 28 (decision 2)`, async () => {
      expect(await warranty('OR-LEAP', support, '2024-02-29')).toMatchObject({
        deliveryDate: '2024-02-29',
        deliveryDateSource: 'query',
        coverage: 'partners_circle_extension',
        periods: periods(['2024-02-29', '2025-02-28'], ['2025-03-01', '2029-02-28']),
        pastTickets: [],
      });
    });
  });
});
