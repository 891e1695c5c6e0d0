import { WrongExpectedRevisionError } from '../errors';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';

/**
 * One way to run a command on a stream, for every aggregate (after Emmett's `handleCommandWithDecider`):
 * read the stream → decode and fold its events → decide → append with the revision the decision was taken on,
 * so a concurrent writer makes the append fail instead of silently interleaving. The store knows nothing of the
 * domain: an aggregate comes in as a decider (its `decode` is the stream's codec, libs/domain/src/*\/*.stream.ts).
 *
 * The api's exactly-once behaviour plugs in through the options (apps/api/src/infrastructure/command-pipeline.ts):
 * `storedEnd` finds a retried command's own events, `append` reads the stream back after a race.
 */
export interface CommandDecider<C, S, E> {
  readonly decide: (command: C, state: S) => readonly E[];
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
  readonly decode: (stored: RecordedEvent) => E;
}

/** Where a command's events ended up (from the append, or from reading the stream back after a race). */
export interface CommandAppendResult {
  readonly revision: number;
  readonly position: number;
  /** An earlier copy of the same command stored them: the answer is a replay. */
  readonly replayed: boolean;
  /** The stream up to and including the command's events, when they were found by reading it back. */
  readonly prefix?: readonly RecordedEvent[];
}

export interface HandleCommandOptions<S, E> {
  /**
   * The revision the caller saw (an If-Match), or `no_stream` for a command that starts a stream. Another
   * current revision is refused with WrongExpectedRevisionError before deciding. A `no_stream` command with no
   * `storedEnd` is not read at all: it decides on the initial state and the append's expectation refuses a
   * stream that exists.
   */
  readonly expectedRevision?: number | 'no_stream';
  /** The command's domain events → the events to append (ids, metadata). */
  readonly toNewEvents: (events: readonly E[]) => readonly NewEvent[];
  /** Checks the loaded stream before anything else (e.g. another partner's ticket answers as a missing one). */
  readonly guard?: (state: S, revision: number | undefined) => void;
  /**
   * Where an earlier copy of this command stored its events in the stream (the end of their run, exclusive),
   * if it did: nothing is decided, the answer is folded from the stream up to there.
   */
  readonly storedEnd?: (history: readonly RecordedEvent[]) => number | undefined;
  /** Runs after the decision, before the append (a new ticket first claims its unit). */
  readonly beforeAppend?: (events: readonly E[], state: S) => Promise<void>;
  /** Appends at the loaded revision. Default: the store's append with that revision as the expectation. */
  readonly append?: (
    stream: string,
    events: readonly NewEvent[],
    loadedRevision: number | undefined,
  ) => Promise<CommandAppendResult>;
  /** Decide but do not append (a dry run): the result is the state the events would lead to. */
  readonly dryRun?: boolean;
  /**
   * Read, decide and append again, up to `rounds` times in all, while the append fails with an error `on`
   * accepts (another writer appended to the stream between our read and our append).
   */
  readonly retry?: { readonly rounds: number; readonly on: (error: unknown) => boolean };
}

export interface HandledCommand<S, E> {
  /** The stream's state after the command (or after its stored copy, for a replay). */
  readonly state: S;
  /** The events this run decided (empty for a replay found before deciding). */
  readonly events: readonly E[];
  /** Revision and global position of the command's last event; for a command that decided nothing (or a dry
   * run), the stream's last revision and position as read (-1 for a stream that does not exist or was not read). */
  readonly revision: number;
  readonly position: number;
  readonly replayed: boolean;
}

/** Reads a stream and folds it through the aggregate's codec and evolve. */
export async function aggregateStream<S, E>(
  store: EventStore,
  stream: string,
  aggregate: Pick<CommandDecider<unknown, S, E>, 'evolve' | 'initialState' | 'decode'>,
): Promise<{ readonly history: RecordedEvent[]; readonly state: S; readonly revision: number | undefined }> {
  const history = await store.readStream(stream);
  return { history, state: foldRecorded(history, aggregate), revision: history.at(-1)?.revision };
}

