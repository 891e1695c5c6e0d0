import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import {
  actors,
  cmd,
  event,
  history,
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';

describe('RejectRepair', () => {
  // prettier-ignore
  ticket.records([
    ['records the rejection with the advice to buy new', stories.requested, cmd.rejectRepair(), [event('RepairRejected', { reason: 'beyond_repair', detail: 'Board burnt', advice: 'buy_new' })]],
  ]);

  it('at inspection leaves the held unit to be returned', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.rejectRepair())
      .thenState((state) => {
        expect(state).toMatchObject({ status: 'rejected', unitAtIpro: true });
        expect(state.rejection).toEqual({ reason: 'beyond_repair', detail: 'Board burnt' });
      });
  });

  // prettier-ignore
  ticket.refuses([
    ['names the reason when unknown', stories.requested, cmd.rejectRepair({ reason: 'too_old' as 'beyond_repair' }), ValidationError, { field: 'reason' }],
    ['names the detail when empty', stories.requested, cmd.rejectRepair({ detail: ' ' }), ValidationError, { field: 'detail' }],
    ['is refused to a partner', stories.requested, cmd.rejectRepair({}, actors.partner), NotAllowedError],
    ['is refused once the repair is done', stories.pickupRepaired, cmd.rejectRepair(), IllegalTransitionError],
  ]);
});

describe('CloseTicket', () => {
  const delivered = () => history(...stories.pickupShippedBackCommands(), cmd.confirmRepairedUnitDelivered());
  // prettier-ignore
  ticket.records([
    ['closes a ticket whose work is done', delivered, cmd.closeTicket(), [event('TicketClosed', { note: null })]],
  ]);

  const closed = () => history(...stories.exchangeCompleteCommands(), cmd.closeTicket());
  // prettier-ignore
  ticket.refuses([
    ['is refused while the work is under way', stories.escalated, cmd.closeTicket(), IllegalTransitionError],
    ['is refused to a partner', stories.exchangeComplete, cmd.closeTicket(actors.partner), NotAllowedError],
    ['leaves a closed ticket refusing every command', closed, cmd.shipReplacement(), IllegalTransitionError, { currentStatus: 'closed' }],
  ]);
});

describe('CancelTicket', () => {
  // prettier-ignore
  ticket.records([
    ['cancels a ticket before anything physical happened', stories.escalated, cmd.cancelTicket(), [event('TicketCancelled', { reason: 'unit works again' }, actors.partner)]],
  ]);

  const cancelled = () => history(cmd.requestRepair(), cmd.cancelTicket());
  // prettier-ignore
  ticket.refuses([
    ['is refused once a unit was shipped', stories.replacementInTransit, cmd.cancelTicket(), IllegalTransitionError],
    ['names the reason when empty', stories.requested, cmd.cancelTicket({ reason: '' }), ValidationError, { field: 'reason' }],
    ['is refused to another partner', stories.requested, cmd.cancelTicket({}, actors.otherPartner), NotAllowedError],
    ['leaves a cancelled ticket refusing every command', cancelled, cmd.escalate(), IllegalTransitionError, { currentStatus: 'cancelled' }],
  ]);
});
