import { type CalendarDate, isCalendarDate } from '../shared/calendar';
import { ValidationError } from '../shared/domain-errors';

/**
 * The product catalog and the Partners Circle covered list (対象品番リスト). The list is published and
 * updated by i-PRO (last: May 2023), so it is versioned data that operators load, never code (decision 9).
 */
export type ProductCategory = 'camera' | 'recorder' | 'accessory' | 'bracket' | 'sd_card' | 'part';
export const PRODUCT_CATEGORIES: readonly ProductCategory[] = [
  'camera',
  'recorder',
  'accessory',
  'bracket',
  'sd_card',
  'part',
];

/**
 * How a hardware fault of this model is handled outside the recorder onsite rules: cameras are replaced or
 * picked up depending on the model number; recorders are picked up (onsite applies by period and request).
 */
export const CATALOG_REPAIR_SCHEMES = ['replacement', 'pickup_repair'] as const;
export type CatalogRepairScheme = (typeof CATALOG_REPAIR_SCHEMES)[number];

export interface CatalogEntry {
  readonly modelNumber: string;
  readonly name: string;
  readonly category: ProductCategory;
  /** On the Partners Circle 5-year hardware warranty covered list. */
  readonly onCoveredList: boolean;
  /** False for products the 1-year product warranty excludes (mounting brackets 金具 etc.). */
  readonly productWarranty: boolean;
  /** False for products that are never repaired (brackets, SD cards…): the customer buys a new one. */
  readonly repairable: boolean;
  /** Null exactly when not repairable. */
  readonly repairScheme: CatalogRepairScheme | null;
}

export interface CatalogVersion {
  /** Operator-chosen label, unique, e.g. `2023-05`. */
  readonly version: string;
  readonly publishedAt: CalendarDate;
  readonly entries: readonly CatalogEntry[];
}

/** What an assessment used: the entry for a model at a named catalog version, or null: not in the catalog. */
export interface CatalogFact {
  readonly version: string;
  readonly entry: CatalogEntry | null;
}

/** Looks a model up in one catalog version; model numbers compare case-insensitively, ignoring spaces. */
export function catalogFactFor(catalog: CatalogVersion, modelNumber: string): CatalogFact {
  const key = normaliseModelNumber(modelNumber);
  const entry = catalog.entries.find((e) => normaliseModelNumber(e.modelNumber) === key) ?? null;
  return { version: catalog.version, entry };
}

/** A model number as the catalog compares it: capitals, without white space (` wv-s 1136` is `WV-S1136`). */
export function normaliseModelNumber(modelNumber: string): string {
  // Stryker disable next-line Regex: equivalent, /\s/g removes every white-space character as /\s+/g does
  return modelNumber.replace(/\s+/g, '').toUpperCase();
}

/** Throws a ValidationError naming the first offending field (`entries[3].repairScheme`). */
export function validateCatalogVersion(catalog: CatalogVersion): void {
  if (catalog.version.trim() === '') throw new ValidationError('version', 'must not be empty');
  if (!isCalendarDate(catalog.publishedAt))
    throw new ValidationError('publishedAt', 'must be a YYYY-MM-DD date');
  const seen = new Set<string>();
  catalog.entries.forEach((entry, i) => {
    validateCatalogEntry(entry, `entries[${i}]`);
    const key = normaliseModelNumber(entry.modelNumber);
    if (seen.has(key))
      throw new ValidationError(`entries[${i}].modelNumber`, `duplicate model ${entry.modelNumber}`);
    seen.add(key);
  });
}

export function validateCatalogEntry(entry: CatalogEntry, path = 'entry'): void {
  if (normaliseModelNumber(entry.modelNumber) === '')
    throw new ValidationError(`${path}.modelNumber`, 'must not be empty');
  if (!PRODUCT_CATEGORIES.includes(entry.category))
    throw new ValidationError(`${path}.category`, `must be one of ${PRODUCT_CATEGORIES.join(', ')}`);
  if (entry.repairable !== (entry.repairScheme !== null))
    throw new ValidationError(`${path}.repairScheme`, 'must be set exactly when the model is repairable');
  if (entry.onCoveredList && !entry.repairable)
    throw new ValidationError(`${path}.onCoveredList`, 'an unrepairable model cannot be on the covered list');
}
