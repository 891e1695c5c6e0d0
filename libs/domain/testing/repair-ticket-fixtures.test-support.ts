/** Builders for repair-ticket test data. Defaults tell one ordinary story; tests override what they test. */
import { type CatalogFact, catalogFactFor } from '../src/catalog/catalog';
import { sampleCatalog } from '../src/catalog/sample-catalog';
import { type MembershipFact } from '../src/partner/membership';
import { type Actor, type CommandMetadata, actorId } from '../src/shared/actor';
import { type RepairTicketCommand, type RequestRepair } from '../src/repair-ticket/repair-ticket.commands';
import { decide, evolve } from '../src/repair-ticket/repair-ticket.decider';
import { type RepairTicketEvent } from '../src/repair-ticket/repair-ticket.events';
import { initialState, type RepairTicketState } from '../src/repair-ticket/repair-ticket.state';
import {
  type AssessmentInput,
  type FailureFacts,
  type ProofOfDelivery,
  type SiteFacts,
  type UnitFacts,
} from '../src/warranty/warranty-assessment';
import { deciderSpec } from './given-when-then.test-support';

export const TICKET_ID = 'T-0001';
export const PARTNER_ID = 'P-001';
export const SERIAL = 'SN-0001';
/** 2026-11-25 10:00 in Tokyo. */
export const NOW = '2026-11-25T01:00:00.000Z';
export const TODAY = '2026-11-25';

export const actors = {
  partner: { kind: 'partner', partnerId: PARTNER_ID },
  otherPartner: { kind: 'partner', partnerId: 'P-002' },
  support: { kind: 'support', userId: 'tanaka' },
  portal: { kind: 'system', component: 'portal' },
  endUser: { kind: 'end_user', endUserId: 'EU-9' },
} as const satisfies Record<string, Actor>;

export function meta(actor: Actor = actors.support, now: string = NOW): CommandMetadata {
  return { now, actor };
}

export const CATALOG = sampleCatalog();

export interface RequestOverrides {
  /** Picks the unit's model and its entry in the sample catalog (unless `catalog` is given). */
  readonly model?: string;
  readonly member?: boolean;
  readonly unit?: Partial<UnitFacts>;
  readonly failure?: Partial<FailureFacts>;
  readonly site?: Partial<SiteFacts>;
  readonly catalog?: CatalogFact;
  readonly membership?: Partial<MembershipFact>;
  readonly proofOfDelivery?: ProofOfDelivery | null;
  readonly onsiteRequested?: boolean;
  readonly requestDate?: string;
  readonly partnerId?: string;
  readonly ticketId?: string;
}

export const PROOF: ProofOfDelivery = { kind: 'delivery_slip', reference: 'DOC-0001' };

export function requestData(o: RequestOverrides = {}): RequestRepair['data'] {
  const model = o.model ?? o.unit?.modelNumber ?? 'WV-S1136';
  const unit: UnitFacts = {
    serialNumber: SERIAL,
    modelNumber: model,
    deliveryDate: '2026-03-10',
    soldToPartnerId: PARTNER_ID,
    saleDate: '2026-02-01',
    soldInJapan: true,
    usedInJapan: true,
    ...o.unit,
  };
  const member = o.member ?? true;
  return {
    ticketId: o.ticketId ?? TICKET_ID,
    partnerId: o.partnerId ?? PARTNER_ID,
    unit,
    catalog: o.catalog ?? catalogFactFor(CATALOG, model),
    membership: {
      partnerId: unit.soldToPartnerId,
      saleDate: unit.saleDate,
      memberAtSaleDate: member,
      period: member ? { joinedOn: '2020-04-01', leftOn: null } : null,
      recordVersion: 2,
      ...o.membership,
    },
    failure: {
      failureDate: '2026-11-20',
      description: 'No video output',
      component: 'main_unit',
      ...o.failure,
    },
    proofOfDelivery: o.proofOfDelivery === undefined ? PROOF : o.proofOfDelivery,
    site: { prefecture: 'Tokyo', remoteArea: false, ...o.site },
    onsiteRequested: o.onsiteRequested ?? false,
    requestDate: o.requestDate ?? TODAY,
  };
}

export function assessmentInput(
  o: RequestOverrides & { proceedWithoutProof?: boolean } = {},
): AssessmentInput {
  const d = requestData(o);
  return {
    unit: d.unit,
    catalog: d.catalog,
    membership: d.membership,
    failure: d.failure,
    proofOfDelivery: d.proofOfDelivery,
    proceedWithoutProof: o.proceedWithoutProof ?? false,
    site: d.site,
    onsiteRequested: d.onsiteRequested,
    requestDate: d.requestDate,
  };
}

type Cmd<T extends RepairTicketCommand['type']> = Extract<RepairTicketCommand, { type: T }>;
type Data<T extends RepairTicketCommand['type']> = Cmd<T>['data'];

function command<T extends RepairTicketCommand['type']>(type: T, data: Data<T>, actor: Actor): Cmd<T> {
  return { type, data, metadata: meta(actor) } as Cmd<T>;
}

