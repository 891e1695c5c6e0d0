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
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';

const shipment = { carrier: 'Yamato', trackingNumber: '1234-5678-9012' };

describe('① ShipReplacement', () => {
  it('records the replacement with carrier, tracking number and replacement serial', () => {
    ticket
      .given(stories.escalated())
      .when(cmd.shipReplacement())
      .then([
        event('ReplacementShipped', { ...shipment, replacementSerial: 'SN-9001', modelNumber: 'WV-S1136' }),
      ]);
  });

  it('is refused on a pickup-repair ticket', () => {
    ticket
      .given(stories.escalated({ model: 'WV-X1574LN' }))
      .when(cmd.shipReplacement())
      .thenThrows(IllegalTransitionError, {
        currentStatus: 'escalated',
        detail: "the ticket's repair scheme is pickup_repair",
      });
  });

  it('is refused a second time', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.shipReplacement())
      .thenThrows(IllegalTransitionError);
  });

  it('is refused before escalation', () => {
    ticket.given(stories.requested()).when(cmd.shipReplacement()).thenThrows(IllegalTransitionError);
  });

  it('is refused to a partner, even on its own ticket', () => {
    ticket
      .given(stories.escalated())
      .when(cmd.shipReplacement({}, actors.partner))
      .thenThrows(NotAllowedError, { reason: 'not a partner action' });
  });

  it('refuses the failed unit’s own serial as replacement', () => {
    ticket
      .given(stories.escalated())
      .when(cmd.shipReplacement({ replacementSerial: SERIAL }))
      .thenThrows(BusinessRuleViolationError, { rule: 'replacement_is_failed_unit' });
  });

  it.each(['carrier', 'trackingNumber', 'replacementSerial'])('names %s when it is empty', (field) => {
    ticket
      .given(stories.escalated())
      .when(cmd.shipReplacement({ [field]: ' ' }))
      .thenThrows(ValidationError, { field });
  });
});

describe('① ConfirmReplacementDelivered', () => {
  it('records the delivery to the end user', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.confirmReplacementDelivered())
      .then([event('ReplacementDelivered', { deliveredOn: '2026-11-25' }, actors.partner)]);
  });

  it('then waits for the failed unit in exchange', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.confirmReplacementDelivered())
      .thenState((state) => {
        expect(state.status).toBe('awaiting_failed_unit_return');
        expect(state.shipments.replacement).toMatchObject({
          replacementSerial: 'SN-9001',
          deliveredOn: '2026-11-25',
        });
      });
  });

  it('refuses a delivery date in the future', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-26' }))
      .thenThrows(ValidationError, { field: 'deliveredOn' });
  });

  it('refuses a delivery before the shipment', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.confirmReplacementDelivered({ deliveredOn: '2026-11-24' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'delivered_before_shipped' });
  });

  it('is refused before anything was shipped', () => {
    ticket
      .given(stories.escalated())
      .when(cmd.confirmReplacementDelivered())
      .thenThrows(IllegalTransitionError);
  });

  it('is refused to another partner', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.confirmReplacementDelivered({}, actors.otherPartner))
      .thenThrows(NotAllowedError, { actor: 'partner:P-002' });
  });
});

describe('① ReturnFailedUnit', () => {
  it('records the failed unit sent back in exchange', () => {
    ticket
      .given(stories.replacementDelivered())
      .when(cmd.returnFailedUnit())
      .then([event('FailedUnitReturned', { ...shipment, serialNumber: SERIAL }, actors.partner)]);
  });

  it('is refused before the replacement was delivered', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.returnFailedUnit())
      .thenThrows(IllegalTransitionError);
  });

  it('names the tracking number when it is missing', () => {
    ticket
      .given(stories.replacementDelivered())
      .when(cmd.returnFailedUnit({ trackingNumber: '' }))
      .thenThrows(ValidationError, { field: 'trackingNumber' });
  });
});

