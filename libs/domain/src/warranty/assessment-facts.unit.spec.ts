import { ValidationError } from '../shared/domain-errors';
import { type PartnerState } from '../partner/partner.decider';
import { assessmentFactsFor, type ClaimedUnit, type ReferenceFacts } from './assessment-facts';

const claimed: ClaimedUnit = {
  serialNumber: 'SN-1',
  modelNumber: 'WV-S1136',
  modelSource: 'request',
  deliveryDate: '2025-04-10',
  usedInJapan: true,
  filingPartnerId: 'P-FILER',
};
const sale = { modelNumber: 'WV-S1136', partnerId: 'P-SELLER', saleDate: '2025-04-01', soldInJapan: false };
const seller: PartnerState = {
  partnerId: 'P-SELLER',
  name: 'Seller',
  memberships: [{ joinedOn: '2024-01-01', leftOn: null }],
  certifiedOn: null,
  version: 3,
};
const entry = {
  modelNumber: 'WV-S1136',
  name: 'Camera',
  category: 'camera',
  onCoveredList: true,
  productWarranty: true,
  repairable: true,
  repairScheme: 'replacement',
} as const;
const published = (): ReferenceFacts['catalogFact'] => () => ({ version: '2023-05', entry });

describe('assessmentFactsFor: reference facts, and the rules for what is not on record', () => {
  it('with a sale to a member: the sale, the seller and its membership at the sale date', () => {
    const facts = assessmentFactsFor({ sale, soldToPartner: seller, catalogFact: published() }, claimed);
    expect(facts.unit).toEqual({
      serialNumber: 'SN-1',
      modelNumber: 'WV-S1136',
      deliveryDate: '2025-04-10',
      soldToPartnerId: 'P-SELLER',
      saleDate: '2025-04-01',
      soldInJapan: false,
      usedInJapan: true,
    });
    expect(facts.membership).toEqual({
      partnerId: 'P-SELLER',
      saleDate: '2025-04-01',
      memberAtSaleDate: true,
      period: { joinedOn: '2024-01-01', leftOn: null },
      recordVersion: 3,
    });
    expect(facts.catalog).toEqual({ version: '2023-05', entry });
  });

  it('without a sale: sold to the filing partner on the delivery date, in Japan, no membership', () => {
    const facts = assessmentFactsFor({ sale: null, soldToPartner: null, catalogFact: published() }, claimed);
    expect(facts.unit).toMatchObject({
      soldToPartnerId: 'P-FILER',
      saleDate: '2025-04-10',
      soldInJapan: true,
    });
    expect(facts.membership).toEqual({
      partnerId: 'P-FILER',
      saleDate: '2025-04-10',
      memberAtSaleDate: false,
      period: null,
      recordVersion: null,
    });
  });

  it('a sale whose partner has no record: not a member', () => {
    const facts = assessmentFactsFor({ sale, soldToPartner: null, catalogFact: published() }, claimed);
    expect(facts.membership).toMatchObject({
      partnerId: 'P-SELLER',
      memberAtSaleDate: false,
      recordVersion: null,
    });
  });

  it('no catalog version published yet: the catalog fact is none', () => {
    const facts = assessmentFactsFor({ sale: null, soldToPartner: null, catalogFact: () => null }, claimed);
    expect(facts.catalog).toEqual({ version: 'none', entry: null });
  });

  it('a requested model contradicting the sales record is refused, naming modelNumber', () => {
    const wrong = { ...claimed, modelNumber: 'WV-X9999' };
    expect(() =>
      assessmentFactsFor({ sale, soldToPartner: seller, catalogFact: published() }, wrong),
    ).toThrow(expect.objectContaining({ constructor: ValidationError, field: 'modelNumber' }) as Error);
  });

  it('a model taken from an earlier ticket gives way to the sales record silently', () => {
    const fromTicket = { ...claimed, modelNumber: 'WV-X9999', modelSource: 'ticket' as const };
    const facts = assessmentFactsFor({ sale, soldToPartner: seller, catalogFact: published() }, fromTicket);
    expect(facts.unit.modelNumber).toBe('WV-S1136');
  });
});
