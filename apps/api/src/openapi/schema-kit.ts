import type { SchemaObject } from '@nestjs/swagger';
import type { Billing } from '@app/domain';

// The building blocks of the named response schemas (ticket-, reference- and operations-schemas.ts): JSON schema
// shorthands and the enums the read shapes share.

export const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
export const nullable = (s: SchemaObject): SchemaObject =>
  '$ref' in s ? { allOf: [s], nullable: true } : { ...s, nullable: true };
export const str: SchemaObject = { type: 'string' };
export const int: SchemaObject = { type: 'integer' };
export const bool: SchemaObject = { type: 'boolean' };
export const date: SchemaObject = { type: 'string', format: 'date', example: '2026-04-01' };
export const instant: SchemaObject = {
  type: 'string',
  format: 'date-time',
  example: '2026-04-01T09:00:00.000Z',
};
export const array = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
export const oneOf = (values: readonly string[]): SchemaObject => ({ type: 'string', enum: [...values] });

/** An object whose listed properties are all present (null where the type allows it). */
export function object(properties: Record<string, SchemaObject>, description?: string): SchemaObject {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
  };
}

// The domain's own lists, never copies.
export { COVERAGES, REPAIR_SCHEMES as SCHEMES } from '@app/domain';
export const BILLINGS = ['free', 'chargeable', 'pending_proof', 'none'] as const satisfies readonly Billing[];
export const DISPOSITIONS = ['repair', 'software_support', 'unrepairable_buy_new'] as const;
export const OFFER_KINDS = ['paid_repair', 'hdd_part_sale', 'software_support', 'buy_new'] as const;

export const period = object({ start: date, end: date });
export const membershipPeriod = object({ joinedOn: date, leftOn: nullable(date) });
