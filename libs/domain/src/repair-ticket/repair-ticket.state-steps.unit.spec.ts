import { cmd, stories, ticket, TICKET_ID } from '../../testing/repair-ticket-fixtures.test-support';

/** What the recorded events leave in the ticket's state, seen through what may happen next. */

describe('ticket state after a step', () => {
  it('a shipped replacement marks the work as started (no cancelling from here on)', () => {
    ticket
      .given(stories.escalated())
      .when(cmd.shipReplacement())
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'in_transit_to_partner', workStarted: true }),
      );
  });

  it('proceeding without proof keeps the ticket and re-assesses it on that basis', () => {
    ticket
      .given(stories.awaitingProof())
      .when(cmd.proceedWithoutProof())
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual(['ProceededWithoutProof', 'WarrantyAssessed']);
        expect(state).toMatchObject({
          ticketId: TICKET_ID,
          assessmentInput: { proceedWithoutProof: true, proofOfDelivery: null },
        });
      });
  });
});
