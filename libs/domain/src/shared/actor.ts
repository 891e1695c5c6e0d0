/**
 * Who issues a command. The API resolves it from authentication; the domain uses it for permission checks
 * and records it in every event as `by` (e.g. `partner:P-001`, `support:tanaka`, `system:portal`).
 * `end_user` exists so that the edge can say who tried and the domain can refuse it: end users report
 * failures to their partner, never to i-PRO directly (guide, Q&A).
 */
export type Actor =
  | { readonly kind: 'partner'; readonly partnerId: string }
  | { readonly kind: 'support'; readonly userId: string }
  | { readonly kind: 'system'; readonly component: string }
  | { readonly kind: 'end_user'; readonly endUserId: string };

export type ActorKind = Actor['kind'];

/** The stable audit form of an actor: `kind:id`. */
export function actorId(actor: Actor): string {
  switch (actor.kind) {
    case 'partner':
      return `partner:${actor.partnerId}`;
    case 'support':
      return `support:${actor.userId}`;
    case 'system':
      return `system:${actor.component}`;
    case 'end_user':
      return `end_user:${actor.endUserId}`;
    default: {
      const unreachable: never = actor;
      return unreachable;
    }
  }
}

/** Every command carries the time and the actor: the domain never reads a clock. */
export interface CommandMetadata {
  /** ISO-8601 instant at which the command was received. */
  readonly now: string;
  readonly actor: Actor;
}
