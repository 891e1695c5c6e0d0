import { type CatalogFact, normaliseModelNumber } from '../catalog/catalog';
import { type MembershipFact } from '../partner/membership';
import { membershipAt, type PartnerState } from '../partner/partner.decider';
import { type CalendarDate } from '../shared/calendar';
import { ValidationError } from '../shared/domain-errors';
import { type UnitFacts } from './warranty-assessment';

/** i-PRO's sales record of a unit (the unit-sale reference data). */
export interface SaleRecord {
  readonly modelNumber: string;
  readonly partnerId: string;
  readonly saleDate: CalendarDate;
  readonly soldInJapan: boolean;
}

/** What reference data says about a unit, as read by the caller (null: nothing on record). */
export interface ReferenceFacts {
  readonly sale: SaleRecord | null;
  /** The record of the partner the unit was sold to; null without a sale, or when that partner has none. */
  readonly soldToPartner: PartnerState | null;
  /** The catalog fact of a model in the version in force; null when no version is published yet. */
  readonly catalogFact: (modelNumber: string) => CatalogFact | null;
}

/** What the caller knows about the unit itself. */
export interface ClaimedUnit {
  readonly serialNumber: string;
  /**
   * The model named for the unit. `request`: a partner's claim, which must agree with the sales record;
   * `ticket`: taken from an earlier ticket, used only when there is no sales record.
   */
  readonly modelNumber: string;
  readonly modelSource: 'request' | 'ticket';
  readonly deliveryDate: CalendarDate;
  readonly usedInJapan: boolean;
  /** The partner filing (or that filed the latest ticket): the unit is taken as sold to it without a sale. */
  readonly filingPartnerId: string;
}

/**
 * The unit, catalog and membership facts an assessment uses, from reference data — with the rules for what is
 * NOT on record, written once (a filing and the warranty status query both use them):
 * - no sales record for the serial: the unit is taken as sold to the filing partner on its delivery date, in
 *   Japan, with NO Partners Circle membership established (the extension needs a recorded sale to a member);
 * - a sales record whose partner has no record: not a member either;
 * - no catalog version published yet: the catalog fact is `none` (product warranty only, decision 7).
 * A partner's model number that contradicts the sales record is refused (400 naming `modelNumber`).
 */
export function assessmentFactsFor(
  facts: ReferenceFacts,
  claimed: ClaimedUnit,
): { readonly unit: UnitFacts; readonly catalog: CatalogFact; readonly membership: MembershipFact } {
  const { sale } = facts;
  if (
    sale &&
    claimed.modelSource === 'request' &&
    normaliseModelNumber(sale.modelNumber) !== normaliseModelNumber(claimed.modelNumber)
  )
    throw new ValidationError('modelNumber', `i-PRO's sales record for this serial says ${sale.modelNumber}`);
  const modelNumber = sale?.modelNumber ?? claimed.modelNumber;
  const soldToPartnerId = sale?.partnerId ?? claimed.filingPartnerId;
  const saleDate = sale?.saleDate ?? claimed.deliveryDate;
  const partner = sale ? facts.soldToPartner : null;
  const membership: MembershipFact = partner
    ? membershipAt(partner, saleDate)
    : { partnerId: soldToPartnerId, saleDate, memberAtSaleDate: false, period: null, recordVersion: null };
  return {
    unit: {
      serialNumber: claimed.serialNumber,
      modelNumber,
      deliveryDate: claimed.deliveryDate,
      soldToPartnerId,
      saleDate,
      soldInJapan: sale?.soldInJapan ?? true,
      usedInJapan: claimed.usedInJapan,
    },
    catalog: facts.catalogFact(modelNumber) ?? { version: 'none', entry: null },
    membership,
  };
}
