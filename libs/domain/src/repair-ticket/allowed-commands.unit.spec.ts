import { actors, cmd, history, stateAfter, stories } from '../../testing/repair-ticket-fixtures.test-support';
import { allowedCommands, REPAIR_TICKET_COMMAND_TYPES } from './allowed-commands';
import { EXCLUSION_CLAUSE, REPAIR_TICKET_EVENT_TYPES } from './repair-ticket.events';
import { evolveAll } from './repair-ticket.decider';
import { initialState, TICKET_STATUSES } from './repair-ticket.state';

describe('allowedCommands', () => {
  it.each([
    ['a new ticket', [], ['RequestRepair']],
    [
      'awaiting proof',
      stories.awaitingProof(),
      ['SubmitProofOfDelivery', 'ProceedWithoutProof', 'CancelTicket'],
    ],
    ['requested', stories.requested(), ['Escalate', 'RejectRepair', 'CancelTicket']],
    ['escalated, replacement', stories.escalated(), ['ShipReplacement', 'RejectRepair', 'CancelTicket']],
    [
      'escalated, pickup',
      stories.escalated({ model: 'WV-X1574LN' }),
      ['SendFailedUnit', 'RejectRepair', 'CancelTicket'],
    ],
    ['escalated, onsite', stories.onsiteEscalated(), ['DispatchOnsite', 'RejectRepair', 'CancelTicket']],
    ['awaiting a quote', stories.awaitingQuote(), ['IssueQuote', 'RejectRepair', 'CancelTicket']],
    ['quote issued', stories.quoteIssued(), ['AcceptQuote', 'DeclineQuote', 'CancelTicket']],
    ['replacement in transit', stories.replacementInTransit(), ['ConfirmReplacementDelivered']],
    ['replacement delivered', stories.replacementDelivered(), ['ReturnFailedUnit']],
    ['exchange complete', stories.exchangeComplete(), ['RecordInspectionFinding', 'CloseTicket']],
    ['failed unit in transit', stories.pickupSent(), ['ReceiveFailedUnit']],
    [
      'failed unit received',
      stories.pickupReceived(),
      ['RecordInspectionFinding', 'CompleteRepair', 'RejectRepair'],
    ],
    ['repaired', stories.pickupRepaired(), ['ShipRepairedUnit']],
    ['repaired unit in transit', stories.pickupShippedBack(), ['ConfirmRepairedUnitDelivered']],
    ['onsite dispatched', stories.onsiteDispatched(), ['RecordInspectionFinding', 'CompleteOnsiteRepair']],
    ['closed', history(...stories.exchangeCompleteCommands(), cmd.closeTicket()), []],
  ] as const)('%s allows %j', (_name, events, expected) => {
    expect(allowedCommands(evolveAll(initialState, events))).toEqual(expected);
  });

  it('a ticket escalated with scheme none (only reachable by a replayed foreign history) can be rejected or cancelled', () => {
    const escalated = stateAfter(cmd.requestRepair(), cmd.escalate());
    expect(allowedCommands({ ...escalated, scheme: 'none' })).toEqual(['RejectRepair', 'CancelTicket']);
  });

  it('lists only what the given actor may do', () => {
    const state = stateAfter(...stories.quoteIssuedCommands());
    expect(allowedCommands(state, actors.partner)).toEqual(['AcceptQuote', 'DeclineQuote', 'CancelTicket']);
    expect(allowedCommands(state, actors.otherPartner)).toEqual([]);
    expect(allowedCommands(state, actors.endUser)).toEqual([]);
    expect(allowedCommands(state, actors.portal)).toEqual([]);
  });

  it('lets the portal escalate but not a partner', () => {
    const state = stateAfter(cmd.requestRepair());
    expect(allowedCommands(state, actors.portal)).toEqual(['Escalate']);
    expect(allowedCommands(state, actors.partner)).toEqual(['CancelTicket']);
    expect(allowedCommands(state, actors.support)).toEqual(['Escalate', 'RejectRepair', 'CancelTicket']);
  });
});

describe('contract lists', () => {
  it('only exclusions (1)–(6) can be recorded: (7)–(9) are costs i-PRO does not carry, not refusals', () => {
    expect(Object.values(EXCLUSION_CLAUSE)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('every event type and command type is listed once', () => {
    expect(new Set(REPAIR_TICKET_EVENT_TYPES).size).toBe(23);
    expect(REPAIR_TICKET_COMMAND_TYPES).toHaveLength(22);
    expect(REPAIR_TICKET_COMMAND_TYPES).toContain('RecordInspectionFinding');
  });

  it('every status is listed once', () => {
    expect(new Set(TICKET_STATUSES).size).toBe(TICKET_STATUSES.length);
  });
});
