import { BusinessRuleViolationError } from '../../shared/domain-errors';
import { requireText } from '../../shared/validation';
import { type RepairTicketEvent } from '../repair-ticket.events';
import {
  type CommandOf,
  type DecisionContext,
  deliveredDate,
  failedUnitShipment,
  requireState,
  shipment,
} from './shared.decide';

/** Scheme ①: a replacement unit goes out, the failed unit comes back in exchange. */
export type ReplacementCommand = CommandOf<
  'ShipReplacement' | 'ConfirmReplacementDelivered' | 'ReturnFailedUnit'
>;

export function decideReplacement(command: ReplacementCommand, c: DecisionContext): RepairTicketEvent[] {
  const { state, meta, today } = c;
  const unit = state.assessmentInput?.unit ?? null;
  switch (command.type) {
    case 'ShipReplacement': {
      const s = shipment(command.data);
      const replacementSerial = requireText(command.data.replacementSerial, 'replacementSerial');
      const u = requireState(unit, state.status, command.type);
      if (replacementSerial === u.serialNumber)
        throw new BusinessRuleViolationError(
          'replacement_is_failed_unit',
          'the replacement serial is the failed unit',
        );
      return [
        {
          type: 'ReplacementShipped',
          schemaVersion: 1,
          data: { ...meta, ...s, replacementSerial, modelNumber: u.modelNumber },
        },
      ];
    }
    case 'ConfirmReplacementDelivered': {
      const shipped = requireState(state.shipments.replacement, state.status, command.type);
      const deliveredOn = deliveredDate(command.data.deliveredOn, shipped, today);
      return [{ type: 'ReplacementDelivered', schemaVersion: 1, data: { ...meta, deliveredOn } }];
    }
    case 'ReturnFailedUnit':
      return [{ type: 'FailedUnitReturned', schemaVersion: 1, data: failedUnitShipment(command, c) }];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