describe('② SendFailedUnit', () => {
  it('records the failed unit sent by the partner', () => {
    ticket
      .given(stories.escalated({ model: 'WV-X1574LN' }))
      .when(cmd.sendFailedUnit())
      .then([event('FailedUnitSent', { ...shipment, serialNumber: SERIAL }, actors.partner)]);
  });

  it('is refused on a replacement ticket', () => {
    ticket.given(stories.escalated()).when(cmd.sendFailedUnit()).thenThrows(IllegalTransitionError);
  });

  it('makes the ticket no longer cancellable', () => {
    ticket
      .given(stories.escalated({ model: 'WV-X1574LN' }))
      .when(cmd.sendFailedUnit())
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'failed_unit_in_transit', workStarted: true }),
      );
  });
});

describe('② ReceiveFailedUnit', () => {
  it('records the unit received at i-PRO', () => {
    ticket
      .given(stories.pickupSent())
      .when(cmd.receiveFailedUnit())
      .then([event('FailedUnitReceived', { receivedOn: '2026-11-25', serialNumber: SERIAL })]);
  });

  it('marks the unit as held by i-PRO', () => {
    ticket
      .given(stories.pickupSent())
      .when(cmd.receiveFailedUnit())
      .thenState((state) => expect(state).toMatchObject({ unitAtIpro: true, receivedOn: '2026-11-25' }));
  });

  it('refuses a unit with another serial number', () => {
    ticket
      .given(stories.pickupSent())
      .when(cmd.receiveFailedUnit({ serialNumber: 'SN-OTHER' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'received_serial_mismatch' });
  });

  it('refuses a receipt before the unit was sent', () => {
    ticket
      .given(stories.pickupSent())
      .when(cmd.receiveFailedUnit({ receivedOn: '2026-11-24' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'received_before_sent' });
  });

  it('refuses a receipt date in the future', () => {
    ticket
      .given(stories.pickupSent())
      .when(cmd.receiveFailedUnit({ receivedOn: '2027-01-01' }))
      .thenThrows(ValidationError, { field: 'receivedOn' });
  });

  it('is refused to a partner', () => {
    ticket
      .given(stories.pickupSent())
      .when(cmd.receiveFailedUnit({}, actors.partner))
      .thenThrows(NotAllowedError);
  });

  it('is refused before the unit was sent', () => {
    ticket
      .given(stories.escalated({ model: 'WV-X1574LN' }))
      .when(cmd.receiveFailedUnit())
      .thenThrows(IllegalTransitionError);
  });
});

describe('② CompleteRepair', () => {
  it('records the work and the parts replaced', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.completeRepair())
      .then([
        event('RepairCompleted', {
          workSummary: 'Main board replaced',
          partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 1 }],
        }),
      ]);
  });

  it('accepts a repair without parts', () => {
    ticket
      .given(stories.pickupReceived())
      .when(cmd.completeRepair({ partsReplaced: undefined }))
      .thenState((state) =>
        expect(state.repair).toEqual({ workSummary: 'Main board replaced', partsReplaced: [] }),
      );
  });

  it('names the part quantity when it is not a positive integer', () => {
    ticket
      .given(stories.pickupReceived())
      .when(
        cmd.completeRepair({
          partsReplaced: [{ partNumber: 'MB-1', description: 'Main board', quantity: 0 }],
        }),
      )
      .thenThrows(ValidationError, { field: 'partsReplaced[0].quantity' });
  });

  it('names the part number when it is empty', () => {
    ticket
      .given(stories.pickupReceived())
      .when(
        cmd.completeRepair({ partsReplaced: [{ partNumber: '', description: 'Main board', quantity: 1 }] }),
      )
      .thenThrows(ValidationError, { field: 'partsReplaced[0].partNumber' });
  });

  it('is refused before the unit was received', () => {
    ticket.given(stories.pickupSent()).when(cmd.completeRepair()).thenThrows(IllegalTransitionError);
  });
});

describe('② ShipRepairedUnit', () => {
  it('records the repaired unit shipped back at i-PRO’s cost', () => {
    ticket
      .given(stories.pickupRepaired())
      .when(cmd.shipRepairedUnit())
      .then([event('RepairedUnitShipped', shipment)]);
  });

  it('releases the unit from i-PRO', () => {
    ticket
      .given(stories.pickupRepaired())
      .when(cmd.shipRepairedUnit())
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'in_transit_to_partner', unitAtIpro: false }),
      );
  });

  it('is refused before the repair is done', () => {
    ticket.given(stories.pickupReceived()).when(cmd.shipRepairedUnit()).thenThrows(IllegalTransitionError);
  });
});

