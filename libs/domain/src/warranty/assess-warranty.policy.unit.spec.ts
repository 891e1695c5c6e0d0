import { assessmentInput, type RequestOverrides } from '../../testing/repair-ticket-fixtures.test-support';
import { assessWarranty, warrantyPeriods } from './assess-warranty.policy';

/** A unit delivered on 2024-04-01 and sold to the partner before that. */
const delivered = (deliveryDate: string, failureDate: string, o: RequestOverrides = {}) =>
  assessWarranty(
    assessmentInput({
      ...o,
      unit: { deliveryDate, saleDate: '2024-01-15', ...o.unit },
      failure: { failureDate, ...o.failure },
      requestDate: failureDate,
    }),
  );

describe('warranty periods (decision 2)', () => {
  it('product warranty runs from the delivery date to delivery + 1 year − 1 day', () => {
    expect(warrantyPeriods('2024-04-01').productWarranty).toEqual({ start: '2024-04-01', end: '2025-03-31' });
  });

  it('the Partners Circle extension runs the following four years', () => {
    expect(warrantyPeriods('2024-04-01').partnersCircleExtension).toEqual({
      start: '2025-04-01',
      end: '2029-03-31',
    });
  });

  it('a Feb 29 delivery ends its product warranty on Feb 28 of the next year', () => {
    expect(warrantyPeriods('2024-02-29').productWarranty).toEqual({ start: '2024-02-29', end: '2025-02-28' });
  });

  it('a Feb 29 delivery starts its extension on Mar 1 and ends it on Feb 28 five years on', () => {
    expect(warrantyPeriods('2024-02-29').partnersCircleExtension).toEqual({
      start: '2025-03-01',
      end: '2029-02-28',
    });
  });

  it('the assessment reports both periods when the extension is granted', () => {
    expect(delivered('2024-04-01', '2024-05-01').periods).toEqual(warrantyPeriods('2024-04-01'));
  });
});

describe('coverage at the failure date (decisions 1 and 2)', () => {
  it('a failure on the delivery date is under the product warranty', () => {
    expect(delivered('2024-04-01', '2024-04-01')).toMatchObject({
      coverage: 'product_warranty',
      billing: 'free',
    });
  });

  it('a failure on the last day of year 1 is under the product warranty', () => {
    expect(delivered('2024-04-01', '2025-03-31')).toMatchObject({
      coverage: 'product_warranty',
      billing: 'free',
    });
  });

  it('a failure the day after year 1 is under the extension for a member, on a covered model', () => {
    expect(delivered('2024-04-01', '2025-04-01')).toMatchObject({
      coverage: 'partners_circle_extension',
      billing: 'free',
      reasons: ['within_partners_circle_extension'],
    });
  });

  it('a failure the day after year 1 is out of warranty when the partner was not a member at the sale', () => {
    const a = delivered('2024-04-01', '2025-04-01', { member: false });
    expect(a).toMatchObject({ coverage: 'out_of_warranty', billing: 'chargeable' });
    expect(a.reasons).toEqual(['after_product_warranty_no_extension', 'not_partners_circle_member_at_sale']);
    expect(a.periods.partnersCircleExtension).toBeNull();
  });

  it('a failure on the last day of year 5 is under the extension', () => {
    expect(delivered('2024-04-01', '2029-03-31').coverage).toBe('partners_circle_extension');
  });

  it('a failure the day after year 5 is out of warranty and chargeable', () => {
    expect(delivered('2024-04-01', '2029-04-01')).toMatchObject({
      coverage: 'out_of_warranty',
      billing: 'chargeable',
      reasons: ['after_partners_circle_extension'],
    });
  });

  it('a Feb 29 delivery is under the product warranty on Feb 28 of the next year', () => {
    expect(delivered('2024-02-29', '2025-02-28').coverage).toBe('product_warranty');
  });

  it('a Feb 29 delivery is under the extension from Mar 1 of the next year', () => {
    expect(delivered('2024-02-29', '2025-03-01').coverage).toBe('partners_circle_extension');
  });

  it('a failure inside the period is covered even when the request comes after the period ended', () => {
    const a = assessWarranty(
      assessmentInput({
        member: false,
        unit: { deliveryDate: '2024-04-01', saleDate: '2024-01-15' },
        failure: { failureDate: '2025-03-31' },
        requestDate: '2025-04-07',
      }),
    );
    expect(a).toMatchObject({
      coverage: 'product_warranty',
      failureDate: '2025-03-31',
      requestDate: '2025-04-07',
    });
  });
});

