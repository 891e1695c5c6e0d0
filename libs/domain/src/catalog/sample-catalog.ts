import { type CatalogEntry, type CatalogVersion } from './catalog';

/*
 * SAMPLE DATA, NOT THE OFFICIAL COVERED LIST.
 * Invented i-PRO-style model numbers for tests and for the demo data the API loads on first start.
 * The real covered list (対象品番リスト) is published by i-PRO and loaded by operators as a CatalogVersion.
 */

type EntryOverrides = Partial<CatalogEntry> & Pick<CatalogEntry, 'modelNumber'>;

/** SAMPLE builder: a repairable camera on the covered list unless overridden. */
export function sampleCatalogEntry(overrides: EntryOverrides): CatalogEntry {
  return {
    name: `Sample ${overrides.modelNumber}`,
    category: 'camera',
    onCoveredList: true,
    productWarranty: true,
    repairable: true,
    repairScheme: 'replacement',
    ...overrides,
  };
}

/** SAMPLE builder: a catalog version from entries. */
export function sampleCatalogVersion(
  entries: readonly CatalogEntry[],
  version = 'sample-2023-05',
  publishedAt = '2023-05-01',
): CatalogVersion {
  return { version, publishedAt, entries };
}

/** SAMPLE DATA, NOT THE OFFICIAL COVERED LIST: ~12 plausible entries covering every category and rule. */
export function sampleCatalog(): CatalogVersion {
  const unrepairable = { onCoveredList: false, repairable: false, repairScheme: null } as const;
  return sampleCatalogVersion([
    sampleCatalogEntry({
      modelNumber: 'WV-S1136',
      name: 'Sample 2MP indoor box camera',
      repairScheme: 'replacement',
    }),
    sampleCatalogEntry({
      modelNumber: 'WV-S2136L',
      name: 'Sample 2MP indoor dome camera',
      repairScheme: 'replacement',
    }),
    sampleCatalogEntry({
      modelNumber: 'WV-X1574LN',
      name: 'Sample 4K outdoor box camera',
      repairScheme: 'pickup_repair',
    }),
    sampleCatalogEntry({
      modelNumber: 'WV-X6533LN',
      name: 'Sample 4K PTZ camera',
      repairScheme: 'pickup_repair',
    }),
    sampleCatalogEntry({
      modelNumber: 'WV-S1536LN',
      name: 'Sample 2MP outdoor bullet camera (not on the covered list)',
      onCoveredList: false,
      repairScheme: 'replacement',
    }),
    sampleCatalogEntry({
      modelNumber: 'WJ-NX400',
      name: 'Sample 64ch network video recorder',
      category: 'recorder',
      repairScheme: 'pickup_repair',
    }),
    sampleCatalogEntry({
      modelNumber: 'WJ-NX310',
      name: 'Sample 32ch network video recorder',
      category: 'recorder',
      repairScheme: 'pickup_repair',
    }),
    sampleCatalogEntry({
      modelNumber: 'WJ-PU100',
      name: 'Sample PoE injector',
      category: 'accessory',
      repairScheme: 'replacement',
    }),
    sampleCatalogEntry({
      modelNumber: 'WJ-PR204',
      name: 'Sample camera power unit (not on the covered list)',
      category: 'accessory',
      onCoveredList: false,
      repairScheme: 'pickup_repair',
    }),
    sampleCatalogEntry({
      modelNumber: 'WV-Q122A',
      name: 'Sample ceiling mount bracket',
      category: 'bracket',
      productWarranty: false,
      ...unrepairable,
    }),
    sampleCatalogEntry({
      modelNumber: 'WV-SDA128G',
      name: 'Sample 128 GB SD card',
      category: 'sd_card',
      ...unrepairable,
    }),
    sampleCatalogEntry({
      modelNumber: 'WJ-HDU40',
      name: 'Sample 4 TB recorder HDD (part)',
      category: 'part',
      ...unrepairable,
    }),
  ]);
}
