import { optionalText, requireOneOf, requireText } from '../../shared/validation';
import { REJECTION_REASONS, type RepairTicketEvent } from '../repair-ticket.events';
import { type CommandOf, type DecisionContext } from './shared.decide';

/** The endings: support refuses the repair, the ticket is closed, or the partner cancels it. */
export type ClosingCommand = CommandOf<'RejectRepair' | 'CloseTicket' | 'CancelTicket'>;

export function decideClosing(command: ClosingCommand, c: DecisionContext): RepairTicketEvent[] {
  const { meta } = c;
  switch (command.type) {
    case 'RejectRepair': {
      const reason = requireOneOf(command.data.reason, REJECTION_REASONS, 'reason');
      const detail = requireText(command.data.detail, 'detail');
      return [
        { type: 'RepairRejected', schemaVersion: 1, data: { ...meta, reason, detail, advice: 'buy_new' } },
      ];
    }
    case 'CloseTicket':
      return [
        { type: 'TicketClosed', schemaVersion: 1, data: { ...meta, note: optionalText(command.data.note) } },
      ];
    case 'CancelTicket':
      return [
        {
          type: 'TicketCancelled',
          schemaVersion: 1,
          data: { ...meta, reason: requireText(command.data.reason, 'reason') },
        },
      ];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
