import type { Assessment, MembershipFact, RepairTicketEventType, UnitFacts } from '@app/domain';
import type { Principal } from '../auth/token';

/**
 * Partner isolation of read shapes (README "Access", "Partner isolation"). A partner sees what its own tickets
 * and its own sales records say, and the decisions made on its own tickets; never facts that come from another
 * partner's records. A ticket filed by one partner on a unit i-PRO sold to another carries such facts: the
 * selling partner's id, the sale (date, sold in Japan) and that partner's Partners Circle membership
 * (period, record version) — in the ticket's unit, in the assessment's basis and in the history's events.
 * Those fields are withheld (null) from the filing partner; staff roles see everything.
 *
 * The decision itself (coverage, reasons, periods, scheme, billing) stays visible: it is the answer to the
 * partner's own request, even though a reason such as `not_partners_circle_member_at_sale` follows from the
 * seller's record.
 */

/** The sale facts are the caller's own: staff, or the partner the unit was sold to. */
export function seesSaleOf(principal: Principal, soldToPartnerId: string | null | undefined): boolean {
  return principal.role !== 'partner' || principal.partnerId === soldToPartnerId;
}

export type UnitView = Omit<UnitFacts, 'soldToPartnerId' | 'saleDate' | 'soldInJapan'> & {
  readonly soldToPartnerId: string | null;
  readonly saleDate: string | null;
  readonly soldInJapan: boolean | null;
};

export type AssessmentView = Omit<Assessment, 'basis'> & {
  readonly basis: Omit<Assessment['basis'], 'membership'> & { readonly membership: MembershipFact | null };
};

export function unitFor(principal: Principal, unit: UnitFacts): UnitView {
  if (seesSaleOf(principal, unit.soldToPartnerId)) return unit;
  return { ...unit, soldToPartnerId: null, saleDate: null, soldInJapan: null };
}

export function assessmentFor(principal: Principal, assessment: Assessment): AssessmentView {
  if (seesSaleOf(principal, assessment.basis.membership.partnerId)) return assessment;
  return { ...assessment, basis: { ...assessment.basis, membership: null } };
}

/**
 * What a partner sees of each event type's data in a ticket's history. A table over every event type, so a new
 * event type does not compile until someone decides; a type missing from it (an event from a newer version) is
 * shown to partners without data.
 */
const HISTORY_DATA: Readonly<Record<RepairTicketEventType, 'as_recorded' | 'sale_facts_withheld'>> = {
  RepairRequested: 'sale_facts_withheld', // unit.soldToPartnerId, unit.saleDate, unit.soldInJapan, membership
  WarrantyAssessed: 'sale_facts_withheld', // assessment.basis.membership
  ProofOfDeliverySubmitted: 'as_recorded',
  ProceededWithoutProof: 'as_recorded',
  Escalated: 'as_recorded',
  ReplacementShipped: 'as_recorded',
  ReplacementDelivered: 'as_recorded',
  FailedUnitReturned: 'as_recorded',
  FailedUnitSent: 'as_recorded',
  FailedUnitReceived: 'as_recorded',
  RepairCompleted: 'as_recorded',
  RepairedUnitShipped: 'as_recorded',
  RepairedUnitDelivered: 'as_recorded',
  UnrepairedUnitReturned: 'as_recorded',
  OnsiteDispatched: 'as_recorded',
  OnsiteRepairCompleted: 'as_recorded',
  ExclusionFound: 'as_recorded',
  QuoteIssued: 'as_recorded',
  QuoteAccepted: 'as_recorded',
  QuoteDeclined: 'as_recorded',
  RepairRejected: 'as_recorded',
  TicketClosed: 'as_recorded',
  TicketCancelled: 'as_recorded',
};

/** The same rule on the stored events of a ticket's history (their data is what the event recorded). */
export function eventDataFor(principal: Principal, type: string, data: unknown): unknown {
  if (principal.role !== 'partner') return data;
  const rule = Object.hasOwn(HISTORY_DATA, type) ? HISTORY_DATA[type as RepairTicketEventType] : undefined;
  if (rule === undefined || !isRecord(data)) return null;
  if (rule === 'as_recorded') return data;
  if (type === 'RepairRequested') {
    const unit = data['unit'];
    if (isRecord(unit) && seesSaleOf(principal, unit['soldToPartnerId'] as string)) return data;
    return {
      ...data,
      unit: isRecord(unit) ? { ...unit, soldToPartnerId: null, saleDate: null, soldInJapan: null } : null,
      membership: null,
    };
  }
  const assessment = data['assessment'];
  const basis = isRecord(assessment) ? assessment['basis'] : undefined;
  if (!isRecord(assessment) || !isRecord(basis)) return data;
  const membership = basis['membership'];
  if (isRecord(membership) && seesSaleOf(principal, membership['partnerId'] as string)) return data;
  return { ...data, assessment: { ...assessment, basis: { ...basis, membership: null } } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
