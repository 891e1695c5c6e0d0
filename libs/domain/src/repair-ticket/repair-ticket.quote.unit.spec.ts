import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  NotAllowedError,
  ValidationError,
} from '../shared/domain-errors';
import {
  actors,
  cmd,
  event,
  history,
  meta,
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';

const quoteLines = [
  { kind: 'repair', description: 'Repair', amountJpy: 30000 },
  { kind: 'onsite_fee', description: 'Onsite fee', amountJpy: 15000 },
] as const;

/** A recorder in year 2 repaired onsite on request: free repair, but an onsite fee to quote. */
const onsiteOnRequest = {
  model: 'WJ-NX400',
  onsiteRequested: true,
  unit: { deliveryDate: '2025-06-01', saleDate: '2025-05-01' },
};

describe('RecordInspectionFinding (decision 4)', () => {
  it('records an exclusion found on a unit received for a free repair', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.recordInspectionFinding())
      .then([
        event('ExclusionFound', {
          exclusion: 'relocation_transport_or_drop',
          clause: 3,
          findings: 'Housing cracked by a drop',
        }),
      ]);
  });

  it('turns the free repair into a quoted one', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.recordInspectionFinding())
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'awaiting_quote', resumeStatus: 'failed_unit_received' }),
      );
  });

  it('may be recorded by the technician on site', () => {
    ticket
      .given(stories.onsiteDispatched())
      .when(
        cmd.recordInspectionFinding({
          exclusion: 'disaster_pollution_or_abnormal_power',
          findings: 'Lightning',
        }),
      )
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'awaiting_quote', exclusion: { clause: 4 } }),
      );
  });

  it('may be recorded on the failed unit returned after a replacement', () => {
    ticket
      .given(stories.exchangeComplete())
      .when(
        cmd.recordInspectionFinding({
          exclusion: 'misuse_improper_repair_or_modification',
          findings: 'Opened',
        }),
      )
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'awaiting_quote', resumeStatus: 'failed_unit_returned' }),
      );
  });

  it('is refused on a repair that is already chargeable', () => {
    const paidReceived = history(
      cmd.requestRepair({ model: 'WV-X1574LN', unit: { soldInJapan: false } }),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
    );
    ticket.given(paidReceived).when(cmd.recordInspectionFinding()).thenThrows(IllegalTransitionError);
  });

  it('names the exclusion when it is not one of (1)–(6)', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.recordInspectionFinding({ exclusion: 'data_loss' as 'connected_equipment' }))
      .thenThrows(ValidationError, { field: 'exclusion' });
  });

  it('names the findings when empty', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.recordInspectionFinding({ findings: '' }))
      .thenThrows(ValidationError, { field: 'findings' });
  });

  it('is refused to a partner', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.recordInspectionFinding({}, actors.partner))
      .thenThrows(NotAllowedError);
  });
});

