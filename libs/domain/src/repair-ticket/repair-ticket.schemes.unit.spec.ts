import {
  BusinessRuleViolationError,
  IllegalTransitionError,
  NotAllowedError,
  ValidationError,
} from '../shared/domain-errors';
import {
  actors,
  cmd,
  event,
  history,
  SERIAL,
  shipment,
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';

describe('① ShipReplacement', () => {
  // prettier-ignore
  ticket.records([
    ['records the replacement with carrier, tracking number and replacement serial', stories.escalated, cmd.shipReplacement(), [event('ReplacementShipped', { ...shipment, replacementSerial: 'SN-9001', modelNumber: 'WV-S1136' })]],
  ]);

  it.each(['carrier', 'trackingNumber', 'replacementSerial'])('names %s when it is empty', (field) => {
    ticket
      .given(stories.escalated())
      .when(cmd.shipReplacement({ [field]: ' ' }))
      .thenThrows(ValidationError, { field });
  });

  // prettier-ignore
  ticket.refuses([
    ['is refused on a pickup-repair ticket', () => stories.escalated({ model: 'WV-X1574LN' }), cmd.shipReplacement(), IllegalTransitionError, { currentStatus: 'escalated', detail: "the ticket's repair scheme is pickup_repair" }],
    ['is refused a second time', stories.replacementInTransit, cmd.shipReplacement(), IllegalTransitionError],
    ['is refused before escalation', stories.requested, cmd.shipReplacement(), IllegalTransitionError],
    ['is refused to a partner, even on its own ticket', stories.escalated, cmd.shipReplacement({}, actors.partner), NotAllowedError, { reason: 'not a partner action' }],
    ['refuses the failed unit’s own serial as replacement', stories.escalated, cmd.shipReplacement({ replacementSerial: SERIAL }), BusinessRuleViolationError, { rule: 'replacement_is_failed_unit' }],
  ]);
});

describe('① ConfirmReplacementDelivered', () => {
  // prettier-ignore
  ticket.records([
    ['records the delivery to the end user', stories.replacementInTransit, cmd.confirmReplacementDelivered(), [event('ReplacementDelivered', { deliveredOn: '2026-11-25' }, actors.partner)]],
  ]);
  // prettier-ignore
  ticket.leadsTo([
    ['then waits for the failed unit in exchange', stories.replacementInTransit, cmd.confirmReplacementDelivered(), { status: 'awaiting_failed_unit_return', shipments: { replacement: { replacementSerial: 'SN-9001', deliveredOn: '2026-11-25' } } }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['refuses a delivery date in the future', stories.replacementInTransit, cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-26' }), ValidationError, { field: 'deliveredOn' }],
    ['refuses a delivery before the shipment', stories.replacementInTransit, cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-24' }), BusinessRuleViolationError, { rule: 'delivered_before_shipped' }],
    ['is refused before anything was shipped', stories.escalated, cmd.confirmReplacementDelivered(), IllegalTransitionError],
    ['is refused to another partner', stories.replacementInTransit, cmd.confirmReplacementDelivered({}, actors.otherPartner), NotAllowedError, { actor: 'partner:P-002' }],
  ]);
});

describe('① ReturnFailedUnit', () => {
  // prettier-ignore
  ticket.records([
    ['records the failed unit sent back in exchange', stories.replacementDelivered, cmd.returnFailedUnit(), [event('FailedUnitReturned', { ...shipment, serialNumber: SERIAL }, actors.partner)]],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused before the replacement was delivered', stories.replacementInTransit, cmd.returnFailedUnit(), IllegalTransitionError],
    ['names the tracking number when it is missing', stories.replacementDelivered, cmd.returnFailedUnit({ trackingNumber: '' }), ValidationError, { field: 'trackingNumber' }],
  ]);
});

describe('② SendFailedUnit', () => {
  const pickupEscalated = () => stories.escalated({ model: 'WV-X1574LN' });
  // prettier-ignore
  ticket.records([
    ['records the failed unit sent by the partner', pickupEscalated, cmd.sendFailedUnit(), [event('FailedUnitSent', { ...shipment, serialNumber: SERIAL }, actors.partner)]],
  ]);
  // prettier-ignore
  ticket.leadsTo([
    ['makes the ticket no longer cancellable', pickupEscalated, cmd.sendFailedUnit(), { status: 'failed_unit_in_transit', workStarted: true }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused on a replacement ticket', stories.escalated, cmd.sendFailedUnit(), IllegalTransitionError],
  ]);
});

describe('② ReceiveFailedUnit', () => {
  // prettier-ignore
  ticket.records([
    ['records the unit received at i-PRO', stories.pickupSent, cmd.receiveFailedUnit(), [event('FailedUnitReceived', { receivedOn: '2026-11-25', serialNumber: SERIAL })]],
  ]);
  // prettier-ignore
  ticket.leadsTo([
    ['marks the unit as held by i-PRO', stories.pickupSent, cmd.receiveFailedUnit(), { unitAtIpro: true, receivedOn: '2026-11-25' }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['refuses a unit with another serial number', stories.pickupSent, cmd.receiveFailedUnit({ serialNumber: 'SN-OTHER' }), BusinessRuleViolationError, { rule: 'received_serial_mismatch' }],
    ['refuses a receipt before the unit was sent', stories.pickupSent, cmd.receiveFailedUnit({ receivedOn: '2026-11-24' }), BusinessRuleViolationError, { rule: 'received_before_sent' }],
    ['refuses a receipt date in the future', stories.pickupSent, cmd.receiveFailedUnit({ receivedOn: '2027-01-01' }), ValidationError, { field: 'receivedOn' }],
    ['is refused to a partner', stories.pickupSent, cmd.receiveFailedUnit({}, actors.partner), NotAllowedError],
    ['is refused before the unit was sent', () => stories.escalated({ model: 'WV-X1574LN' }), cmd.receiveFailedUnit(), IllegalTransitionError],
  ]);
});

describe('② CompleteRepair', () => {
  // prettier-ignore
  ticket.records([
    ['records the work and the parts replaced', stories.pickupReceived, cmd.completeRepair(), [event('RepairCompleted', { workSummary: 'Main board replaced', partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 1 }] })]],
  ]);

  it('accepts a repair without parts', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.completeRepair({ partsReplaced: undefined }))
      .thenState((state) =>
        expect(state.repair).toEqual({ workSummary: 'Main board replaced', partsReplaced: [] }),
      );
  });

  // prettier-ignore
  ticket.refuses([
    ['names the part quantity when it is not a positive integer', stories.pickupReceived, cmd.completeRepair({ partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 0 }] }), ValidationError, { field: 'partsReplaced[0].quantity' }],
    ['names the part number when it is empty', stories.pickupReceived, cmd.completeRepair({ partsReplaced: [{ partNumber: '', description: 'Main board', quantity: 1 }] }), ValidationError, { field: 'partsReplaced[0].partNumber' }],
    ['is refused before the unit was received', stories.pickupSent, cmd.completeRepair(), IllegalTransitionError],
  ]);
});

