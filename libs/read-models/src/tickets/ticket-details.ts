import {
  type Actor,
  allowedCommands,
  type Assessment,
  type CommandType,
  type Coverage,
  type ExclusionCode,
  type FailureFacts,
  type PartLine,
  type QuoteRecord,
  type RejectionReason,
  type RepairScheme,
  type RepairTicketState,
  type ShipmentRecord,
  type SiteFacts,
  type TicketStatus,
  type UnitFacts,
} from '@app/domain';

/**
 * The read side's own shapes are versioned by NAME (`TicketDetailsV1`, `TicketListRowV1`, …), not by a field in
 * each document: read models are disposable, so a changed shape is a new type, a migration that empties the
 * table and resets the projection's checkpoint, and a rebuild from the events — never an upcaster over stored
 * views. The name tells a reader of the api which contract it holds; the HTTP shapes are built from these in
 * apps/api (partner isolation and the caller's actions are applied there, per request).
 */

/** One ticket as the detail view shows it: what happened to it, and what each kind of caller may do next. */
export interface TicketDetailsV1 {
  readonly ticketId: string;
  readonly revision: number;
  readonly status: TicketStatus;
  /** The filing partner ('' before a request, which no stored ticket is). */
  readonly partnerId: string;
  readonly scheme: RepairScheme;
  readonly coverage: Coverage | null;
  /** Unredacted: the api withholds another partner's sale facts from a partner (partner-isolation.ts). */
  readonly unit: UnitFacts | null;
  readonly failure: FailureFacts | null;
  readonly site: SiteFacts | null;
  readonly assessment: Assessment | null;
  readonly quotes: readonly QuoteRecord[];
  readonly exclusion: {
    readonly exclusion: ExclusionCode;
    readonly clause: number;
    readonly findings: string;
  } | null;
  readonly shipments: {
    readonly replacement: (ShipmentRecord & { readonly replacementSerial: string }) | null;
    readonly failedUnit: ShipmentRecord | null;
    readonly repairedUnit: ShipmentRecord | null;
    readonly unrepairedReturn: ShipmentRecord | null;
  };
  readonly onsite: {
    readonly technicianName: string;
    readonly visitDate: string;
    readonly parts: readonly PartLine[];
    readonly completedOn: string | null;
    readonly workSummary: string | null;
  } | null;
  readonly repair: { readonly workSummary: string; readonly partsReplaced: readonly PartLine[] } | null;
  readonly rejection: { readonly reason: RejectionReason; readonly detail: string } | null;
  readonly cancellationReason: string | null;
  readonly openedAt: string | null;
  readonly updatedAt: string | null;
  readonly closedAt: string | null;
  /**
   * The commands the ticket accepts next, per kind of caller: its owner (the filing partner) and customer
   * support. Computed when the event is projected, with the domain's own rules, so that no reader needs the
   * decider's state to answer "what may I do next?".
   */
  readonly allowedActions: {
    readonly owner: readonly CommandType[];
    readonly support: readonly CommandType[];
  };
}

/** The owner and support as the domain's permission rules see them (ids do not matter for these two roles). */
const OWNER = (partnerId: string): Actor => ({ kind: 'partner', partnerId });
const SUPPORT: Actor = { kind: 'support', userId: 'any' };

/**
 * The projection's mapper: the details after `revision`, from the ticket's state folded with the domain's
 * `evolve`. Used by the tickets projection (stored in ticket_summary.details) and by the as-of query (folded
 * from the history rows), so both give the same shape; the api's command answers use it too.
 */
export function toTicketDetails(
  ticketId: string,
  state: RepairTicketState,
  revision: number,
): TicketDetailsV1 {
  const input = state.assessmentInput;
  const partnerId = state.partnerId ?? '';
  return {
    ticketId,
    revision,
    status: state.status,
    partnerId,
    scheme: state.scheme,
    coverage: state.coverage,
    unit: input?.unit ?? null,
    failure: input?.failure ?? null,
    site: input?.site ?? null,
    assessment: state.assessment,
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
    allowedActions: {
      owner: allowedCommands(state, OWNER(partnerId)),
      support: allowedCommands(state, SUPPORT),
    },
  };
}

/**
 * The commands `caller` may send next. A partner other than the owner may send none (the domain's rule:
 * `actorMay` lets a partner act only on its own ticket, or on one with no owner yet).
 */
export function allowedActionsFor(
  details: TicketDetailsV1,
  caller: { readonly kind: 'partner'; readonly partnerId: string } | { readonly kind: 'support' } | null,
): readonly CommandType[] {
  if (caller === null) return [];
  if (caller.kind === 'support') return details.allowedActions.support;
  return details.partnerId === '' || details.partnerId === caller.partnerId
    ? details.allowedActions.owner
    : [];
}
