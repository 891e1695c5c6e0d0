import { Inject, Injectable } from '@nestjs/common';
import {
  type ClaimedTicket,
  decideUnitTickets,
  evolveUnitTickets,
  initialUnitTicketsState,
} from '@app/domain';
import { DuplicateEventIdError, type EventStore, WrongExpectedRevisionError } from '@app/event-store';
import { foldEvents, foldTicket } from '../infrastructure/aggregate-store';
import { actorOf, type CommandContext, toNewEvents } from '../infrastructure/command-context';
import { EVENT_STORE } from '../infrastructure/runtime';
import { ticketStream } from './ticket-commit.service';

/** The stream of a unit's ticket claims (libs/domain/src/unit-tickets). */
export const unitTicketsStream = (serialNumber: string): string => `unit-tickets-${serialNumber}`;

/** Rounds of read → decide → append when other filings for the same unit keep winning the race. */
const MAX_ROUNDS = 5;

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
    const stream = unitTicketsStream(serialNumber);
    for (let round = 1; ; round++) {
      const stored = await this.store.readStream(stream);
      const state = foldEvents(stored, evolveUnitTickets, initialUnitTicketsState);
      const others = state.claims.filter((c) => c.ticketId !== ticketId);
      const tickets = await Promise.all(others.map((c) => this.store.readStream(ticketStream(c.ticketId))));
      const claimed = new Map<string, ClaimedTicket>(
        others.map((c, i) => {
          const events = tickets[i] ?? [];
          return [c.ticketId, events.length === 0 ? 'not_stored' : foldTicket(events)];
        }),
      );
      const decided = decideUnitTickets(
        {
          type: 'OpenUnitTicket',
          data: { serialNumber, ticketId, overrideReason },
          metadata: { now: ctx.now, actor: actorOf(ctx.principal) },
        },
        state,
        claimed,
      );
      if (decided.length === 0) return;
      // A keyed filing's claim id is derived from its key too, apart from its ticket's event ids.
      const events = toNewEvents(decided, ctx, [], 'unit-claim');
      try {
        await this.store.appendToStream(stream, events, {
          expectedRevision: stored.at(-1)?.revision ?? 'no_stream',
        });
        return;
      } catch (error) {
        // Another filing for this unit (or a copy of this one) claimed first: look again.
        const raced = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        if (!raced || round >= MAX_ROUNDS) throw error;
      }
    }
  }
}