describe('proof of delivery (decision 3)', () => {
  it('without proof a covered repair is held as awaiting proof, no quote yet', () => {
    expect(delivered('2024-04-01', '2024-05-01', { proofOfDelivery: null })).toMatchObject({
      coverage: 'product_warranty',
      billing: 'pending_proof',
      awaitingProof: true,
      quoteRequired: false,
      chargeLines: [],
    });
  });

  it('proceeding without proof makes a covered repair chargeable', () => {
    const a = assessWarranty(
      assessmentInput({
        proofOfDelivery: null,
        proceedWithoutProof: true,
        failure: { failureDate: '2026-11-20' },
      }),
    );
    expect(a).toMatchObject({ billing: 'chargeable', awaitingProof: false, quoteRequired: true });
    expect(a.reasons).toContain('proceeded_without_proof');
    expect(a.chargeLines).toEqual([
      { kind: 'replacement_unit', description: 'Replacement unit (paid)', amountJpy: null },
    ]);
  });

  it('an out-of-warranty repair does not wait for proof: it is paid anyway', () => {
    expect(
      delivered('2018-04-01', '2024-05-01', { proofOfDelivery: null, unit: { saleDate: '2018-01-01' } }),
    ).toMatchObject({
      billing: 'chargeable',
      awaitingProof: false,
    });
  });
});

describe('software-only faults (decision 5)', () => {
  it('are pointed to software support with no repair scheme', () => {
    expect(delivered('2024-04-01', '2024-05-01', { failure: { component: 'software_only' } })).toMatchObject({
      coverage: 'not_eligible',
      disposition: 'software_support',
      scheme: 'none',
      billing: 'none',
      reasons: ['software_only_fault'],
      offers: [{ kind: 'software_support' }],
      quoteRequired: false,
    });
  });
});

describe('recorders', () => {
  const recorder = (failureDate: string, o: RequestOverrides = {}) =>
    delivered('2024-04-01', failureDate, { model: 'WJ-NX400', ...o });

  it('are repaired onsite for free in year 1', () => {
    expect(recorder('2024-09-01')).toMatchObject({
      coverage: 'product_warranty',
      scheme: 'onsite_repair',
      billing: 'free',
      chargeLines: [],
      quoteRequired: false,
    });
  });

  it('have their HDD repaired onsite for free in year 1', () => {
    expect(recorder('2024-09-01', { failure: { component: 'recorder_hdd' } })).toMatchObject({
      coverage: 'product_warranty',
      scheme: 'onsite_repair',
      billing: 'free',
    });
  });

  it('are picked up for a free repair in years 2–5', () => {
    expect(recorder('2026-09-01')).toMatchObject({
      coverage: 'partners_circle_extension',
      scheme: 'pickup_repair',
      billing: 'free',
    });
  });

  it('are repaired onsite on request in years 2–5 with a separate onsite fee line', () => {
    const a = recorder('2026-09-01', { onsiteRequested: true });
    expect(a).toMatchObject({
      coverage: 'partners_circle_extension',
      scheme: 'onsite_repair',
      billing: 'free',
      quoteRequired: true,
    });
    expect(a.chargeLines).toEqual([
      { kind: 'onsite_fee', description: 'Onsite repair fee (出張修理)', amountJpy: null },
    ]);
  });

  it('add a remote-area travel charge as its own line (decision 8)', () => {
    const a = recorder('2026-09-01', {
      onsiteRequested: true,
      site: { prefecture: 'Okinawa', remoteArea: true },
    });
    expect(a.chargeLines.map((l) => l.kind)).toEqual(['onsite_fee', 'remote_area_travel']);
    expect(a.reasons).toContain('remote_area_travel_charge');
  });

  it('carry the travel charge even on a free year-1 onsite repair in a remote area', () => {
    const a = recorder('2024-09-01', { site: { prefecture: 'Kagoshima', remoteArea: true } });
    expect(a).toMatchObject({ billing: 'free', quoteRequired: true });
    expect(a.chargeLines.map((l) => l.kind)).toEqual(['remote_area_travel']);
  });

  it('charge repair and onsite fee on a paid onsite repair', () => {
    const a = recorder('2030-09-01', { onsiteRequested: true });
    expect(a).toMatchObject({ coverage: 'out_of_warranty', billing: 'chargeable', scheme: 'onsite_repair' });
    expect(a.chargeLines.map((l) => l.kind)).toEqual(['repair', 'onsite_fee']);
  });

  it('charge an onsite fee in year 1 when the partner proceeds without proof', () => {
    const a = assessWarranty(
      assessmentInput({ model: 'WJ-NX400', proofOfDelivery: null, proceedWithoutProof: true }),
    );
    expect(a).toMatchObject({ scheme: 'onsite_repair', billing: 'chargeable' });
    expect(a.chargeLines.map((l) => l.kind)).toEqual(['repair', 'onsite_fee']);
  });

  it('do not cover the HDD after year 1: paid repair or HDD part sale (decision 6)', () => {
    const a = recorder('2026-09-01', { failure: { component: 'recorder_hdd' } });
    expect(a).toMatchObject({
      coverage: 'out_of_warranty',
      billing: 'chargeable',
      scheme: 'pickup_repair',
      reasons: ['recorder_hdd_not_covered_by_extension'],
    });
    expect(a.offers.map((o) => o.kind)).toEqual(['paid_repair', 'hdd_part_sale']);
  });

  it('offer the HDD part sale after year 5 too', () => {
    expect(
      recorder('2030-09-01', { failure: { component: 'recorder_hdd' } }).offers.map((o) => o.kind),
    ).toEqual(['paid_repair', 'hdd_part_sale']);
  });
});

