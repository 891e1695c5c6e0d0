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

describe('refused step inputs name their field', () => {
  it.each<
    [
      string,
      () => ReturnType<typeof ticket.given>,
      () => Parameters<ReturnType<typeof ticket.given>['when']>[0],
      string,
    ]
  >([
    [
      'receiving a blank serial',
      () => ticket.given(stories.pickupSent()),
      () => cmd.receiveFailedUnit({ serialNumber: ' ' }),
      'serialNumber',
    ],
    [
      'receiving on no date',
      () => ticket.given(stories.pickupSent()),
      () => cmd.receiveFailedUnit({ receivedOn: 'today' }),
      'receivedOn',
    ],
    [
      'a repair without a work summary',
      () => ticket.given(stories.pickupReceived()),
      () => cmd.completeRepair({ workSummary: '' }),
      'workSummary',
    ],
    [
      'a visit on no date',
      () => ticket.given(stories.onsiteEscalated()),
      () => cmd.dispatchOnsite({ visitDate: '2026-13-01' }),
      'visitDate',
    ],
    [
      'a part of quantity 0 for the visit',
      () => ticket.given(stories.onsiteEscalated()),
      () => cmd.dispatchOnsite({ parts: [{ partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 0 }] }),
      'parts[0].quantity',
    ],
    [
      'an onsite completion on no date',
      () => ticket.given(stories.onsiteDispatched()),
      () => cmd.completeOnsiteRepair({ completedOn: '' }),
      'completedOn',
    ],
    [
      'an onsite completion without a work summary',
      () => ticket.given(stories.onsiteDispatched()),
      () => cmd.completeOnsiteRepair({ workSummary: ' ' }),
      'workSummary',
    ],
    [
      'a quote without an id',
      () => ticket.given(stories.awaitingQuote()),
      () => cmd.issueQuote({ quoteId: '' }),
      'quoteId',
    ],
    [
      'a quote valid until no date',
      () => ticket.given(stories.awaitingQuote()),
      () => cmd.issueQuote({ validUntil: 'end of year' }),
      'validUntil',
    ],
    [
      'a delivery on no date',
      () => ticket.given(stories.replacementInTransit()),
      () => cmd.confirmReplacementDelivered({ deliveredOn: '11/25' }),
      'deliveredOn',
    ],
  ])('refuses %s', (_, given, command, field) => {
    given().when(command()).thenThrows(ValidationError, { field });
  });

  it.each<[string, Parameters<typeof cmd.dispatchOnsite>[0], string]>([
    [
      'part number',
      { parts: [{ partNumber: '', description: '4 TB HDD', quantity: 1 }] },
      'parts[0].partNumber',
    ],
    [
      'description',
      { parts: [{ partNumber: 'HDD-4T', description: ' ', quantity: 1 }] },
      'parts[0].description',
    ],
  ])('names a part without a %s', (_, data, field) => {
    ticket
      .given(stories.onsiteEscalated())
      .when(cmd.dispatchOnsite(data))
      .thenThrows(ValidationError, { field });
  });

  it('says a quote needs at least one line', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [] }))
      .thenThrows(ValidationError, { field: 'lines', message: 'lines: a quote needs at least one line' });
  });

  it('names a quote line without a description', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [{ kind: 'repair', description: '', amountJpy: 1000 }] }))
      .thenThrows(ValidationError, { field: 'lines[0].description' });
  });

  it('says a part quantity must be a positive integer', () => {
    ticket
      .given(stories.onsiteEscalated())
      .when(cmd.dispatchOnsite({ parts: [{ partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 1.5 }] }))
      .thenThrows(ValidationError, { message: 'parts[0].quantity: must be a positive integer' });
  });

  it('says a quote amount must be whole yen, not negative', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ lines: [{ kind: 'repair', description: 'Repair', amountJpy: -1 }] }))
      .thenThrows(ValidationError, {
        message: 'lines[0].amountJpy: must be a non-negative whole number of yen',
      });
  });

  it('says a quote must not expire in the past', () => {
    ticket
      .given(stories.awaitingQuote())
      .when(cmd.issueQuote({ validUntil: '2026-11-24' }))
      .thenThrows(ValidationError, { message: 'validUntil: must not be in the past' });
  });
});

describe('business rules of the steps say why', () => {
  it.each<
    [
      string,
      () => ReturnType<typeof ticket.given>,
      () => Parameters<ReturnType<typeof ticket.given>['when']>[0],
      string,
      string,
    ]
  >([
    [
      'shipping the failed unit as its own replacement',
      () => ticket.given(stories.escalated()),
      () => cmd.shipReplacement({ replacementSerial: SERIAL }),
      'replacement_is_failed_unit',
      'the replacement serial is the failed unit',
    ],
    [
      'receiving a unit before it was sent',
      () => ticket.given(stories.pickupSent()),
      () => cmd.receiveFailedUnit({ receivedOn: '2026-11-24' }),
      'received_before_sent',
      'received before it was sent',
    ],
    [
      'receiving another unit',
      () => ticket.given(stories.pickupSent()),
      () => cmd.receiveFailedUnit({ serialNumber: 'SN-0002' }),
      'received_serial_mismatch',
      "received SN-0002, the ticket's unit is SN-0001",
    ],
    [
      'a visit before the request',
      () => ticket.given(stories.onsiteEscalated()),
      () => cmd.dispatchOnsite({ visitDate: '2026-11-24' }),
      'visit_before_request',
      'the visit cannot be before the request',
    ],
    [
      'a delivery before the shipment',
      () => ticket.given(stories.replacementInTransit()),
      () => cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-24' }),
      'delivered_before_shipped',
      'delivered before it was shipped',
    ],
    [
      'accepting a quote that is not the pending one',
      () => ticket.given(stories.quoteIssued()),
      () => cmd.acceptQuote({ quoteId: 'Q-0' }),
      'quote_not_current',
      'quote Q-0 is not the pending quote Q-1',
    ],
    [
      'accepting an expired quote',
      () => ticket.given(stories.quoteIssued()),
      () => ({ ...cmd.acceptQuote(), metadata: meta(actors.partner, '2027-01-01T00:00:00.000Z') }),
      'quote_expired',
      'quote Q-1 expired on 2026-12-31',
    ],
  ])('refuses %s', (_, given, command, rule, message) => {
    given()
      .when(command())
      .thenThrows(BusinessRuleViolationError, { code: 'business_rule_violated', rule, message });
  });
});

describe('a second quote on a ticket', () => {
  const onsiteOnRequest = {
    model: 'WJ-NX400',
    onsiteRequested: true,
    unit: { deliveryDate: '2025-06-01', saleDate: '2025-05-01' },
  };
  const afterFinding = () =>
    history(
      cmd.requestRepair(onsiteOnRequest),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
      cmd.dispatchOnsite(),
      cmd.recordInspectionFinding(),
    );

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

  it('says an id already used was already issued', () => {
    ticket.given(afterFinding()).when(cmd.issueQuote()).thenThrows(BusinessRuleViolationError, {
      rule: 'duplicate_quote_id',
      message: 'quote Q-1 was already issued on this ticket',
    });
  });
});
