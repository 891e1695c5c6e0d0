import { BusinessRuleViolationError, ValidationError } from '../../shared/domain-errors';
import { optionalText, requireDate, requireOneOf, requireText } from '../../shared/validation';
import { CHARGE_KINDS } from '../../warranty/warranty-assessment';
import {
  EXCLUSION_CLAUSE,
  EXCLUSION_CODES,
  type QuoteLine,
  type RepairTicketEvent,
} from '../repair-ticket.events';
import { pendingQuote } from '../repair-ticket.state';
import { type CommandOf, type DecisionContext, requireState } from './shared.decide';

/** The paid path: an exclusion found at inspection, a quote, and the partner's answer to it. */
export type QuoteCommand = CommandOf<
  'RecordInspectionFinding' | 'IssueQuote' | 'AcceptQuote' | 'DeclineQuote'
>;

function quoteLines(lines: readonly QuoteLine[]): readonly QuoteLine[] {
  if (lines === undefined || lines.length === 0)
    throw new ValidationError('lines', 'a quote needs at least one line');
  return lines.map((l, i) => {
    // Whole yen: JPY has no minor unit.
    if (!Number.isSafeInteger(l.amountJpy) || l.amountJpy < 0)
      throw new ValidationError(`lines[${i}].amountJpy`, 'must be a non-negative whole number of yen');
    return {
      kind: requireOneOf(l.kind, CHARGE_KINDS, `lines[${i}].kind`),
      description: requireText(l.description, `lines[${i}].description`),
      amountJpy: l.amountJpy,
    };
  });
}

export function decideQuotes(command: QuoteCommand, c: DecisionContext): RepairTicketEvent[] {
  const { state, meta, today } = c;
  switch (command.type) {
    case 'RecordInspectionFinding': {
      const exclusion = requireOneOf(command.data.exclusion, EXCLUSION_CODES, 'exclusion');
      const findings = requireText(command.data.findings, 'findings');
      return [
        {
          type: 'ExclusionFound',
          schemaVersion: 1,
          data: { ...meta, exclusion, clause: EXCLUSION_CLAUSE[exclusion], findings },
        },
      ];
    }
    case 'IssueQuote': {
      const quoteId = requireText(command.data.quoteId, 'quoteId');
      const lines = quoteLines(command.data.lines);
      const validUntil =
        command.data.validUntil == null ? null : requireDate(command.data.validUntil, 'validUntil');
      if (validUntil !== null && validUntil < today)
        throw new ValidationError('validUntil', 'must not be in the past');
      if (state.quotes.some((q) => q.quoteId === quoteId))
        throw new BusinessRuleViolationError(
          'duplicate_quote_id',
          `quote ${quoteId} was already issued on this ticket`,
        );
      const totalJpy = lines.reduce((sum, l) => sum + l.amountJpy, 0);
      const reason = state.exclusion === null ? 'assessment' : 'exclusion_found';
      return [
        {
          type: 'QuoteIssued',
          schemaVersion: 1,
          data: { ...meta, quoteId, reason, lines, totalJpy, validUntil },
        },
      ];
    }
    case 'AcceptQuote':
    case 'DeclineQuote': {
      const quote = requireState(pendingQuote(state), state.status, command.type);
      if (command.data.quoteId !== quote.quoteId)
        throw new BusinessRuleViolationError(
          'quote_not_current',
          `quote ${command.data.quoteId} is not the pending quote ${quote.quoteId}`,
        );
      if (command.type === 'DeclineQuote')
        return [
          {
            type: 'QuoteDeclined',
            schemaVersion: 1,
            data: { ...meta, quoteId: quote.quoteId, reason: optionalText(command.data.reason) },
          },
        ];
      // An expired quote can still be declined, but accepting it needs a fresh price.
      if (quote.validUntil !== null && today > quote.validUntil)
        throw new BusinessRuleViolationError(
          'quote_expired',
          `quote ${quote.quoteId} expired on ${quote.validUntil}`,
        );
      return [{ type: 'QuoteAccepted', schemaVersion: 1, data: { ...meta, quoteId: quote.quoteId } }];
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
