import { normaliseModelNumber } from '../catalog/catalog';
import { actorId } from '../shared/actor';
import { type CalendarDate, isInstant, tokyoDateOf } from '../shared/calendar';
import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  NotAllowedError,
  TicketNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import { optionalText, requireBoolean, requireDate, requireOneOf, requireText } from '../shared/validation';
import { assessWarranty } from '../warranty/assess-warranty.policy';
import { type AssessmentInput } from '../warranty/warranty-assessment';
import { actorMay, allowedCommands, COMMAND_ROLES } from './allowed-commands';
import { type CommandType, type RepairTicketCommand, type RequestRepair } from './repair-ticket.commands';
import {
  EXCLUSION_CLAUSE,
  type ExclusionCode,
  type PartLine,
  type QuoteLine,
  type RepairTicketEvent,
  type Shipment,
  type WarrantyAssessed,
} from './repair-ticket.events';
import {
  pendingQuote,
  type RepairTicketState,
  type ShipmentRecord,
  type TicketStatus,
} from './repair-ticket.state';

const COMPONENTS = ['main_unit', 'recorder_hdd', 'software_only'] as const;
const PROOF_KINDS = ['delivery_slip', 'invoice', 'other'] as const;
const CHARGE_KINDS = [
  'repair',
  'replacement_unit',
  'onsite_fee',
  'remote_area_travel',
  'hdd_part',
  'parts',
  'inspection',
] as const;
const EXCLUSIONS = Object.keys(EXCLUSION_CLAUSE) as ExclusionCode[];
const REJECTION_REASONS = ['unrepairable_model', 'beyond_repair'] as const;
/** Commands that belong to one scheme: refusing them names the ticket's scheme. */
const SCHEME_STEPS: readonly CommandType[] = [
  'ShipReplacement',
  'ConfirmReplacementDelivered',
  'ReturnFailedUnit',
  'SendFailedUnit',
  'ReceiveFailedUnit',
  'CompleteRepair',
  'ShipRepairedUnit',
  'ConfirmRepairedUnitDelivered',
  'DispatchOnsite',
  'CompleteOnsiteRepair',
];

function shipment(data: Shipment): Shipment {
  return {
    carrier: requireText(data.carrier, 'carrier'),
    trackingNumber: requireText(data.trackingNumber, 'trackingNumber'),
  };
}

