// Domain, event-store and idempotency errors: one row each, with the literal status, body and headers the edge
// sends. Framework and body-parser errors are in error-mapping.edge.unit.spec.ts.
import * as domain from '@app/domain';
import * as store from '@app/event-store';
import { IdempotencyKeyReusedError } from '../infrastructure/idempotency';
import { etag, type HttpError, toHttpError } from './error-mapping';

/** A domain error the table names no row for: it falls to the default (a refusal of valid input). */
class UnlistedDomainError extends domain.DomainError {
  readonly code = 'unlisted_rule';
  constructor() {
    super('refused by a rule the edge has no row for');
  }
}

const RETRY_SOON = { 'Retry-After': '1' };
const STORE_DOWN = { code: 'store_unavailable', message: 'the database is unavailable; retry shortly' };
const RELOAD = 'the ticket changed since you read it; reload and retry';

const domainErrors: [string, unknown, HttpError][] = [
  [
    'a validation error is a 400 naming the field',
    new domain.ValidationError('unit.serialNumber', 'required'),
    {
      status: 400,
      body: { code: 'validation_failed', field: 'unit.serialNumber', message: 'unit.serialNumber: required' },
    },
  ],
  [
    'an actor refused is a 403',
    new domain.NotAllowedError('partner P-1', 'CloseTicket', 'staff only'),
    { status: 403, body: { code: 'not_allowed', message: 'partner P-1 may not CloseTicket: staff only' } },
  ],
  [
    'an unknown ticket is a 404',
    new domain.TicketNotFoundError('T-7'),
    { status: 404, body: { code: 'ticket_not_found', message: 'ticket T-7 not found' } },
  ],
  [
    'an unknown partner is a 404',
    new domain.PartnerNotFoundError('P-9'),
    { status: 404, body: { code: 'partner_not_found', message: 'partner P-9 not found' } },
  ],
  [
    'a unit with an open ticket is a 409 pointing at that ticket',
    new domain.OpenTicketExistsError('SN-1', 'T-3'),
    {
      status: 409,
      body: {
        code: 'open_ticket_exists',
        message: 'unit SN-1 already has an open ticket T-3',
        openTicketId: 'T-3',
      },
      headers: { Location: '/tickets/T-3' },
    },
  ],
  [
    'a move the status does not allow is a 409 with the status and the attempted command',
    new domain.IllegalTransitionError('closed', 'ShipReplacement'),
    {
      status: 409,
      body: {
        code: 'illegal_transition',
        message: 'ShipReplacement is not allowed in status closed',
        currentStatus: 'closed',
        attempted: 'ShipReplacement',
      },
    },
  ],
  [
    'a business rule refusal is a 422 naming the rule',
    new domain.BusinessRuleViolationError('received_serial_mismatch', 'the received unit is SN-2'),
    {
      status: 422,
      body: {
        code: 'business_rule_violated',
        rule: 'received_serial_mismatch',
        message: 'the received unit is SN-2',
      },
    },
  ],
  [
    'any other domain error is a 422 with its own code',
    new UnlistedDomainError(),
    { status: 422, body: { code: 'unlisted_rule', message: 'refused by a rule the edge has no row for' } },
  ],
];

const storeErrors: [string, unknown, HttpError][] = [
  [
    'a concurrent writer is a 409 with the current revision as ETag',
    new store.WrongExpectedRevisionError('ticket-T-1', '3', 5),
    {
      status: 409,
      body: { code: 'revision_conflict', message: RELOAD, currentRevision: 5 },
      headers: { ETag: '"5"' },
    },
  ],
  [
    'a revision conflict on a stream that does not exist has no revision and no ETag',
    new store.WrongExpectedRevisionError('ticket-T-1', '3', undefined),
    { status: 409, body: { code: 'revision_conflict', message: RELOAD, currentRevision: null } },
  ],
  [
    'an Idempotency-Key reused for another request is a 422 naming the header',
    new IdempotencyKeyReusedError('k-1'),
    {
      status: 422,
      body: {
        code: 'idempotency_key_reused',
        field: 'Idempotency-Key',
        message: 'Idempotency-Key was already used for a different request',
      },
    },
  ],
  [
    'a connection lost while appending is a 503 asking to retry with the same key',
    new store.StoreUnavailableError('append', true, new Error('Connection terminated')),
    {
      status: 503,
      body: {
        code: 'store_unavailable',
        message: 'the database connection was lost while storing; retry with the same Idempotency-Key',
      },
      headers: RETRY_SOON,
    },
  ],
  [
    'a store known not to have stored anything is a plain 503',
    new store.StoreUnavailableError('read', false, new Error('ECONNREFUSED')),
    { status: 503, body: STORE_DOWN, headers: RETRY_SOON },
  ],
  [
    'a driver error of a lost connection, not wrapped by the store, is a 503 too',
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    { status: 503, body: STORE_DOWN, headers: RETRY_SOON },
  ],
  [
    'an event id stored with other content is a 409',
    new store.DuplicateEventIdError('e-1'),
    {
      status: 409,
      body: { code: 'duplicate_event', message: 'event id e-1 is already stored with different content' },
    },
  ],
  [
    'input the store refuses is a 400 naming the field',
    new store.InvalidEventStoreInputError('metadata.actor', 'empty'),
    {
      status: 400,
      body: { code: 'invalid_input', field: 'metadata.actor', message: 'metadata.actor: empty' },
    },
  ],
];

describe('errors mapped to HTTP (error-mapping.ts)', () => {
  it.each(domainErrors)('domain: %s', (_, error, expected) => {
    expect(toHttpError(error)).toStrictEqual(expected);
  });

  it.each(storeErrors)('event store and idempotency: %s', (_, error, expected) => {
    expect(toHttpError(error)).toStrictEqual(expected);
  });

  it('revision 0 is a revision: it is sent, with its ETag', () => {
    const mapped = toHttpError(new store.WrongExpectedRevisionError('ticket-T-1', 'no_stream', 0));
    expect(mapped.body.currentRevision).toBe(0);
    expect(mapped.headers).toStrictEqual({ ETag: '"0"' });
  });

  it('an ETag is the revision in double quotes', () => {
    expect(etag(12)).toBe('"12"');
  });
});