function foldRecorded<S, E>(
  events: readonly RecordedEvent[],
  aggregate: Pick<CommandDecider<unknown, S, E>, 'evolve' | 'initialState' | 'decode'>,
): S {
  return events.reduce((s, e) => aggregate.evolve(s, aggregate.decode(e)), aggregate.initialState);
}

/** Emmett's `handleCommandWithDecider`: `handleCommand` with the decision `decider.decide(command, state)`. */
export function handleCommandWithDecider<C, S, E>(
  store: EventStore,
  stream: string,
  decider: CommandDecider<C, S, E>,
  command: C,
  options: HandleCommandOptions<S, E>,
): Promise<HandledCommand<S, E>> {
  return handleCommand(store, stream, decider, (state) => decider.decide(command, state), options);
}

/**
 * Load → decide → append. `decide` may be async: a decision that needs facts from elsewhere (reference data,
 * other streams) looks them up there, after a retried command was recognised and before anything is appended.
 */
export async function handleCommand<S, E>(
  store: EventStore,
  stream: string,
  aggregate: Pick<CommandDecider<unknown, S, E>, 'evolve' | 'initialState' | 'decode'>,
  decide: (state: S) => readonly E[] | Promise<readonly E[]>,
  options: HandleCommandOptions<S, E>,
): Promise<HandledCommand<S, E>> {
  const rounds = options.retry?.rounds ?? 1;
  for (let round = 1; ; round++) {
    try {
      return await handleOnce(store, stream, aggregate, decide, options);
    } catch (error) {
      if (round >= rounds || !options.retry?.on(error)) throw error;
    }
  }
}

/** One load → decide → append attempt; handleCommand repeats it as its retry policy says. */
async function handleOnce<S, E>(
  ...[store, stream, aggregate, decide, options]: Parameters<typeof handleCommand<S, E>>
): Promise<HandledCommand<S, E>> {
  const { expectedRevision } = options;
  const unread = expectedRevision === 'no_stream' && !options.storedEnd;
  const history = unread ? [] : await store.readStream(stream);
  const before = foldRecorded(history, aggregate);
  const loaded = history.at(-1);
  options.guard?.(before, loaded?.revision);
  const stored = options.storedEnd?.(history);
  if (stored !== undefined) return fromStored(history.slice(0, stored), aggregate, true);
  if (expectedRevision !== undefined && expectedRevision !== (loaded?.revision ?? 'no_stream'))
    throw new WrongExpectedRevisionError(stream, String(expectedRevision), loaded?.revision);
  const events = await decide(before);
  const after = events.reduce(aggregate.evolve, before);
  const unchanged = {
    state: after,
    events,
    revision: loaded?.revision ?? -1,
    position: loaded?.globalPosition ?? -1,
  };
  if (events.length === 0 || options.dryRun) return { ...unchanged, replayed: false };
  await options.beforeAppend?.(events, before);
  const newEvents = options.toNewEvents(events);
  const appended = options.append
    ? await options.append(stream, newEvents, loaded?.revision)
    : await appendAt(store, stream, newEvents, loaded?.revision);
  if (appended.prefix) return { ...fromStored(appended.prefix, aggregate, appended.replayed), events };
  return { state: after, events, revision: appended.revision, position: appended.position, replayed: false };
}

/** Appends with the revision the decision was taken on ('no_stream' for a stream that did not exist). */
export async function appendAt(
  store: EventStore,
  stream: string,
  events: readonly NewEvent[],
  loadedRevision: number | undefined,
): Promise<CommandAppendResult> {
  const result = await store.appendToStream(stream, events, {
    expectedRevision: loadedRevision ?? 'no_stream',
  });
  return { revision: result.nextExpectedRevision, position: result.lastGlobalPosition, replayed: false };
}

function fromStored<S, E>(
  prefix: readonly RecordedEvent[],
  aggregate: Pick<CommandDecider<unknown, S, E>, 'evolve' | 'initialState' | 'decode'>,
  replayed: boolean,
): HandledCommand<S, E> {
  const last = prefix.at(-1);
  if (!last) throw new Error('a stored command has at least one event');
  return {
    state: foldRecorded(prefix, aggregate),
    events: [],
    revision: last.revision,
    position: last.globalPosition,
    replayed,
  };
}
