import { cmd, history, stateAfter, stories } from '../../testing/repair-ticket-fixtures.test-support';
import { allowedCommands } from './allowed-commands';
import { type RepairTicketCommand } from './repair-ticket.commands';
import { evolveAll } from './repair-ticket.decider';
import { initialState } from './repair-ticket.state';

/** Each scheme end to end: the recorded event types in order, and the ticket's final state. */
const types = (...commands: RepairTicketCommand[]) => history(...commands).map((e) => e.type);

const schemes: ReadonlyArray<
  readonly [
    scheme: string,
    records: string,
    ends: string,
    commands: readonly RepairTicketCommand[],
    types: readonly string[],
    state: Readonly<Record<string, unknown>>,
  ]
> = [
  // prettier-ignore
  [
    '① replacement',
    'request, escalation, replacement shipped and delivered, failed unit returned, closing',
    'closed with both shipments recorded',
    [...stories.exchangeCompleteCommands(), cmd.closeTicket()],
    ['RepairRequested', 'WarrantyAssessed', 'Escalated', 'ReplacementShipped', 'ReplacementDelivered', 'FailedUnitReturned', 'TicketClosed'],
    {
      status: 'closed', scheme: 'replacement', coverage: 'product_warranty', closedAt: '2026-11-25T01:00:00.000Z',
      shipments: {
        replacement: { replacementSerial: 'SN-9001', deliveredOn: '2026-11-25' },
        failedUnit: { carrier: 'Yamato', trackingNumber: '1234-5678-9012' },
      },
    },
  ],
  // prettier-ignore
  [
    '② pickup repair',
    'request, escalation, unit sent and received, repair, unit shipped back and delivered, closing',
    'closed with the unit back at the end user',
    [...stories.pickupShippedBackCommands(), cmd.confirmRepairedUnitDelivered(), cmd.closeTicket()],
    ['RepairRequested', 'WarrantyAssessed', 'Escalated', 'FailedUnitSent', 'FailedUnitReceived', 'RepairCompleted', 'RepairedUnitShipped', 'RepairedUnitDelivered', 'TicketClosed'],
    {
      status: 'closed', scheme: 'pickup_repair', unitAtIpro: false,
      shipments: { failedUnit: { deliveredOn: '2026-11-25' }, repairedUnit: { deliveredOn: '2026-11-25' } },
    },
  ],
  // prettier-ignore
  [
    '③ onsite repair',
    'request, escalation, dispatch, onsite repair done, closing',
    'closed with the technician’s work recorded',
    [cmd.requestRepair({ model: 'WJ-NX400' }), cmd.escalate(), cmd.dispatchOnsite(), cmd.completeOnsiteRepair(), cmd.closeTicket()],
    ['RepairRequested', 'WarrantyAssessed', 'Escalated', 'OnsiteDispatched', 'OnsiteRepairCompleted', 'TicketClosed'],
    {
      status: 'closed', scheme: 'onsite_repair',
      onsite: { technicianName: 'Sato', visitDate: '2026-11-25', completedOn: '2026-11-25', workSummary: 'HDD replaced on site' },
    },
  ],
];

describe('each scheme, end to end', () => {
  it.each(schemes)('%s records %s', (_scheme, _records, _ends, commands, expected) => {
    expect(types(...commands)).toEqual(expected);
  });

  const endStates = schemes.map(
    ([scheme, , ends, commands, , state]) => [scheme, ends, commands, state] as const,
  );
  it.each(endStates)('%s ends %s', (_scheme, _ends, commands, expected) => {
    expect(stateAfter(...commands)).toMatchObject(expected);
  });
});

/** Paths through quotes, proof, rejection and referral: the state they end in. */
const endings: ReadonlyArray<
  readonly [name: string, commands: readonly RepairTicketCommand[], state: Readonly<Record<string, unknown>>]
