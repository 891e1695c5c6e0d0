import { refusalOf as refusal } from '../../testing/given-when-then.test-support';
import { NotAllowedError, ValidationError } from '../shared/domain-errors';
import {
  decideUnitTickets,
  initialUnitTicketsState,
  type OpenUnitTicket,
  OpenTicketExistsError,
  UNSTORED_CLAIM_BLOCKS_MS,
} from './unit-tickets.decider';
import { claimedAt, NOW, open, partner, support, ticketIn } from './unit-tickets.test-support';

/** Claiming a unit for a ticket: the refusals' exact words, the unstored-claim boundary, and overrides. */

describe('claiming a unit: refusals', () => {
  it('says a time must be an instant', () => {
    expect(
      refusal(() => decideUnitTickets(open({}, partner, 'now'), initialUnitTicketsState, new Map())),
    ).toMatchObject({
      constructor: ValidationError,
      field: 'metadata.now',
      message: 'metadata.now: must be an ISO-8601 instant',
    });
  });

  it.each<[string, Partial<OpenUnitTicket['data']>]>([
    ['serialNumber', { serialNumber: ' ' }],
    ['ticketId', { ticketId: '' }],
  ])('names %s when blank', (field, data) => {
    expect(refusal(() => decideUnitTickets(open(data), initialUnitTicketsState, new Map()))).toMatchObject({
      constructor: ValidationError,
      field,
      message: `${field}: must be a non-empty string`,
    });
  });

  it('tells a partner that only support may file over an open ticket', () => {
    expect(
      refusal(() => decideUnitTickets(open({ overrideReason: 'x' }), initialUnitTicketsState, new Map())),
    ).toMatchObject({
      constructor: NotAllowedError,
      message: 'partner:P-1 may not OpenUnitTicket: only support may file over an open ticket',
    });
  });

  it('names the override reason when support gives a blank one over an open ticket', () => {
    const state = claimedAt('T-1', '2026-11-01T00:00:00.000Z');
    expect(
      refusal(() =>
        decideUnitTickets(
          open({ overrideReason: '  ' }, support),
          state,
          new Map([['T-1', ticketIn('escalated')]]),
        ),
      ),
    ).toMatchObject({
      constructor: ValidationError,
      field: 'overrideOpenTicket.reason',
      message: 'overrideOpenTicket.reason: must be a non-empty string',
    });
  });
});

describe('claiming a unit: unstored claims and overrides', () => {
  it('an unstored claim blocks until just before the limit', () => {
    const at = new Date(Date.parse(NOW) - UNSTORED_CLAIM_BLOCKS_MS + 1).toISOString();
    expect(refusal(() => decideUnitTickets(open(), claimedAt('T-1', at), new Map()))).toEqual(
      new OpenTicketExistsError('SN-1', 'T-1'),
    );
  });

  it('an unstored claim exactly the limit old no longer blocks', () => {
    const at = new Date(Date.parse(NOW) - UNSTORED_CLAIM_BLOCKS_MS).toISOString();
    expect(decideUnitTickets(open(), claimedAt('T-1', at), new Map())).toHaveLength(1);
  });

  it('records no override when support gives a reason but nothing is open', () => {
    const state = claimedAt('T-1', '2026-11-01T00:00:00.000Z');
    expect(
      decideUnitTickets(
        open({ overrideReason: 'customer insists' }, support),
        state,
        new Map([['T-1', 'not_stored']]),
      ),
    ).toEqual([
      {
        type: 'UnitTicketOpened',
        schemaVersion: 1,
        data: { serialNumber: 'SN-1', ticketId: 'T-2', at: NOW, by: 'support:tanaka', override: null },
      },
    ]);
  });
});
