import { ValidationError } from '../shared/domain-errors';
import {
  type CatalogEntry,
  catalogFactFor,
  normaliseModelNumber,
  validateCatalogEntry,
  validateCatalogVersion,
} from './catalog';
import { catalogInForce, decideCatalog, evolveCatalog, initialCatalogState } from './catalog.decider';
import { catalogDecider } from './catalog.stream';
import { sampleCatalog, sampleCatalogEntry, sampleCatalogVersion } from './sample-catalog';
import { deciderSpec } from '../../testing/given-when-then.test-support';
import { NotAllowedError, IllegalTransitionError } from '../shared/domain-errors';

const NOW = '2026-11-25T01:00:00.000Z';
const support = { kind: 'support', userId: 'ops' } as const;
const catalog = deciderSpec(catalogDecider);
const publish = (
  version = sampleCatalog(),
  actor: Parameters<typeof decideCatalog>[0]['metadata']['actor'] = support,
) => ({ type: 'PublishCatalogVersion', data: version, metadata: { now: NOW, actor } }) as const;
const published = (version = sampleCatalog()) => decideCatalog(publish(version), initialCatalogState);

describe('the sample catalog (sample data, not the official covered list)', () => {
  it('is a valid catalog version', () => {
    expect(() => validateCatalogVersion(sampleCatalog())).not.toThrow();
  });

  it('covers every product category', () => {
    expect(new Set(sampleCatalog().entries.map((e) => e.category))).toEqual(
      new Set(['camera', 'recorder', 'accessory', 'bracket', 'sd_card', 'part']),
    );
  });

  it('has both camera schemes', () => {
    const cameras = sampleCatalog().entries.filter((e) => e.category === 'camera');
    expect(new Set(cameras.map((e) => e.repairScheme))).toEqual(new Set(['replacement', 'pickup_repair']));
  });
});

describe('catalogFactFor', () => {
  it('finds a model ignoring case and spaces', () => {
    expect(catalogFactFor(sampleCatalog(), 'wj-nx 400').entry?.modelNumber).toBe('WJ-NX400');
  });

  it('says "not in the catalog" with the version it looked in', () => {
    expect(catalogFactFor(sampleCatalog(), 'XX-1')).toEqual({ version: 'sample-2023-05', entry: null });
  });
});

describe('validateCatalogVersion', () => {
  const withEntry = (overrides: Partial<CatalogEntry>) =>
    sampleCatalogVersion([
      sampleCatalogEntry({ modelNumber: 'WV-1' }),
      sampleCatalogEntry({ modelNumber: 'WV-2', ...overrides }),
    ]);

  it.each<[string, Partial<CatalogEntry>]>([
    ['entries[1].modelNumber', { modelNumber: ' ' }],
    ['entries[1].modelNumber', { modelNumber: 'wv-1' }],
    ['entries[1].category', { category: 'drone' as 'camera' }],
    ['entries[1].repairScheme', { repairable: false }],
    ['entries[1].repairScheme', { repairScheme: null }],
    ['entries[1].onCoveredList', { repairable: false, repairScheme: null, onCoveredList: true }],
  ])('names %s', (field, overrides) => {
    expect(() => validateCatalogVersion(withEntry(overrides))).toThrow(
      expect.objectContaining({ field }) as Error,
    );
  });

  it('names a single entry field without a path prefix', () => {
    expect(() => validateCatalogEntry(sampleCatalogEntry({ modelNumber: '' }))).toThrow(
      expect.objectContaining({ field: 'entry.modelNumber' }) as Error,
    );
  });

  it('names the version when empty', () => {
    expect(() => validateCatalogVersion(sampleCatalogVersion([], ' '))).toThrow(ValidationError);
  });

  it('names the publication date when not a date', () => {
    expect(() => validateCatalogVersion(sampleCatalogVersion([], 'v2', 'May 2023'))).toThrow(
      expect.objectContaining({ field: 'publishedAt' }) as Error,
    );
  });
});

describe('PublishCatalogVersion', () => {
  it('records the version with its entries', () => {
    const v = sampleCatalog();
    catalog
      .given([])
      .when(publish(v))
      .then([
        {
          type: 'CatalogVersionPublished',
          schemaVersion: 1,
          data: {
            version: v.version,
            publishedAt: v.publishedAt,
            entries: v.entries,
            at: NOW,
            by: 'support:ops',
          },
        },
      ]);
  });

  it('refuses the same version twice', () => {
    catalog.given(published()).when(publish()).thenThrows(IllegalTransitionError);
  });

  it('refuses a partner', () => {
    catalog
      .given([])
      .when(publish(sampleCatalog(), { kind: 'partner', partnerId: 'P-1' }))
      .thenThrows(NotAllowedError);
  });

  it('refuses an invalid version, naming the field', () => {
    catalog
      .given([])
      .when(publish(sampleCatalogVersion([sampleCatalogEntry({ modelNumber: '' })])))
      .thenThrows(ValidationError, { field: 'entries[0].modelNumber' });
  });

  it('refuses a time that is not an instant', () => {
    catalog
      .given([])
      .when({ ...publish(), metadata: { now: 'today', actor: support } })
      .thenThrows(ValidationError, { field: 'metadata.now' });
  });
});

describe('catalogInForce', () => {
  const history = [
    ...published(sampleCatalogVersion([], 'v1', '2022-01-01')),
    ...decideCatalog(publish(sampleCatalogVersion([], 'v2', '2023-05-01')), { versions: [] }),
  ];
  const state = history.reduce(evolveCatalog, initialCatalogState);

  it('is the latest version published on or before the date', () => {
    expect(catalogInForce(state, '2023-06-01')?.version).toBe('v2');
    expect(catalogInForce(state, '2023-04-30')?.version).toBe('v1');
  });

  it('is none before the first version', () => {
    expect(catalogInForce(state, '2021-12-31')).toBeNull();
  });
});

describe('normaliseModelNumber', () => {
  it('is the model number in capitals without white space, as the catalog compares it', () => {
    expect(normaliseModelNumber(' wv-s 1136\t')).toBe('WV-S1136');
  });
});
