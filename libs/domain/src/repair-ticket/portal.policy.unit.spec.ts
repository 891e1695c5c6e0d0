import { deciderSpec } from '../../testing/given-when-then.test-support';
import { actors, cmd, event, history, NOW } from '../../testing/repair-ticket-fixtures.test-support';
import { decideWithPortal, PORTAL_ACTOR_ID, portalReaction, repairTicketDeciderFor } from './portal.policy';
import { evolve, evolveAll } from './repair-ticket.evolve';
import { initialState } from './repair-ticket.state';

/** The ticket as the service runs it: each command's events, then the portal's reaction to them. */
const portal = deciderSpec({ decide: decideWithPortal, evolve, initialState });
const escalatedByPortal = event(
  'Escalated',
  { note: 'escalated by the support portal on receipt' },
  actors.portal,
);

describe('portal policy: the portal escalates a ticket as soon as it is ready', () => {
  it('given nothing, when a partner files with proof, then the portal escalates at once', () => {
    portal
      .given([])
      .when(cmd.requestRepair())
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual(['RepairRequested', 'WarrantyAssessed', 'Escalated']);
        expect(events.at(-1)).toEqual(escalatedByPortal);
        expect(state.status).toBe('escalated');
      });
  });

  it('given nothing, when a partner files without proof, then the portal waits (awaiting proof)', () => {
    portal
      .given([])
      .when(cmd.requestRepair({ proofOfDelivery: null }))
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual(['RepairRequested', 'WarrantyAssessed']);
        expect(state.status).toBe('awaiting_proof');
      });
  });

  it('given a ticket awaiting proof, when the proof arrives, then the portal escalates', () => {
    portal
      .given(history(cmd.requestRepair({ proofOfDelivery: null })))
      .when(cmd.submitProof())
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual([
          'ProofOfDeliverySubmitted',
          'WarrantyAssessed',
          'Escalated',
        ]);
        expect(events.at(-1)?.data.by).toBe(PORTAL_ACTOR_ID);
        expect(state.status).toBe('escalated');
      });
  });

  it('given an escalated ticket, when support ships a replacement, then the portal adds nothing', () => {
    portal
      .given(history(cmd.requestRepair(), cmd.escalate()))
      .when(cmd.shipReplacement())
      .thenState((_state, events) => {
        expect(events.map((e) => e.type)).toEqual(['ReplacementShipped']);
      });
  });

  it('has no reaction to a ticket that is not ready (nothing filed, or already escalated)', () => {
    expect(portalReaction(initialState, NOW)).toEqual([]);
    const escalated = evolveAll(initialState, history(cmd.requestRepair(), cmd.escalate()));
    expect(portalReaction(escalated, NOW)).toEqual([]);
  });
});

describe('escalation left to support (PORTAL_AUTO_ESCALATE=false)', () => {
  const bySupport = deciderSpec(repairTicketDeciderFor('by_support'));

  it('given nothing, when a partner files with proof, then the ticket waits as requested, not escalated', () => {
    bySupport
      .given([])
      .when(cmd.requestRepair())
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual(['RepairRequested', 'WarrantyAssessed']);
        expect(state.status).toBe('requested');
      });
  });

  it('given a requested ticket, when support escalates, then it is escalated by support', () => {
    bySupport
      .given(history(cmd.requestRepair()))
      .when(cmd.escalate(actors.support))
      .thenState((state, events) => {
        expect(events).toEqual([event('Escalated', { note: null }, actors.support)]);
        expect(state.status).toBe('escalated');
      });
  });

  it('the default decider is the on-receipt one', () => {
    expect(repairTicketDeciderFor('on_receipt').decide).toBe(decideWithPortal);
  });
});
