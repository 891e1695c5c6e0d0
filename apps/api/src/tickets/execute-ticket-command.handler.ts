import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide, type RepairTicketCommand, TicketNotFoundError } from '@app/domain';
import { type EventStore, WrongExpectedRevisionError } from '@app/event-store';
import { foldTicket } from '../infrastructure/aggregate-store';
import { actorOf, type CommandContext } from '../infrastructure/command-context';
import { storedCommandEnd } from '../infrastructure/idempotency';
import { EVENT_STORE } from '../infrastructure/runtime';
import { TicketCommitService, ticketStream } from './ticket-commit.service';
import { type TicketView, visibleTo } from './ticket-view';

/** Any command on an existing ticket, except filing (which resolves reference data first). */
export type ExistingTicketCommand = Exclude<RepairTicketCommand, { type: 'RequestRepair' }>;

export class ExecuteTicketCommand extends Command<TicketView> {
  constructor(
    readonly ticketId: string,
    readonly command: Pick<ExistingTicketCommand, 'type' | 'data'>,
    readonly ctx: CommandContext,
    /** The revision from the caller's `If-Match`, if any. */
    readonly ifMatch: number | undefined,
  ) {
    super();
  }
}

/** Load stream → (a retry: answer from its stored events) → decide → append with the expected revision. */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, TicketView> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commits: TicketCommitService,
  ) {}

  async execute({ ticketId, command, ctx, ifMatch }: ExecuteTicketCommand): Promise<TicketView> {
    const stream = ticketStream(ticketId);
    const events = await this.store.readStream(stream);
    const state = foldTicket(events);
    const revision = events.at(-1)?.revision;
    // Another partner's ticket answers exactly like a missing one: nothing leaks.
    if (revision === undefined || !visibleTo(state, ctx.principal)) throw new TicketNotFoundError(ticketId);
    // A retry of a command already stored (its answer was lost): the same answer, before any If-Match check,
    // since the revision the caller saw is the one its own write replaced.
    const stored = storedCommandEnd(events, ctx);
    if (stored !== undefined) return this.commits.answerFrom(ticketId, events.slice(0, stored), ctx, true);
    if (ifMatch !== undefined && ifMatch !== revision) {
      throw new WrongExpectedRevisionError(stream, String(ifMatch), revision);
    }
    const full = {
      ...command,
      metadata: { now: ctx.now, actor: actorOf(ctx.principal) },
    } as ExistingTicketCommand;
    return this.commits.commit(ticketId, state, revision, decide(full, state), ctx);
  }
}
