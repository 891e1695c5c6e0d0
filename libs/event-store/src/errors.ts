/** Typed errors of the event store port; the HTTP edge maps them (409 / 400). */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: string,
    /** The stream's actual revision, undefined when it does not exist. */
    readonly actualRevision: number | undefined,
  ) {
    super(`stream ${stream}: expected revision ${expected}, actual ${actualRevision ?? 'no stream'}`);
  }
}

/** An event id already stored with different content (or in another stream). */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored with different content`);
  }
}

export class InvalidEventStoreInputError extends Error {
  override readonly name = 'InvalidEventStoreInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/**
 * The database could not be reached or dropped the connection, and retrying inside the store did not help.
 * `outcomeUnknown`: an append whose transaction may or may not have committed (the connection died around
 * COMMIT). Appends are idempotent by event id and content, so the caller may retry the same events; the HTTP
 * edge answers 503 with Retry-After.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly operation: 'append' | 'read',
    readonly outcomeUnknown: boolean,
    override readonly cause: unknown,
  ) {
    super(
      `event store unavailable during ${operation}${outcomeUnknown ? ' (outcome unknown)' : ''}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
  }
}

// SQLSTATE classes and codes of a lost or refused connection: 08 connection exception, 57P01–57P03 admin
// shutdown / crash shutdown / cannot connect now, 53300 too many connections.
const CONNECTION_SQLSTATES = /^(08|57P0[123]$|53300$)/;
const CONNECTION_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection (?:is )?(?:closed|ended|lost)|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|terminating connection/i;

/**
 * True when `error` (or the driver error it wraps, as TypeORM's QueryFailedError does) says the connection to
 * PostgreSQL was lost or refused, as opposed to a statement that failed on a live connection.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown };
  if (typeof e.code === 'string' && (CONNECTION_SQLSTATES.test(e.code) || CONNECTION_ERRNOS.has(e.code)))
    return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  return e.driverError !== undefined && e.driverError !== error && isConnectionFailure(e.driverError);
}
