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

/** A builder of one command: its ordinary data, overridable field by field, and the actor who normally issues it. */
function builder<T extends RepairTicketCommand['type']>(type: T, ordinary: Data<T>, usualActor: Actor) {
  return (d: Partial<Data<T>> = {}, actor: Actor = usualActor): Cmd<T> =>
    // TypeScript cannot see a generic spread as Data<T> again; an override replaces whole fields only.
    command(type, { ...ordinary, ...d } as Data<T>, actor);
}

/** The ordinary carrier and tracking number of every shipment the builders make. */
export const shipment = { carrier: 'Yamato', trackingNumber: '1234-5678-9012' };
const { partner, support } = actors;

/** Command builders with ordinary data and the actor who normally issues them. */
// prettier-ignore
export const cmd = {
  requestRepair: (o: RequestOverrides = {}, actor: Actor = actors.partner) =>
    command('RequestRepair', requestData(o), actor),
  submitProof: builder('SubmitProofOfDelivery', { proof: PROOF, deliveryDate: '2026-03-10' }, partner),
  proceedWithoutProof: (actor: Actor = actors.partner) =>
    command('ProceedWithoutProof', { note: 'slip lost' }, actor),
  escalate: (actor: Actor = actors.portal) => command('Escalate', { note: null }, actor),
  shipReplacement: builder('ShipReplacement', { ...shipment, replacementSerial: 'SN-9001' }, support),
  confirmReplacementDelivered: builder('ConfirmReplacementDelivered', { deliveredOn: TODAY }, partner),
  returnFailedUnit: builder('ReturnFailedUnit', shipment, partner),
  sendFailedUnit: builder('SendFailedUnit', shipment, partner),
  receiveFailedUnit: builder('ReceiveFailedUnit', { receivedOn: TODAY, serialNumber: SERIAL }, support),
  recordInspectionFinding: builder('RecordInspectionFinding', { exclusion: 'relocation_transport_or_drop', findings: 'Housing cracked by a drop' }, support),
  completeRepair: builder('CompleteRepair', { workSummary: 'Main board replaced', partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 1 }] }, support),
  shipRepairedUnit: builder('ShipRepairedUnit', shipment, support),
  confirmRepairedUnitDelivered: builder('ConfirmRepairedUnitDelivered', { deliveredOn: TODAY }, partner),
  returnUnrepairedUnit: builder('ReturnUnrepairedUnit', shipment, support),
  dispatchOnsite: builder('DispatchOnsite', { technicianName: 'Sato', visitDate: TODAY, parts: [{ partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 1 }] }, support),
  completeOnsiteRepair: builder('CompleteOnsiteRepair', { completedOn: TODAY, workSummary: 'HDD replaced on site' }, support),
  issueQuote: builder('IssueQuote', {
    quoteId: 'Q-1',
    lines: [
      { kind: 'repair', description: 'Repair', amountJpy: 30000 },
      { kind: 'onsite_fee', description: 'Onsite fee', amountJpy: 15000 },
    ],
    validUntil: '2026-12-31',
  }, support),
  acceptQuote: builder('AcceptQuote', { quoteId: 'Q-1' }, partner),
  declineQuote: builder('DeclineQuote', { quoteId: 'Q-1', reason: 'too expensive' }, partner),
  rejectRepair: builder('RejectRepair', { reason: 'beyond_repair', detail: 'Board burnt' }, support),
  closeTicket: (actor: Actor = actors.support) => command('CloseTicket', { note: null }, actor),
  cancelTicket: builder('CancelTicket', { reason: 'unit works again' }, partner),
};

export const ticket = deciderSpec({ decide, evolve, initialState });
/** The events a sequence of commands records (each step goes through decide, as in production). */
export const history: (...commands: readonly RepairTicketCommand[]) => RepairTicketEvent[] = ticket.history;
export const stateAfter: (...commands: readonly RepairTicketCommand[]) => RepairTicketState =
  ticket.stateAfter;

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

/** The usual life of the replacement and pickup schemes, as commands: most stories are a first part of one. */
const lives = {
  replacement: () => [
    cmd.requestRepair(),
    cmd.escalate(),
    cmd.shipReplacement(),
    cmd.confirmReplacementDelivered(),
    cmd.returnFailedUnit(),
  ],
  pickup: () => [
    cmd.requestRepair({ model: 'WV-X1574LN' }),
    cmd.escalate(),
    cmd.sendFailedUnit(),
    cmd.receiveFailedUnit(),
    cmd.completeRepair(),
    cmd.shipRepairedUnit(),
  ],
};
/** The first `steps` commands of a life. */
const firstOf = (life: keyof typeof lives, steps: number) => lives[life]().slice(0, steps);

/** Named starting points: the ticket at each step of its usual life. */
export const stories = {
  catalogFact: (model: string) => catalogFactFor(CATALOG, model),
  pickupReceivedCommands: () => firstOf('pickup', 4),
  pickupShippedBackCommands: () => firstOf('pickup', 6),
  quoteIssuedCommands: () => [cmd.requestRepair(paidCamera), cmd.escalate(), cmd.issueQuote()],
  exchangeCompleteCommands: () => firstOf('replacement', 5),
  requested: (o: RequestOverrides = {}) => history(cmd.requestRepair(o)),
  escalated: (o: RequestOverrides = {}) => history(cmd.requestRepair(o), cmd.escalate()),
  replacementInTransit: () => history(...firstOf('replacement', 3)),
  replacementDelivered: () => history(...firstOf('replacement', 4)),
  exchangeComplete: () => history(...firstOf('replacement', 5)),
  pickupSent: () => history(...firstOf('pickup', 3)),
  pickupReceived: () => history(...firstOf('pickup', 4)),
  pickupRepaired: () => history(...firstOf('pickup', 5)),
  pickupShippedBack: () => history(...firstOf('pickup', 6)),
  /** A recorder in year 1: onsite under the product warranty. */
  onsiteEscalated: (o: RequestOverrides = {}) =>
    history(cmd.requestRepair({ model: 'WJ-NX400', ...o }), cmd.escalate()),
  onsiteDispatched: () =>
    history(cmd.requestRepair({ model: 'WJ-NX400' }), cmd.escalate(), cmd.dispatchOnsite()),
  /** A camera failing in year 6: paid, waiting for the quote. */
  awaitingQuote: () => history(cmd.requestRepair(paidCamera), cmd.escalate()),
  quoteIssued: () => history(cmd.requestRepair(paidCamera), cmd.escalate(), cmd.issueQuote()),
  awaitingProof: (o: RequestOverrides = {}) => history(cmd.requestRepair({ proofOfDelivery: null, ...o })),
  /**
   * A recorder in year 2 repaired onsite on request (free repair, an onsite fee to quote), its quote accepted,
   * then an exclusion found on site: a second quote is due.
   */
  onsiteFindingOnRequestCommands: () => [
    cmd.requestRepair({
      model: 'WJ-NX400',
      onsiteRequested: true,
      unit: { deliveryDate: '2025-06-01', saleDate: '2025-05-01' },
    }),
    cmd.escalate(),
    cmd.issueQuote(),
    cmd.acceptQuote(),
    cmd.dispatchOnsite(),
    cmd.recordInspectionFinding(),
  ],
};

/** A pickup camera delivered in 2020 and failing in 2026: after five years, paid. */
export const paidCamera: RequestOverrides = {
  model: 'WV-X1574LN',
  unit: { deliveryDate: '2020-06-01', saleDate: '2020-05-01' },
};
