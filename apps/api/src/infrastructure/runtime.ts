import type { EscalationMode } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { ProjectionRunner, ReadSide } from '@app/read-models';
import type { AuthSettings } from '../auth/auth.config';

/**
 * The parts the api runs on, created outside Nest (main.ts or a test) so that the same module works on the
 * PostgreSQL server, on embedded PGlite, or on a test's private schema.
 */
export interface AppRuntime {
  readonly store: EventStore;
  /** The query ports of the read models (the api reads nothing else of them). */
  readonly readSide: ReadSide;
  /**
   * A plain SQL connection to the read-model database, for the dashboard's own session table (which is not a
   * read model: dashboard-sessions.ts).
   */
  readonly readModelSql: SqlConnection;
  readonly projections: ProjectionRunner;
  /**
   * How long a command waits for the read models to show its events before answering (read-your-writes), so a
   * following GET — or a filing that reads a sale just recorded — agrees with the answer. On time-out the
   * command still answers (its events are stored); reads catch up. Default DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS.
   */
  readonly readYourWritesTimeoutMs?: number;
  /** Extra health reporters (e.g. the Kafka relay when it runs in-process). */
  readonly healthReporters?: readonly HealthReporter[];
  /** How tickets reach customer support (PORTAL_AUTO_ESCALATE; portal.policy.ts). Default `on_receipt`. */
  readonly escalationMode?: EscalationMode;
  /**
   * METRICS_TOKEN: when set, `GET /metrics` answers only to `Authorization: Bearer <this token>` (Prometheus'
   * `authorization` scrape setting); unset, it is public like `/health`.
   */
  readonly metricsToken?: string;
  /** The token settings (AUTH_*, parsed at start); default: the dev secret, as with nothing configured. */
  readonly auth?: AuthSettings;
  /** How often the dashboard page refreshes (DASHBOARD_REFRESH_SECONDS); default 15. */
  readonly dashboardRefreshSeconds?: number;
}

/** Statements with parameters; what the api may do with a database connection of its own. */
export interface SqlConnection {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

export interface HealthReporter {
  readonly name: string;
  report(): Promise<{ readonly status: 'ok' | 'degraded' | 'down'; readonly [k: string]: unknown }>;
}

/** Read-your-writes wait of every command (ticket and reference data) unless the runtime sets another. */
export const DEFAULT_READ_YOUR_WRITES_TIMEOUT_MS = 5000;

export const EVENT_STORE = Symbol('EVENT_STORE');
export const PROJECTIONS = Symbol('PROJECTIONS');
export const APP_RUNTIME = Symbol('APP_RUNTIME');
export const READ_MODEL_SQL = Symbol('READ_MODEL_SQL');
