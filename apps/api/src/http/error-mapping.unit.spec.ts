import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
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
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { IdempotencyKeyReusedError } from '../infrastructure/idempotency';
import { etag, toHttpError } from './error-mapping';

/** A domain error the table names no row for: it falls to the default (a refusal of valid input). */
class UnlistedDomainError extends DomainError {
  readonly code = 'unlisted_rule';
  constructor() {
    super('refused by a rule the edge has no row for');
  }
}

/** An http-errors error as body-parser (and input-guard.ts) throws it. */
const bodyParserError = (status: number, type: string, message: string, expose = true): unknown =>
  Object.assign(new Error(message), { status, statusCode: status, type, expose });

describe('errors mapped to HTTP (error-mapping.ts)', () => {
  describe('domain errors', () => {
    it('a validation error is a 400 naming the field', () => {
      expect(toHttpError(new ValidationError('unit.serialNumber', 'required'))).toStrictEqual({
        status: 400,
        body: {
          code: 'validation_failed',
          field: 'unit.serialNumber',
          message: 'unit.serialNumber: required',
        },
      });
    });

    it('an actor refused is a 403', () => {
      expect(toHttpError(new NotAllowedError('partner P-1', 'CloseTicket', 'staff only'))).toStrictEqual({
        status: 403,
        body: { code: 'not_allowed', message: 'partner P-1 may not CloseTicket: staff only' },
      });
    });

    it('an unknown ticket is a 404', () => {
      expect(toHttpError(new TicketNotFoundError('T-7'))).toStrictEqual({
        status: 404,
        body: { code: 'ticket_not_found', message: 'ticket T-7 not found' },
      });
    });

    it('an unknown partner is a 404', () => {
      expect(toHttpError(new PartnerNotFoundError('P-9'))).toStrictEqual({
        status: 404,
        body: { code: 'partner_not_found', message: 'partner P-9 not found' },
      });
    });

    it('a unit with an open ticket is a 409 pointing at that ticket', () => {
      expect(toHttpError(new OpenTicketExistsError('SN-1', 'T-3'))).toStrictEqual({
        status: 409,
        body: {
          code: 'open_ticket_exists',
          message: 'unit SN-1 already has an open ticket T-3',
          openTicketId: 'T-3',
        },
        headers: { Location: '/tickets/T-3' },
      });
    });

    it('a move the status does not allow is a 409 with the status and the attempted command', () => {
      expect(toHttpError(new IllegalTransitionError('closed', 'ShipReplacement'))).toStrictEqual({
        status: 409,
        body: {
          code: 'illegal_transition',
          message: 'ShipReplacement is not allowed in status closed',
          currentStatus: 'closed',
          attempted: 'ShipReplacement',
        },
      });
    });

    it('a business rule refusal is a 422 naming the rule', () => {
      const e = new BusinessRuleViolationError('received_serial_mismatch', 'the received unit is SN-2');
      expect(toHttpError(e)).toStrictEqual({
        status: 422,
        body: {
          code: 'business_rule_violated',
          rule: 'received_serial_mismatch',
          message: 'the received unit is SN-2',
        },
      });
    });

    it('any other domain error is a 422 with its own code', () => {
      expect(toHttpError(new UnlistedDomainError())).toStrictEqual({
        status: 422,
        body: { code: 'unlisted_rule', message: 'refused by a rule the edge has no row for' },
      });
    });
  });

  describe('event store and idempotency errors', () => {
    it('a concurrent writer is a 409 with the current revision as ETag', () => {
      expect(toHttpError(new WrongExpectedRevisionError('ticket-T-1', '3', 5))).toStrictEqual({
        status: 409,
        body: {
          code: 'revision_conflict',
          message: 'the ticket changed since you read it; reload and retry',
          currentRevision: 5,
        },
        headers: { ETag: '"5"' },
      });
    });

    it('a revision conflict on a stream that does not exist has no revision and no ETag', () => {
      expect(toHttpError(new WrongExpectedRevisionError('ticket-T-1', '3', undefined))).toStrictEqual({
        status: 409,
        body: {
          code: 'revision_conflict',
          message: 'the ticket changed since you read it; reload and retry',
          currentRevision: null,
        },
      });
    });

    it('revision 0 is a revision: it is sent, with its ETag', () => {
      const mapped = toHttpError(new WrongExpectedRevisionError('ticket-T-1', 'no_stream', 0));
      expect(mapped.body.currentRevision).toBe(0);
      expect(mapped.headers).toStrictEqual({ ETag: '"0"' });
    });

    it('an Idempotency-Key reused for another request is a 422 naming the header', () => {
      expect(toHttpError(new IdempotencyKeyReusedError('k-1'))).toStrictEqual({
        status: 422,
        body: {
          code: 'idempotency_key_reused',
          field: 'Idempotency-Key',
          message: 'Idempotency-Key was already used for a different request',
        },
      });
    });

    it('a connection lost while appending is a 503 asking to retry with the same key', () => {
      const lost = new StoreUnavailableError('append', true, new Error('Connection terminated'));
      expect(toHttpError(lost)).toStrictEqual({
        status: 503,
        body: {
          code: 'store_unavailable',
          message: 'the database connection was lost while storing; retry with the same Idempotency-Key',
        },
        headers: { 'Retry-After': '1' },
      });
    });

    it('a store known not to have stored anything is a plain 503', () => {
      const down = new StoreUnavailableError('read', false, new Error('ECONNREFUSED'));
      expect(toHttpError(down)).toStrictEqual({
        status: 503,
        body: { code: 'store_unavailable', message: 'the database is unavailable; retry shortly' },
        headers: { 'Retry-After': '1' },
      });
    });

    it('a driver error of a lost connection, not wrapped by the store, is a 503 too', () => {
      const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      expect(toHttpError(reset)).toStrictEqual({
        status: 503,
        body: { code: 'store_unavailable', message: 'the database is unavailable; retry shortly' },
        headers: { 'Retry-After': '1' },
      });
    });

    it('an event id stored with other content is a 409', () => {
      expect(toHttpError(new DuplicateEventIdError('e-1'))).toStrictEqual({
        status: 409,
        body: {
          code: 'duplicate_event',
          message: 'event id e-1 is already stored with different content',
        },
      });
    });

    it('input the store refuses is a 400 naming the field', () => {
      expect(toHttpError(new InvalidEventStoreInputError('metadata.actor', 'empty'))).toStrictEqual({
        status: 400,
        body: { code: 'invalid_input', field: 'metadata.actor', message: 'metadata.actor: empty' },
      });
    });
  });

  describe('Nest HTTP exceptions', () => {
    it('a body that already carries a code is sent as it is', () => {
      const body = { code: 'identity_provider_unavailable', message: 'identity provider keys timed out' };
      expect(toHttpError(new ServiceUnavailableException(body))).toStrictEqual({ status: 503, body });
    });

    it.each([
      [401, 'unauthenticated', 'missing bearer token', new UnauthorizedException('missing bearer token')],
      [403, 'forbidden', 'role auditor may not', new ForbiddenException('role auditor may not')],
      [404, 'not_found', 'Cannot GET /nowhere', new NotFoundException('Cannot GET /nowhere')],
      [409, 'conflict', 'busy', new ConflictException('busy')],
      [413, 'payload_too_large', 'too big', new PayloadTooLargeException('too big')],
      [422, 'unprocessable', 'no', new UnprocessableEntityException('no')],
      [500, 'internal_error', 'boom', new InternalServerErrorException('boom')],
      [503, 'internal_error', 'down', new ServiceUnavailableException('down')],
    ])(
      'a %i exception without a code of its own gets code %s and keeps its message',
      (status, code, message, e) => {
        expect(toHttpError(e)).toStrictEqual({ status, body: { code, message } });
      },
    );

    it('a 4xx status without its own code is a generic error', () => {
      expect(toHttpError(new HttpException('slow down', 429))).toStrictEqual({
        status: 429,
        body: { code: 'error', message: 'slow down' },
      });
    });

    it('a status just below 500 is not an internal error', () => {
      expect(toHttpError(new HttpException('client closed request', 499)).body.code).toBe('error');
    });

    it('a response object without a message falls back to the exception message', () => {
      expect(toHttpError(new HttpException({ error: 'teapot' }, 418))).toStrictEqual({
        status: 418,
        body: { code: 'error', message: 'Http Exception' },
      });
    });

    it("Nest's plain 400 for a body it could not parse says the body is not JSON", () => {
      expect(toHttpError(new BadRequestException('Unexpected token } in JSON at position 9'))).toStrictEqual({
        status: 400,
        body: {
          code: 'malformed_body',
          field: 'body',
          message: 'request body is not valid JSON: Unexpected token } in JSON at position 9',
        },
      });
    });
  });

  describe('body-parser errors', () => {
    it('a body over the limit is a 413 that does not echo the limit', () => {
      const e = bodyParserError(413, 'entity.too.large', 'request entity too large: 1048577 > 1048576');
      expect(toHttpError(e)).toStrictEqual({
        status: 413,
        body: { code: 'payload_too_large', field: 'body', message: 'request body too large' },
      });
    });

    it.each(['charset.unsupported', 'encoding.unsupported'])('%s is a 415', (type) => {
      expect(toHttpError(bodyParserError(415, type, 'unsupported charset "LATIN-2"'))).toStrictEqual({
        status: 415,
        body: { code: 'unsupported_media_type', field: 'body', message: 'unsupported charset "LATIN-2"' },
      });
    });

    it('a body nested too deep is a 400 with the reason', () => {
      const e = bodyParserError(400, 'entity.too.deep', 'request body nested deeper than 32 levels');
      expect(toHttpError(e)).toStrictEqual({
        status: 400,
        body: { code: 'malformed_body', field: 'body', message: 'request body nested deeper than 32 levels' },
      });
    });

    it('a parse failure is a 400 that does not echo the parser', () => {
      const e = bodyParserError(400, 'entity.parse.failed', 'Unexpected token x in JSON at position 0');
      expect(toHttpError(e)).toStrictEqual({
        status: 400,
        body: { code: 'malformed_body', field: 'body', message: 'request body is not valid JSON' },
      });
    });

    it('the highest 4xx status still counts as a client error', () => {
      expect(toHttpError(bodyParserError(499, 'entity.verify.failed', 'x')).status).toBe(400);
    });

    it.each([
      ['a 5xx status', bodyParserError(500, 'entity.parse.failed', 'x')],
      ['a 3xx status', bodyParserError(399, 'entity.parse.failed', 'x')],
      ['an error not meant to be exposed', bodyParserError(400, 'entity.parse.failed', 'x', false)],
      ['a status that is not a number', bodyParserError(Number.NaN, 'x', 'x')],
      ['a status given as text', Object.assign(new Error('x'), { status: '400', expose: true })],
    ])('%s is not a client error: internal', (_, e) => {
      expect(toHttpError(e)).toStrictEqual({
        status: 500,
        body: { code: 'internal_error', message: 'internal error' },
      });
    });
  });

  describe('anything else', () => {
    it.each([
      ['an Error', new Error('secret detail')],
      ['a thrown string', 'secret detail'],
      ['null', null],
      ['undefined', undefined],
    ])('%s is a 500 that says nothing of it', (_, e) => {
      expect(toHttpError(e)).toStrictEqual({
        status: 500,
        body: { code: 'internal_error', message: 'internal error' },
      });
    });
  });

  it('an ETag is the revision in double quotes', () => {
    expect(etag(12)).toBe('"12"');
  });
});
