import { type RepairTicketState, type TicketBilling, ticketBilling } from '@app/domain';
import { allowedActionsFor, type TicketDetailsV1, toTicketDetails } from '@app/read-models';
import type { Principal } from '../auth/token';
import { type AssessmentView, assessmentFor, type UnitView, unitFor } from './partner-isolation';
import { isTicketCommandType, type TicketAction, ticketAction } from './ticket-routes';

/**
 * What clients see of a ticket: the read model's details (TicketDetailsV1) with the actions the caller may take
 * next. Facts from another partner's records (the sale of the unit, the seller's membership) are withheld from a
 * partner (partner-isolation.ts).
 */
export interface TicketView {
  readonly ticketId: string;
  readonly revision: number;
  readonly status: TicketDetailsV1['status'];
  readonly partnerId: string;
  readonly scheme: TicketDetailsV1['scheme'];
  readonly coverage: TicketDetailsV1['coverage'];
  readonly unit: UnitView | null;
  readonly failure: TicketDetailsV1['failure'];
  readonly site: TicketDetailsV1['site'];
  readonly assessment: AssessmentView | null;
  /**
   * The ticket's billing now (the assessment keeps the decision at filing): an exclusion found at inspection, the
   * quotes and the partner's answers included. The list's `chargeable` is this `chargeable` (one rule, the domain's
   * ticketBilling). Null before the assessment.
   */
  readonly billing: TicketBilling | null;
  readonly quotes: TicketDetailsV1['quotes'];
  readonly exclusion: TicketDetailsV1['exclusion'];
  readonly shipments: TicketDetailsV1['shipments'];
  readonly onsite: TicketDetailsV1['onsite'];
  readonly repair: TicketDetailsV1['repair'];
  readonly rejection: TicketDetailsV1['rejection'];
  readonly cancellationReason: string | null;
  readonly openedAt: string | null;
  readonly updatedAt: string | null;
  readonly closedAt: string | null;
  /** What this caller may do next, as it calls it: route segment, method and path (ticket-routes.ts). */
  readonly allowedActions: readonly TicketAction[];
}

/** The HTTP view of a ticket's details for this caller. */
export function ticketViewFor(d: TicketDetailsV1, principal: Principal): TicketView {
  return {
    ticketId: d.ticketId,
    revision: d.revision,
    status: d.status,
    partnerId: d.partnerId,
    scheme: d.scheme,
    coverage: d.coverage,
    unit: d.unit ? unitFor(principal, d.unit) : null,
    failure: d.failure,
    site: d.site,
    assessment: d.assessment ? assessmentFor(principal, d.assessment) : null,
    billing: ticketBilling(d),
    quotes: d.quotes,
    exclusion: d.exclusion,
    shipments: d.shipments,
    onsite: d.onsite,
    repair: d.repair,
    rejection: d.rejection,
    cancellationReason: d.cancellationReason,
    openedAt: d.openedAt,
    updatedAt: d.updatedAt,
    closedAt: d.closedAt,
    allowedActions: allowedActionsFor(
      d,
      principal.role === 'partner'
        ? { kind: 'partner', partnerId: principal.partnerId }
        : principal.role === 'support'
          ? { kind: 'support' }
          : null,
    )
      // Filing is offered only before a request (`not_requested`), which no stored ticket is.
      .filter(isTicketCommandType)
      .map((type) => ticketAction(d.ticketId, type)),
  };
}

/**
 * A command's answer, from the state the command handler just decided: through the projection's own mapper, so
 * it is the view a following GET returns.
 */
export function toTicketView(
  ticketId: string,
  state: RepairTicketState,
  revision: number,
  principal: Principal,
): TicketView {
  return ticketViewFor(toTicketDetails(ticketId, state, revision), principal);
}

/** A partner sees only its own tickets; staff roles see all. */
export function visibleTo(ticket: { readonly partnerId: string | null }, principal: Principal): boolean {
  return principal.role !== 'partner' || ticket.partnerId === principal.partnerId;
}
