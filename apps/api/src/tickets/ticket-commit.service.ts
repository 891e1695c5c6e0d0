import { Inject, Injectable } from '@nestjs/common';
import {
  PORTAL_ACTOR_ID,
  type RepairTicketCommand,
  type RepairTicketEvent,
  repairTicketDeciderFor,
  type RepairTicketState,
  ticketStream,
} from '@app/domain';
import { type CommandContext } from '../infrastructure/command-context';
import { CommandPipeline, type RunCommandOptions } from '../infrastructure/command-pipeline';
import { APP_RUNTIME, type AppRuntime } from '../infrastructure/runtime';
import { type TicketView, toTicketView } from './ticket-view';

/**
 * Runs a ticket command through the one command pipeline (CommandPipeline: load → decide → append exactly once,
 * then read-your-writes) with the ticket's decider — whose decisions include the portal's automatic escalation
 * unless the deployment leaves escalation to support (PORTAL_AUTO_ESCALATE=false;
 * libs/domain/src/repair-ticket/portal.policy.ts) — and answers with the ticket as the caller may see it, once the
 * read models show it.
 */
@Injectable()
export class TicketCommitService {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(APP_RUNTIME) runtime: AppRuntime,
  ) {
    this.decider = repairTicketDeciderFor(runtime.escalationMode ?? 'on_receipt');
  }

  /** The ticket's decider for this deployment's escalation mode (fixed at start). */
  private readonly decider: ReturnType<typeof repairTicketDeciderFor>;

  async run(
    ticketId: string,
    decide: (state: RepairTicketState) => RepairTicketCommand | Promise<RepairTicketCommand>,
    ctx: CommandContext,
    options: Omit<RunCommandOptions<RepairTicketState, RepairTicketEvent>, 'actorOf'> = {},
  ): Promise<TicketView> {
    const decider = this.decider;
    // Answers once the read models show the change, so a following GET agrees with us.
    const done = await this.pipeline.run(
      ticketStream(ticketId),
      decider,
      async (state) => decider.decide(await decide(state), state),
      ctx,
      // The portal's events are recorded as the portal's, not the caller's.
      { ...options, actorOf: (e) => (e.data.by === PORTAL_ACTOR_ID ? PORTAL_ACTOR_ID : undefined) },
    );
    return toTicketView(ticketId, done.state, done.revision, ctx.principal);
  }
}
