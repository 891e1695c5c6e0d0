import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  allowedCommands,
  decide,
  evolve,
  type RepairTicketEvent,
  type RepairTicketState,
} from '@app/domain';
import { type EventStore, type RecordedEvent } from '@app/event-store';
import { type ProjectionRunner } from '@app/read-models';
import { foldTicket } from '../infrastructure/aggregate-store';
import { type CommandContext, toNewEvents } from '../infrastructure/command-context';
import { appendCommand } from '../infrastructure/idempotency';
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
    const all: RepairTicketEvent[] = [...decided];
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
      all.push(...escalation);
    }
    const actors = all.map((_, i) => (i < decided.length ? undefined : 'system:portal'));
    const appended = await appendCommand(
      this.store,
      ticketStream(ticketId),
      toNewEvents(all, ctx, actors),
      revision,
      ctx,
    );
    if (appended.prefix) return this.answerFrom(ticketId, appended.prefix, ctx, appended.replayed);
    await this.readYourWrites(appended.position);
    return toTicketView(ticketId, state, appended.revision, ctx.principal);
  }

  /**
   * The answer of a command whose events are already stored (a retry, or a race with a copy of the same
   * request): the view after the last of them, exactly as the first answer computed it.
   */
  async answerFrom(
    ticketId: string,
    prefix: readonly RecordedEvent[],
    ctx: CommandContext,
    replayed: boolean,
  ): Promise<TicketView> {
    const last = prefix[prefix.length - 1];
    if (!last) throw new Error('answerFrom needs the stored events');
    const state = foldTicket(prefix);
    await this.readYourWrites(last.globalPosition);
    if (replayed && ctx.outcome) ctx.outcome.replayed = true;
    return toTicketView(ticketId, state, last.revision, ctx.principal);
  }

  /** Answer once the read models show the change, so a following GET agrees with us. */
  private async readYourWrites(position: number): Promise<void> {
    await this.projections.waitFor(position, this.runtime.readYourWritesTimeoutMs ?? 5000);
  }
}
