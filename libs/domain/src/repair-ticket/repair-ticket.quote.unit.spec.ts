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

const afterExpiry = (command: ReturnType<typeof cmd.acceptQuote | typeof cmd.declineQuote>) => ({
  ...command,
  metadata: meta(actors.partner, '2027-01-01T00:00:00.000Z'),
});

describe('RecordInspectionFinding (decision 4)', () => {
  // prettier-ignore
  ticket.records([
    ['records an exclusion found on a unit received for a free repair', stories.pickupReceived, cmd.recordInspectionFinding(), [event('ExclusionFound', { exclusion: 'relocation_transport_or_drop', clause: 3, findings: 'Housing cracked by a drop' })]],
  ]);
  const lightning = cmd.recordInspectionFinding({
    exclusion: 'disaster_pollution_or_abnormal_power',
    findings: 'Lightning',
  });
  const opened = cmd.recordInspectionFinding({
    exclusion: 'misuse_improper_repair_or_modification',
    findings: 'Opened',
  });
  // prettier-ignore
  ticket.leadsTo([
    ['turns the free repair into a quoted one', stories.pickupReceived, cmd.recordInspectionFinding(), { status: 'awaiting_quote', resumeStatus: 'failed_unit_received' }],
    ['may be recorded by the technician on site', stories.onsiteDispatched, lightning, { status: 'awaiting_quote', exclusion: { clause: 4 } }],
    ['may be recorded on the failed unit returned after a replacement', stories.exchangeComplete, opened, { status: 'awaiting_quote', resumeStatus: 'failed_unit_returned' }],
  ]);

  const paidReceived = () =>
    history(
      cmd.requestRepair({ model: 'WV-X1574LN', unit: { soldInJapan: false } }),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
      cmd.sendFailedUnit(),
      cmd.receiveFailedUnit(),
    );
  const unknownExclusion = cmd.recordInspectionFinding({ exclusion: 'data_loss' as 'connected_equipment' });
  // prettier-ignore
  ticket.refuses([
    ['is refused on a repair that is already chargeable', paidReceived, cmd.recordInspectionFinding(), IllegalTransitionError],
    ['names the exclusion when it is not one of (1)–(6)', stories.pickupReceived, unknownExclusion, ValidationError, { field: 'exclusion' }],
    ['names the findings when empty', stories.pickupReceived, cmd.recordInspectionFinding({ findings: '' }), ValidationError, { field: 'findings' }],
    ['is refused to a partner', stories.pickupReceived, cmd.recordInspectionFinding({}, actors.partner), NotAllowedError],
  ]);
});

describe('IssueQuote', () => {
  // prettier-ignore
  ticket.records([
    ['records priced lines and their total', stories.awaitingQuote, cmd.issueQuote(), [event('QuoteIssued', { quoteId: 'Q-1', reason: 'assessment', lines: quoteLines, totalJpy: 45000, validUntil: '2026-12-31' })]],
  ]);

  it('gives the exclusion as the reason of a quote after inspection', () => {
    ticket
      .given(history(...stories.pickupReceivedCommands(), cmd.recordInspectionFinding()))
      .when(cmd.issueQuote({ validUntil: null }))
      .thenState((state, events) => {
        expect(events[0]).toMatchObject({ data: { reason: 'exclusion_found', validUntil: null } });
        expect(state.status).toBe('awaiting_quote_decision');
      });
  });

  it.each([-1, 100.5, Number.NaN])('names the amount when it is %p yen', (amountJpy) => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [quoteLines[0], { ...quoteLines[1], amountJpy }] }))
      .thenThrows(ValidationError, { field: 'lines[1].amountJpy' });
  });

  const secondQuote = () => history(...stories.onsiteFindingOnRequestCommands());
  const unknownKind = cmd.issueQuote({
    lines: [{ kind: 'tip' as 'repair', description: 'x', amountJpy: 1 }],
  });
  // prettier-ignore
  ticket.refuses([
    ['names lines when there are none', stories.awaitingQuote, cmd.issueQuote({ lines: [] }), ValidationError, { field: 'lines' }],
    ['names lines when they are missing', stories.awaitingQuote, cmd.issueQuote({ lines: undefined }), ValidationError, { field: 'lines' }],
    ['names the line kind when unknown', stories.awaitingQuote, unknownKind, ValidationError, { field: 'lines[0].kind' }],
    ['refuses a validity date in the past', stories.awaitingQuote, cmd.issueQuote({ validUntil: '2026-11-24' }), ValidationError, { field: 'validUntil' }],
    ['refuses a quote id already used on the ticket', secondQuote, cmd.issueQuote(), BusinessRuleViolationError, { rule: 'duplicate_quote_id' }],
    ['is refused when no quote is needed', stories.escalated, cmd.issueQuote(), IllegalTransitionError],
    ['is refused to a partner', stories.awaitingQuote, cmd.issueQuote({}, actors.partner), NotAllowedError],
  ]);
});

