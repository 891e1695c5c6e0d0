import { type CalendarDate, type Instant, tokyoDateOf } from '../../shared/calendar';
import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  ValidationError,
} from '../../shared/domain-errors';
import { requireDate, requireText } from '../../shared/validation';
import { type RepairTicketCommand } from '../repair-ticket.commands';
import { type PartLine, type Shipment } from '../repair-ticket.events';
import { type RepairTicketState, type ShipmentRecord, type TicketStatus } from '../repair-ticket.state';

/**
 * What every command group's decision needs besides its command: the ticket, the command's instant and its
 * Japan day, and the fields every event carries (`ticketId`, `at`, `by`). Built once by `decide` after the
 * checks every command shares (found, allowed, legal in this status).
 */
export interface DecisionContext {
  readonly state: RepairTicketState;
  readonly now: Instant;
  readonly today: CalendarDate;
  readonly by: string;
  readonly meta: { readonly ticketId: string; readonly at: Instant; readonly by: string };
}

/** The commands of one group, narrowed from the union by their types. */
export type CommandOf<T extends RepairTicketCommand['type']> = Extract<RepairTicketCommand, { type: T }>;

export function shipment(data: Shipment): Shipment {
  return {
    carrier: requireText(data.carrier, 'carrier'),
    trackingNumber: requireText(data.trackingNumber, 'trackingNumber'),
  };
}

/** The failed unit shipped to i-PRO (sent for repair, or returned in exchange): the shipment and its serial. */
export function failedUnitShipment(
  command: CommandOf<'SendFailedUnit' | 'ReturnFailedUnit'>,
  c: DecisionContext,
): DecisionContext['meta'] & Shipment & { readonly serialNumber: string } {
  const unit = requireState(c.state.assessmentInput?.unit ?? null, c.state.status, command.type);
  return { ...c.meta, ...shipment(command.data), serialNumber: unit.serialNumber };
}

export function partLines(parts: readonly PartLine[] | undefined, field: string): readonly PartLine[] {
  return (parts ?? []).map((p, i) => {
    if (!Number.isInteger(p.quantity) || p.quantity < 1)
      throw new ValidationError(`${field}[${i}].quantity`, 'must be a positive integer');
    return {
      partNumber: requireText(p.partNumber, `${field}[${i}].partNumber`),
      description: requireText(p.description, `${field}[${i}].description`),
      quantity: p.quantity,
    };
  });
}

/** Not after the day the command arrives (Japan time): facts are recorded once they happened. */
export function notInFuture(date: CalendarDate, today: CalendarDate, field: string): void {
  if (date > today) throw new ValidationError(field, `must not be after today (${today})`);
}

export function notBefore(date: CalendarDate, earliest: CalendarDate, rule: string, message: string): void {
  if (date < earliest) throw new BusinessRuleViolationError(rule, message);
}

export function requireState<T>(value: T | null, status: TicketStatus, command: string): T {
  // Statuses guarantee these; a missing one means an event stream this decider did not write.
  if (value === null) throw new IllegalTransitionError(status, command, 'ticket history is incomplete');
  return value;
}

/** A delivery confirmed on a day that happened, not before the shipment left. */
export function deliveredDate(
  value: CalendarDate,
  shipped: ShipmentRecord,
  today: CalendarDate,
): CalendarDate {
  const deliveredOn = requireDate(value, 'deliveredOn');
  notInFuture(deliveredOn, today, 'deliveredOn');
  notBefore(
    deliveredOn,
    tokyoDateOf(shipped.shippedAt),
    'delivered_before_shipped',
    'delivered before it was shipped',
  );
  return deliveredOn;
}
