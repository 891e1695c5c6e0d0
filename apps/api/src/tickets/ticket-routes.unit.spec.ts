import { REPAIR_TICKET_COMMAND_TYPES } from '@app/domain';
import { commandPath, isTicketCommandType, ticketAction } from './ticket-routes';

describe('ticket command routes (ticket-routes.ts)', () => {
  it.each([
    ['Escalate', 'escalate'],
    ['ShipReplacement', 'ship-replacement'],
    ['SubmitProofOfDelivery', 'submit-proof-of-delivery'],
    ['ConfirmRepairedUnitDelivered', 'confirm-repaired-unit-delivered'],
  ] as const)('%s is called at %s', (type, segment) => {
    expect(commandPath(type)).toBe(segment);
  });

  it('every command on a ticket has its own route segment; filing has none', () => {
    const types = REPAIR_TICKET_COMMAND_TYPES.filter(isTicketCommandType);
    expect(types).toHaveLength(REPAIR_TICKET_COMMAND_TYPES.length - 1);
    expect(types).not.toContain('RequestRepair');
    expect(new Set(types.map(commandPath)).size).toBe(types.length);
  });

  it('an action carries the route segment, the method and the path with the ticket id', () => {
    expect(ticketAction('6f1c-42', 'ReturnFailedUnit')).toEqual({
      action: 'return-failed-unit',
      method: 'POST',
      path: '/tickets/6f1c-42/return-failed-unit',
    });
  });
});
