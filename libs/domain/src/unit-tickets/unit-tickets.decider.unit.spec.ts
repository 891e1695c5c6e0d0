import { NotAllowedError } from '../shared/domain-errors';
import { type RepairTicketState } from '../repair-ticket/repair-ticket.state';
import {
  decideUnitTickets,
  evolveUnitTickets,
  initialUnitTicketsState,
  OpenTicketExistsError,
  UNSTORED_CLAIM_BLOCKS_MS,
} from './unit-tickets.decider';
import { claimedAt, NOW, open, support, ticketIn } from './unit-tickets.test-support';

type Status = RepairTicketState['status'];

describe('one open ticket per unit', () => {
  it('the first ticket of a unit is claimed', () => {
    expect(decideUnitTickets(open({ ticketId: 'T-1' }), initialUnitTicketsState, new Map())).toEqual([
      {
        type: 'UnitTicketOpened',
        schemaVersion: 1,
        data: { serialNumber: 'SN-1', ticketId: 'T-1', at: NOW, by: 'partner:P-1', override: null },
      },
    ]);
  });

  /** Claim T-2 while the unit's claim by T-1, a month old, is a ticket in `status`. */
  const openBeside = (status: Status) =>
    decideUnitTickets(
      open(),
      claimedAt('T-1', '2026-11-01T00:00:00.000Z'),
      new Map([['T-1', ticketIn(status)]]),
    );
  const workLeft: Status[] = ['escalated', 'awaiting_quote', 'in_transit_to_partner', 'failed_unit_received'];
  const closingLeft: Status[] = [
    'closed',
    'cancelled',
    'delivered',
    'onsite_completed',
    'referred_to_software_support',
  ];

  it.each(workLeft)('a ticket with work left (%s) blocks a new one, naming it', (status) => {
    expect(() => openBeside(status)).toThrow(new OpenTicketExistsError('SN-1', 'T-1'));
  });

  it.each(closingLeft)('a ticket with nothing but closing left (%s) does not block', (status) => {
    expect(openBeside(status)).toHaveLength(1);
  });

  it('a claim whose ticket was never stored blocks while it may still be in flight, then not', () => {
    const recent = claimedAt(
      'T-1',
      new Date(Date.parse(NOW) - UNSTORED_CLAIM_BLOCKS_MS + 1000).toISOString(),
    );
    expect(() => decideUnitTickets(open(), recent, new Map([['T-1', 'not_stored']]))).toThrow(
      OpenTicketExistsError,
    );
    const old = claimedAt('T-1', new Date(Date.parse(NOW) - UNSTORED_CLAIM_BLOCKS_MS - 1000).toISOString());
    expect(decideUnitTickets(open(), old, new Map([['T-1', 'not_stored']]))).toHaveLength(1);
  });

  it('claiming a ticket already claimed (a retry) decides nothing', () => {
    const state = claimedAt('T-1', NOW);
    expect(decideUnitTickets(open({ ticketId: 'T-1' }), state, new Map())).toEqual([]);
  });

  it('support may file over an open ticket; the reason and the open ticket are recorded', () => {
    const state = claimedAt('T-1', NOW);
    const [event] = decideUnitTickets(
      open({ overrideReason: 'second fault' }, support),
      state,
      new Map([['T-1', ticketIn('escalated')]]),
    );
    expect(event?.data.override).toEqual({ reason: 'second fault', openTicketId: 'T-1' });
    expect(event?.data.by).toBe('support:tanaka');
  });

  it('a partner may not override', () => {
    expect(() =>
      decideUnitTickets(open({ overrideReason: 'please' }), initialUnitTicketsState, new Map()),
    ).toThrow(NotAllowedError);
  });

  it('evolve keeps every claim in order', () => {
    const state = evolveUnitTickets(claimedAt('T-1', NOW), {
      type: 'UnitTicketOpened',
      schemaVersion: 1,
      data: { serialNumber: 'SN-1', ticketId: 'T-2', at: NOW, by: 'support:x', override: null },
    });
    expect(state.claims.map((c) => c.ticketId)).toEqual(['T-1', 'T-2']);
  });
});
