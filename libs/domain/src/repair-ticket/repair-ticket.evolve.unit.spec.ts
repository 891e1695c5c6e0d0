import {
  actors,
  cmd,
  event,
  history,
  paidCamera,
  PROOF,
  stateAfter,
  stories,
} from '../../testing/repair-ticket-fixtures.test-support';
import { IllegalTransitionError, NotAllowedError } from '../shared/domain-errors';
import { decide, evolve, evolveAll } from './repair-ticket.decider';
import { initialState, pendingQuote, type RepairTicketState } from './repair-ticket.state';

/**
 * Streams this decider did not write (an import, a hand-made fixture, a partial replay) must never crash
 * evolve, and decide must refuse to act on them rather than invent the missing facts.
 */
const foreign: RepairTicketState = {
  ...initialState,
  status: 'escalated',
  partnerId: 'P-001',
  ticketId: 'T-0001',
  scheme: 'replacement',
};

describe('a ticket history this decider did not write', () => {
  it('decide refuses to ship without the request facts', () => {
    expect(() => decide(cmd.shipReplacement(), foreign)).toThrow(
      expect.objectContaining({ detail: 'ticket history is incomplete' }) as Error,
    );
  });

  it.each([
    ['SendFailedUnit', { ...foreign, scheme: 'pickup_repair' as const }, cmd.sendFailedUnit()],
    ['DispatchOnsite', { ...foreign, scheme: 'onsite_repair' as const }, cmd.dispatchOnsite()],
    [
      'ReturnFailedUnit',
      { ...foreign, status: 'awaiting_failed_unit_return' as const },
      cmd.returnFailedUnit(),
    ],
    ['ReceiveFailedUnit', { ...foreign, status: 'failed_unit_in_transit' as const }, cmd.receiveFailedUnit()],
  ])('decide refuses %s without the request facts', (_name, state, command) => {
    expect(() => decide(command, state)).toThrow(IllegalTransitionError);
  });

  it('evolve keeps missing shipments and visits missing instead of inventing them', () => {
    const state = evolveAll(initialState, [
      event('ReplacementDelivered', { deliveredOn: '2026-11-25' }),
      event('FailedUnitReceived', { receivedOn: '2026-11-25', serialNumber: 'SN-1' }),
      event('RepairedUnitDelivered', { deliveredOn: '2026-11-25' }),
      event('OnsiteRepairCompleted', { completedOn: '2026-11-25', workSummary: 'x', partsUsed: [] }),
      event('QuoteAccepted', { quoteId: 'Q-1' }),
    ]);
    expect(state.shipments).toEqual(initialState.shipments);
    expect(state.onsite).toBeNull();
    expect(state.status).toBe('escalated');
  });

  it('evolve records an assessment even without the request', () => {
    const assessed = history(cmd.requestRepair())[1]!;
    expect(evolve(initialState, assessed)).toMatchObject({ status: 'requested', assessmentInput: null });
  });
});

describe('permissions of system actors', () => {
  it('the portal may not ship a replacement', () => {
    expect(() =>
      decide(cmd.shipReplacement({}, actors.portal), stateAfter(cmd.requestRepair(), cmd.escalate())),
    ).toThrow(NotAllowedError);
  });
});

describe('pendingQuote', () => {
  it('is none on a ticket without quotes', () => {
    expect(pendingQuote(initialState)).toBeNull();
  });

  it('is none once the quote was answered', () => {
    expect(pendingQuote(stateAfter(...stories.quoteIssuedCommands(), cmd.declineQuote()))).toBeNull();
  });

  it('is the quote issued last', () => {
    expect(pendingQuote(stateAfter(...stories.quoteIssuedCommands()))?.quoteId).toBe('Q-1');
  });
});

describe('evolve: events that the next event of the same command completes', () => {
  const awaitingProof = stateAfter(cmd.requestRepair({ proofOfDelivery: null }));

  it.each([
    event('ProofOfDeliverySubmitted', { proof: PROOF, deliveryDate: '2026-03-10' }, actors.partner),
    event('ProceededWithoutProof', { note: 'slip lost' }, actors.partner),
  ])('$type changes nothing by itself: the WarrantyAssessed after it moves the ticket', (e) => {
    expect(awaitingProof.status).toBe('awaiting_proof');
    expect(evolve(awaitingProof, e)).toEqual(awaitingProof);
  });
});

describe('evolve: an escalation of a paid repair', () => {
  const escalated = event('Escalated', { note: null }, actors.support);

  it('waits for a quote while none is accepted', () => {
    const requested = stateAfter(cmd.requestRepair(paidCamera));
    expect(requested.assessment?.quoteRequired).toBe(true);
    expect(evolve(requested, escalated)).toMatchObject({
      status: 'awaiting_quote',
      resumeStatus: 'escalated',
    });
  });

  it('goes on as escalated once a quote is accepted', () => {
    const accepted = stateAfter(
      cmd.requestRepair(paidCamera),
      cmd.escalate(),
      cmd.issueQuote(),
      cmd.acceptQuote(),
    );
    expect(accepted.quotes.map((q) => q.status)).toEqual(['accepted']);
    expect(evolve(accepted, escalated).status).toBe('escalated');
  });
});
