import { cmd, history, stateAfter, stories } from '../../testing/repair-ticket-fixtures.test-support';
import { allowedCommands } from './allowed-commands';
import { type RepairTicketCommand } from './repair-ticket.commands';
import { evolveAll } from './repair-ticket.decider';
import { initialState } from './repair-ticket.state';

/** Each scheme end to end: the recorded event types in order, and the ticket's final state. */
const types = (...commands: RepairTicketCommand[]) => history(...commands).map((e) => e.type);

describe('① replacement, end to end', () => {
  const commands = [...stories.exchangeCompleteCommands(), cmd.closeTicket()];

  it('records request, escalation, replacement shipped and delivered, failed unit returned, closing', () => {
    expect(types(...commands)).toEqual([
      'RepairRequested',
      'WarrantyAssessed',
      'Escalated',
      'ReplacementShipped',
      'ReplacementDelivered',
      'FailedUnitReturned',
      'TicketClosed',
    ]);
  });

  it('ends closed with both shipments recorded', () => {
    const state = stateAfter(...commands);
    expect(state).toMatchObject({ status: 'closed', scheme: 'replacement', coverage: 'product_warranty' });
    expect(state.shipments.replacement).toMatchObject({
      replacementSerial: 'SN-9001',
      deliveredOn: '2026-11-25',
    });
    expect(state.shipments.failedUnit).toMatchObject({ carrier: 'Yamato', trackingNumber: '1234-5678-9012' });
    expect(state.closedAt).toBe('2026-11-25T01:00:00.000Z');
  });
});

describe('② pickup repair, end to end', () => {
  const commands = [
    ...stories.pickupShippedBackCommands(),
    cmd.confirmRepairedUnitDelivered(),
    cmd.closeTicket(),
  ];

  it('records request, escalation, unit sent and received, repair, unit shipped back and delivered, closing', () => {
    expect(types(...commands)).toEqual([
      'RepairRequested',
      'WarrantyAssessed',
      'Escalated',
      'FailedUnitSent',
      'FailedUnitReceived',
      'RepairCompleted',
      'RepairedUnitShipped',
      'RepairedUnitDelivered',
      'TicketClosed',
    ]);
  });

  it('ends closed with the unit back at the end user', () => {
    const state = stateAfter(...commands);
    expect(state).toMatchObject({ status: 'closed', scheme: 'pickup_repair', unitAtIpro: false });
    expect(state.shipments.failedUnit?.deliveredOn).toBe('2026-11-25');
    expect(state.shipments.repairedUnit?.deliveredOn).toBe('2026-11-25');
  });
});

describe('③ onsite repair, end to end', () => {
  const commands = [
    cmd.requestRepair({ model: 'WJ-NX400' }),
    cmd.escalate(),
    cmd.dispatchOnsite(),
    cmd.completeOnsiteRepair(),
    cmd.closeTicket(),
  ];

  it('records request, escalation, dispatch, onsite repair done, closing', () => {
    expect(types(...commands)).toEqual([
      'RepairRequested',
      'WarrantyAssessed',
      'Escalated',
      'OnsiteDispatched',
      'OnsiteRepairCompleted',
      'TicketClosed',
    ]);
  });

  it('ends closed with the technician’s work recorded', () => {
    expect(stateAfter(...commands)).toMatchObject({
      status: 'closed',
      scheme: 'onsite_repair',
      onsite: {
        technicianName: 'Sato',
        visitDate: '2026-11-25',
        completedOn: '2026-11-25',
        workSummary: 'HDD replaced on site',
      },
    });
  });
});

describe('the paid path', () => {
  it('quotes, accepts, then runs the scheme', () => {
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

  it('ends with a declined quote being closed', () => {
    const state = stateAfter(
      ...[
        cmd.requestRepair({ unit: { soldInJapan: false } }),
        cmd.escalate(),
        cmd.issueQuote(),
        cmd.declineQuote(),
        cmd.closeTicket(),
      ],
    );
    expect(state.status).toBe('closed');
  });

  it('after an exclusion at inspection, resumes the repair once the quote is accepted', () => {
    const state = stateAfter(
      ...stories.pickupReceivedCommands(),
      cmd.recordInspectionFinding(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
    );
    expect(state).toMatchObject({ status: 'failed_unit_received', exclusion: { clause: 3 } });
    expect(allowedCommands(state)).toEqual(['CompleteRepair', 'RejectRepair']);
  });

  it('after a declined exclusion quote, returns the unit unrepaired and closes', () => {
    const commands = [
      ...stories.pickupReceivedCommands(),
      cmd.recordInspectionFinding(),
      cmd.issueQuote(),
      cmd.declineQuote(),
      cmd.returnUnrepairedUnit(),
      cmd.closeTicket(),
    ];
    const state = stateAfter(...commands);
    expect(state).toMatchObject({
      status: 'closed',
      unitAtIpro: false,
      shipments: { unrepairedReturn: { carrier: 'Yamato' } },
    });
  });

  it('onsite: an exclusion found by the technician is quoted, then the repair completes', () => {
    const state = stateAfter(
      cmd.requestRepair({ model: 'WJ-NX400' }),
      cmd.escalate(),
      cmd.dispatchOnsite(),
      cmd.recordInspectionFinding(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
      cmd.completeOnsiteRepair(),
    );
    expect(state.status).toBe('onsite_completed');
  });

  it('a free year-1 onsite repair in a remote area still quotes the travel charge first', () => {
    const state = stateAfter(
      cmd.requestRepair({ model: 'WJ-NX400', site: { prefecture: 'Okinawa', remoteArea: true } }),
      cmd.escalate(),
    );
    expect(state).toMatchObject({ status: 'awaiting_quote', assessment: { billing: 'free' } });
  });
});

describe('proof later', () => {
  it('a request without proof becomes free when the proof arrives and then runs its scheme', () => {
    const state = stateAfter(
      cmd.requestRepair({ proofOfDelivery: null }),
      cmd.submitProof(),
      cmd.escalate(),
      cmd.shipReplacement(),
    );
    expect(state).toMatchObject({
      status: 'in_transit_to_partner',
      assessment: { billing: 'free', awaitingProof: false },
    });
  });
});

describe('a rejected or referred ticket', () => {
  it('an unrepairable model is closed after the rejection', () => {
    expect(stateAfter(cmd.requestRepair({ model: 'WV-Q122A' }), cmd.closeTicket()).status).toBe('closed');
  });

  it('a unit rejected at inspection is returned, then closed', () => {
    const state = stateAfter(
      ...stories.pickupReceivedCommands(),
      cmd.rejectRepair(),
      cmd.returnUnrepairedUnit(),
      cmd.closeTicket(),
    );
    expect(state.status).toBe('closed');
  });

  it('a software-only fault is closed after the referral', () => {
    expect(
      stateAfter(cmd.requestRepair({ failure: { component: 'software_only' } }), cmd.closeTicket()).status,
    ).toBe('closed');
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
