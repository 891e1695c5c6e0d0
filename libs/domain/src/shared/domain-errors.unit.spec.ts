import { actorId } from './actor';
import {
  BusinessRuleViolationError,
  DomainError,
  IllegalTransitionError,
  NotAllowedError,
  TicketNotFoundError,
  ValidationError,
} from './domain-errors';

describe('domain errors', () => {
  // The class name leads each row: it titles the test (an error object in a title prints its stack, which differs
  // between checkouts and would make every run's test names new to Stryker's incremental mode).
  it.each([
    ['ValidationError', new ValidationError('unit.deliveryDate', 'bad'), 'validation_failed'],
    ['NotAllowedError', new NotAllowedError('partner:P-2', 'AcceptQuote', 'not yours'), 'not_allowed'],
    ['TicketNotFoundError', new TicketNotFoundError('T-1'), 'ticket_not_found'],
    ['IllegalTransitionError', new IllegalTransitionError('closed', 'Escalate'), 'illegal_transition'],
    [
      'BusinessRuleViolationError',
      new BusinessRuleViolationError('quote_expired', 'expired'),
      'business_rule_violated',
    ],
  ])('%s has a stable code and its class name', (name, error, code) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
  });

  it('a validation error names the field in its message', () => {
    expect(new ValidationError('lines[0].amountJpy', 'must be whole yen').message).toBe(
      'lines[0].amountJpy: must be whole yen',
    );
  });

  it('an illegal transition says the status and the command', () => {
    expect(new IllegalTransitionError('closed', 'Escalate', 'ticket closed').message).toBe(
      'Escalate is not allowed in status closed: ticket closed',
    );
  });

  it('ticket not found may not know the id', () => {
    expect(new TicketNotFoundError(null).message).toBe('ticket not found');
    expect(new TicketNotFoundError('T-1').message).toBe('ticket T-1 not found');
  });
});

describe('actorId', () => {
  it.each([
    [{ kind: 'partner', partnerId: 'P-001' }, 'partner:P-001'],
    [{ kind: 'support', userId: 'tanaka' }, 'support:tanaka'],
    [{ kind: 'system', component: 'portal' }, 'system:portal'],
    [{ kind: 'end_user', endUserId: 'EU-1' }, 'end_user:EU-1'],
  ] as const)('%j is recorded as %s', (actor, id) => {
    expect(actorId(actor)).toBe(id);
  });
});
