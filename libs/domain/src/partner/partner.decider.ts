import { type Actor, actorId } from '../shared/actor';
import { type CalendarDate, isCalendarDate, isInstant } from '../shared/calendar';
import {
  IllegalTransitionError,
  NotAllowedError,
  PartnerNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import { type DomainCommand, type DomainEvent } from '../shared/messages';
import { type MembershipFact, type MembershipPeriod } from './membership';

/** Reference data: a partner (reseller / installer), its Partners Circle memberships and certification. */

type PartnerEventOf<T extends string, D> = DomainEvent<T, D & { partnerId: string }>;
type PartnerCommandOf<T extends string, D> = DomainCommand<T, D & { partnerId: string }>;

export type PartnerRegistered = PartnerEventOf<'PartnerRegistered', { name: string }>;
export type PartnersCircleJoined = PartnerEventOf<'PartnersCircleJoined', { date: CalendarDate }>;
export type PartnersCircleLeft = PartnerEventOf<'PartnersCircleLeft', { date: CalendarDate }>;
export type PartnerCertified = PartnerEventOf<'PartnerCertified', { date: CalendarDate }>;
export type PartnerEvent = PartnerRegistered | PartnersCircleJoined | PartnersCircleLeft | PartnerCertified;
export const PARTNER_EVENT_TYPES: readonly PartnerEvent['type'][] = [
  'PartnerRegistered',
  'PartnersCircleJoined',
  'PartnersCircleLeft',
  'PartnerCertified',
];

export type RegisterPartner = PartnerCommandOf<'RegisterPartner', { name: string }>;
export type JoinPartnersCircle = PartnerCommandOf<'JoinPartnersCircle', { date: CalendarDate }>;
export type LeavePartnersCircle = PartnerCommandOf<'LeavePartnersCircle', { date: CalendarDate }>;
export type CertifyPartner = PartnerCommandOf<'CertifyPartner', { date: CalendarDate }>;
export type PartnerCommand = RegisterPartner | JoinPartnersCircle | LeavePartnersCircle | CertifyPartner;

export interface PartnerState {
  readonly partnerId: string | null;
  readonly name: string | null;
  readonly memberships: readonly MembershipPeriod[];
  readonly certifiedOn: CalendarDate | null;
  /** Number of events applied: recorded in membership facts so an auditor can find the record read. */
  readonly version: number;
}

export const initialPartnerState: PartnerState = {
  partnerId: null,
  name: null,
  memberships: [],
  certifiedOn: null,
  version: 0,
};

function requireSupport(actor: Actor, command: string): void {
  // Partner records are maintained by i-PRO staff or an import job, never by partners themselves.
  if (actor.kind !== 'support' && actor.kind !== 'system')
    throw new NotAllowedError(actorId(actor), command, 'partner records are maintained by i-PRO');
}

function requireDate(value: CalendarDate, field: string): void {
  if (!isCalendarDate(value)) throw new ValidationError(field, 'must be a YYYY-MM-DD date');
}

function openMembership(state: PartnerState): MembershipPeriod | undefined {
  return state.memberships.find((m) => m.leftOn === null);
}

export function decidePartner(command: PartnerCommand, state: PartnerState): PartnerEvent[] {
  requireSupport(command.metadata.actor, command.type);
  if (!isInstant(command.metadata.now))
    throw new ValidationError('metadata.now', 'must be an ISO-8601 instant');
  const base = {
    partnerId: command.data.partnerId,
    at: command.metadata.now,
    by: actorId(command.metadata.actor),
  };
  if (command.type === 'RegisterPartner') {
    if (state.partnerId !== null)
      throw new IllegalTransitionError('registered', command.type, 'already registered');
    if (command.data.partnerId.trim() === '') throw new ValidationError('partnerId', 'must not be empty');
    if (command.data.name.trim() === '') throw new ValidationError('name', 'must not be empty');
    return [{ type: 'PartnerRegistered', schemaVersion: 1, data: { ...base, name: command.data.name } }];
  }
  // Membership and certification of a partner nobody registered: there is no such partner (404).
  if (state.partnerId === null) throw new PartnerNotFoundError(command.data.partnerId);
  requireDate(command.data.date, 'date');
  const date = command.data.date;
  switch (command.type) {
    case 'JoinPartnersCircle': {
      if (openMembership(state) !== undefined)
        throw new IllegalTransitionError('member', command.type, 'already a member');
      const last = state.memberships.at(-1);
      if (last?.leftOn != null && date < last.leftOn)
        throw new ValidationError('date', 'must not be before the end of the previous membership');
      return [{ type: 'PartnersCircleJoined', schemaVersion: 1, data: { ...base, date } }];
    }
    case 'LeavePartnersCircle': {
      const open = openMembership(state);
      if (open === undefined) throw new IllegalTransitionError('not_member', command.type, 'not a member');
      if (date <= open.joinedOn) throw new ValidationError('date', 'must be after the join date');
      return [{ type: 'PartnersCircleLeft', schemaVersion: 1, data: { ...base, date } }];
    }
    case 'CertifyPartner':
      if (state.certifiedOn !== null)
        throw new IllegalTransitionError('certified', command.type, 'already certified');
      return [{ type: 'PartnerCertified', schemaVersion: 1, data: { ...base, date } }];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

export function evolvePartner(state: PartnerState, event: PartnerEvent): PartnerState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'PartnerRegistered':
      return { ...next, partnerId: event.data.partnerId, name: event.data.name };
    case 'PartnersCircleJoined':
      return { ...next, memberships: [...state.memberships, { joinedOn: event.data.date, leftOn: null }] };
    case 'PartnersCircleLeft':
      return {
        ...next,
        memberships: state.memberships.map((m) =>
          m.leftOn === null ? { ...m, leftOn: event.data.date } : m,
        ),
      };
    case 'PartnerCertified':
      return { ...next, certifiedOn: event.data.date };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/**
 * Was the partner a Partners Circle member on `saleDate`? A member from the join date (inclusive) until the
 * leave date (exclusive): `leftOn` is the first day without membership.
 */
export function membershipAt(state: PartnerState, saleDate: CalendarDate): MembershipFact {
  const period =
    state.memberships.find((m) => m.joinedOn <= saleDate && (m.leftOn === null || saleDate < m.leftOn)) ??
    null;
  return {
    partnerId: state.partnerId ?? '',
    saleDate,
    memberAtSaleDate: period !== null,
    period,
    recordVersion: state.version,
  };
}

export function isCertified(state: PartnerState, on: CalendarDate): boolean {
  return state.certifiedOn !== null && state.certifiedOn <= on;
}
