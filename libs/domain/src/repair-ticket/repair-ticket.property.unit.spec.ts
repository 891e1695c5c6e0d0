import fc from 'fast-check';
import { actors, cmd, type RequestOverrides } from '../../testing/repair-ticket-fixtures.test-support';
import { DomainError, IllegalTransitionError, NotAllowedError } from '../shared/domain-errors';
import { allowedCommands } from './allowed-commands';
import { type RepairTicketCommand } from './repair-ticket.commands';
import { decide, evolve } from './repair-ticket.decider';
import { initialState } from './repair-ticket.state';

/** Every command builder with its usual actor: a random walk picks among them. */
const anyCommand: readonly (() => RepairTicketCommand)[] = [
  () => cmd.escalate(),
  () => cmd.submitProof(),
  () => cmd.proceedWithoutProof(),
  () => cmd.shipReplacement(),
  () => cmd.confirmReplacementDelivered(),
  () => cmd.returnFailedUnit(),
  () => cmd.sendFailedUnit(),
  () => cmd.receiveFailedUnit(),
  () => cmd.recordInspectionFinding(),
  () => cmd.completeRepair(),
  () => cmd.shipRepairedUnit(),
  () => cmd.confirmRepairedUnitDelivered(),
  () => cmd.returnUnrepairedUnit(),
  () => cmd.dispatchOnsite(),
  () => cmd.completeOnsiteRepair(),
  () => cmd.issueQuote(),
  () => cmd.acceptQuote(),
  () => cmd.declineQuote(),
  () => cmd.rejectRepair(),
  () => cmd.closeTicket(),
  () => cmd.cancelTicket(),
  () => cmd.requestRepair(),
];

const requests: readonly RequestOverrides[] = [
  {},
  { model: 'WV-X1574LN' },
  { model: 'WJ-NX400' },
  {
    model: 'WJ-NX400',
    onsiteRequested: true,
    site: { remoteArea: true },
    unit: { deliveryDate: '2024-06-01', saleDate: '2024-05-01' },
  },
  { proofOfDelivery: null },
  { unit: { soldInJapan: false } },
  { model: 'WV-Q122A' },
  { failure: { component: 'software_only' } },
];

describe('repair ticket properties', () => {
  it('decide accepts exactly the commands allowedCommands lists, and refuses the rest with a typed error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...requests),
        fc.array(fc.integer({ min: 0, max: anyCommand.length - 1 }), { maxLength: 25 }),
        (request, picks) => {
          let state = decide(cmd.requestRepair(request), initialState).reduce(evolve, initialState);
          for (const pick of picks) {
            const command = anyCommand[pick]!();
            const allowed = allowedCommands(state, command.metadata.actor).includes(command.type);
            let events;
            try {
              events = decide(command, state);
            } catch (error) {
              expect(error).toBeInstanceOf(DomainError);
              if (!allowed)
                expect(error instanceof IllegalTransitionError || error instanceof NotAllowedError).toBe(
                  true,
                );
              continue;
            }
            expect(allowed).toBe(true);
            state = events.reduce(evolve, state);
          }
        },
      ),
    );
  });

  it('a closed or cancelled ticket accepts nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: anyCommand.length - 1 }), fc.boolean(), (pick, closed) => {
        const end = closed ? cmd.closeTicket(actors.support) : cmd.cancelTicket();
        const start = closed ? cmd.requestRepair({ model: 'WV-Q122A' }) : cmd.requestRepair();
        const state = [start, end].reduce((s, c) => decide(c, s).reduce(evolve, s), initialState);
        let thrown: unknown;
        try {
          decide(anyCommand[pick]!(), state);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(DomainError);
      }),
    );
  });
});
