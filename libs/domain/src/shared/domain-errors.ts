/**
 * Typed domain errors. The HTTP edge maps them in one place, by class:
 *
 * | error                        | HTTP | meaning                                                              |
 * |------------------------------|------|----------------------------------------------------------------------|
 * | ValidationError              | 400  | the input itself is malformed or inconsistent; `field` names it      |
 * | NotAllowedError              | 403  | this actor may not do this (another partner's ticket, an end user)   |
 * | TicketNotFoundError          | 404  | no ticket (stream) with that id                                      |
 * | PartnerNotFoundError         | 404  | a command on a partner record that was never registered              |
 * | IllegalTransitionError       | 409  | valid input, but not a move the ticket's current status allows:      |
 * |                              |      | a conflict with the resource's state, retrying later may succeed     |
 * | BusinessRuleViolationError   | 422  | valid input in a legal status, refused by a business rule (e.g. the  |
 * |                              |      | received serial is not the ticket's unit): the request must change   |
 *
 * `code` is stable and meant for clients; messages are for humans and may change.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';

  /** @param field dotted path of the offending input, e.g. `unit.deliveryDate` or `lines[1].amountJpy`. */
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class NotAllowedError extends DomainError {
  readonly code = 'not_allowed';

  constructor(
    readonly actor: string,
    readonly command: string,
    readonly reason: string,
  ) {
    super(`${actor} may not ${command}: ${reason}`);
  }
}

export class TicketNotFoundError extends DomainError {
  readonly code = 'ticket_not_found';

  constructor(readonly ticketId: string | null) {
    super(ticketId === null ? 'ticket not found' : `ticket ${ticketId} not found`);
  }
}

export class PartnerNotFoundError extends DomainError {
  readonly code = 'partner_not_found';

  constructor(readonly partnerId: string) {
    super(`partner ${partnerId} not found`);
  }
}

export class IllegalTransitionError extends DomainError {
  readonly code = 'illegal_transition';

  constructor(
    readonly currentStatus: string,
    readonly attemptedCommand: string,
    readonly detail?: string,
  ) {
    super(
      `${attemptedCommand} is not allowed in status ${currentStatus}` +
        (detail === undefined ? '' : `: ${detail}`),
    );
  }
}

export class BusinessRuleViolationError extends DomainError {
  readonly code = 'business_rule_violated';

  /** @param rule stable identifier of the rule, e.g. `received_serial_mismatch`. */
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}
