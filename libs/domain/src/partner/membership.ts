import { type CalendarDate } from '../shared/calendar';

/** One Partners Circle membership period; `leftOn` is the first day without membership (null: still a member). */
export interface MembershipPeriod {
  readonly joinedOn: CalendarDate;
  readonly leftOn: CalendarDate | null;
}

/**
 * The membership fact an assessment used (decision 9): the partner the unit was sold to, whether it was a
 * Partners Circle member on the sale date, which membership period matched, and which revision of the
 * partner's record was read, so an auditor can explain a past decision after memberships changed.
 */
export interface MembershipFact {
  readonly partnerId: string;
  /** The sale date the membership was evaluated at. */
  readonly saleDate: CalendarDate;
  readonly memberAtSaleDate: boolean;
  /** The period containing the sale date, or null when not a member then. */
  readonly period: MembershipPeriod | null;
  /** Number of events in the partner's record when read (its version), or null if not taken from a record. */
  readonly recordVersion: number | null;
}
