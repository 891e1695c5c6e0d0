import { DomainError, IllegalTransitionError } from '@app/domain';
import {
  createEventStore,
  isConnectionFailure,
  PostgresEventStore,
  StoreUnavailableError,
  type EventStore,
} from '@app/event-store';
import {
  RebuildInProgressError,
  ReferenceProjection,
  TicketsProjection,
  type Projection,
} from '@app/read-models';

/** The stores a command opens, from the configuration parsed at start (cli.config.ts, `CliSettings.store()`). */
export interface CliConfig {
  readonly databaseUrl: string;
  /** Set when the api is configured for EventStoreDB/KurrentDB: every command opens that store (withStore). */
  readonly eventStoreUrl?: string;
  readonly eventStoreSchema: string;
  readonly readModelSchema: string;
}

/**
 * Exit codes: 0 fine; 1 a check found a problem (broken chain, projection drift); 2 bad input or usage; 3 busy:
 * another rebuild of the same read models is running, nothing was changed (try again later); 5 the configured
 * event store cannot be reached (nothing was checked or changed).
 */
export const EXIT_PROBLEM_FOUND = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_BUSY = 3;
/**
 * 4: the command does not apply to the configured event store: nothing was checked or changed. Distinct from
 * 0/1 so a script never reads "not checked" as "intact" or "broken". Every current command applies to both
 * stores (they go through the port); kept for a command that cannot, which throws NotApplicableToStoreError.
 */
export const EXIT_NOT_APPLICABLE = 4;
/**
 * 5: the configured event store (or the database) could not be reached. Its own code, not 1, so that a
 * script never reads "could not look" as "found a broken chain".
 */
export const EXIT_UNREACHABLE = 5;

/** An error a command reports as one line on stderr (no stack trace), with the exit code it carries. */
export abstract class CliError extends Error {
  abstract readonly exitCode: number;
}

/** The configured store could not be reached. */
export class StoreUnreachableError extends CliError {
  override readonly name = 'StoreUnreachableError';
  readonly exitCode = EXIT_UNREACHABLE;
}

/** A command that cannot apply to the configured store. */
export class NotApplicableToStoreError extends CliError {
  override readonly name = 'NotApplicableToStoreError';
  readonly exitCode = EXIT_NOT_APPLICABLE;
}

/** A refusal of the command's input or usage. */
export class CliInputError extends CliError {
  override readonly name = 'CliInputError';
  readonly exitCode = EXIT_BAD_INPUT;
}

/** The configured event store in words, for output: `KurrentDB at <url>` or `PostgreSQL schema <name>`. */
export function storeLabel(config: CliConfig): string {
  // A connection string may carry a user and password: never print them.
  return config.eventStoreUrl
    ? `KurrentDB at ${config.eventStoreUrl.replace(/\/\/[^@/]*@/, '//')}`
    : `PostgreSQL schema ${config.eventStoreSchema}`;
}

/**
 * Opens the CONFIGURED event store, as the api does: KurrentDB when EVENTSTORE_URL is set (through the port,
 * `createEventStore`), else the PostgreSQL schema. A store that cannot be reached, now or during the command,
 * ends the command with StoreUnreachableError (exit 5) naming it, never with an answer about another store.
 */
export async function withStore<T>(config: CliConfig, work: (store: EventStore) => Promise<T>): Promise<T> {
  let store: EventStore;
  try {
    store = config.eventStoreUrl
      ? await createEventStore({ kind: 'eventstoredb', url: config.eventStoreUrl })
      : await PostgresEventStore.create({
          connectionString: config.databaseUrl,
          schema: config.eventStoreSchema,
          maxConnections: 4,
          // The CLI reads and appends once; it never needs LISTEN.
          notifications: 'poll',
        });
  } catch (error) {
    throw unreachable(config, error);
  }
  try {
    return await work(store);
  } catch (error) {
    throw unreachable(config, error);
  } finally {
    await store.close();
  }
}

function unreachable(config: CliConfig, error: unknown): unknown {
  // With KurrentDB only the adapter's own StoreUnavailableError names it (a lost read-model connection during
  // the command is PostgreSQL's and stays as it is); with PostgreSQL any lost connection is that server's.
  const lost = config.eventStoreUrl ? error instanceof StoreUnavailableError : isConnectionFailure(error);
  if (!lost) {
    // The client refuses a malformed connection string before any network call.
    if (config.eventStoreUrl && error instanceof Error && /connection ?string/i.test(error.message))
      return new CliInputError(`EVENTSTORE_URL: ${error.message}`);
    return error;
  }
  const cause = error instanceof Error ? error.message : String(error);
  return new StoreUnreachableError(
    `cannot reach ${config.eventStoreUrl ? storeLabel(config) : `PostgreSQL (${storeLabel(config)})`}: ${cause}. ` +
      'Nothing was checked or changed.',
  );
}

/** The projections the api runs, by name (`tickets`, `reference`). */
export function allProjections(): Projection[] {
  return [new TicketsProjection(), new ReferenceProjection()];
}

export function chooseProjections(name: string | undefined): Projection[] {
  const all = allProjections();
  if (name === undefined || name === 'all') return all;
  const chosen = all.filter((p) => p.name === name);
  if (chosen.length === 0)
    throw new CliInputError(
      `unknown projection ${JSON.stringify(name)}: one of ${all.map((p) => p.name).join(', ')}, all`,
    );
  return chosen;
}

/**
 * A domain refusal as an operator reads it: the rule's own reason or the refusal's detail ("sale already
 * recorded", "version 2026-04 already exists") rather than the decider's "RecordUnitSale is not allowed in status
 * recorded", which names a command type the operator never typed.
 */
export function domainWording(error: DomainError): string {
  const reason = (error as DomainError & { reason?: unknown }).reason;
  if (typeof reason === 'string' && reason !== '') return reason;
  if (error instanceof IllegalTransitionError && error.detail) return error.detail;
  return error.message;
}

/** The errors reported as one line: the CLI's own, a refusal by the domain (in its words), a rebuild already running. */
function oneLineError(error: unknown): { message: string; exitCode: number } | undefined {
  if (error instanceof CliError) return error;
  // A refusal by the domain is about the input, said in its words (not a stack trace).
  if (error instanceof DomainError) return { message: domainWording(error), exitCode: EXIT_BAD_INPUT };
  if (error instanceof RebuildInProgressError) return { message: error.message, exitCode: EXIT_BUSY };
  return undefined;
}

/** Runs a command body: a one-line error exits with its code (bad input and domain refusals 2), anything else 1 with its stack. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    if (code) process.exitCode = code;
  } catch (error) {
    const oneLine = oneLineError(error);
    if (oneLine) {
      process.stderr.write(`error: ${oneLine.message}\n`);
      process.exitCode = oneLine.exitCode;
      return;
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_PROBLEM_FOUND;
  }
}

let stdoutGone = false;

/**
 * `cli verify | head`: when the reader goes away, stdout fails with EPIPE. That is not the command's failure:
 * the rest of the output is dropped quietly (no stack trace) and the exit code stays the command's own, so
 * `set -o pipefail` scripts still see 1 for a broken chain. Called once by main.ts.
 */
export function tolerateClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutGone = true;
  });
}

export function out(line = ''): void {
  if (stdoutGone) return;
  process.stdout.write(`${line}\n`);
}
