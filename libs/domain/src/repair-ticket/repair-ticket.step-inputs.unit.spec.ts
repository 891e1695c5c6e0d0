import { BusinessRuleViolationError, ValidationError } from '../shared/domain-errors';
import {
  actors,
  cmd,
  history,
  meta,
  SERIAL,
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';

/**
 * The inputs of the steps after filing: each refused field named, each business rule's message, and a second
 * quote under a new id accepted. The fixtures ship everything on 2026-11-25 (Japan), the request's day.
 */

const part = { partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 1 };

describe('refused step inputs name their field', () => {
  // prettier-ignore
  ticket.refuses([
    ['refuses receiving a blank serial', stories.pickupSent, cmd.receiveFailedUnit({ serialNumber: ' ' }), ValidationError, { field: 'serialNumber' }],
    ['refuses receiving on no date', stories.pickupSent, cmd.receiveFailedUnit({ receivedOn: 'today' }), ValidationError, { field: 'receivedOn' }],
    ['refuses a repair without a work summary', stories.pickupReceived, cmd.completeRepair({ workSummary: '' }), ValidationError, { field: 'workSummary' }],
    ['refuses a visit on no date', stories.onsiteEscalated, cmd.dispatchOnsite({ visitDate: '2026-13-01' }), ValidationError, { field: 'visitDate' }],
    ['refuses a part of quantity 0 for the visit', stories.onsiteEscalated, cmd.dispatchOnsite({ parts: [{ ...part, quantity: 0 }] }), ValidationError, { field: 'parts[0].quantity' }],
    ['refuses an onsite completion on no date', stories.onsiteDispatched, cmd.completeOnsiteRepair({ completedOn: '' }), ValidationError, { field: 'completedOn' }],
    ['refuses an onsite completion without a work summary', stories.onsiteDispatched, cmd.completeOnsiteRepair({ workSummary: ' ' }), ValidationError, { field: 'workSummary' }],
    ['refuses a quote without an id', stories.awaitingQuote, cmd.issueQuote({ quoteId: '' }), ValidationError, { field: 'quoteId' }],
    ['refuses a quote valid until no date', stories.awaitingQuote, cmd.issueQuote({ validUntil: 'end of year' }), ValidationError, { field: 'validUntil' }],
    ['refuses a delivery on no date', stories.replacementInTransit, cmd.confirmReplacementDelivered({ deliveredOn: '11/25' }), ValidationError, { field: 'deliveredOn' }],
    ['names a part without a part number', stories.onsiteEscalated, cmd.dispatchOnsite({ parts: [{ ...part, partNumber: '' }] }), ValidationError, { field: 'parts[0].partNumber' }],
    ['names a part without a description', stories.onsiteEscalated, cmd.dispatchOnsite({ parts: [{ ...part, description: ' ' }] }), ValidationError, { field: 'parts[0].description' }],
    ['says a quote needs at least one line', stories.awaitingQuote, cmd.issueQuote({ lines: [] }), ValidationError, { field: 'lines', message: 'lines: a quote needs at least one line' }],
    ['names a quote line without a description', stories.awaitingQuote, cmd.issueQuote({ lines: [{ kind: 'repair', description: '', amountJpy: 1000 }] }), ValidationError, { field: 'lines[0].description' }],
    ['says a part quantity must be a positive integer', stories.onsiteEscalated, cmd.dispatchOnsite({ parts: [{ ...part, quantity: 1.5 }] }), ValidationError, { message: 'parts[0].quantity: must be a positive integer' }],
    ['says a quote amount must be whole yen, not negative', stories.awaitingQuote, cmd.issueQuote({ lines: [{ kind: 'repair', description: 'Repair', amountJpy: -1 }] }), ValidationError, { message: 'lines[0].amountJpy: must be a non-negative whole number of yen' }],
    ['says a quote must not expire in the past', stories.awaitingQuote, cmd.issueQuote({ validUntil: '2026-11-24' }), ValidationError, { message: 'validUntil: must not be in the past' }],
  ]);
});

describe('business rules of the steps say why', () => {
  const because = (rule: string, message: string) => ({ code: 'business_rule_violated', rule, message });
  const expired = { ...cmd.acceptQuote(), metadata: meta(actors.partner, '2027-01-01T00:00:00.000Z') };
  // prettier-ignore
  ticket.refuses([
    ['refuses shipping the failed unit as its own replacement', stories.escalated, cmd.shipReplacement({ replacementSerial: SERIAL }), BusinessRuleViolationError, because('replacement_is_failed_unit', 'the replacement serial is the failed unit')],
    ['refuses receiving a unit before it was sent', stories.pickupSent, cmd.receiveFailedUnit({ receivedOn: '2026-11-24' }), BusinessRuleViolationError, because('received_before_sent', 'received before it was sent')],
    ['refuses receiving another unit', stories.pickupSent, cmd.receiveFailedUnit({ serialNumber: 'SN-0002' }), BusinessRuleViolationError, because('received_serial_mismatch', "received SN-0002, the ticket's unit is SN-0001")],
    ['refuses a visit before the request', stories.onsiteEscalated, cmd.dispatchOnsite({ visitDate: '2026-11-24' }), BusinessRuleViolationError, because('visit_before_request', 'the visit cannot be before the request')],
    ['refuses a delivery before the shipment', stories.replacementInTransit, cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-24' }), BusinessRuleViolationError, because('delivered_before_shipped', 'delivered before it was shipped')],
    ['refuses accepting a quote that is not the pending one', stories.quoteIssued, cmd.acceptQuote({ quoteId: 'Q-0' }), BusinessRuleViolationError, because('quote_not_current', 'quote Q-0 is not the pending quote Q-1')],
    ['refuses accepting an expired quote', stories.quoteIssued, expired, BusinessRuleViolationError, because('quote_expired', 'quote Q-1 expired on 2026-12-31')],
  ]);
});

describe('a second quote on a ticket', () => {
  const afterFinding = () => history(...stories.onsiteFindingOnRequestCommands());

  it('is issued under a new id', () => {
    ticket
      .given(afterFinding())
      .when(cmd.issueQuote({ quoteId: 'Q-2' }))
      .thenState((state, events) =>
        expect(events).toMatchObject([
          { type: 'QuoteIssued', data: { quoteId: 'Q-2', reason: 'exclusion_found' } },
        ]),
      );
  });

  // prettier-ignore
  ticket.refuses([
    ['says an id already used was already issued', afterFinding, cmd.issueQuote(), BusinessRuleViolationError, { rule: 'duplicate_quote_id', message: 'quote Q-1 was already issued on this ticket' }],
  ]);
});
