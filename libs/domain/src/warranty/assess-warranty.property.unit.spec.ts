import fc from 'fast-check';
import { catalogFactFor } from '../catalog/catalog';
import { sampleCatalog } from '../catalog/sample-catalog';
import { addDays, anniversary } from '../shared/calendar';
import { assessWarranty, warrantyPeriods } from './assess-warranty.policy';
import { type AssessmentInput } from './warranty-assessment';

const CATALOG = sampleCatalog();
const MODELS = [...CATALOG.entries.map((e) => e.modelNumber), 'XX-UNKNOWN'];

/** Calendar days 2000-01-01 .. ~2041, leap days included. */
const calendarDate = fc.integer({ min: 0, max: 15_000 }).map((n) => addDays('2000-01-01', n));

const assessmentInput: fc.Arbitrary<AssessmentInput> = fc
  .record({
    deliveryDate: calendarDate,
    saleDaysBefore: fc.integer({ min: 0, max: 400 }),
    failureDaysAfter: fc.integer({ min: 0, max: 2_600 }),
    requestDaysAfter: fc.integer({ min: 0, max: 60 }),
    model: fc.constantFrom(...MODELS),
    member: fc.boolean(),
    soldInJapan: fc.boolean(),
    usedInJapan: fc.boolean(),
    component: fc.constantFrom('main_unit', 'recorder_hdd', 'software_only'),
    proof: fc.boolean(),
    proceedWithoutProof: fc.boolean(),
    onsiteRequested: fc.boolean(),
    remoteArea: fc.boolean(),
  })
  .map((r) => {
    const saleDate = addDays(r.deliveryDate, -r.saleDaysBefore);
    const failureDate = addDays(r.deliveryDate, r.failureDaysAfter);
    return {
      unit: {
        serialNumber: 'SN-1',
        modelNumber: r.model,
        deliveryDate: r.deliveryDate,
        soldToPartnerId: 'P-1',
        saleDate,
        soldInJapan: r.soldInJapan,
        usedInJapan: r.usedInJapan,
      },
      catalog: catalogFactFor(CATALOG, r.model),
      membership: {
        partnerId: 'P-1',
        saleDate,
        memberAtSaleDate: r.member,
        period: r.member ? { joinedOn: '1999-01-01', leftOn: null } : null,
        recordVersion: 1,
      },
      failure: { failureDate, description: 'fault', component: r.component },
      proofOfDelivery: r.proof ? { kind: 'delivery_slip', reference: 'D-1' } : null,
      proceedWithoutProof: r.proceedWithoutProof,
      site: { prefecture: 'Tokyo', remoteArea: r.remoteArea },
      onsiteRequested: r.onsiteRequested,
      requestDate: addDays(failureDate, r.requestDaysAfter),
    } satisfies AssessmentInput;
  });

describe('warranty properties', () => {
  it('the two periods are contiguous and never overlap', () => {
    fc.assert(
      fc.property(calendarDate, (delivery) => {
        const { productWarranty: pw, partnersCircleExtension: ext } = warrantyPeriods(delivery);
        expect(pw.start).toBe(delivery);
        expect(pw.start <= pw.end).toBe(true);
        expect(addDays(pw.end, 1)).toBe(ext.start);
        expect(ext.start <= ext.end).toBe(true);
        expect(addDays(ext.end, 1)).toBe(anniversary(delivery, 5));
      }),
    );
  });

  it('the product warranty lasts one calendar year: 365 or 366 days', () => {
    fc.assert(
      fc.property(calendarDate, (delivery) => {
        const { productWarranty: pw } = warrantyPeriods(delivery);
        const days = (Date.parse(pw.end) - Date.parse(pw.start)) / 86_400_000 + 1;
        expect([365, 366]).toContain(days);
      }),
    );
  });

  it('nothing is free after five years', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        fc.pre(
          input.failure.failureDate > warrantyPeriods(input.unit.deliveryDate).partnersCircleExtension.end,
        );
        const a = assessWarranty(input);
        expect(a.billing).not.toBe('free');
        expect(['product_warranty', 'partners_circle_extension']).not.toContain(a.coverage);
      }),
    );
  });

  it('a non-member never gets the extension', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        fc.pre(!input.membership.memberAtSaleDate);
        const a = assessWarranty(input);
        expect(a.coverage).not.toBe('partners_circle_extension');
        expect(a.periods.partnersCircleExtension).toBeNull();
      }),
    );
  });

  it('the assessment is deterministic', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        expect(assessWarranty(structuredClone(input))).toEqual(assessWarranty(input));
      }),
    );
  });

  it('a free repair is covered, proven, and never outside Japan', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        const a = assessWarranty(input);
        fc.pre(a.billing === 'free');
        expect(['product_warranty', 'partners_circle_extension']).toContain(a.coverage);
        expect(input.proofOfDelivery).not.toBeNull();
        expect(input.unit.soldInJapan && input.unit.usedInJapan).toBe(true);
      }),
    );
  });

  it('the coverage period contains the failure date', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        const a = assessWarranty(input);
        const period =
          a.coverage === 'product_warranty'
            ? a.periods.productWarranty
            : a.coverage === 'partners_circle_extension'
              ? a.periods.partnersCircleExtension
              : null;
        fc.pre(period !== null);
        expect(period.start <= a.failureDate && a.failureDate <= period.end).toBe(true);
      }),
    );
  });

  it('a quote is required exactly when there is something to charge and proof is settled', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        const a = assessWarranty(input);
        expect(a.quoteRequired).toBe(!a.awaitingProof && a.chargeLines.length > 0);
        expect(a.chargeLines.every((l) => l.amountJpy === null)).toBe(true);
      }),
    );
  });

  it('onsite charges appear only on onsite repairs, travel only in remote areas', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        const a = assessWarranty(input);
        const kinds = a.chargeLines.map((l) => l.kind);
        if (a.scheme !== 'onsite_repair') expect(kinds).not.toContain('onsite_fee');
        expect(kinds.includes('remote_area_travel')).toBe(
          a.scheme === 'onsite_repair' && input.site.remoteArea,
        );
      }),
    );
  });

  it('no repair scheme means no charges and no quote', () => {
    fc.assert(
      fc.property(assessmentInput, (input) => {
        const a = assessWarranty(input);
        fc.pre(a.disposition !== 'repair');
        expect(a).toMatchObject({ scheme: 'none', billing: 'none', chargeLines: [], quoteRequired: false });
      }),
    );
  });
});