const shipment = { carrier: 'Yamato', trackingNumber: '1234-5678-9012' };

/** Command builders with ordinary data and the actor who normally issues them. */
export const cmd = {
  requestRepair: (o: RequestOverrides = {}, actor: Actor = actors.partner) =>
    command('RequestRepair', requestData(o), actor),
  submitProof: (d: Partial<Data<'SubmitProofOfDelivery'>> = {}, actor: Actor = actors.partner) =>
    command('SubmitProofOfDelivery', { proof: PROOF, deliveryDate: '2026-03-10', ...d }, actor),
  proceedWithoutProof: (actor: Actor = actors.partner) =>
    command('ProceedWithoutProof', { note: 'slip lost' }, actor),
  escalate: (actor: Actor = actors.portal) => command('Escalate', { note: null }, actor),
  shipReplacement: (d: Partial<Data<'ShipReplacement'>> = {}, actor: Actor = actors.support) =>
    command('ShipReplacement', { ...shipment, replacementSerial: 'SN-9001', ...d }, actor),
  confirmReplacementDelivered: (
    d: Partial<Data<'ConfirmReplacementDelivered'>> = {},
    actor: Actor = actors.partner,
  ) => command('ConfirmReplacementDelivered', { deliveredOn: TODAY, ...d }, actor),
  returnFailedUnit: (d: Partial<Data<'ReturnFailedUnit'>> = {}, actor: Actor = actors.partner) =>
    command('ReturnFailedUnit', { ...shipment, ...d }, actor),
  sendFailedUnit: (d: Partial<Data<'SendFailedUnit'>> = {}, actor: Actor = actors.partner) =>
    command('SendFailedUnit', { ...shipment, ...d }, actor),
  receiveFailedUnit: (d: Partial<Data<'ReceiveFailedUnit'>> = {}, actor: Actor = actors.support) =>
    command('ReceiveFailedUnit', { receivedOn: TODAY, serialNumber: SERIAL, ...d }, actor),
  recordInspectionFinding: (
    d: Partial<Data<'RecordInspectionFinding'>> = {},
    actor: Actor = actors.support,
  ) =>
    command(
      'RecordInspectionFinding',
      { exclusion: 'relocation_transport_or_drop', findings: 'Housing cracked by a drop', ...d },
      actor,
    ),
  completeRepair: (d: Partial<Data<'CompleteRepair'>> = {}, actor: Actor = actors.support) =>
    command(
      'CompleteRepair',
      {
        workSummary: 'Main board replaced',
        partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 1 }],
        ...d,
      },
      actor,
    ),
  shipRepairedUnit: (d: Partial<Data<'ShipRepairedUnit'>> = {}, actor: Actor = actors.support) =>
    command('ShipRepairedUnit', { ...shipment, ...d }, actor),
  confirmRepairedUnitDelivered: (
    d: Partial<Data<'ConfirmRepairedUnitDelivered'>> = {},
    actor: Actor = actors.partner,
  ) => command('ConfirmRepairedUnitDelivered', { deliveredOn: TODAY, ...d }, actor),
  returnUnrepairedUnit: (d: Partial<Data<'ReturnUnrepairedUnit'>> = {}, actor: Actor = actors.support) =>
    command('ReturnUnrepairedUnit', { ...shipment, ...d }, actor),
  dispatchOnsite: (d: Partial<Data<'DispatchOnsite'>> = {}, actor: Actor = actors.support) =>
    command(
      'DispatchOnsite',
      {
        technicianName: 'Sato',
        visitDate: TODAY,
        parts: [{ partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 1 }],
        ...d,
      },
      actor,
    ),
  completeOnsiteRepair: (d: Partial<Data<'CompleteOnsiteRepair'>> = {}, actor: Actor = actors.support) =>
    command('CompleteOnsiteRepair', { completedOn: TODAY, workSummary: 'HDD replaced on site', ...d }, actor),
  issueQuote: (d: Partial<Data<'IssueQuote'>> = {}, actor: Actor = actors.support) =>
    command(
      'IssueQuote',
      {
        quoteId: 'Q-1',
        lines: [
          { kind: 'repair', description: 'Repair', amountJpy: 30000 },
          { kind: 'onsite_fee', description: 'Onsite fee', amountJpy: 15000 },
        ],
        validUntil: '2026-12-31',
        ...d,
      },
      actor,
    ),
  acceptQuote: (d: Partial<Data<'AcceptQuote'>> = {}, actor: Actor = actors.partner) =>
    command('AcceptQuote', { quoteId: 'Q-1', ...d }, actor),
  declineQuote: (d: Partial<Data<'DeclineQuote'>> = {}, actor: Actor = actors.partner) =>
    command('DeclineQuote', { quoteId: 'Q-1', reason: 'too expensive', ...d }, actor),
  rejectRepair: (d: Partial<Data<'RejectRepair'>> = {}, actor: Actor = actors.support) =>
    command('RejectRepair', { reason: 'beyond_repair', detail: 'Board burnt', ...d }, actor),
  closeTicket: (actor: Actor = actors.support) => command('CloseTicket', { note: null }, actor),
  cancelTicket: (d: Partial<Data<'CancelTicket'>> = {}, actor: Actor = actors.partner) =>
    command('CancelTicket', { reason: 'unit works again', ...d }, actor),
};

