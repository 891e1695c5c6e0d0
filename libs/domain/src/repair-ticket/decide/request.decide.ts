import { normaliseModelNumber } from '../../catalog/catalog';
import { type CalendarDate } from '../../shared/calendar';
import { BusinessRuleViolationError, ValidationError } from '../../shared/domain-errors';
import {
  optionalText,
  requireBoolean,
  requireDate,
  requireOneOf,
  requireText,
} from '../../shared/validation';
import { assessWarranty } from '../../warranty/assess-warranty.policy';
import { type AssessmentInput, FAILED_COMPONENTS, PROOF_KINDS } from '../../warranty/warranty-assessment';
import { type RequestRepair } from '../repair-ticket.commands';
import { type RepairTicketEvent, type WarrantyAssessed } from '../repair-ticket.events';
import { type CommandOf, type DecisionContext, notBefore, notInFuture, requireState } from './shared.decide';

/** Filing, the proof of delivery and the assessments they trigger, and the escalation to support. */
export type RequestCommand = CommandOf<
  'RequestRepair' | 'SubmitProofOfDelivery' | 'ProceedWithoutProof' | 'Escalate'
>;

export function decideRequest(command: RequestCommand, c: DecisionContext): RepairTicketEvent[] {
  const { state, meta } = c;
  const reassess = (
    input: AssessmentInput,
    trigger: WarrantyAssessed['data']['trigger'],
  ): WarrantyAssessed => ({
    type: 'WarrantyAssessed',
    schemaVersion: 1,
    data: { ...meta, assessment: assessWarranty(input), trigger },
  });
  switch (command.type) {
    case 'RequestRepair':
      return requestRepair(command, c);
    case 'SubmitProofOfDelivery': {
      const input = requireState(state.assessmentInput, state.status, command.type);
      const proof = {
        kind: requireOneOf(command.data.proof?.kind, PROOF_KINDS, 'proof.kind'),
        // Stryker disable next-line OptionalChaining: equivalent, a missing proof was refused by proof?.kind above
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
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function requestRepair(command: RequestRepair, c: DecisionContext): RepairTicketEvent[] {
  const input = validateRequest(command, c.today);
  const d = command.data;
  const requestMeta = { ticketId: d.ticketId, at: c.now, by: c.by };
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
    component: requireOneOf(d.failure?.component, FAILED_COMPONENTS, 'failure.component'),
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
