import { deciderSpec } from '../../testing/given-when-then.test-support';
import { type Actor } from '../shared/actor';
import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import {
  decideUnitSale,
  evolveUnitSale,
  initialUnitSaleState,
  type RecordUnitSale,
  type UnitSale,
} from './unit-sale.decider';

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
const unitSale = deciderSpec({
  decide: decideUnitSale,
  evolve: evolveUnitSale,
  initialState: initialUnitSaleState,
});

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

  it('refuses a second sale of the same serial', () => {
    unitSale
      .given(decideUnitSale(record(), initialUnitSaleState))
      .when(record())
      .thenThrows(IllegalTransitionError);
  });

  it('refuses a partner recording sales', () => {
    unitSale
      .given([])
      .when(record({}, { kind: 'partner', partnerId: 'P-001' }))
      .thenThrows(NotAllowedError);
  });

  it.each<[string, Partial<UnitSale>]>([
    ['serialNumber', { serialNumber: '' }],
    ['modelNumber', { modelNumber: '' }],
    ['partnerId', { partnerId: '' }],
    ['saleDate', { saleDate: '2025-02-30' }],
    ['soldInJapan', { soldInJapan: 'yes' as unknown as boolean }],
  ])('names %s when invalid', (field, overrides) => {
    unitSale.given([]).when(record(overrides)).thenThrows(ValidationError, { field });
  });

  it('refuses a time that is not an instant', () => {
    unitSale
      .given([])
      .when({ ...record(), metadata: { now: '', actor: { kind: 'support', userId: 'x' } } })
      .thenThrows(ValidationError, { field: 'metadata.now' });
  });

  it('refuses a partner nobody registered, naming partnerId (a typo would cost the unit its extension)', () => {
    unitSale
      .given([])
      .when({ ...record(), facts: { partnerRegistered: false, modelInCatalog: true } })
      .thenThrows(ValidationError, { field: 'partnerId' });
  });

  it('refuses a model in no published catalog version, naming modelNumber', () => {
    unitSale
      .given([])
      .when({ ...record(), facts: { partnerRegistered: true, modelInCatalog: false } })
      .thenThrows(ValidationError, { field: 'modelNumber' });
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
  it('tells a partner that sales records come from i-PRO systems', () => {
    unitSale
      .given([])
      .when(record({}, { kind: 'partner', partnerId: 'P-001' }))
      .thenThrows(NotAllowedError, {
        code: 'not_allowed',
        message: 'partner:P-001 may not RecordUnitSale: sales records come from i-PRO systems',
      });
  });

  it('says a time must be an instant', () => {
    unitSale
      .given([])
      .when({ ...record(), metadata: { now: '2026-11-25', actor: { kind: 'support', userId: 'x' } } })
      .thenThrows(ValidationError, { message: 'metadata.now: must be an ISO-8601 instant' });
  });

  it('says the sale is already recorded', () => {
    unitSale
      .given(decideUnitSale(record(), initialUnitSaleState))
      .when(record())
      .thenThrows(IllegalTransitionError, {
        code: 'illegal_transition',
        currentStatus: 'recorded',
        message: 'RecordUnitSale is not allowed in status recorded: sale already recorded',
      });
  });

  it('quotes the unregistered partner id and the model missing from the catalog', () => {
    unitSale
      .given([])
      .when({ ...record({ partnerId: 'P-0O1' }), facts: { partnerRegistered: false, modelInCatalog: true } })
      .thenThrows(ValidationError, { message: 'partnerId: no registered partner "P-0O1"' });
    unitSale
      .given([])
      .when({ ...record({ modelNumber: 'WV-X' }), facts: { partnerRegistered: true, modelInCatalog: false } })
      .thenThrows(ValidationError, { message: 'modelNumber: "WV-X" is in no published catalog version' });
  });

  it('says a sale date must not be in the future', () => {
    unitSale
      .given([])
      .when(record({ saleDate: '2026-11-26' }))
      .thenThrows(ValidationError, { message: 'saleDate: must not be in the future' });
  });
});
