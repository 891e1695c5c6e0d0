import { Inject, Injectable } from '@nestjs/common';
import {
  type ClaimedTicket,
  decideUnitTickets,
  evolveUnitTickets,
  foldTicket,
  initialUnitTicketsState,
  ticketStream,
  unitTicketsEvents,
  unitTicketsStream,
} from '@app/domain';
import {
  DuplicateEventIdError,
  type EventStore,
  handleCommand,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { actorOf, type CommandContext, toNewEvents } from '../infrastructure/command-context';
import { EVENT_STORE } from '../infrastructure/runtime';

/** Rounds of read → decide → append when other filings for the same unit keep winning the race. */
const MAX_ROUNDS = 5;

const unitTickets = {
  evolve: evolveUnitTickets,
  initialState: initialUnitTicketsState,
  decode: unitTicketsEvents.decode,
};

/**
 * Claims a unit for a new ticket before the ticket is stored (one open ticket per unit). The claim is appended
 * at the revision its check read, so of two concurrent filings for one unit only one passes; the other reads
 * again and meets the first one's claim (409 open_ticket_exists). A keyed filing's claim id is derived from the
 * key: a retry, or a copy racing it, finds its own claim and goes on to the ticket.
 */
@Injectable()
export class UnitClaims {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async claim(
    serialNumber: string,
    ticketId: string,
    overrideReason: string | null,
    ctx: CommandContext,
  ): Promise<void> {
    await handleCommand(
      this.store,
      unitTicketsStream(serialNumber),
      unitTickets,
      async (state) => {
        const others = state.claims.filter((c) => c.ticketId !== ticketId);
        const tickets = await Promise.all(others.map((c) => this.store.readStream(ticketStream(c.ticketId))));
        const claimed = new Map<string, ClaimedTicket>(
          others.map((c, i) => {
            const events = tickets[i] ?? [];
            return [c.ticketId, events.length === 0 ? 'not_stored' : foldTicket(events)];
          }),
        );
        return decideUnitTickets(
          {
            type: 'OpenUnitTicket',
            data: { serialNumber, ticketId, overrideReason },
            metadata: { now: ctx.now, actor: actorOf(ctx.principal) },
          },
          state,
          claimed,
        );
      },
      {
        // A keyed filing's claim id is derived from its key too, apart from its ticket's event ids.
        toNewEvents: (events) => toNewEvents(events, ctx, [], 'unit-claim'),
        // Another filing for this unit (or a copy of this one) claimed first: look again.
        retry: {
          rounds: MAX_ROUNDS,
          on: (error) =>
            error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError,
        },
      },
    );
  }
}
