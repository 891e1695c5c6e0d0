import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  allowedCommands,
  decide,
  evolve,
  type RepairTicketEvent,
  type RepairTicketState,
} from '@app/domain';
import { type EventStore } from '@app/event-store';
import { type ProjectionRunner } from '@app/read-models';
import { appendDecided } from '../infrastructure/aggregate-store';
import { type CommandContext, toNewEvents } from '../infrastructure/command-context';
import { APP_RUNTIME, type AppRuntime, EVENT_STORE, PROJECTIONS } from '../infrastructure/runtime';
import { type TicketView, toTicketView } from './ticket-view';

export const ticketStream = (ticketId: string): string => `ticket-${ticketId}`;

/**
 * The portal escalates a ticket to customer support as soon as it is ready (assessed, proof settled): our
 * answer to "escalate, or automatically on receipt?". Support can still escalate by hand through the API.
 */
const PORTAL: Actor = { kind: 'system', component: 'portal' };

@Injectable()
export class TicketCommitService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
    @Inject(APP_RUNTIME) private readonly runtime: AppRuntime,
  ) {}

  /** Appends the decided events (plus the portal's escalation when due) at the revision they were decided on. */
  async commit(
    ticketId: string,
    before: RepairTicketState,
    revision: number | undefined,
    decided: readonly RepairTicketEvent[],
    ctx: CommandContext,
  ): Promise<TicketView> {
    let state = decided.reduce(evolve, before);
    const newEvents = toNewEvents(decided, ctx);
    if (allowedCommands(state, PORTAL).includes('Escalate')) {
      const escalation = decide(
        {
          type: 'Escalate',
          data: { note: 'escalated by the support portal on receipt' },
          metadata: { now: ctx.now, actor: PORTAL },
        },
        state,
      );
      state = escalation.reduce(evolve, state);
      newEvents.push(...toNewEvents(escalation, ctx, 'system:portal'));
    }
    const result = await appendDecided(this.store, ticketStream(ticketId), newEvents, revision);
    // Read-your-writes: answer once the read models show the change, so a following GET agrees with us.
    await this.projections.waitFor(result.lastGlobalPosition, this.runtime.readYourWritesTimeoutMs ?? 5000);
    return toTicketView(ticketId, state, result.nextExpectedRevision, ctx.principal);
  }
}
