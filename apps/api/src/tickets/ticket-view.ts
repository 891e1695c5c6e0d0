import { allowedCommands, type RepairTicketState } from '@app/domain';
import type { Principal } from '../auth/token';
import { actorOf } from '../infrastructure/command-context';
import { type AssessmentView, assessmentFor, type UnitView, unitFor } from './partner-isolation';

/**
 * What clients see of a ticket: the decider state plus its revision and the actions the caller may take next.
 * Facts from another partner's records (the sale of the unit, the seller's membership) are withheld from a
 * partner (partner-isolation.ts).
 */
export interface TicketView {
  readonly ticketId: string;
  readonly revision: number;
  readonly status: RepairTicketState['status'];
  readonly partnerId: string;
  readonly scheme: RepairTicketState['scheme'];
  readonly coverage: RepairTicketState['coverage'];
  readonly unit: UnitView | null;
  readonly failure: NonNullable<RepairTicketState['assessmentInput']>['failure'] | null;
  readonly site: NonNullable<RepairTicketState['assessmentInput']>['site'] | null;
  readonly assessment: AssessmentView | null;
  readonly quotes: RepairTicketState['quotes'];
  readonly exclusion: RepairTicketState['exclusion'];
  readonly shipments: RepairTicketState['shipments'];
  readonly onsite: RepairTicketState['onsite'];
  readonly repair: RepairTicketState['repair'];
  readonly rejection: RepairTicketState['rejection'];
  readonly cancellationReason: string | null;
  readonly openedAt: string | null;
  readonly updatedAt: string | null;
  readonly closedAt: string | null;
  /** Commands this caller may send next (the route is `POST /tickets/{id}/<kebab-case action>`). */
  readonly allowedActions: readonly string[];
}

export function toTicketView(
  ticketId: string,
  state: RepairTicketState,
  revision: number,
  principal: Principal,
): TicketView {
  const input = state.assessmentInput;
  return {
    ticketId,
    revision,
    status: state.status,
    partnerId: state.partnerId ?? '',
    scheme: state.scheme,
    coverage: state.coverage,
    unit: input ? unitFor(principal, input.unit) : null,
    failure: input?.failure ?? null,
    site: input?.site ?? null,
    assessment: state.assessment ? assessmentFor(principal, state.assessment) : null,
    quotes: state.quotes,
    exclusion: state.exclusion,
    shipments: state.shipments,
    onsite: state.onsite,
    repair: state.repair,
    rejection: state.rejection,
    cancellationReason: state.cancellationReason,
    openedAt: state.openedAt,
    updatedAt: state.updatedAt,
    closedAt: state.closedAt,
    allowedActions:
      principal.role === 'partner' || principal.role === 'support'
        ? allowedCommands(state, actorOf(principal))
        : [],
  };
}

/** A partner sees only its own tickets; staff roles see all. */
export function visibleTo(state: RepairTicketState, principal: Principal): boolean {
  return principal.role !== 'partner' || state.partnerId === principal.partnerId;
}
