import { assessmentInput } from '../../testing/repair-ticket-fixtures.test-support';
import { assessWarranty, warrantyPeriods } from './assess-warranty.policy';
import { delivered } from './assess-warranty.test-support';

describe('warranty periods (decision 2)', () => {
  // prettier-ignore
  it.each<[string, string, keyof ReturnType<typeof warrantyPeriods>, { start: string; end: string }]>([
    ['product warranty runs from the delivery date to delivery + 1 year − 1 day', '2024-04-01', 'productWarranty', { start: '2024-04-01', end: '2025-03-31' }],
    ['the Partners Circle extension runs the following four years', '2024-04-01', 'partnersCircleExtension', { start: '2025-04-01', end: '2029-03-31' }],
    ['a Feb 29 delivery ends its product warranty on Feb 28 of the next year', '2024-02-29', 'productWarranty', { start: '2024-02-29', end: '2025-02-28' }],
    ['a Feb 29 delivery starts its extension on Mar 1 and ends it on Feb 28 five years on', '2024-02-29', 'partnersCircleExtension', { start: '2025-03-01', end: '2029-02-28' }],
  ])('%s', (_name, deliveryDate, period, expected) => {
    expect(warrantyPeriods(deliveryDate)[period]).toEqual(expected);
  });

  it('the assessment reports both periods when the extension is granted', () => {
    expect(delivered('2024-04-01', '2024-05-01').periods).toEqual(warrantyPeriods('2024-04-01'));
  });
});

describe('coverage at the failure date (decisions 1 and 2)', () => {
  // prettier-ignore
  it.each<[string, string, string, Readonly<Record<string, unknown>>]>([
    ['a failure on the delivery date is under the product warranty', '2024-04-01', '2024-04-01', { coverage: 'product_warranty', billing: 'free' }],
    ['a failure on the last day of year 1 is under the product warranty', '2024-04-01', '2025-03-31', { coverage: 'product_warranty', billing: 'free' }],
    ['a failure the day after year 1 is under the extension for a member, on a covered model', '2024-04-01', '2025-04-01', { coverage: 'partners_circle_extension', billing: 'free', reasons: ['within_partners_circle_extension'] }],
    ['a failure on the last day of year 5 is under the extension', '2024-04-01', '2029-03-31', { coverage: 'partners_circle_extension' }],
    ['a failure the day after year 5 is out of warranty and chargeable', '2024-04-01', '2029-04-01', { coverage: 'out_of_warranty', billing: 'chargeable', reasons: ['after_partners_circle_extension'] }],
    ['a Feb 29 delivery is under the product warranty on Feb 28 of the next year', '2024-02-29', '2025-02-28', { coverage: 'product_warranty' }],
    ['a Feb 29 delivery is under the extension from Mar 1 of the next year', '2024-02-29', '2025-03-01', { coverage: 'partners_circle_extension' }],
  ])('%s', (_name, deliveryDate, failureDate, expected) => {
    expect(delivered(deliveryDate, failureDate)).toMatchObject(expected);
  });

  it('a failure the day after year 1 is out of warranty when the partner was not a member at the sale', () => {
    const a = delivered('2024-04-01', '2025-04-01', { member: false });
    expect(a).toMatchObject({ coverage: 'out_of_warranty', billing: 'chargeable' });
    expect(a.reasons).toEqual(['after_product_warranty_no_extension', 'not_partners_circle_member_at_sale']);
    expect(a.periods.partnersCircleExtension).toBeNull();
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
