import { randomUUID } from 'node:crypto';
import type { Actor } from '@app/domain';
import type { EventMetadata, NewEvent } from '@app/event-store';
import type { Principal } from '../auth/token';

/** Who, when and under which correlation a command runs: built once at the edge, passed to handlers. */
export interface CommandContext {
  readonly principal: Principal;
  readonly correlationId: string;
  /** ISO instant of receipt: the domain's `metadata.now`. */
  readonly now: string;
}

export function actorOf(principal: Principal): Actor {
  switch (principal.role) {
    case 'partner':
      return { kind: 'partner', partnerId: principal.partnerId };
    case 'support':
      return { kind: 'support', userId: principal.subject };
    case 'auditor':
    case 'ops':
      // Read-only roles never reach a command handler (the guard refuses them); this keeps the mapping total.
      return { kind: 'system', component: `${principal.role}:${principal.subject}` };
    default: {
      const unreachable: never = principal;
      return unreachable;
    }
  }
}

export function auditActor(principal: Principal): string {
  return principal.role === 'partner'
    ? `partner:${principal.partnerId}`
    : `${principal.role}:${principal.subject}`;
}

/** Domain events → store events, each with a fresh id; the first is caused by the command's correlation. */
export function toNewEvents(
  events: readonly { readonly type: string; readonly schemaVersion: number; readonly data: unknown }[],
  ctx: CommandContext,
  actor = auditActor(ctx.principal),
): NewEvent[] {
  const metadata: EventMetadata = { correlationId: ctx.correlationId, causationId: ctx.correlationId, actor };
  return events.map((e) => ({
    id: randomUUID(),
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data as NewEvent['data'],
    metadata,
  }));
}
