import type { EventStore } from '@app/event-store';
import type { ProjectionRunner } from '@app/read-models';
import type { DataSource } from 'typeorm';

/**
 * The parts the api runs on, created outside Nest (main.ts or a test) so that the same module works on the
 * PostgreSQL server, on embedded PGlite, or on a test's private schema.
 */
export interface AppRuntime {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly projections: ProjectionRunner;
  /** How long a command waits for the read models to show its events before answering (read-your-writes). */
  readonly readYourWritesTimeoutMs?: number;
  /** Extra health reporters (e.g. the Kafka relay when it runs in-process). */
  readonly healthReporters?: readonly HealthReporter[];
}

export interface HealthReporter {
  readonly name: string;
  report(): Promise<{ readonly status: 'ok' | 'degraded' | 'down'; readonly [k: string]: unknown }>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
export const PROJECTIONS = Symbol('PROJECTIONS');
export const APP_RUNTIME = Symbol('APP_RUNTIME');
