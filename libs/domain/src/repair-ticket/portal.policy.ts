import { type Actor, actorId } from '../shared/actor';
import { type Instant } from '../shared/calendar';
import { type StreamDecider } from '../shared/event-codec';
import { allowedCommands } from './allowed-commands';
import { type RepairTicketCommand } from './repair-ticket.commands';
import { decide } from './repair-ticket.decider';
import { type RepairTicketEvent } from './repair-ticket.events';
import { evolve, evolveAll } from './repair-ticket.evolve';
import { initialState, type RepairTicketState } from './repair-ticket.state';
import { repairTicketEvents } from './repair-ticket.stream';

/** The support portal, acting on its own (DOMAIN.md: it "receives the partner's repair request and escalates it"). */
export const PORTAL: Actor = { kind: 'system', component: 'portal' };
export const PORTAL_ACTOR_ID = actorId(PORTAL);

/**
 * The portal escalates a ticket to customer support as soon as it is ready (assessed, proof settled): our answer
 * to "escalate, or automatically on receipt?" unless the deployment chooses `by_support` (below). Given the ticket
 * after a command, the portal's own events: the escalation when it is due, else none.
 */
export function portalReaction(state: RepairTicketState, now: Instant): RepairTicketEvent[] {
  if (!allowedCommands(state, PORTAL).includes('Escalate')) return [];
  return decide(
    {
      type: 'Escalate',
      data: { note: 'escalated by the support portal on receipt' },
      metadata: { now, actor: PORTAL },
    },
    state,
  );
}

/**
 * How the support portal hands tickets to customer support (the deployment's choice, PORTAL_AUTO_ESCALATE):
 * `on_receipt` (the default) escalates as soon as the ticket is ready, in the same commit as the command that made
 * it ready; `by_support` leaves a ready ticket waiting until support escalates it by hand (POST .../escalate).
 */
export const ESCALATION_MODES = ['on_receipt', 'by_support'] as const;
export type EscalationMode = (typeof ESCALATION_MODES)[number];

/** A command's events followed by the portal's reaction to the ticket they leave (stored together). */
export function decideWithPortal(
  command: RepairTicketCommand,
  state: RepairTicketState,
): RepairTicketEvent[] {
  const decided = decide(command, state);
  return [...decided, ...portalReaction(evolveAll(state, decided), command.metadata.now)];
}

/** The ticket as the command pipeline runs it, for one escalation mode. */
export function repairTicketDeciderFor(
  mode: EscalationMode,
): StreamDecider<RepairTicketCommand, RepairTicketState, RepairTicketEvent> {
  return {
    decide: mode === 'on_receipt' ? decideWithPortal : decide,
    evolve,
    initialState,
    decode: repairTicketEvents.decode,
  };
}

/** The ticket as the command pipeline runs it by default: every command's decision includes the portal's reaction. */
export const repairTicketDecider = repairTicketDeciderFor('on_receipt');
