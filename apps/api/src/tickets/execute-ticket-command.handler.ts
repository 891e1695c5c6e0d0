import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type RepairTicketCommand, TicketNotFoundError } from '@app/domain';
import { actorOf, type CommandContext } from '../infrastructure/command-context';
import { TicketCommitService } from './ticket-commit.service';
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

/**
 * Load → (a retry: answer from its stored events, before any If-Match check, since the revision the caller
 * saw is the one its own write replaced) → decide → append with the expected revision.
 */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, TicketView> {
  constructor(private readonly tickets: TicketCommitService) {}

  execute({ ticketId, command, ctx, ifMatch }: ExecuteTicketCommand): Promise<TicketView> {
    const full = {
      ...command,
      metadata: { now: ctx.now, actor: actorOf(ctx.principal) },
    } as ExistingTicketCommand;
    return this.tickets.run(ticketId, () => full, ctx, {
      expectedRevision: ifMatch,
      // Another partner's ticket answers exactly like a missing one: nothing leaks.
      guard: (state, revision) => {
        if (revision === undefined || !visibleTo(state, ctx.principal))
          throw new TicketNotFoundError(ticketId);
      },
    });
  }
}
