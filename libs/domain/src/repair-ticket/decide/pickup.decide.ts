import { tokyoDateOf } from '../../shared/calendar';
import { BusinessRuleViolationError } from '../../shared/domain-errors';
import { requireDate, requireText } from '../../shared/validation';
import { type RepairTicketEvent } from '../repair-ticket.events';
import {
  type CommandOf,
  type DecisionContext,
  deliveredDate,
  failedUnitShipment,
  notBefore,
  notInFuture,
  partLines,
  requireState,
  shipment,
} from './shared.decide';

/** Scheme ②: the failed unit travels to i-PRO, is repaired (or sent back unrepaired) and returns. */
export type PickupCommand = CommandOf<
  | 'SendFailedUnit'
  | 'ReceiveFailedUnit'
  | 'CompleteRepair'
  | 'ShipRepairedUnit'
  | 'ConfirmRepairedUnitDelivered'
  | 'ReturnUnrepairedUnit'
>;

export function decidePickup(command: PickupCommand, c: DecisionContext): RepairTicketEvent[] {
  const { state, meta, today } = c;
  const unit = state.assessmentInput?.unit ?? null;
  switch (command.type) {
    case 'SendFailedUnit':
      return [{ type: 'FailedUnitSent', schemaVersion: 1, data: failedUnitShipment(command, c) }];
    case 'ReceiveFailedUnit': {
      const u = requireState(unit, state.status, command.type);
      const sent = requireState(state.shipments.failedUnit, state.status, command.type);
      const serialNumber = requireText(command.data.serialNumber, 'serialNumber');
      const receivedOn = requireDate(command.data.receivedOn, 'receivedOn');
      notInFuture(receivedOn, today, 'receivedOn');
      notBefore(
        receivedOn,
        tokyoDateOf(sent.shippedAt),
        'received_before_sent',
        'received before it was sent',
      );
      if (serialNumber !== u.serialNumber)
        throw new BusinessRuleViolationError(
          'received_serial_mismatch',
          `received ${serialNumber}, the ticket's unit is ${u.serialNumber}`,
        );
      return [{ type: 'FailedUnitReceived', schemaVersion: 1, data: { ...meta, receivedOn, serialNumber } }];
    }
    case 'CompleteRepair': {
      const workSummary = requireText(command.data.workSummary, 'workSummary');
      const partsReplaced = partLines(command.data.partsReplaced, 'partsReplaced');
      return [{ type: 'RepairCompleted', schemaVersion: 1, data: { ...meta, workSummary, partsReplaced } }];
    }
    case 'ShipRepairedUnit':
      return [
        { type: 'RepairedUnitShipped', schemaVersion: 1, data: { ...meta, ...shipment(command.data) } },
      ];
    case 'ConfirmRepairedUnitDelivered': {
      const shipped = requireState(state.shipments.repairedUnit, state.status, command.type);
      const deliveredOn = deliveredDate(command.data.deliveredOn, shipped, today);
      return [{ type: 'RepairedUnitDelivered', schemaVersion: 1, data: { ...meta, deliveredOn } }];
    }
    case 'ReturnUnrepairedUnit':
      return [
        { type: 'UnrepairedUnitReturned', schemaVersion: 1, data: { ...meta, ...shipment(command.data) } },
      ];
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
