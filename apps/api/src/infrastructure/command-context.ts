import type { Actor } from '@app/domain';
import type { EventMetadata, NewEvent } from '@app/event-store';
import type { Principal } from '../auth/token';
import { commandEventIds, type IdempotencyKey } from './idempotency';

/** Who, when and under which correlation a command runs: built once at the edge, passed to handlers. */
export interface CommandContext {
  readonly principal: Principal;
  readonly correlationId: string;
  /** ISO instant of receipt: the domain's `metadata.now`. */
  readonly now: string;
  /** The caller's Idempotency-Key with the request's fingerprint (see idempotency.ts). */
  readonly idempotency?: IdempotencyKey;
  /** Set by the handler when the answer replays an earlier request's (the edge adds Idempotent-Replayed). */
  readonly outcome?: { replayed: boolean };
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

/**
 * Domain events → store events of one command: ids from `commandEventIds` (derived from the Idempotency-Key,
 * else random), caused by the command's correlation; a keyed command's events carry the key and fingerprint.
 * `actors` names the actor per event where one differs from the caller (the portal's escalation); `idLabel`
 * keeps the ids of a second stream the command appends to apart from those of its main one.
 */
export function toNewEvents(
  events: readonly { readonly type: string; readonly schemaVersion: number; readonly data: unknown }[],
  ctx: CommandContext,
  actors: readonly (string | undefined)[] = [],
  idLabel = 'event',
): NewEvent[] {
  const ids = commandEventIds(ctx, events.length, idLabel);
  const key = ctx.idempotency;
  return events.map((e, i) => {
    const metadata: EventMetadata = {
      correlationId: ctx.correlationId,
      causationId: ctx.correlationId,
      actor: actors[i] ?? auditActor(ctx.principal),
      ...(key ? { idempotencyKey: key.key, requestFingerprint: key.fingerprint } : {}),
    };
    return {
      id: ids[i]!,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data as NewEvent['data'],
      metadata,
    };
  });
}
