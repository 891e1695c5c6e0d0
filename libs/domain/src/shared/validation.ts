import { type CalendarDate, isCalendarDate } from './calendar';
import { ValidationError } from './domain-errors';

/** Small guards that throw a ValidationError naming the offending field. */

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new ValidationError(field, 'must be a non-empty string');
  return value;
}

export function requireDate(value: unknown, field: string): CalendarDate {
  if (!isCalendarDate(value)) throw new ValidationError(field, 'must be a YYYY-MM-DD calendar date');
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new ValidationError(field, 'must be true or false');
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Trimmed text, or null for a missing / blank optional note. */
export function optionalText(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}
