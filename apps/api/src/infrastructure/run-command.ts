import { Inject, Injectable } from '@nestjs/common';
import { type StreamDecider, type VersionedEvent } from '@app/domain';
import { type EventStore, handleCommand, type HandledCommand } from '@app/event-store';
import { type ProjectionRunner } from '@app/read-models';
import { type CommandContext, toNewEvents } from './command-context';
import { appendCommand, storedCommandEnd } from './idempotency';
import {
  APP_RUNTIME,
  type AppRuntime,
  DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS,
  EVENT_STORE,
  PROJECTIONS,
} from './runtime';

export interface RunCommandOptions<S, E> {
  /** The caller's If-Match, or `no_stream` for a command that starts its stream (filing). */
  readonly expectedRevision?: number | 'no_stream';
  /** The audit actor of an event, where it is not the caller (the portal's escalation, an import job). */
  readonly actorOf?: (event: E) => string | undefined;
  readonly guard?: (state: S, revision: number | undefined) => void;
  /** Where a retried command finds its stored events; default: by its Idempotency-Key (storedCommandEnd). */
  readonly storedEnd?: (history: Parameters<typeof storedCommandEnd>[0]) => number | undefined;
  readonly beforeAppend?: (events: readonly E[], state: S) => Promise<void>;
}

/**
 * The api's way to run a command on a stream: the generic load → decide → append (@app/event-store's
 * handleCommand) with the retry contract of idempotency.ts — a keyed retry answers from its stored events,
 * event ids derive from the key, a lost race or a lost COMMIT is settled by reading the stream back.
 */
export function runCommand<C, S, E extends VersionedEvent>(
  store: EventStore,
  stream: string,
  decider: StreamDecider<C, S, E>,
  decide: (state: S) => readonly E[] | Promise<readonly E[]>,
  ctx: CommandContext,
  options: RunCommandOptions<S, E> = {},
): Promise<HandledCommand<S, E>> {
  const { actorOf } = options;
  return handleCommand(store, stream, decider, decide, {
    expectedRevision: options.expectedRevision,
    guard: options.guard,
    beforeAppend: options.beforeAppend,
    storedEnd:
      options.storedEnd ?? (ctx.idempotency ? (history) => storedCommandEnd(history, ctx) : undefined),
    toNewEvents: (events) => toNewEvents(events, ctx, actorOf ? events.map(actorOf) : []),
    append: (s, events, loadedRevision) => appendCommand(store, s, events, loadedRevision, ctx),
  });
}

/**
 * The command pipeline of the api, as a provider: runCommand on this deployment's store, then read-your-writes
 * (the answer waits until the read models show the change, so a following GET or a filing that needs the new
 * sale agrees with it), and a keyed retry marked as replayed for the Idempotency-Replayed header. Ticket and
 * reference commands both run through it.
 */
@Injectable()
export class CommandPipeline {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
    @Inject(APP_RUNTIME) private readonly runtime: AppRuntime,
  ) {}

  async run<C, S, E extends VersionedEvent>(
    stream: string,
    decider: StreamDecider<C, S, E>,
    decide: (state: S) => readonly E[] | Promise<readonly E[]>,
    ctx: CommandContext,
    options: RunCommandOptions<S, E> = {},
  ): Promise<HandledCommand<S, E>> {
    const done = await runCommand(this.store, stream, decider, decide, ctx, options);
    await this.projections.waitFor(
      done.position,
      this.runtime.readYourWritesTimeoutMs ?? DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS,
    );
    if (done.replayed && ctx.outcome) ctx.outcome.replayed = true;
    return done;
  }
}