function partLines(parts: readonly PartLine[] | undefined, field: string): readonly PartLine[] {
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

function quoteLines(lines: readonly QuoteLine[]): readonly QuoteLine[] {
  if (lines === undefined || lines.length === 0)
    throw new ValidationError('lines', 'a quote needs at least one line');
  return lines.map((l, i) => {
    // Whole yen: JPY has no minor unit.
    if (!Number.isSafeInteger(l.amountJpy) || l.amountJpy < 0)
      throw new ValidationError(`lines[${i}].amountJpy`, 'must be a non-negative whole number of yen');
    return {
      kind: requireOneOf(l.kind, CHARGE_KINDS, `lines[${i}].kind`),
      description: requireText(l.description, `lines[${i}].description`),
      amountJpy: l.amountJpy,
    };
  });
}

/** Not after the day the command arrives (Japan time): facts are recorded once they happened. */
function notInFuture(date: CalendarDate, today: CalendarDate, field: string): void {
  if (date > today) throw new ValidationError(field, `must not be after today (${today})`);
}

function notBefore(date: CalendarDate, earliest: CalendarDate, rule: string, message: string): void {
  if (date < earliest) throw new BusinessRuleViolationError(rule, message);
}

/** Validates a repair request's facts and returns the assessment input built from them. */
function validateRequest(command: RequestRepair, today: CalendarDate): AssessmentInput {
  const d = command.data;
  requireText(d.ticketId, 'ticketId');
  requireText(d.partnerId, 'partnerId');
  const unit = {
    serialNumber: requireText(d.unit?.serialNumber, 'unit.serialNumber'),
    modelNumber: requireText(d.unit?.modelNumber, 'unit.modelNumber'),
    deliveryDate: requireDate(d.unit?.deliveryDate, 'unit.deliveryDate'),
    soldToPartnerId: requireText(d.unit?.soldToPartnerId, 'unit.soldToPartnerId'),
    saleDate: requireDate(d.unit?.saleDate, 'unit.saleDate'),
    soldInJapan: requireBoolean(d.unit?.soldInJapan, 'unit.soldInJapan'),
    usedInJapan: requireBoolean(d.unit?.usedInJapan, 'unit.usedInJapan'),
  };
  const failure = {
    failureDate: requireDate(d.failure?.failureDate, 'failure.failureDate'),
    description: requireText(d.failure?.description, 'failure.description'),
    component: requireOneOf(d.failure?.component, COMPONENTS, 'failure.component'),
  };
  const requestDate = requireDate(d.requestDate, 'requestDate');
  requireText(d.catalog?.version, 'catalog.version');
  const entry = d.catalog.entry;
  if (entry !== null && normaliseModelNumber(entry.modelNumber) !== normaliseModelNumber(unit.modelNumber))
    throw new ValidationError('catalog.entry.modelNumber', 'must be the catalog entry of the unit model');
  if (failure.component === 'recorder_hdd' && entry !== null && entry.category !== 'recorder')
    throw new ValidationError('failure.component', 'recorder_hdd applies to recorders only');
  if (d.membership?.partnerId !== unit.soldToPartnerId)
    throw new ValidationError('membership.partnerId', 'must be the partner the unit was sold to');
  if (d.membership.saleDate !== unit.saleDate)
    throw new ValidationError('membership.saleDate', 'must be the sale date of the unit');
  requireBoolean(d.membership.memberAtSaleDate, 'membership.memberAtSaleDate');
  if (d.proofOfDelivery !== null) {
    requireOneOf(d.proofOfDelivery?.kind, PROOF_KINDS, 'proofOfDelivery.kind');
    requireText(d.proofOfDelivery.reference, 'proofOfDelivery.reference');
  }
  const site = {
    prefecture: requireText(d.site?.prefecture, 'site.prefecture'),
    remoteArea: requireBoolean(d.site?.remoteArea, 'site.remoteArea'),
  };
  requireBoolean(d.onsiteRequested, 'onsiteRequested');
  // Dates must tell a possible story: sold, delivered, failed, requested, and not in the future.
  notInFuture(requestDate, today, 'requestDate');
  if (unit.saleDate > unit.deliveryDate)
    throw new ValidationError('unit.saleDate', 'must not be after the delivery date');
  if (failure.failureDate < unit.deliveryDate)
    throw new ValidationError('failure.failureDate', 'must not be before the delivery date');
  if (failure.failureDate > requestDate)
    throw new ValidationError('failure.failureDate', 'must not be after the request date');
  return {
    unit,
    catalog: d.catalog,
    membership: d.membership,
    failure,
    proofOfDelivery: d.proofOfDelivery,
    proceedWithoutProof: false,
    site,
    onsiteRequested: d.onsiteRequested,
    requestDate,
  };
}

function requireState<T>(value: T | null, status: TicketStatus, command: string): T {
  // Statuses guarantee these; a missing one means an event stream this decider did not write.
  if (value === null) throw new IllegalTransitionError(status, command, 'ticket history is incomplete');
  return value;
}

/**
 * The repair ticket decider: what happens when `command` meets a ticket in `state`. Checks run in the
 * order of the HTTP statuses they map to: not found (404), not allowed (403), illegal transition (409),
 * invalid input (400), business rule (422).
 */
export function decide(command: RepairTicketCommand, state: RepairTicketState): RepairTicketEvent[] {
  const { actor, now } = command.metadata;
  const by = actorId(actor);
  if (state.status === 'not_requested' && command.type !== 'RequestRepair')
    throw new TicketNotFoundError(null);
  if (
    command.type === 'RequestRepair' &&
    actor.kind === 'partner' &&
    actor.partnerId !== command.data.partnerId
  )
    throw new NotAllowedError(by, command.type, 'a partner files requests in its own name only');
  if (!actorMay(actor, command.type, state.partnerId))
    throw new NotAllowedError(
      by,
      command.type,
      actor.kind === 'end_user'
        ? 'end users report failures to their partner; requests reach i-PRO through a partner'
        : actor.kind === 'partner' && COMMAND_ROLES[command.type].includes('owner')
          ? 'this ticket belongs to another partner'
          : `not a ${actor.kind} action`,
    );
  if (!allowedCommands(state).includes(command.type)) {
    const detail = SCHEME_STEPS.includes(command.type)
      ? `the ticket's repair scheme is ${state.scheme}`
      : undefined;
    throw new IllegalTransitionError(state.status, command.type, detail);
  }
  if (!isInstant(now)) throw new ValidationError('metadata.now', 'must be an ISO-8601 instant');
  const today = tokyoDateOf(now);
  const ticketId = state.ticketId ?? '';
  const meta = { ticketId, at: now, by };
  const unit = state.assessmentInput?.unit;

  const reassess = (
    input: AssessmentInput,
    trigger: WarrantyAssessed['data']['trigger'],
  ): WarrantyAssessed => ({
    type: 'WarrantyAssessed',
    schemaVersion: 1,
    data: { ...meta, assessment: assessWarranty(input), trigger },
  });

  switch (command.type) {
    case 'RequestRepair': {
      const input = validateRequest(command, today);
      const d = command.data;
      const requestMeta = { ticketId: d.ticketId, at: now, by };
      const assessment = assessWarranty(input);
      const events: RepairTicketEvent[] = [
        {
          type: 'RepairRequested',
          schemaVersion: 1,
          data: {
            ...requestMeta,
            partnerId: d.partnerId,
            unit: input.unit,
            failure: input.failure,
            site: input.site,
            onsiteRequested: input.onsiteRequested,
            proofOfDelivery: input.proofOfDelivery,
            requestDate: input.requestDate,
            catalog: input.catalog,
            membership: input.membership,
            endUserReference: optionalText(d.endUserReference),
          },
        },
        {
          type: 'WarrantyAssessed',
          schemaVersion: 1,
          data: { ...requestMeta, assessment, trigger: 'request' },
        },
      ];
      if (assessment.disposition === 'unrepairable_buy_new')
        events.push({
          type: 'RepairRejected',
          schemaVersion: 1,
          data: {
            ...requestMeta,
            reason: 'unrepairable_model',
            detail: `${input.unit.modelNumber} is not repairable`,
            advice: 'buy_new',
          },
        });
      return events;
    }
    case 'SubmitProofOfDelivery': {
      const input = requireState(state.assessmentInput, state.status, command.type);
      const proof = {
        kind: requireOneOf(command.data.proof?.kind, PROOF_KINDS, 'proof.kind'),
        reference: requireText(command.data.proof?.reference, 'proof.reference'),
      };
      const deliveryDate = requireDate(command.data.deliveryDate, 'deliveryDate');
      // The proof's date replaces the claimed one; it must still come before the failure.
      notBefore(
        input.failure.failureDate,
        deliveryDate,
        'failure_before_proven_delivery',
        'the proven delivery date is after the failure date',
      );
      if (input.unit.saleDate > deliveryDate)
        throw new BusinessRuleViolationError(
          'delivery_before_sale',
          'the proven delivery date is before the sale date',
        );
      return [
        { type: 'ProofOfDeliverySubmitted', schemaVersion: 1, data: { ...meta, proof, deliveryDate } },
        reassess(
          { ...input, unit: { ...input.unit, deliveryDate }, proofOfDelivery: proof },
          'proof_submitted',
        ),
      ];
    }
    case 'ProceedWithoutProof': {
      const input = requireState(state.assessmentInput, state.status, command.type);
      return [
        {
          type: 'ProceededWithoutProof',
          schemaVersion: 1,
          data: { ...meta, note: optionalText(command.data.note) },
        },
        reassess({ ...input, proceedWithoutProof: true }, 'proceeded_without_proof'),
      ];
    }
    case 'Escalate':
      return [
        { type: 'Escalated', schemaVersion: 1, data: { ...meta, note: optionalText(command.data.note) } },
      ];
    case 'ShipReplacement': {
      const s = shipment(command.data);
      const replacementSerial = requireText(command.data.replacementSerial, 'replacementSerial');
      const u = requireState(unit ?? null, state.status, command.type);
      if (replacementSerial === u.serialNumber)
        throw new BusinessRuleViolationError(
          'replacement_is_failed_unit',
          'the replacement serial is the failed unit',
        );
      return [
        {
          type: 'ReplacementShipped',
          schemaVersion: 1,
          data: { ...meta, ...s, replacementSerial, modelNumber: u.modelNumber },
        },
      ];
    }
    case 'ConfirmReplacementDelivered': {
      const shipped = requireState(state.shipments.replacement, state.status, command.type);
      const deliveredOn = deliveredDate(command.data.deliveredOn, shipped, today);
      return [{ type: 'ReplacementDelivered', schemaVersion: 1, data: { ...meta, deliveredOn } }];
    }
    case 'ReturnFailedUnit': {
      const u = requireState(unit ?? null, state.status, command.type);
      return [
        {
          type: 'FailedUnitReturned',
          schemaVersion: 1,
          data: { ...meta, ...shipment(command.data), serialNumber: u.serialNumber },
        },
      ];
    }
    case 'SendFailedUnit': {
      const u = requireState(unit ?? null, state.status, command.type);
      return [
        {
          type: 'FailedUnitSent',
          schemaVersion: 1,
          data: { ...meta, ...shipment(command.data), serialNumber: u.serialNumber },
        },
      ];
    }
    case 'ReceiveFailedUnit': {
      const u = requireState(unit ?? null, state.status, command.type);
      const sent = requireState(state.shipments.failedUnit, state.status, command.type);
      const serialNumber = requireText(command.data.serialNumber, 'serialNumber');
      const receivedOn = requireDate(command.data.receivedOn, 'receivedOn');
      notInFuture(receivedOn, today, 'receivedOn');
      notBefore(
        receivedOn,
        tokyoDateOf(sent.shippedAt),
        'received_before_sent',
        'received before it was sent',
      );
      if (serialNumber !== u.serialNumber)
        throw new BusinessRuleViolationError(
          'received_serial_mismatch',
          `received ${serialNumber}, the ticket's unit is ${u.serialNumber}`,
        );
      return [{ type: 'FailedUnitReceived', schemaVersion: 1, data: { ...meta, receivedOn, serialNumber } }];
    }
    case 'RecordInspectionFinding': {
      const exclusion = requireOneOf(command.data.exclusion, EXCLUSIONS, 'exclusion');
      const findings = requireText(command.data.findings, 'findings');
      return [
        {
          type: 'ExclusionFound',
          schemaVersion: 1,
          data: { ...meta, exclusion, clause: EXCLUSION_CLAUSE[exclusion], findings },
        },
      ];
    }
    case 'CompleteRepair': {
      const workSummary = requireText(command.data.workSummary, 'workSummary');
      const partsReplaced = partLines(command.data.partsReplaced, 'partsReplaced');
      return [{ type: 'RepairCompleted', schemaVersion: 1, data: { ...meta, workSummary, partsReplaced } }];
    }
    case 'ShipRepairedUnit':
      return [
        { type: 'RepairedUnitShipped', schemaVersion: 1, data: { ...meta, ...shipment(command.data) } },
      ];
    case 'ConfirmRepairedUnitDelivered': {
      const shipped = requireState(state.shipments.repairedUnit, state.status, command.type);
      const deliveredOn = deliveredDate(command.data.deliveredOn, shipped, today);
      return [{ type: 'RepairedUnitDelivered', schemaVersion: 1, data: { ...meta, deliveredOn } }];
    }
    case 'ReturnUnrepairedUnit':
      return [
        { type: 'UnrepairedUnitReturned', schemaVersion: 1, data: { ...meta, ...shipment(command.data) } },
      ];
    case 'DispatchOnsite': {
      const input = requireState(state.assessmentInput, state.status, command.type);
      const technicianName = requireText(command.data.technicianName, 'technicianName');
      const visitDate = requireDate(command.data.visitDate, 'visitDate');
      const parts = partLines(command.data.parts, 'parts');
      notBefore(
        visitDate,
        input.requestDate,
        'visit_before_request',
        'the visit cannot be before the request',
      );
      return [
        { type: 'OnsiteDispatched', schemaVersion: 1, data: { ...meta, technicianName, visitDate, parts } },
      ];
    }
    case 'CompleteOnsiteRepair': {
      const onsite = requireState(state.onsite, state.status, command.type);
      const completedOn = requireDate(command.data.completedOn, 'completedOn');
      notInFuture(completedOn, today, 'completedOn');
      notBefore(
        completedOn,
        onsite.visitDate,
        'completed_before_visit',
        'completed before the planned visit date',
      );
      const workSummary = requireText(command.data.workSummary, 'workSummary');
      const partsUsed = partLines(command.data.partsUsed, 'partsUsed');
      return [
        {
          type: 'OnsiteRepairCompleted',
          schemaVersion: 1,
          data: { ...meta, completedOn, workSummary, partsUsed },
        },
      ];
    }
    case 'IssueQuote': {
      const quoteId = requireText(command.data.quoteId, 'quoteId');
      const lines = quoteLines(command.data.lines);
      const validUntil =
        command.data.validUntil == null ? null : requireDate(command.data.validUntil, 'validUntil');
      if (validUntil !== null && validUntil < today)
        throw new ValidationError('validUntil', 'must not be in the past');
      if (state.quotes.some((q) => q.quoteId === quoteId))
        throw new BusinessRuleViolationError(
          'duplicate_quote_id',
          `quote ${quoteId} was already issued on this ticket`,
        );
      const totalJpy = lines.reduce((sum, l) => sum + l.amountJpy, 0);
      const reason = state.exclusion === null ? 'assessment' : 'exclusion_found';
      return [
        {
          type: 'QuoteIssued',
          schemaVersion: 1,
          data: { ...meta, quoteId, reason, lines, totalJpy, validUntil },
        },
      ];
    }
    case 'AcceptQuote':
    case 'DeclineQuote': {
      const quote = requireState(pendingQuote(state), state.status, command.type);
      if (command.data.quoteId !== quote.quoteId)
        throw new BusinessRuleViolationError(
          'quote_not_current',
          `quote ${command.data.quoteId} is not the pending quote ${quote.quoteId}`,
        );
      if (command.type === 'DeclineQuote')
        return [
          {
            type: 'QuoteDeclined',
            schemaVersion: 1,
            data: { ...meta, quoteId: quote.quoteId, reason: optionalText(command.data.reason) },
          },
        ];
      // An expired quote can still be declined, but accepting it needs a fresh price.
      if (quote.validUntil !== null && today > quote.validUntil)
        throw new BusinessRuleViolationError(
          'quote_expired',
          `quote ${quote.quoteId} expired on ${quote.validUntil}`,
        );
      return [{ type: 'QuoteAccepted', schemaVersion: 1, data: { ...meta, quoteId: quote.quoteId } }];
    }
    case 'RejectRepair': {
      const reason = requireOneOf(command.data.reason, REJECTION_REASONS, 'reason');
      const detail = requireText(command.data.detail, 'detail');
      return [
        { type: 'RepairRejected', schemaVersion: 1, data: { ...meta, reason, detail, advice: 'buy_new' } },
      ];
    }
    case 'CloseTicket':
      return [
        { type: 'TicketClosed', schemaVersion: 1, data: { ...meta, note: optionalText(command.data.note) } },
      ];
    case 'CancelTicket':
      return [
        {
          type: 'TicketCancelled',
          schemaVersion: 1,
          data: { ...meta, reason: requireText(command.data.reason, 'reason') },
        },
      ];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function deliveredDate(value: CalendarDate, shipped: ShipmentRecord, today: CalendarDate): CalendarDate {
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

/** The status a ticket reaches once its assessment is known. */
function statusAfterAssessment(assessment: WarrantyAssessed['data']['assessment']): TicketStatus {
  switch (assessment.disposition) {
    case 'software_support':
      return 'referred_to_software_support';
    case 'unrepairable_buy_new':
    case 'repair':
      return assessment.awaitingProof ? 'awaiting_proof' : 'requested';
    default: {
      const unreachable: never = assessment.disposition;
      return unreachable;
    }
  }
}

export function evolve(state: RepairTicketState, event: RepairTicketEvent): RepairTicketState {
  const s: RepairTicketState = { ...state, updatedAt: event.data.at };
  const record = (d: Shipment & { at: string }): ShipmentRecord => ({
    carrier: d.carrier,
    trackingNumber: d.trackingNumber,
    shippedAt: d.at,
    deliveredOn: null,
  });
  switch (event.type) {
    case 'RepairRequested': {
      const d = event.data;
      return {
        ...s,
        status: 'requested',
        ticketId: d.ticketId,
        partnerId: d.partnerId,
        openedAt: d.at,
        assessmentInput: {
          unit: d.unit,
          catalog: d.catalog,
          membership: d.membership,
          failure: d.failure,
          proofOfDelivery: d.proofOfDelivery,
          proceedWithoutProof: false,
          site: d.site,
          onsiteRequested: d.onsiteRequested,
          requestDate: d.requestDate,
        },
      };
    }
    case 'WarrantyAssessed': {
      const a = event.data.assessment;
      const input = s.assessmentInput;
      return {
        ...s,
        status: statusAfterAssessment(a),
        assessment: a,
        coverage: a.coverage,
        scheme: a.scheme,
        // Keep the inputs in step with what was assessed (proof, corrected delivery date, proceeding without).
        assessmentInput:
          input === null
            ? null
            : {
                ...input,
                unit: { ...input.unit, deliveryDate: a.deliveryDate },
                proofOfDelivery: a.basis.proofOfDelivery,
                proceedWithoutProof: a.basis.proceededWithoutProof,
              },
      };
    }
    case 'ProofOfDeliverySubmitted':
    case 'ProceededWithoutProof':
      return s;
    case 'Escalated': {
      const needsQuote =
        s.assessment?.quoteRequired === true && !s.quotes.some((q) => q.status === 'accepted');
      return needsQuote
        ? { ...s, status: 'awaiting_quote', resumeStatus: 'escalated' }
        : { ...s, status: 'escalated' };
    }
    case 'ReplacementShipped':
      return {
        ...s,
        status: 'in_transit_to_partner',
        workStarted: true,
        shipments: {
          ...s.shipments,
          replacement: { ...record(event.data), replacementSerial: event.data.replacementSerial },
        },
      };
    case 'ReplacementDelivered':
      return {
        ...s,
        status: 'awaiting_failed_unit_return',
        shipments: {
          ...s.shipments,
          replacement: s.shipments.replacement && {
            ...s.shipments.replacement,
            deliveredOn: event.data.deliveredOn,
          },
        },
      };
    case 'FailedUnitReturned':
      return {
        ...s,
        status: 'failed_unit_returned',
        shipments: { ...s.shipments, failedUnit: record(event.data) },
      };
    case 'FailedUnitSent':
      return {
        ...s,
        status: 'failed_unit_in_transit',
        workStarted: true,
        shipments: { ...s.shipments, failedUnit: record(event.data) },
      };
    case 'FailedUnitReceived':
      return {
        ...s,
        status: 'failed_unit_received',
        receivedOn: event.data.receivedOn,
        unitAtIpro: true,
        shipments: {
          ...s.shipments,
          failedUnit: s.shipments.failedUnit && {
            ...s.shipments.failedUnit,
            deliveredOn: event.data.receivedOn,
          },
        },
      };
    case 'ExclusionFound': {
      const { exclusion, clause, findings } = event.data;
      return {
        ...s,
        status: 'awaiting_quote',
        resumeStatus: s.status,
        exclusion: { exclusion, clause, findings },
      };
    }
    case 'RepairCompleted':
      return {
        ...s,
        status: 'repaired',
        repair: { workSummary: event.data.workSummary, partsReplaced: event.data.partsReplaced },
      };
    case 'RepairedUnitShipped':
      return {
        ...s,
        status: 'in_transit_to_partner',
        unitAtIpro: false,
        shipments: { ...s.shipments, repairedUnit: record(event.data) },
      };
    case 'RepairedUnitDelivered':
      return {
        ...s,
        status: 'delivered',
        shipments: {
          ...s.shipments,
          repairedUnit: s.shipments.repairedUnit && {
            ...s.shipments.repairedUnit,
            deliveredOn: event.data.deliveredOn,
          },
        },
      };
    case 'UnrepairedUnitReturned':
      return {
        ...s,
        status: 'unrepaired_unit_returned',
        unitAtIpro: false,
        shipments: { ...s.shipments, unrepairedReturn: record(event.data) },
      };
    case 'OnsiteDispatched': {
      const { technicianName, visitDate, parts } = event.data;
      return {
        ...s,
        status: 'onsite_dispatched',
        workStarted: true,
        onsite: { technicianName, visitDate, parts, completedOn: null, workSummary: null },
      };
    }
    case 'OnsiteRepairCompleted':
      return {
        ...s,
        status: 'onsite_completed',
        onsite: s.onsite && {
          ...s.onsite,
          completedOn: event.data.completedOn,
          workSummary: event.data.workSummary,
        },
      };
    case 'QuoteIssued': {
      const { quoteId, reason, lines, totalJpy, validUntil, at } = event.data;
      return {
        ...s,
        status: 'awaiting_quote_decision',
        quotes: [
          ...s.quotes,
          { quoteId, reason, lines, totalJpy, validUntil, issuedAt: at, status: 'issued' },
        ],
      };
    }
    case 'QuoteAccepted':
    case 'QuoteDeclined': {
      const accepted = event.type === 'QuoteAccepted';
      return {
        ...s,
        status: accepted ? (s.resumeStatus ?? 'escalated') : 'quote_declined',
        resumeStatus: null,
        quotes: s.quotes.map((q) =>
          q.quoteId === event.data.quoteId ? { ...q, status: accepted ? 'accepted' : 'declined' } : q,
        ),
      };
    }
    case 'RepairRejected':
      return {
        ...s,
        status: 'rejected',
        rejection: { reason: event.data.reason, detail: event.data.detail },
      };
    case 'TicketClosed':
      return { ...s, status: 'closed', closedAt: event.data.at };
    case 'TicketCancelled':
      return { ...s, status: 'cancelled', cancellationReason: event.data.reason, closedAt: event.data.at };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** Replays a stream from the initial state. */
export function evolveAll(state: RepairTicketState, events: readonly RepairTicketEvent[]): RepairTicketState {
  return events.reduce(evolve, state);
}
