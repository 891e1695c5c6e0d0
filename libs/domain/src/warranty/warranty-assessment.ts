import { type CatalogEntry, type CatalogFact } from '../catalog/catalog';
import { type MembershipFact } from '../partner/membership';
import { type CalendarDate } from '../shared/calendar';

/** Facts about the failed unit, resolved by the caller from unit-sale reference data and the request. */
export interface UnitFacts {
  readonly serialNumber: string;
  readonly modelNumber: string;
  /** End-user delivery date (納品日): the start of every warranty. */
  readonly deliveryDate: CalendarDate;
  /** The partner the unit was sold to: its Partners Circle membership at the sale decides the extension. */
  readonly soldToPartnerId: string;
  readonly saleDate: CalendarDate;
  readonly soldInJapan: boolean;
  readonly usedInJapan: boolean;
}

/** Which part failed (the API's enum is this list). */
export const FAILED_COMPONENTS = ['main_unit', 'recorder_hdd', 'software_only'] as const;
export type FailedComponent = (typeof FAILED_COMPONENTS)[number];

export interface FailureFacts {
  /** Coverage is decided at this date, not the request date (decision 1). */
  readonly failureDate: CalendarDate;
  readonly description: string;
  readonly component: FailedComponent;
}

/** Kinds of delivery-date evidence (the API's enum is this list). */
export const PROOF_KINDS = ['delivery_slip', 'invoice', 'other'] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];

/** A reference to the delivery-date evidence (納品書 or similar) held by the document store. */
export interface ProofOfDelivery {
  readonly kind: ProofKind;
  readonly reference: string;
}

export interface SiteFacts {
  readonly prefecture: string;
  /** Remote island or remote area (離島・へき地): onsite work adds a travel charge. */
  readonly remoteArea: boolean;
}

/** Everything the assessment needs; the caller resolves it from reference data so the policy stays pure. */
export interface AssessmentInput {
  readonly unit: UnitFacts;
  readonly catalog: CatalogFact;
  readonly membership: MembershipFact;
  readonly failure: FailureFacts;
  readonly proofOfDelivery: ProofOfDelivery | null;
  /** The partner chose to go on without proof: the repair becomes chargeable (decision 3). */
  readonly proceedWithoutProof: boolean;
  readonly site: SiteFacts;
  readonly onsiteRequested: boolean;
  readonly requestDate: CalendarDate;
}

/** The coverages an assessment can decide (the ticket list's `coverage` filter is this list). */
export const COVERAGES = [
  'product_warranty',
  'partners_circle_extension',
  'out_of_warranty',
  'not_eligible',
] as const;
export type Coverage = (typeof COVERAGES)[number];
/** ① replacement, ② pickup repair, ③ onsite repair, or none (the ticket list's `scheme` filter is this list). */
export const REPAIR_SCHEMES = ['replacement', 'pickup_repair', 'onsite_repair', 'none'] as const;
export type RepairScheme = (typeof REPAIR_SCHEMES)[number];
/** What happens with the request: a hardware repair, a pointer to software support, or "buy a new one". */
export type Disposition = 'repair' | 'software_support' | 'unrepairable_buy_new';
/** Whether the repair itself is paid; surcharges (remote-area travel) may apply even to a free repair. */
export type Billing = 'free' | 'chargeable' | 'pending_proof' | 'none';

export type ReasonCode =
  | 'within_product_warranty'
  | 'within_partners_circle_extension'
  | 'after_product_warranty_no_extension'
  | 'after_partners_circle_extension'
  | 'not_sold_or_used_in_japan'
  | 'excluded_from_product_warranty'
  | 'model_not_in_catalog'
  | 'model_not_on_covered_list'
  | 'not_partners_circle_member_at_sale'
  | 'recorder_hdd_not_covered_by_extension'
  | 'software_only_fault'
  | 'unrepairable_model'
  | 'awaiting_proof_of_delivery'
  | 'proceeded_without_proof'
  | 'recorder_onsite_in_year_one'
  | 'onsite_on_request_for_fee'
  | 'onsite_offered_for_recorders_only'
  | 'remote_area_travel_charge';

/** Kinds of charge line, at assessment and on a quote (the API's enum is this list). */
export const CHARGE_KINDS = [
  'repair',
  'replacement_unit',
  'onsite_fee',
  'remote_area_travel',
  'hdd_part',
  'parts',
  'inspection',
] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];

/** A charge line at assessment: amounts are not known yet (null = to be quoted by customer support). */
export interface ChargeLine {
  readonly kind: ChargeKind;
  readonly description: string;
  readonly amountJpy: number | null;
}

export type OfferKind = 'paid_repair' | 'hdd_part_sale' | 'software_support' | 'buy_new';
export interface Offer {
  readonly kind: OfferKind;
  readonly description: string;
}

/** Inclusive calendar period in Japan time. */
export interface Period {
  readonly start: CalendarDate;
  readonly end: CalendarDate;
}

export interface Assessment {
  readonly coverage: Coverage;
  readonly reasons: readonly ReasonCode[];
  readonly disposition: Disposition;
  readonly scheme: RepairScheme;
  readonly billing: Billing;
  readonly chargeLines: readonly ChargeLine[];
  readonly offers: readonly Offer[];
  readonly awaitingProof: boolean;
  /** True when the partner must accept a quote before the work goes on (any charge line, proof settled). */
  readonly quoteRequired: boolean;
  readonly periods: {
    /** Null for products the product warranty excludes (brackets). */
    readonly productWarranty: Period | null;
    /** Null unless the extension was granted (member at sale, model on the covered list). */
    readonly partnersCircleExtension: Period | null;
  };
  readonly failureDate: CalendarDate;
  readonly requestDate: CalendarDate;
  readonly deliveryDate: CalendarDate;
  /** What the decision rested on (decision 9). */
  readonly basis: {
    readonly catalogVersion: string;
    readonly catalogEntry: CatalogEntry | null;
    readonly membership: MembershipFact;
    readonly proofOfDelivery: ProofOfDelivery | null;
    readonly proceededWithoutProof: boolean;
  };
}