describe('cameras', () => {
  it('of a replacement model are replaced', () => {
    expect(delivered('2024-04-01', '2024-05-01', { model: 'WV-S1136' }).scheme).toBe('replacement');
  });

  it('of a pickup model are picked up', () => {
    expect(delivered('2024-04-01', '2024-05-01', { model: 'WV-X1574LN' }).scheme).toBe('pickup_repair');
  });

  it('keep their model scheme when onsite is requested, with the reason noted', () => {
    const a = delivered('2024-04-01', '2024-05-01', { model: 'WV-X1574LN', onsiteRequested: true });
    expect(a.scheme).toBe('pickup_repair');
    expect(a.reasons).toContain('onsite_offered_for_recorders_only');
  });

  it('of a replacement model out of warranty are charged a replacement unit line', () => {
    expect(delivered('2018-04-01', '2024-05-01', { unit: { saleDate: '2018-01-01' } }).chargeLines).toEqual([
      { kind: 'replacement_unit', description: 'Replacement unit (paid)', amountJpy: null },
    ]);
  });
});

describe('models missing from the catalog or the covered list (decision 7)', () => {
  it('a model missing from the catalog is covered in year 1', () => {
    expect(
      delivered('2024-04-01', '2024-05-01', { model: 'WV-ZZ999', catalog: { version: 'v1', entry: null } }),
    ).toMatchObject({ coverage: 'product_warranty', scheme: 'pickup_repair', billing: 'free' });
  });

  it('a model missing from the catalog gets no extension', () => {
    const a = delivered('2024-04-01', '2025-05-01', {
      model: 'WV-ZZ999',
      catalog: { version: 'v1', entry: null },
    });
    expect(a).toMatchObject({ coverage: 'out_of_warranty', billing: 'chargeable' });
    expect(a.reasons).toContain('model_not_in_catalog');
    expect(a.periods.partnersCircleExtension).toBeNull();
  });

  it('an accessory not on the covered list gets no extension', () => {
    const a = delivered('2024-04-01', '2025-05-01', { model: 'WJ-PR204' });
    expect(a.coverage).toBe('out_of_warranty');
    expect(a.reasons).toContain('model_not_on_covered_list');
  });

  it('an accessory on the covered list gets the extension', () => {
    expect(delivered('2024-04-01', '2025-05-01', { model: 'WJ-PU100' }).coverage).toBe(
      'partners_circle_extension',
    );
  });

  it('a camera not on the covered list gets no extension', () => {
    expect(delivered('2024-04-01', '2025-05-01', { model: 'WV-S1536LN' }).coverage).toBe('out_of_warranty');
  });
});

describe('unrepairable products', () => {
  it('a mounting bracket is outside the product warranty and not repaired: buy new', () => {
    expect(delivered('2024-04-01', '2024-05-01', { model: 'WV-Q122A' })).toMatchObject({
      coverage: 'not_eligible',
      disposition: 'unrepairable_buy_new',
      scheme: 'none',
      billing: 'none',
      reasons: ['excluded_from_product_warranty', 'model_not_on_covered_list', 'unrepairable_model'],
      offers: [{ kind: 'buy_new' }],
      periods: { productWarranty: null, partnersCircleExtension: null },
    });
  });

  it('an SD card in year 1 is not repaired either: buy new', () => {
    expect(delivered('2024-04-01', '2024-05-01', { model: 'WV-SDA128G' })).toMatchObject({
      coverage: 'product_warranty',
      disposition: 'unrepairable_buy_new',
      scheme: 'none',
    });
  });
});

describe('products not sold or not used in Japan', () => {
  it('a unit sold abroad is not eligible for free warranty: paid repair', () => {
    const a = delivered('2024-04-01', '2024-05-01', { unit: { soldInJapan: false } });
    expect(a).toMatchObject({ coverage: 'not_eligible', billing: 'chargeable', quoteRequired: true });
    expect(a.reasons[0]).toBe('not_sold_or_used_in_japan');
    expect(a.offers.map((o) => o.kind)).toEqual(['paid_repair']);
  });

  it('a unit used abroad is not eligible for free warranty either', () => {
    expect(delivered('2024-04-01', '2024-05-01', { unit: { usedInJapan: false } }).coverage).toBe(
      'not_eligible',
    );
  });
});

describe('what the decision rested on (decision 9)', () => {
  it('records the catalog version, the catalog entry, the membership fact and the proof', () => {
    const input = assessmentInput();
    expect(assessWarranty(input).basis).toEqual({
      catalogVersion: input.catalog.version,
      catalogEntry: input.catalog.entry,
      membership: input.membership,
      proofOfDelivery: input.proofOfDelivery,
      proceededWithoutProof: false,
    });
  });

  it('leaves every amount to the quote', () => {
    const a = delivered('2024-04-01', '2030-05-01', {
      model: 'WJ-NX400',
      onsiteRequested: true,
      site: { remoteArea: true },
    });
    expect(a.chargeLines.every((l) => l.amountJpy === null)).toBe(true);
  });
});
