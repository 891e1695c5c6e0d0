import { eventCodec, streamDecider, streamNames } from '../shared/event-codec';
import {
  decideUnitSale,
  evolveUnitSale,
  initialUnitSaleState,
  type UnitSaleEvent,
} from './unit-sale.decider';

/** One stream per sold unit: `unit-sale-<serialNumber>`. */
export const UNIT_SALE_STREAM_PREFIX = 'unit-sale-';

export const unitSaleStream = streamNames(UNIT_SALE_STREAM_PREFIX);

/** Stored unit-sale events → UnitSaleEvent. Schema version 1; no upcasters yet. */
export const unitSaleEvents = eventCodec<UnitSaleEvent>(['UnitSaleRecorded']);

export const unitSaleDecider = streamDecider(
  unitSaleEvents,
  decideUnitSale,
  evolveUnitSale,
  initialUnitSaleState,
);