describe('AcceptQuote', () => {
  // prettier-ignore
  ticket.records([
    ['records the acceptance', stories.quoteIssued, cmd.acceptQuote(), [event('QuoteAccepted', { quoteId: 'Q-1' }, actors.partner)]],
  ]);
  // prettier-ignore
  ticket.leadsTo([
    ['lets the work start: the scheme’s first step is next', stories.quoteIssued, cmd.acceptQuote(), { status: 'escalated', resumeStatus: null, quotes: [{ status: 'accepted' }] }],
    ['may be recorded by customer support for the partner', stories.quoteIssued, cmd.acceptQuote({}, actors.support), { status: 'escalated' }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['refuses a quote that is not the pending one', stories.quoteIssued, cmd.acceptQuote({ quoteId: 'Q-0' }), BusinessRuleViolationError, { rule: 'quote_not_current' }],
    ['refuses an expired quote', stories.quoteIssued, afterExpiry(cmd.acceptQuote()), BusinessRuleViolationError, { rule: 'quote_expired' }],
    ['is refused to another partner', stories.quoteIssued, cmd.acceptQuote({}, actors.otherPartner), NotAllowedError, { reason: 'this ticket belongs to another partner' }],
    ['is refused before a quote was issued', stories.awaitingQuote, cmd.acceptQuote(), IllegalTransitionError],
  ]);
});

describe('DeclineQuote', () => {
  // prettier-ignore
  ticket.records([
    ['records the refusal with its reason', stories.quoteIssued, cmd.declineQuote(), [event('QuoteDeclined', { quoteId: 'Q-1', reason: 'too expensive' }, actors.partner)]],
  ]);
  // prettier-ignore
  ticket.leadsTo([
    ['accepts an expired quote being declined', stories.quoteIssued, afterExpiry(cmd.declineQuote({ reason: null })), { status: 'quote_declined', quotes: [{ status: 'declined' }] }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['refuses a quote that is not the pending one', stories.quoteIssued, cmd.declineQuote({ quoteId: 'Q-9' }), BusinessRuleViolationError, { rule: 'quote_not_current' }],
  ]);
});

describe('ReturnUnrepairedUnit', () => {
  const declinedAtIpro = () =>
    history(
      ...stories.pickupReceivedCommands(),
      cmd.recordInspectionFinding(),
      cmd.issueQuote(),
      cmd.declineQuote(),
    );
  const declinedAbroad = () =>
    history(
      cmd.requestRepair({ unit: { soldInJapan: false } }),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.declineQuote(),
    );

  // prettier-ignore
  ticket.records([
    ['sends a held unit back after a declined quote', declinedAtIpro, cmd.returnUnrepairedUnit(), [event('UnrepairedUnitReturned', { carrier: 'Yamato', trackingNumber: '1234-5678-9012' })]],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is required before closing a ticket whose unit i-PRO still holds', declinedAtIpro, cmd.closeTicket(), IllegalTransitionError],
    ['is refused when i-PRO does not hold the unit', declinedAbroad, cmd.returnUnrepairedUnit(), IllegalTransitionError],
  ]);
});
