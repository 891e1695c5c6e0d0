import { requireDate, requireText } from '../../shared/validation';
import { type RepairTicketEvent } from '../repair-ticket.events';
import {
  type CommandOf,
  type DecisionContext,
  notBefore,
  notInFuture,
  partLines,
  requireState,
} from './shared.decide';

/** Scheme ③: a technician and parts are dispatched, the repair is done on site. */
export type OnsiteCommand = CommandOf<'DispatchOnsite' | 'CompleteOnsiteRepair'>;

export function decideOnsite(command: OnsiteCommand, c: DecisionContext): RepairTicketEvent[] {
  const { state, meta, today } = c;
  switch (command.type) {
    case 'DispatchOnsite': {
      const input = requireState(state.assessmentInput, state.status, command.type);
      const technicianName = requireText(command.data.technicianName, 'technicianName');
      const visitDate = requireDate(command.data.visitDate, 'visitDate');
      const parts = partLines(command.data.parts, 'parts');
      notBefore(
        visitDate,
        input.requestDate,
        'visit_before_request',
        'the visit cannot be before the request',
      );
      return [
        { type: 'OnsiteDispatched', schemaVersion: 1, data: { ...meta, technicianName, visitDate, parts } },
      ];
    }
    case 'CompleteOnsiteRepair': {
      const onsite = requireState(state.onsite, state.status, command.type);
      const completedOn = requireDate(command.data.completedOn, 'completedOn');
      notInFuture(completedOn, today, 'completedOn');
      notBefore(
        completedOn,
        onsite.visitDate,
        'completed_before_visit',
        'completed before the planned visit date',
      );
      const workSummary = requireText(command.data.workSummary, 'workSummary');
      const partsUsed = partLines(command.data.partsUsed, 'partsUsed');
      return [
        {
          type: 'OnsiteRepairCompleted',
          schemaVersion: 1,
          data: { ...meta, completedOn, workSummary, partsUsed },
        },
      ];
    }
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
