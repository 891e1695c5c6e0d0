import fc from 'fast-check';
import { actors, cmd } from '../../testing/repair-ticket-fixtures.test-support';
import { type Actor } from '../shared/actor';
import { addDays } from '../shared/calendar';
import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  NotAllowedError,
  ValidationError,
} from '../shared/domain-errors';
import { allowedCommands, REPAIR_TICKET_COMMAND_TYPES } from './allowed-commands';
import { type CommandType } from './repair-ticket.commands';
import { decide, evolve } from './repair-ticket.decider';
import { initialState, TICKET_STATUSES } from './repair-ticket.state';
import {
  brokenCommand,
  clockAt,
  high,
  low,
  randomChooser,
  START_DAY,
  validCommand,
} from './repair-ticket.walk-payloads.test-support';
import {
  ACTORS,
  attempt,
  bump,
  dayRuleRefusals,
  probe,
  walkRequests,
  weight,
} from './repair-ticket.walk.test-support';

// allowed ⇔ accepted, for every actor and every command, at every state a random walk reaches: the rules and
// the generator are described in repair-ticket.walk.test-support.ts.

/** Where the walks went: statuses and (status, command) → status transitions taken. */
const reached = new Map<string, number>();
const transitions = new Map<string, number>();
let probes = 0;
let payloadRefusals = 0;

describe('repair ticket properties', () => {
  it('decide accepts exactly the commands allowedCommands lists, for every actor, and the walk reaches every status', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const walk = randomChooser(g);
        let clock = clockAt(START_DAY, g(fc.integer, { min: 0, max: 23 }));
        let state = initialState;
        let request = walk.one(walkRequests);
        bump(reached, state.status);
        for (let step = 0; step < 15; step++) {
          if (state.status === 'closed' || state.status === 'cancelled') {
            // The next ticket of the walk (the clock goes on).
            state = initialState;
            request = walk.one(walkRequests);
            bump(reached, state.status);
          }
          // Every actor × every command: not-listed pairs once (the payload does not matter), listed ones
          // with payloads at both ends of their valid ranges.
          const accepted: { type: CommandType; actor: Actor }[] = [];
          const wrongs: string[] = [];
          for (const actor of ACTORS)
            for (const type of REPAIR_TICKET_COMMAND_TYPES) {
              const ends = allowedCommands(state, actor).includes(type) ? [low, high] : [low];
              for (const c of ends) {
                probes++;
                const { next, wrong } = probe(
                  validCommand(type, state, actor, clock, c, request),
                  state,
                  clock,
                );
                if (wrong !== null) wrongs.push(wrong);
                if (next !== null && c === low) accepted.push({ type, actor });
              }
            }
          expect(wrongs).toEqual([]);
          if (accepted.length === 0) {
            // Only a day rule stands in the way (an expired quote can still be declined, so: a visit to come).
            expect(state.status).toBe('onsite_dispatched');
            clock = clockAt(addDays(clock.today, 1), g(fc.integer, { min: 0, max: 23 }));
            continue;
          }
          // One step in eight: a listed command whose payload breaks a payload rule, refused as 400/422.
          if (state.status !== 'not_requested' && g(fc.integer, { min: 0, max: 7 }) === 0) {
            const broken = brokenCommand(accepted, state, clock, walk);
            if (broken !== null) {
              const { error } = attempt(broken, state);
              const payloadRule =
                error instanceof ValidationError || error instanceof BusinessRuleViolationError;
              expect({ type: broken.type, payloadRule }).toEqual({ type: broken.type, payloadRule: true });
              payloadRefusals++;
            }
          }
          // The command by weight, then one of the actors that may issue it.
          const types = [...new Set(accepted.map((a) => a.type))];
          const total = types.reduce((sum, t) => sum + weight(t, state), 0);
          let ticket = g(fc.integer, { min: 0, max: total - 1 });
          const type = types.find((t) => (ticket -= weight(t, state)) < 0)!;
          const pick = walk.one(accepted.filter((a) => a.type === type));
          const command = validCommand(pick.type, state, pick.actor, clock, walk, request);
          const before = state.status;
          state = decide(command, state).reduce(evolve, state);
          bump(reached, state.status);
          bump(transitions, `${before} --${pick.type}--> ${state.status}`);
          // The clock moves on 0–2 days, at any hour: quotes may expire, planned visits come due.
          clock = clockAt(
            addDays(clock.today, g(fc.integer, { min: 0, max: 2 })),
            g(fc.integer, { min: 0, max: 23 }),
          );
        }
      }),
    );
    const lines = TICKET_STATUSES.map((s) => `  ${s.padEnd(30)} ${reached.get(s) ?? 0}`);
    const edges = [...transitions.entries()].sort().map(([k, n]) => `  ${k}  ×${n}`);
    console.log(
      `ticket walk coverage: ${probes} probes, ${payloadRefusals} payload-rule refusals, day-rule refusals ` +
        `${JSON.stringify(Object.fromEntries(dayRuleRefusals))}\n` +
        `statuses reached (${TICKET_STATUSES.filter((s) => reached.has(s)).length}/${TICKET_STATUSES.length}):\n` +
        `${lines.join('\n')}\ntransitions taken (${transitions.size}):\n${edges.join('\n')}`,
    );
    expect(TICKET_STATUSES.filter((s) => !reached.has(s))).toEqual([]);
  });

  it('a closed or cancelled ticket accepts nothing', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REPAIR_TICKET_COMMAND_TYPES),
        fc.constantFrom(...ACTORS),
        fc.boolean(),
        (type, actor, closed) => {
          const end = closed ? cmd.closeTicket(actors.support) : cmd.cancelTicket();
          const start = closed ? cmd.requestRepair({ model: 'WV-Q122A' }) : cmd.requestRepair();
          const state = [start, end].reduce((s, c) => decide(c, s).reduce(evolve, s), initialState);
          expect(['closed', 'cancelled']).toContain(state.status);
          const clock = clockAt(START_DAY, 10);
          const { error } = attempt(validCommand(type, state, actor, clock, low, {}), state);
          expect(error instanceof NotAllowedError || error instanceof IllegalTransitionError).toBe(true);
        },
      ),
    );
  });
});
