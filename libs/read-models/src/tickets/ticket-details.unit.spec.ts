import { allowedCommands, evolve, initialState, type RepairTicketEvent } from '@app/domain';
import { actors, cmd, history, PARTNER_ID, stories } from '@app/domain/testing';
import { allowedActionsFor, toTicketDetails } from './ticket-details';

const fold = (events: readonly RepairTicketEvent[]) => events.reduce(evolve, initialState);

/** Tickets at many steps of their lives, with different next commands for owner and support. */
const points = {
  awaitingProof: stories.awaitingProof(),
  requested: stories.requested(),
  escalated: stories.escalated(),
  replacementInTransit: stories.replacementInTransit(),
  exchangeComplete: stories.exchangeComplete(),
  pickupReceived: stories.pickupReceived(),
  onsiteDispatched: stories.onsiteDispatched(),
  quoteIssued: stories.quoteIssued(),
  cancelled: history(cmd.requestRepair(), cmd.cancelTicket()),
};

describe('TicketDetailsV1 (the tickets projection mapper)', () => {
  it.each(Object.entries(points))(
    '%s: the actions stored per caller kind are the domain rules for the owner and for support',
    (_, events) => {
      const state = fold(events);
      const details = toTicketDetails('T-0001', state, events.length - 1);
      expect(allowedActionsFor(details, { kind: 'partner', partnerId: PARTNER_ID })).toEqual(
        allowedCommands(state, actors.partner),
      );
      expect(allowedActionsFor(details, { kind: 'support' })).toEqual(allowedCommands(state, actors.support));
      expect(allowedActionsFor(details, { kind: 'partner', partnerId: 'P-002' })).toEqual(
        allowedCommands(state, actors.otherPartner),
      );
      expect(allowedActionsFor(details, null)).toEqual([]);
    },
  );

  it('the owner and support are offered different commands (the table is not one list twice)', () => {
    const details = toTicketDetails('T-0001', fold(points.escalated), 1);
    expect(details.allowedActions.owner).toEqual(['CancelTicket']);
    expect(details.allowedActions.support).toEqual(['ShipReplacement', 'RejectRepair', 'CancelTicket']);
  });

  it('takes the request facts from the latest assessment input and the rest from the ticket', () => {
    const state = fold(points.onsiteDispatched);
    const details = toTicketDetails('T-0001', state, 2);
    expect(details).toMatchObject({
      ticketId: 'T-0001',
      revision: 2,
      status: 'onsite_dispatched',
      partnerId: PARTNER_ID,
      scheme: 'onsite_repair',
      unit: state.assessmentInput?.unit,
      failure: state.assessmentInput?.failure,
      site: state.assessmentInput?.site,
      assessment: state.assessment,
      onsite: state.onsite,
    });
    expect(details.onsite?.visitDate).toEqual(expect.any(String));
  });

  it('is plain JSON: stored and read back, it is the same view', () => {
    const details = toTicketDetails('T-0001', fold(points.quoteIssued), 2);
    expect(JSON.parse(JSON.stringify(details))).toEqual(details);
  });
});