/** The events a sequence of commands records (each step goes through decide, as in production). */
export function history(...commands: readonly RepairTicketCommand[]): RepairTicketEvent[] {
  const events: RepairTicketEvent[] = [];
  let state: RepairTicketState = initialState;
  for (const c of commands) {
    const produced = decide(c, state);
    events.push(...produced);
    state = produced.reduce(evolve, state);
  }
  return events;
}

export function stateAfter(...commands: readonly RepairTicketCommand[]): RepairTicketState {
  return history(...commands).reduce(evolve, initialState);
}

type Ev<T extends RepairTicketEvent['type']> = Extract<RepairTicketEvent, { type: T }>;

/** An expected event: fills in ticket id, time and actor. */
export function event<T extends RepairTicketEvent['type']>(
  type: T,
  data: Omit<Ev<T>['data'], 'ticketId' | 'at' | 'by'>,
  actor: Actor = actors.support,
): Ev<T> {
  return {
    type,
    schemaVersion: 1,
    data: { ...data, ticketId: TICKET_ID, at: NOW, by: actorId(actor) },
  } as unknown as Ev<T>;
}

export const ticket = deciderSpec({ decide, evolve, initialState });

/** Named starting points: the ticket at each step of its usual life. */
export const stories = {
  catalogFact: (model: string) => catalogFactFor(CATALOG, model),
  pickupReceivedCommands: () => [
    cmd.requestRepair({ model: 'WV-X1574LN' }),
    cmd.escalate(),
    cmd.sendFailedUnit(),
    cmd.receiveFailedUnit(),
  ],
  pickupShippedBackCommands: () => [
    ...stories.pickupReceivedCommands(),
    cmd.completeRepair(),
    cmd.shipRepairedUnit(),
  ],
  quoteIssuedCommands: () => [cmd.requestRepair(paidCamera), cmd.escalate(), cmd.issueQuote()],
  exchangeCompleteCommands: () => [
    cmd.requestRepair(),
    cmd.escalate(),
    cmd.shipReplacement(),
    cmd.confirmReplacementDelivered(),
    cmd.returnFailedUnit(),
  ],
  requested: (o: RequestOverrides = {}) => history(cmd.requestRepair(o)),
  escalated: (o: RequestOverrides = {}) => history(cmd.requestRepair(o), cmd.escalate()),
  replacementInTransit: () => history(cmd.requestRepair(), cmd.escalate(), cmd.shipReplacement()),
  replacementDelivered: () =>
    history(cmd.requestRepair(), cmd.escalate(), cmd.shipReplacement(), cmd.confirmReplacementDelivered()),
  exchangeComplete: () =>
    history(
      cmd.requestRepair(),
      cmd.escalate(),
      cmd.shipReplacement(),
      cmd.confirmReplacementDelivered(),
      cmd.returnFailedUnit(),
    ),
  pickupSent: () => history(cmd.requestRepair({ model: 'WV-X1574LN' }), cmd.escalate(), cmd.sendFailedUnit()),
  pickupReceived: () =>
    history(
      cmd.requestRepair({ model: 'WV-X1574LN' }),
      cmd.escalate(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
    ),
  pickupRepaired: () =>
    history(
      cmd.requestRepair({ model: 'WV-X1574LN' }),
      cmd.escalate(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
      cmd.completeRepair(),
    ),
  pickupShippedBack: () =>
    history(
      cmd.requestRepair({ model: 'WV-X1574LN' }),
      cmd.escalate(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
      cmd.completeRepair(),
      cmd.shipRepairedUnit(),
    ),
  /** A recorder in year 1: onsite under the product warranty. */
  onsiteEscalated: (o: RequestOverrides = {}) =>
    history(cmd.requestRepair({ model: 'WJ-NX400', ...o }), cmd.escalate()),
  onsiteDispatched: () =>
    history(cmd.requestRepair({ model: 'WJ-NX400' }), cmd.escalate(), cmd.dispatchOnsite()),
  /** A camera failing in year 6: paid, waiting for the quote. */
  awaitingQuote: () => history(cmd.requestRepair(paidCamera), cmd.escalate()),
  quoteIssued: () => history(cmd.requestRepair(paidCamera), cmd.escalate(), cmd.issueQuote()),
  awaitingProof: (o: RequestOverrides = {}) => history(cmd.requestRepair({ proofOfDelivery: null, ...o })),
};

/** A pickup camera delivered in 2020 and failing in 2026: after five years, paid. */
export const paidCamera: RequestOverrides = {
  model: 'WV-X1574LN',
  unit: { deliveryDate: '2020-06-01', saleDate: '2020-05-01' },
};
