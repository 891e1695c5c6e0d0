import { HttpException } from '@nestjs/common';
import {
  BusinessRuleViolationError,
  DomainError,
  IllegalTransitionError,
  NotAllowedError,
  OpenTicketExistsError,
  PartnerNotFoundError,
  TicketNotFoundError,
  ValidationError,
} from '@app/domain';
import {
  DuplicateEventIdError,
  InvalidEventStoreInputError,
  isConnectionFailure,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { IdempotencyKeyReusedError } from '../infrastructure/idempotency';

export interface HttpError {
  readonly status: number;
  readonly body: { readonly code: string; readonly message: string; readonly [k: string]: unknown };
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Error → HTTP status, decided here and nowhere else.
 * - 400 bad input (validation, unknown fields, wrong types, malformed JSON) — names the field
 * - 401 no/invalid token, 403 wrong role, 404 unknown ticket or another partner's ticket (nothing leaks)
 * - 409 concurrency: stale If-Match / a concurrent writer won, with the current revision
 * - 409 illegal transition: valid input, but not a move the ticket's status allows (retrying later may work);
 *   a filing for a unit that has an open ticket (`open_ticket_exists`, its id in `openTicketId` and Location)
 * - 413 body too large
 * - 422 business rule refusal on valid input in a legal status (the request itself must change); an
 *   Idempotency-Key reused for a different request
 * - 503 + Retry-After the database connection was lost and the outcome is not stored (or cannot be known):
 *   retry, with the same Idempotency-Key, and the answer is the first one's if it did commit
 */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof DomainError) return fromDomainError(e);
  if (e instanceof WrongExpectedRevisionError) {
    return {
      status: 409,
      body: {
        code: 'revision_conflict',
        message: 'the ticket changed since you read it; reload and retry',
        currentRevision: e.actualRevision ?? null,
      },
      ...(e.actualRevision !== undefined ? { headers: { ETag: etag(e.actualRevision) } } : {}),
    };
  }
  if (e instanceof IdempotencyKeyReusedError) {
    return {
      status: 422,
      body: { code: 'idempotency_key_reused', field: 'Idempotency-Key', message: e.message },
    };
  }
  if (e instanceof StoreUnavailableError || isConnectionFailure(e)) {
    const unknown = e instanceof StoreUnavailableError && e.outcomeUnknown;
    return {
      status: 503,
      body: {
        code: 'store_unavailable',
        message: unknown
          ? 'the database connection was lost while storing; retry with the same Idempotency-Key'
          : 'the database is unavailable; retry shortly',
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (e instanceof DuplicateEventIdError) {
    return { status: 409, body: { code: 'duplicate_event', message: e.message } };
  }
  if (e instanceof InvalidEventStoreInputError) {
    return { status: 400, body: { code: 'invalid_input', field: e.field, message: e.message } };
  }
  if (e instanceof HttpException) {
    const status = e.getStatus();
    const response = e.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) {
      return { status, body: response as HttpError['body'] };
    }
    const message =
      typeof response === 'string'
        ? response
        : typeof response === 'object' && response !== null && 'message' in response
          ? String(response.message)
          : e.message;
    // Nest turns body-parser's SyntaxError into a plain BadRequestException (our own 400s all carry a code).
    if (status === 400)
      return {
        status,
        body: {
          code: 'malformed_body',
          field: 'body',
          message: `request body is not valid JSON: ${message}`,
        },
      };
    return { status, body: { code: codeForStatus(status), message } };
  }
  if (isBodyParserError(e)) return fromBodyParserError(e);
  return { status: 500, body: { code: 'internal_error', message: 'internal error' } };
}

function fromDomainError(e: DomainError): HttpError {
  if (e instanceof ValidationError)
    return { status: 400, body: { code: e.code, field: e.field, message: e.message } };
  if (e instanceof NotAllowedError) return { status: 403, body: { code: e.code, message: e.message } };
  if (e instanceof TicketNotFoundError || e instanceof PartnerNotFoundError)
    return { status: 404, body: { code: e.code, message: e.message } };
  if (e instanceof OpenTicketExistsError) {
    return {
      status: 409,
      body: { code: e.code, message: e.message, openTicketId: e.openTicketId },
      headers: { Location: `/tickets/${e.openTicketId}` },
    };
  }
  if (e instanceof IllegalTransitionError) {
    return {
      status: 409,
      body: {
        code: e.code,
        message: e.message,
        currentStatus: e.currentStatus,
        attempted: e.attemptedCommand,
      },
    };
  }
  if (e instanceof BusinessRuleViolationError)
    return { status: 422, body: { code: e.code, rule: e.rule, message: e.message } };
  return { status: 422, body: { code: e.code, message: e.message } };
}

export const etag = (revision: number): string => `"${revision}"`;

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 422:
      return 'unprocessable';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}

/** body-parser's errors (and input-guard.ts's depth refusal) are http-errors: a 4xx status, safe to expose. */
function isBodyParserError(e: unknown): e is { status: number; type?: unknown; message: string } {
  if (typeof e !== 'object' || e === null) return false;
  const { status, expose } = e as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

function fromBodyParserError(e: { status: number; type?: unknown; message: string }): HttpError {
  const body = (code: string, message: string) => ({ code, field: 'body', message });
  switch (e.type) {
    case 'entity.too.large':
      return { status: 413, body: body('payload_too_large', 'request body too large') };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return { status: 415, body: body('unsupported_media_type', e.message) };
    case 'entity.too.deep':
      return { status: 400, body: body('malformed_body', e.message) };
    default:
      return { status: 400, body: body('malformed_body', 'request body is not valid JSON') };
  }
}
