import type { Principal } from '../auth/token';
import { eventDataFor, seesSaleOf } from './partner-isolation';

const seller: Principal = { role: 'partner', subject: 'a', partnerId: 'P-A' };
const servicer: Principal = { role: 'partner', subject: 'b', partnerId: 'P-B' };
const auditor: Principal = { role: 'auditor', subject: 'x' };
const membership = {
  partnerId: 'P-A',
  saleDate: '2024-01-10',
  memberAtSaleDate: true,
  period: null,
  recordVersion: 3,
};
const requested = {
  ticketId: 't',
  partnerId: 'P-B',
  unit: {
    serialNumber: 'S',
    modelNumber: 'M',
    deliveryDate: '2024-02-01',
    soldToPartnerId: 'P-A',
    saleDate: '2024-01-10',
    soldInJapan: true,
    usedInJapan: true,
  },
  membership,
};
const assessed = {
  ticketId: 't',
  assessment: { coverage: 'product_warranty', basis: { catalogVersion: 'v1', membership } },
};

describe('partner isolation of history event data', () => {
  it('staff and the selling partner see the data as recorded', () => {
    expect(seesSaleOf(auditor, 'P-A')).toBe(true);
    expect(eventDataFor(auditor, 'RepairRequested', requested)).toBe(requested);
    expect(eventDataFor(seller, 'RepairRequested', requested)).toBe(requested);
    expect(eventDataFor(seller, 'WarrantyAssessed', assessed)).toBe(assessed);
  });

  it('another partner sees RepairRequested without the sale and the membership', () => {
    expect(eventDataFor(servicer, 'RepairRequested', requested)).toEqual({
      ...requested,
      unit: { ...requested.unit, soldToPartnerId: null, saleDate: null, soldInJapan: null },
      membership: null,
    });
  });

  it('another partner sees WarrantyAssessed with its decision but without the membership basis', () => {
    expect(eventDataFor(servicer, 'WarrantyAssessed', assessed)).toEqual({
      ticketId: 't',
      assessment: { coverage: 'product_warranty', basis: { catalogVersion: 'v1', membership: null } },
    });
  });

  it('events without sale facts pass as recorded; an event type the table does not know shows no data', () => {
    const shipped = { ticketId: 't', carrier: 'Yamato', trackingNumber: '1' };
    expect(eventDataFor(servicer, 'ReplacementShipped', shipped)).toBe(shipped);
    expect(eventDataFor(servicer, 'SomethingNew', { soldToPartnerId: 'P-A' })).toBeNull();
    expect(eventDataFor(servicer, '__proto__', {})).toBeNull();
  });
});
