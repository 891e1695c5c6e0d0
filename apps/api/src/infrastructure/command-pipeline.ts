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
 * The api's one way to run a command on a stream, for ticket and reference commands alike:
 * - the generic load → decide → append (@app/event-store's handleCommand) with the retry contract of
 *   idempotency.ts: a keyed retry answers from its stored events, event ids derive from the key, a lost race or
 *   a lost COMMIT is settled by reading the stream back;
 * - then read-your-writes: the answer waits until the read models show the change, so a following GET, or a
 *   filing that needs a sale just recorded, agrees with it;
 * - a keyed retry is marked as replayed (the Idempotency-Replayed header).
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
    const { actorOf } = options;
    const store = this.store;
    const done = await handleCommand(store, stream, decider, decide, {
      expectedRevision: options.expectedRevision,
      guard: options.guard,
      beforeAppend: options.beforeAppend,
      storedEnd:
        options.storedEnd ?? (ctx.idempotency ? (history) => storedCommandEnd(history, ctx) : undefined),
      toNewEvents: (events) => toNewEvents(events, ctx, actorOf ? events.map(actorOf) : []),
      append: (s, events, loadedRevision) => appendCommand(store, s, events, loadedRevision, ctx),
    });
    await this.projections.waitFor(
      done.position,
      this.runtime.readYourWritesTimeoutMs ?? DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS,
    );
    if (done.replayed && ctx.outcome) ctx.outcome.replayed = true;
    return done;
  }
}