describe('IssueQuote', () => {
  it('records priced lines and their total', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote())
      .then([
        event('QuoteIssued', {
          quoteId: 'Q-1',
          reason: 'assessment',
          lines: quoteLines,
          totalJpy: 45000,
          validUntil: '2026-12-31',
        }),
      ]);
  });

  it('gives the exclusion as the reason of a quote after inspection', () => {
    ticket
      .given(history(...stories.pickupReceivedCommands(), cmd.recordInspectionFinding()))
      .when(cmd.issueQuote({ validUntil: null }))
      .thenState((state, events) => {
        expect(events[0]).toMatchObject({ data: { reason: 'exclusion_found', validUntil: null } });
        expect(state.status).toBe('awaiting_quote_decision');
      });
  });

  it('names lines when there are none', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [] }))
      .thenThrows(ValidationError, { field: 'lines' });
  });

  it.each([-1, 100.5, Number.NaN])('names the amount when it is %p yen', (amountJpy) => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [quoteLines[0], { ...quoteLines[1], amountJpy }] }))
      .thenThrows(ValidationError, { field: 'lines[1].amountJpy' });
  });

  it('names the line kind when unknown', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [{ kind: 'tip' as 'repair', description: 'x', amountJpy: 1 }] }))
      .thenThrows(ValidationError, { field: 'lines[0].kind' });
  });

  it('refuses a validity date in the past', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ validUntil: '2026-11-24' }))
      .thenThrows(ValidationError, { field: 'validUntil' });
  });

  it('refuses a quote id already used on the ticket', () => {
    const secondQuote = history(
      cmd.requestRepair(onsiteOnRequest),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
      cmd.dispatchOnsite(),
      cmd.recordInspectionFinding(),
    );
    ticket
      .given(secondQuote)
      .when(cmd.issueQuote())
      .thenThrows(BusinessRuleViolationError, { rule: 'duplicate_quote_id' });
  });

  it('is refused when no quote is needed', () => {
    ticket.given(stories.escalated()).when(cmd.issueQuote()).thenThrows(IllegalTransitionError);
  });

  it('is refused to a partner', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({}, actors.partner))
      .thenThrows(NotAllowedError);
  });
});

describe('AcceptQuote', () => {
  it('records the acceptance', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.acceptQuote())
      .then([event('QuoteAccepted', { quoteId: 'Q-1' }, actors.partner)]);
  });

  it('lets the work start: the scheme’s first step is next', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.acceptQuote())
      .thenState((state) => {
        expect(state).toMatchObject({ status: 'escalated', resumeStatus: null });
        expect(state.quotes[0]?.status).toBe('accepted');
      });
  });

  it('may be recorded by customer support for the partner', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.acceptQuote({}, actors.support))
      .thenState((state) => expect(state.status).toBe('escalated'));
  });

  it('refuses a quote that is not the pending one', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.acceptQuote({ quoteId: 'Q-0' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'quote_not_current' });
  });

  it('refuses an expired quote', () => {
    ticket
      .given(stories.quoteIssued())
      .when({ ...cmd.acceptQuote(), metadata: meta(actors.partner, '2027-01-01T00:00:00.000Z') })
      .thenThrows(BusinessRuleViolationError, { rule: 'quote_expired' });
  });

  it('is refused to another partner', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.acceptQuote({}, actors.otherPartner))
      .thenThrows(NotAllowedError, { reason: 'this ticket belongs to another partner' });
  });

  it('is refused before a quote was issued', () => {
    ticket.given(stories.awaitingQuote()).when(cmd.acceptQuote()).thenThrows(IllegalTransitionError);
  });
});

describe('DeclineQuote', () => {
  it('records the refusal with its reason', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.declineQuote())
      .then([event('QuoteDeclined', { quoteId: 'Q-1', reason: 'too expensive' }, actors.partner)]);
  });

  it('accepts an expired quote being declined', () => {
    ticket
      .given(stories.quoteIssued())
      .when({
        ...cmd.declineQuote({ reason: null }),
        metadata: meta(actors.partner, '2027-01-01T00:00:00.000Z'),
      })
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'quote_declined', quotes: [{ status: 'declined' }] }),
      );
  });

  it('refuses a quote that is not the pending one', () => {
    ticket
      .given(stories.quoteIssued())
      .when(cmd.declineQuote({ quoteId: 'Q-9' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'quote_not_current' });
  });
});

