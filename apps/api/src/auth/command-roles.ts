import { COMMAND_ROLES, type CommandRole, type CommandType } from '@app/domain';
import type { Role } from './token';

/**
 * The token roles that may send each ticket command, derived from the domain's authority table
 * (COMMAND_ROLES), so a route's `@Roles` cannot disagree with `allowedCommands` or `decide`. The ticket's
 * `owner` is a partner token; `system` (the support portal) acts inside the service, never with a token.
 */
const TOKEN_ROLE: Readonly<Record<CommandRole, Role | null>> = {
  owner: 'partner',
  support: 'support',
  system: null,
};

export function rolesFor(command: CommandType): Role[] {
  return COMMAND_ROLES[command].flatMap((r) => {
    const role = TOKEN_ROLE[r];
    return role === null ? [] : [role];
  });
}
