import { PostgresEventStore } from '@app/event-store';
import { dropSchemas } from '@app/event-store/testing';
import type { DataSource } from 'typeorm';
import type { ProjectionRunner } from './projection-runner';

// A projection-runner int spec on the PostgreSQL server: the event store in the suite's scratch schema
// `events`, read models and a runner over them; all closed, and every scratch schema dropped, at the end.

/** The suite's event store, in its `events` schema. */
export function openSuiteStore(
  url: string,
  schemas: { readonly events: string },
): Promise<PostgresEventStore> {
  return PostgresEventStore.create({ connectionString: url, schema: schemas.events, maxConnections: 4 });
}

/** What the suite opened; a part is undefined when its beforeAll failed before opening it. */
export interface RunnerSuiteParts {
  readonly runner: ProjectionRunner | undefined;
  readonly readModels: DataSource | undefined;
  readonly store: PostgresEventStore | undefined;
}

/** Closes each part before what it runs on (the runner, its read models, the store), then drops the schemas. */
export async function closeRunnerSuite(
  url: string,
  schemas: Readonly<Record<string, string>>,
  { runner, readModels, store }: RunnerSuiteParts,
): Promise<void> {
  await runner?.stop();
  await readModels?.destroy();
  await store?.close();
  await dropSchemas(url, ...Object.values(schemas));
}
