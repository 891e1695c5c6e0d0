import { assessmentInput, type RequestOverrides } from '../../testing/repair-ticket-fixtures.test-support';
import { assessWarranty } from './assess-warranty.policy';
import { delivered } from './assess-warranty.test-support';

// Schemes and charges by product kind, catalog gaps, ineligible units and the recorded basis; periods, coverage
// and proof are in assess-warranty.policy.unit.spec.ts.
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
