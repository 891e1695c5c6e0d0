import { eventCodec, type StreamDecider } from '../shared/event-codec';
import {
  decideUnitSale,
  evolveUnitSale,
  initialUnitSaleState,
  type UnitSaleCommand,
  type UnitSaleEvent,
  type UnitSaleState,
} from './unit-sale.decider';

/** One stream per sold unit: `unit-sale-<serialNumber>`. */
export const UNIT_SALE_STREAM_PREFIX = 'unit-sale-';

export const unitSaleStream = (serialNumber: string): string => `${UNIT_SALE_STREAM_PREFIX}${serialNumber}`;

/** Stored unit-sale events → UnitSaleEvent. Schema version 1; no upcasters yet. */
export const unitSaleEvents = eventCodec<UnitSaleEvent>(['UnitSaleRecorded']);

export const unitSaleDecider: StreamDecider<UnitSaleCommand, UnitSaleState, UnitSaleEvent> = {
  decide: decideUnitSale,
  evolve: evolveUnitSale,
  initialState: initialUnitSaleState,
  decode: unitSaleEvents.decode,
};
