import { actorId } from '../shared/actor';
import { type CalendarDate, isInstant, tokyoDateOf } from '../shared/calendar';
import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import { type DomainCommand, type DomainEvent } from '../shared/messages';
import { requireBoolean, requireDate, requireText } from '../shared/validation';

/** Reference data: which partner a unit (by serial number) was sold to, and when (one stream per serial). */

export interface UnitSale {
  readonly serialNumber: string;
  readonly modelNumber: string;
  readonly partnerId: string;
  readonly saleDate: CalendarDate;
  readonly soldInJapan: boolean;
}

export type UnitSaleRecorded = DomainEvent<'UnitSaleRecorded', UnitSale>;
export type UnitSaleEvent = UnitSaleRecorded;

/**
 * What the store says about the sale's partner and model, looked up by the caller (the api and the CSV import
 * alike, so one rule serves both): a sale names a registered partner and a model of a published catalog version.
 */
export interface UnitSaleFacts {
  readonly partnerRegistered: boolean;
  /** The model (normalised, see normaliseModelNumber) is in at least one published catalog version. */
  readonly modelInCatalog: boolean;
}

export type RecordUnitSale = DomainCommand<'RecordUnitSale', UnitSale> & Readonly<{ facts: UnitSaleFacts }>;
export type UnitSaleCommand = RecordUnitSale;

export interface UnitSaleState {
  readonly sale: UnitSale | null;
}

export const initialUnitSaleState: UnitSaleState = { sale: null };

export function decideUnitSale(command: UnitSaleCommand, state: UnitSaleState): UnitSaleEvent[] {
  const { actor, now } = command.metadata;
  if (actor.kind !== 'support' && actor.kind !== 'system')
    throw new NotAllowedError(actorId(actor), command.type, 'sales records come from i-PRO systems');
  if (!isInstant(now)) throw new ValidationError('metadata.now', 'must be an ISO-8601 instant');
  // A serial is sold to a partner once; a correction would be a separate, explicit event (not needed yet).
  if (state.sale !== null)
    throw new IllegalTransitionError('recorded', command.type, 'sale already recorded');
  const d = command.data;
  const sale: UnitSale = {
    serialNumber: requireText(d.serialNumber, 'serialNumber'),
    modelNumber: requireText(d.modelNumber, 'modelNumber'),
    partnerId: requireText(d.partnerId, 'partnerId'),
    saleDate: requireDate(d.saleDate, 'saleDate'),
    soldInJapan: requireBoolean(d.soldInJapan, 'soldInJapan'),
  };
  // A typo in a partner id would silently cost the unit its Partners Circle extension: refuse it instead.
  if (!command.facts.partnerRegistered)
    throw new ValidationError('partnerId', `no registered partner ${JSON.stringify(sale.partnerId)}`);
  if (!command.facts.modelInCatalog)
    throw new ValidationError(
      'modelNumber',
      `${JSON.stringify(sale.modelNumber)} is in no published catalog version`,
    );
  if (sale.saleDate > tokyoDateOf(now)) throw new ValidationError('saleDate', 'must not be in the future');
  return [{ type: 'UnitSaleRecorded', schemaVersion: 1, data: { ...sale, at: now, by: actorId(actor) } }];
}

export function evolveUnitSale(_state: UnitSaleState, event: UnitSaleEvent): UnitSaleState {
  const { serialNumber, modelNumber, partnerId, saleDate, soldInJapan } = event.data;
  return { sale: { serialNumber, modelNumber, partnerId, saleDate, soldInJapan } };
}
