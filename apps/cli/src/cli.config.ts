import { userInfo } from 'node:os';

import {
  DATABASE_VARIABLES,
  type Environment,
  InvalidConfigurationError,
  parseVariables,
  text,
} from '@app/config';

import { CliInputError, type CliConfig } from './cli-context';

/** Every variable the CLI reads (the README's table lists each; a test checks it). */
export const CLI_ENVIRONMENT = {
  ...DATABASE_VARIABLES,
  /** Who runs the imports, recorded in their events' actor; default the OS user name. */
  CLI_OPERATOR: text(),
} as const;

/**
 * The CLI's configuration, parsed once by main.ts before any command runs (a bad variable: one line each, exit
 * 2). DATABASE_URL is required only by the commands that open a store, so `--help` works without it.
 */
export class CliSettings {
  constructor(
    private readonly values: {
      readonly databaseUrl?: string;
      readonly eventStoreUrl?: string;
      readonly eventStoreSchema: string;
      readonly readModelSchema: string;
      readonly operator?: string;
    },
  ) {}

  /**
   * The configured stores: DATABASE_URL (required: the CLI works on the shared PostgreSQL server, never on a
   * throwaway embedded database; the read models live there), EVENTSTORE_URL (set: the events are in
   * KurrentDB, as for the api), EVENT_STORE_SCHEMA, READ_MODEL_SCHEMA.
   */
  store(): CliConfig {
    const { databaseUrl, eventStoreUrl, eventStoreSchema, readModelSchema } = this.values;
    if (databaseUrl === undefined)
      throw new CliInputError('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
    return {
      databaseUrl,
      ...(eventStoreUrl === undefined ? {} : { eventStoreUrl }),
      eventStoreSchema,
      readModelSchema,
    };
  }

  /** Who ran the import, recorded in the events' actor (`system:import-sales:<operator>`). */
  operator(): string {
    return this.values.operator ?? (userInfo().username || 'unknown');
  }
}

export function parseCliSettings(env: Environment): CliSettings {
  const problems: string[] = [];
  const v = parseVariables(CLI_ENVIRONMENT, env, problems);
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return new CliSettings({
    ...(v.DATABASE_URL === undefined ? {} : { databaseUrl: v.DATABASE_URL }),
    ...(v.EVENTSTORE_URL === undefined ? {} : { eventStoreUrl: v.EVENTSTORE_URL }),
    eventStoreSchema: v.EVENT_STORE_SCHEMA,
    readModelSchema: v.READ_MODEL_SCHEMA,
    ...(v.CLI_OPERATOR === undefined ? {} : { operator: v.CLI_OPERATOR }),
  });
}
