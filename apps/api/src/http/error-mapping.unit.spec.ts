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

  it('an ETag is the revision in double quotes', () => {
    expect(etag(12)).toBe('"12"');
  });
});
