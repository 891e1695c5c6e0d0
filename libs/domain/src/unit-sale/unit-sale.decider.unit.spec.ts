import { deciderSpec } from '../../testing/given-when-then.test-support';
import { type Actor } from '../shared/actor';
import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import { type RecordUnitSale, type UnitSale } from './unit-sale.decider';
import { unitSaleDecider } from './unit-sale.stream';

const NOW = '2026-11-25T01:00:00.000Z';
const sale: UnitSale = {
  serialNumber: 'SN-1',
  modelNumber: 'WV-S1136',
  partnerId: 'P-001',
  saleDate: '2025-01-10',
  soldInJapan: true,
};
const record = (
  overrides: Partial<UnitSale> = {},
  actor: Actor = { kind: 'system', component: 'erp-import' },
): RecordUnitSale => ({
  type: 'RecordUnitSale',
  data: { ...sale, ...overrides },
  facts: { partnerRegistered: true, modelInCatalog: true },
  metadata: { now: NOW, actor },
});
/** The same command with what the store says about its partner and its model. */
const withFacts = (command: RecordUnitSale, partnerRegistered: boolean, modelInCatalog: boolean) => ({
  ...command,
  facts: { partnerRegistered, modelInCatalog },
});
const partnerP001: Actor = { kind: 'partner', partnerId: 'P-001' };
const support: Actor = { kind: 'support', userId: 'x' };
const unitSale = deciderSpec(unitSaleDecider);
/** The serial's sale already recorded. */
const recorded = () => unitSale.history(record());

describe('unit sales', () => {
  it('records which partner a serial was sold to and when', () => {
    unitSale
      .given([])
      .when(record())
      .then([
        { type: 'UnitSaleRecorded', schemaVersion: 1, data: { ...sale, at: NOW, by: 'system:erp-import' } },
      ]);
  });

  it('keeps the sale in state', () => {
    unitSale
      .given([])
      .when(record())
      .thenState((state) => expect(state.sale).toEqual(sale));
  });

  // prettier-ignore
  unitSale.refuses([
    ['refuses a second sale of the same serial', recorded, record(), IllegalTransitionError],
    ['refuses a partner recording sales', () => [], record({}, partnerP001), NotAllowedError],
    ['refuses a time that is not an instant', () => [], { ...record(), metadata: { now: '', actor: support } }, ValidationError, { field: 'metadata.now' }],
    ['refuses a partner nobody registered, naming partnerId (a typo would cost the unit its extension)', () => [], withFacts(record(), false, true), ValidationError, { field: 'partnerId' }],
    ['refuses a model in no published catalog version, naming modelNumber', () => [], withFacts(record(), true, false), ValidationError, { field: 'modelNumber' }],
  ]);

  it.each<[string, Partial<UnitSale>]>([
    ['serialNumber', { serialNumber: '' }],
    ['modelNumber', { modelNumber: '' }],
    ['partnerId', { partnerId: '' }],
    ['saleDate', { saleDate: '2025-02-30' }],
    ['soldInJapan', { soldInJapan: 'yes' as unknown as boolean }],
  ])('names %s when invalid', (field, overrides) => {
    unitSale.given([]).when(record(overrides)).thenThrows(ValidationError, { field });
  });

  it('refuses a sale date after today in Japan, and takes today in Japan', () => {
    // NOW is 10:00 in Japan on 2026-11-25.
    unitSale
      .given([])
      .when(record({ saleDate: '2026-11-26' }))
      .thenThrows(ValidationError, { field: 'saleDate' });
    unitSale
      .given([])
      .when(record({ saleDate: '2026-11-25' }))
      .thenState((state) => expect(state.sale?.saleDate).toBe('2026-11-25'));
    // 00:30 in Japan on 2026-11-26 is still 2026-11-25 in UTC: the Japan day counts.
    unitSale
      .given([])
      .when({
        ...record({ saleDate: '2026-11-26' }),
        metadata: { now: '2026-11-25T15:30:00.000Z', actor: { kind: 'system', component: 'erp-import' } },
      })
      .thenState((state) => expect(state.sale?.saleDate).toBe('2026-11-26'));
  });
});

describe('unit sale refusals say why', () => {
  // prettier-ignore
  unitSale.refuses([
    ['tells a partner that sales records come from i-PRO systems', () => [], record({}, partnerP001), NotAllowedError, { code: 'not_allowed', message: 'partner:P-001 may not RecordUnitSale: sales records come from i-PRO systems' }],
    ['says a time must be an instant', () => [], { ...record(), metadata: { now: '2026-11-25', actor: support } }, ValidationError, { message: 'metadata.now: must be an ISO-8601 instant' }],
    ['says the sale is already recorded', recorded, record(), IllegalTransitionError, { code: 'illegal_transition', currentStatus: 'recorded', message: 'RecordUnitSale is not allowed in status recorded: sale already recorded' }],
    ['says a sale date must not be in the future', () => [], record({ saleDate: '2026-11-26' }), ValidationError, { message: 'saleDate: must not be in the future' }],
  ]);

  it('quotes the unregistered partner id and the model missing from the catalog', () => {
    unitSale
      .given([])
      .when(withFacts(record({ partnerId: 'P-0O1' }), false, true))
      .thenThrows(ValidationError, { message: 'partnerId: no registered partner "P-0O1"' });
    unitSale
      .given([])
      .when(withFacts(record({ modelNumber: 'WV-X' }), true, false))
      .thenThrows(ValidationError, { message: 'modelNumber: "WV-X" is in no published catalog version' });
  });
});
