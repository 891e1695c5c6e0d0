import { REPAIR_TICKET_COMMAND_TYPES } from '@app/domain';
import { PATH_METADATA } from '@nestjs/common/constants';
import { TicketCommandsController } from '../tickets/ticket-commands.controller';
import { ROLES_KEY } from './auth.decorators';
import { rolesFor } from './command-roles';

describe('HTTP roles of ticket commands, from the domain authority table', () => {
  it('filing: partners for themselves, support on a partner’s behalf; the portal acts without a token', () => {
    expect(rolesFor('RequestRepair')).toEqual(['partner', 'support']);
  });

  it('support-only steps are support’s; the portal’s escalation and closing give partners nothing', () => {
    expect(rolesFor('ShipReplacement')).toEqual(['support']);
    expect(rolesFor('Escalate')).toEqual(['support']);
    expect(rolesFor('CloseTicket')).toEqual(['support']);
  });

  it('every ticket command route names exactly the roles the authority table gives its command', () => {
    const proto = TicketCommandsController.prototype as unknown as Record<string, object>;
    const routes = Object.getOwnPropertyNames(proto)
      .filter((name) => name !== 'constructor')
      .map((name) => proto[name]!)
      .filter((handler) => Reflect.getMetadata(PATH_METADATA, handler) !== undefined)
      .map((handler) => ({
        path: Reflect.getMetadata(PATH_METADATA, handler) as string,
        roles: Reflect.getMetadata(ROLES_KEY, handler) as string[] | undefined,
      }));
    // `/` files a request; `:id/ship-replacement` is ShipReplacement.
    const commandOf = (path: string): string =>
      path === '/'
        ? 'RequestRepair'
        : path
            .replace(/^:id\//, '')
            .split('-')
            .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
            .join('');
    const seen = routes.map((r) => ({ command: commandOf(r.path), roles: r.roles }));
    expect(seen.map((r) => r.command).sort()).toEqual([...REPAIR_TICKET_COMMAND_TYPES].sort());
    for (const r of seen)
      expect({ command: r.command, roles: r.roles }).toEqual({
        command: r.command,
        roles: rolesFor(r.command as (typeof REPAIR_TICKET_COMMAND_TYPES)[number]),
      });
  });
});