> = [
  // prettier-ignore
  ['the paid path ends with a declined quote being closed', [cmd.requestRepair({ unit: { soldInJapan: false } }), cmd.escalate(), cmd.issueQuote(), cmd.declineQuote(), cmd.closeTicket()], { status: 'closed' }],
  // prettier-ignore
  ['the paid path, after a declined exclusion quote, returns the unit unrepaired and closes', [...stories.pickupReceivedCommands(), cmd.recordInspectionFinding(), cmd.issueQuote(), cmd.declineQuote(), cmd.returnUnrepairedUnit(), cmd.closeTicket()], { status: 'closed', unitAtIpro: false, shipments: { unrepairedReturn: { carrier: 'Yamato' } } }],
  // prettier-ignore
  ['the paid path onsite: an exclusion found by the technician is quoted, then the repair completes', [cmd.requestRepair({ model: 'WJ-NX400' }), cmd.escalate(), cmd.dispatchOnsite(), cmd.recordInspectionFinding(), cmd.issueQuote(), cmd.acceptQuote(), cmd.completeOnsiteRepair()], { status: 'onsite_completed' }],
  // prettier-ignore
  ['the paid path: a free year-1 onsite repair in a remote area still quotes the travel charge first', [cmd.requestRepair({ model: 'WJ-NX400', site: { prefecture: 'Okinawa', remoteArea: true } }), cmd.escalate()], { status: 'awaiting_quote', assessment: { billing: 'free' } }],
  // prettier-ignore
  ['proof later: a request without proof becomes free when the proof arrives and then runs its scheme', [cmd.requestRepair({ proofOfDelivery: null }), cmd.submitProof(), cmd.escalate(), cmd.shipReplacement()], { status: 'in_transit_to_partner', assessment: { billing: 'free', awaitingProof: false } }],
  // prettier-ignore
  ['an unrepairable model is closed after the rejection', [cmd.requestRepair({ model: 'WV-Q122A' }), cmd.closeTicket()], { status: 'closed' }],
  // prettier-ignore
  ['a unit rejected at inspection is returned, then closed', [...stories.pickupReceivedCommands(), cmd.rejectRepair(), cmd.returnUnrepairedUnit(), cmd.closeTicket()], { status: 'closed' }],
  // prettier-ignore
  ['a software-only fault is closed after the referral', [cmd.requestRepair({ failure: { component: 'software_only' } }), cmd.closeTicket()], { status: 'closed' }],
];

describe('other paths', () => {
  it.each(endings)('%s', (_name, commands, expected) => {
    expect(stateAfter(...commands)).toMatchObject(expected);
  });

  it('the paid path quotes, accepts, then runs the scheme', () => {
    const commands = [
      cmd.requestRepair({
        model: 'WV-X1574LN',
        unit: { deliveryDate: '2020-06-01', saleDate: '2020-05-01' },
      }),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
      cmd.completeRepair(),
      cmd.shipRepairedUnit(),
      cmd.confirmRepairedUnitDelivered(),
      cmd.closeTicket(),
    ];
    expect(types(...commands)).toContain('QuoteAccepted');
    expect(stateAfter(...commands)).toMatchObject({
      status: 'closed',
      coverage: 'out_of_warranty',
      quotes: [{ status: 'accepted', totalJpy: 45000 }],
    });
  });

  it('the paid path, after an exclusion at inspection, resumes the repair once the quote is accepted', () => {
    const state = stateAfter(
      ...stories.pickupReceivedCommands(),
      cmd.recordInspectionFinding(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
    );
    expect(state).toMatchObject({ status: 'failed_unit_received', exclusion: { clause: 3 } });
    expect(allowedCommands(state)).toEqual(['CompleteRepair', 'RejectRepair']);
  });
});

describe('replay', () => {
  it('folding the recorded events rebuilds the same state', () => {
    const events = history(...stories.pickupShippedBackCommands());
    expect(evolveAll(initialState, events)).toEqual(stateAfter(...stories.pickupShippedBackCommands()));
  });

  it('keeps the time of the last change', () => {
    expect(stateAfter(cmd.requestRepair()).updatedAt).toBe('2026-11-25T01:00:00.000Z');
  });
});