describe('② ConfirmRepairedUnitDelivered', () => {
  it('records the repaired unit delivered to the end user', () => {
    ticket
      .given(stories.pickupShippedBack())
      .when(cmd.confirmRepairedUnitDelivered())
      .then([event('RepairedUnitDelivered', { deliveredOn: '2026-11-25' }, actors.partner)]);
  });

  it('is refused on a replacement in transit', () => {
    ticket
      .given(stories.replacementInTransit())
      .when(cmd.confirmRepairedUnitDelivered())
      .thenThrows(IllegalTransitionError);
  });

  it('refuses a delivery before the shipment', () => {
    ticket
      .given(stories.pickupShippedBack())
      .when(cmd.confirmRepairedUnitDelivered({ deliveredOn: '2026-11-01' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'delivered_before_shipped' });
  });
});

describe('③ DispatchOnsite', () => {
  it('records the technician, the visit date and the parts arranged', () => {
    ticket
      .given(stories.onsiteEscalated())
      .when(cmd.dispatchOnsite())
      .then([
        event('OnsiteDispatched', {
          technicianName: 'Sato',
          visitDate: '2026-11-25',
          parts: [{ partNumber: 'HDD-4T', description: '4 TB HDD', quantity: 1 }],
        }),
      ]);
  });

  it('is refused on a pickup ticket', () => {
    ticket
      .given(stories.escalated({ model: 'WV-X1574LN' }))
      .when(cmd.dispatchOnsite())
      .thenThrows(IllegalTransitionError, { attemptedCommand: 'DispatchOnsite' });
  });

  it('refuses a visit before the request date', () => {
    ticket
      .given(stories.onsiteEscalated())
      .when(cmd.dispatchOnsite({ visitDate: '2026-11-01' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'visit_before_request' });
  });

  it('names the technician when missing', () => {
    ticket
      .given(stories.onsiteEscalated())
      .when(cmd.dispatchOnsite({ technicianName: '' }))
      .thenThrows(ValidationError, { field: 'technicianName' });
  });

  it('is refused twice', () => {
    ticket.given(stories.onsiteDispatched()).when(cmd.dispatchOnsite()).thenThrows(IllegalTransitionError);
  });
});

describe('③ CompleteOnsiteRepair', () => {
  it('records the onsite repair done', () => {
    ticket
      .given(stories.onsiteDispatched())
      .when(cmd.completeOnsiteRepair())
      .then([
        event('OnsiteRepairCompleted', {
          completedOn: '2026-11-25',
          workSummary: 'HDD replaced on site',
          partsUsed: [],
        }),
      ]);
  });

  it('is refused before dispatch', () => {
    ticket
      .given(stories.onsiteEscalated())
      .when(cmd.completeOnsiteRepair())
      .thenThrows(IllegalTransitionError);
  });

  it('refuses a completion before the visit date', () => {
    const visitLater = history(
      cmd.requestRepair({ model: 'WJ-NX400' }),
      cmd.escalate(),
      cmd.dispatchOnsite({ visitDate: '2026-11-25' }),
    );
    ticket
      .given(visitLater)
      .when(cmd.completeOnsiteRepair({ completedOn: '2026-11-24' }))
      .thenThrows(BusinessRuleViolationError, { rule: 'completed_before_visit' });
  });

  it('refuses a completion date in the future', () => {
    ticket
      .given(stories.onsiteDispatched())
      .when(cmd.completeOnsiteRepair({ completedOn: '2026-12-01' }))
      .thenThrows(ValidationError, { field: 'completedOn' });
  });

  it('is refused to a partner', () => {
    ticket
      .given(stories.onsiteDispatched())
      .when(cmd.completeOnsiteRepair({}, actors.partner))
      .thenThrows(NotAllowedError);
  });
});
