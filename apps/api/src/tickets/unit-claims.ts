import { Inject, Injectable } from '@nestjs/common';
import {
  type ClaimedTicket,
  decideUnitTickets,
  evolve,
  evolveUnitTickets,
  initialState,
  initialUnitTicketsState,
  type RepairTicketEvent,
  type UnitTicketsEvent,
} from '@app/domain';
import { DuplicateEventIdError, type EventStore, type NewEvent, WrongExpectedRevisionError } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { toDomainEvent } from '../infrastructure/aggregate-store';
import { actorOf, auditActor, type CommandContext } from '../infrastructure/command-context';
import { derivedUuid } from '../infrastructure/idempotency';
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

  async claim(serialNumber: string, ticketId: string, overrideReason: string | null, ctx: CommandContext): Promise<void> {
    const stream = unitTicketsStream(serialNumber);
    for (let round = 1; ; round++) {
      const stored = await this.store.readStream(stream);
      const state = stored.reduce(
        (s, e) => evolveUnitTickets(s, toDomainEvent<UnitTicketsEvent>(e)),
        initialUnitTicketsState,
      );
      const claimed = new Map<string, ClaimedTicket>();
      for (const c of state.claims) {
        if (c.ticketId === ticketId) continue;
        const events = await this.store.readStream(ticketStream(c.ticketId));
        claimed.set(
          c.ticketId,
          events.length === 0
            ? 'not_stored'
            : events.reduce((s, e) => evolve(s, toDomainEvent<RepairTicketEvent>(e)), initialState),
        );
      }
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
      const key = ctx.idempotency;
      const events: NewEvent[] = decided.map((e) => ({
        id: key ? derivedUuid('unit-claim', auditActor(ctx.principal), key.key) : randomUUID(),
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: {
          correlationId: ctx.correlationId,
          causationId: ctx.correlationId,
          actor: auditActor(ctx.principal),
          ...(key ? { idempotencyKey: key.key, requestFingerprint: key.fingerprint } : {}),
        },
      }));
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