describe('② ShipRepairedUnit', () => {
  // prettier-ignore
  ticket.records([
    ['records the repaired unit shipped back at i-PRO’s cost', stories.pickupRepaired, cmd.shipRepairedUnit(), [event('RepairedUnitShipped', shipment)]],
  ]);
  // prettier-ignore
  ticket.leadsTo([
    ['releases the unit from i-PRO', stories.pickupRepaired, cmd.shipRepairedUnit(), { status: 'in_transit_to_partner', unitAtIpro: false }],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused before the repair is done', stories.pickupReceived, cmd.shipRepairedUnit(), IllegalTransitionError],
  ]);
});

describe('② ConfirmRepairedUnitDelivered', () => {
  // prettier-ignore
  ticket.records([
    ['records the repaired unit delivered to the end user', stories.pickupShippedBack, cmd.confirmRepairedUnitDelivered(), [event('RepairedUnitDelivered', { deliveredOn: '2026-11-25' }, actors.partner)]],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused on a replacement in transit', stories.replacementInTransit, cmd.confirmRepairedUnitDelivered(), IllegalTransitionError],
    ['refuses a delivery before the shipment', stories.pickupShippedBack, cmd.confirmRepairedUnitDelivered({ deliveredOn: '2026-11-01' }), BusinessRuleViolationError, { rule: 'delivered_before_shipped' }],
  ]);
});

describe('③ DispatchOnsite', () => {
  // prettier-ignore
  ticket.records([
    ['records the technician, the visit date and the parts arranged', stories.onsiteEscalated, cmd.dispatchOnsite(), [event('OnsiteDispatched', { technicianName: 'Sato', visitDate: '2026-11-25', parts: [{ partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 1 }] })]],
  ]);

  // prettier-ignore
  ticket.refuses([
    ['is refused on a pickup ticket', () => stories.escalated({ model: 'WV-X1574LN' }), cmd.dispatchOnsite(), IllegalTransitionError, { attemptedCommand: 'DispatchOnsite' }],
    ['refuses a visit before the request date', stories.onsiteEscalated, cmd.dispatchOnsite({ visitDate: '2026-11-01' }), BusinessRuleViolationError, { rule: 'visit_before_request' }],
    ['names the technician when missing', stories.onsiteEscalated, cmd.dispatchOnsite({ technicianName: '' }), ValidationError, { field: 'technicianName' }],
    ['is refused twice', stories.onsiteDispatched, cmd.dispatchOnsite(), IllegalTransitionError],
  ]);
});

describe('③ CompleteOnsiteRepair', () => {
  // prettier-ignore
  ticket.records([
    ['records the onsite repair done', stories.onsiteDispatched, cmd.completeOnsiteRepair(), [event('OnsiteRepairCompleted', { completedOn: '2026-11-25', workSummary: 'HDD replaced on site', partsUsed: [] })]],
  ]);

  const visitLater = () =>
    history(
      cmd.requestRepair({ model: 'WJ-NX400' }),
      cmd.escalate(),
      cmd.dispatchOnsite({ visitDate: '2026-11-25' }),
    );
  // prettier-ignore
  ticket.refuses([
    ['refuses a completion before the visit date', visitLater, cmd.completeOnsiteRepair({ completedOn: '2026-11-24' }), BusinessRuleViolationError, { rule: 'completed_before_visit', message: expect.stringContaining('before the planned visit date') as string }],
    ['names the work summary when empty', stories.onsiteDispatched, cmd.completeOnsiteRepair({ workSummary: '' }), ValidationError, { field: 'workSummary' }],
    ['is refused before dispatch', stories.onsiteEscalated, cmd.completeOnsiteRepair(), IllegalTransitionError],
    ['refuses a completion date in the future', stories.onsiteDispatched, cmd.completeOnsiteRepair({ completedOn: '2026-12-01' }), ValidationError, { field: 'completedOn' }],
    ['is refused to a partner', stories.onsiteDispatched, cmd.completeOnsiteRepair({}, actors.partner), NotAllowedError],
  ]);
});
