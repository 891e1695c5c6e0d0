import { PostgresEventStore } from '@app/event-store';
import {
  openReadModelDataSource,
  ReferenceProjection,
  TicketsProjection,
  type Projection,
} from '@app/read-models';
import { RebuildInProgressError } from '@app/read-models/runner/rebuild-aside';
import type { DataSource } from 'typeorm';

/**
 * The CLI is configured like the api, by environment: DATABASE_URL (required: the CLI works on the shared
 * PostgreSQL server, never on a throwaway embedded database), EVENT_STORE_SCHEMA (default `event_store`),
 * READ_MODEL_SCHEMA (default `public`). The audit commands need the PostgreSQL event store (its hash chain).
 */
export interface CliConfig {
  readonly databaseUrl: string;
  /** Set when the api is configured for EventStoreDB/KurrentDB (see withStore). */
  readonly eventStoreUrl?: string;
  readonly eventStoreSchema: string;
  readonly readModelSchema: string;
}

/**
 * Exit codes: 0 fine; 1 a check found a problem (broken chain, projection drift); 2 bad input or usage; 3 busy:
 * another rebuild of the same read models is running, nothing was changed (try again later).
 */
export const EXIT_PROBLEM_FOUND = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_BUSY = 3;
/**
 * 4: the command does not apply to the configured event store (EVENTSTORE_URL = KurrentDB): nothing was
 * checked or changed. Distinct from 0/1 so a script never reads "not checked" as "intact" or "broken".
 */
export const EXIT_NOT_APPLICABLE = 4;

/** A command that cannot apply to the configured store: one line on stderr, exit code 4. */
export class NotApplicableToStoreError extends Error {
  override readonly name = 'NotApplicableToStoreError';
}

/** A refusal the command reports as one line on stderr with exit code 2 (no stack trace). */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

export function cliConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const databaseUrl = env['DATABASE_URL'];
  if (!databaseUrl)
    throw new CliInputError('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  const eventStoreUrl = env['EVENTSTORE_URL'];
  return {
    databaseUrl,
    ...(eventStoreUrl ? { eventStoreUrl } : {}),
    eventStoreSchema: env['EVENT_STORE_SCHEMA'] || 'event_store',
    readModelSchema: env['READ_MODEL_SCHEMA'] || 'public',
  };
}

export async function withStore<T>(
  config: CliConfig,
  work: (store: PostgresEventStore) => Promise<T>,
): Promise<T> {
  // With EVENTSTORE_URL the api's events live in KurrentDB; the PostgreSQL schema here is unused (or stale),
  // and a command reading it would answer about the wrong store. Refuse instead of answering.
  if (config.eventStoreUrl)
    throw new NotApplicableToStoreError(
      'EVENTSTORE_URL is set: the events are in EventStoreDB/KurrentDB, which the CLI does not open yet; ' +
        'this command would read the unused PostgreSQL event store. Nothing was read or changed.',
    );
  const store = await PostgresEventStore.create({
    connectionString: config.databaseUrl,
    schema: config.eventStoreSchema,
    maxConnections: 4,
    // The CLI reads and appends once; it never needs LISTEN.
    notifications: 'poll',
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function withReadModels<T>(config: CliConfig, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = await openReadModelDataSource({
    url: config.databaseUrl,
    schema: config.readModelSchema,
    poolSize: 3,
  });
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
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

/** Runs a command body: maps CliInputError to exit code 2, anything else to 1 with its message. */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    if (code) process.exitCode = code;
  } catch (error) {
    if (error instanceof CliInputError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    if (error instanceof NotApplicableToStoreError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT_NOT_APPLICABLE;
      return;
    }
    if (error instanceof RebuildInProgressError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = EXIT_BUSY;
      return;
    }
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_PROBLEM_FOUND;
  }
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}