describe('ReturnUnrepairedUnit', () => {
  const declinedAtIpro = () =>
    history(
      ...stories.pickupReceivedCommands(),
      cmd.recordInspectionFinding(),
      cmd.issueQuote(),
      cmd.declineQuote(),
    );

  it('sends a held unit back after a declined quote', () => {
    ticket
      .given(declinedAtIpro())
      .when(cmd.returnUnrepairedUnit())
      .then([event('UnrepairedUnitReturned', { carrier: 'Yamato', trackingNumber: '1234-5678-9012' })]);
  });

  it('is required before closing a ticket whose unit i-PRO still holds', () => {
    ticket.given(declinedAtIpro()).when(cmd.closeTicket()).thenThrows(IllegalTransitionError);
  });

  it('is refused when i-PRO does not hold the unit', () => {
    ticket
      .given(
        history(
          cmd.requestRepair({ unit: { soldInJapan: false } }),
          cmd.escalate(),
          cmd.issueQuote(),
          cmd.declineQuote(),
        ),
      )
      .when(cmd.returnUnrepairedUnit())
      .thenThrows(IllegalTransitionError);
  });
});

describe('RejectRepair', () => {
  it('records the rejection with the advice to buy new', () => {
    ticket
      .given(stories.requested())
      .when(cmd.rejectRepair())
      .then([event('RepairRejected', { reason: 'beyond_repair', detail: 'Board burnt', advice: 'buy_new' })]);
  });

  it('at inspection leaves the held unit to be returned', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.rejectRepair())
      .thenState((state) => {
        expect(state).toMatchObject({ status: 'rejected', unitAtIpro: true });
        expect(state.rejection).toEqual({ reason: 'beyond_repair', detail: 'Board burnt' });
      });
  });

  it('names the reason when unknown', () => {
    ticket
      .given(stories.requested())
      .when(cmd.rejectRepair({ reason: 'too_old' as 'beyond_repair' }))
      .thenThrows(ValidationError, { field: 'reason' });
  });

  it('is refused to a partner', () => {
    ticket.given(stories.requested()).when(cmd.rejectRepair({}, actors.partner)).thenThrows(NotAllowedError);
  });

  it('is refused once the repair is done', () => {
    ticket.given(stories.pickupRepaired()).when(cmd.rejectRepair()).thenThrows(IllegalTransitionError);
  });
});

describe('CloseTicket', () => {
  it('closes a ticket whose work is done', () => {
    ticket
      .given(history(...stories.pickupShippedBackCommands(), cmd.confirmRepairedUnitDelivered()))
      .when(cmd.closeTicket())
      .then([event('TicketClosed', { note: null })]);
  });

  it('is refused while the work is under way', () => {
    ticket.given(stories.escalated()).when(cmd.closeTicket()).thenThrows(IllegalTransitionError);
  });

  it('is refused to a partner', () => {
    ticket
      .given(stories.exchangeComplete())
      .when(cmd.closeTicket(actors.partner))
      .thenThrows(NotAllowedError);
  });

  it('leaves a closed ticket refusing every command', () => {
    ticket
      .given(history(...stories.exchangeCompleteCommands(), cmd.closeTicket()))
      .when(cmd.shipReplacement())
      .thenThrows(IllegalTransitionError, { currentStatus: 'closed' });
  });
});

describe('CancelTicket', () => {
  it('cancels a ticket before anything physical happened', () => {
    ticket
      .given(stories.escalated())
      .when(cmd.cancelTicket())
      .then([event('TicketCancelled', { reason: 'unit works again' }, actors.partner)]);
  });

  it('is refused once a unit was shipped', () => {
    ticket.given(stories.replacementInTransit()).when(cmd.cancelTicket()).thenThrows(IllegalTransitionError);
  });

  it('names the reason when empty', () => {
    ticket
      .given(stories.requested())
      .when(cmd.cancelTicket({ reason: '' }))
      .thenThrows(ValidationError, { field: 'reason' });
  });

  it('is refused to another partner', () => {
    ticket
      .given(stories.requested())
      .when(cmd.cancelTicket({}, actors.otherPartner))
      .thenThrows(NotAllowedError);
  });

  it('leaves a cancelled ticket refusing every command', () => {
    ticket
      .given(history(cmd.requestRepair(), cmd.cancelTicket()))
      .when(cmd.escalate())
      .thenThrows(IllegalTransitionError, { currentStatus: 'cancelled' });
  });
});
