import { deciderSpec, refusalOf as refusal } from '../../testing/given-when-then.test-support';
import { type Actor } from '../shared/actor';
import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import {
  type CatalogEntry,
  type CatalogVersion,
  validateCatalogEntry,
  validateCatalogVersion,
} from './catalog';
import {
  catalogInForce,
  catalogKnowsModel,
  decideCatalog,
  evolveCatalog,
  initialCatalogState,
  type PublishCatalogVersion,
} from './catalog.decider';
import { catalogDecider } from './catalog.stream';
import { sampleCatalogEntry, sampleCatalogVersion } from './sample-catalog';

/** Refusals when publishing a catalog version, and which version is in force on a date. */

const NOW = '2026-11-25T01:00:00.000Z';
const support: Actor = { kind: 'support', userId: 'ops' };
const catalog = deciderSpec(catalogDecider);
const version = (name: string, publishedAt: string, models: string[] = ['WV-1']) =>
  sampleCatalogVersion(
    models.map((modelNumber) => sampleCatalogEntry({ modelNumber })),
    name,
    publishedAt,
  );
const publish = (data: CatalogVersion, actor: Actor = support, now = NOW): PublishCatalogVersion => ({
  type: 'PublishCatalogVersion',
  data,
  metadata: { now, actor },
});
const stateOf = (...versions: CatalogVersion[]) =>
  versions.reduce(
    (state, v) => decideCatalog(publish(v), state).reduce(evolveCatalog, state),
    initialCatalogState,
  );

describe('publishing a catalog version', () => {
  it('lets an import job (a system actor) publish', () => {
    const v1 = version('v1', '2023-05-01');
    catalog
      .given([])
      .when(publish(v1, { kind: 'system', component: 'catalog-import' }))
      .then([
        {
          type: 'CatalogVersionPublished',
          schemaVersion: 1,
          data: { ...v1, at: NOW, by: 'system:catalog-import' },
        },
      ]);
  });

  it('tells a partner that the covered list is maintained by i-PRO', () => {
    catalog
      .given([])
      .when(publish(version('v1', '2023-05-01'), { kind: 'partner', partnerId: 'P-001' }))
      .thenThrows(NotAllowedError, {
        code: 'not_allowed',
        message: 'partner:P-001 may not PublishCatalogVersion: the covered list is maintained by i-PRO',
      });
  });

  it('says why a time that is not an instant is refused', () => {
    catalog
      .given([])
      .when(publish(version('v1', '2023-05-01'), support, 'yesterday'))
      .thenThrows(ValidationError, {
        field: 'metadata.now',
        message: 'metadata.now: must be an ISO-8601 instant',
      });
  });

  it('publishes a second, different version', () => {
    const v2 = version('v2', '2024-01-01');
    catalog
      .given(decideCatalog(publish(version('v1', '2023-05-01')), initialCatalogState))
      .when(publish(v2))
      .then([
        { type: 'CatalogVersionPublished', schemaVersion: 1, data: { ...v2, at: NOW, by: 'support:ops' } },
      ]);
  });

  it('says a version name cannot be published twice', () => {
    catalog
      .given(decideCatalog(publish(version('v1', '2023-05-01')), initialCatalogState))
      .when(publish(version('v1', '2024-01-01')))
      .thenThrows(IllegalTransitionError, {
        code: 'illegal_transition',
        currentStatus: 'published',
        attemptedCommand: 'PublishCatalogVersion',
        message: 'PublishCatalogVersion is not allowed in status published: version v1 already exists',
      });
  });
});

describe('validateCatalogVersion and validateCatalogEntry messages', () => {
  const entry = (overrides: Partial<CatalogEntry>) => ({
    ...sampleCatalogEntry({ modelNumber: 'WV-2' }),
    ...overrides,
  });

  it.each<[string, CatalogVersion, string]>([
    ['blank version', version(' ', '2023-05-01'), 'version: must not be empty'],
    ['publishedAt not a date', version('v1', '2023-05'), 'publishedAt: must be a YYYY-MM-DD date'],
    [
      'duplicate model (normalised)',
      version('v1', '2023-05-01', ['WV-1', 'w v-1']),
      'entries[1].modelNumber: duplicate model w v-1',
    ],
  ])('refuses a %s', (_, data, message) => {
    expect(refusal(() => validateCatalogVersion(data))).toMatchObject({
      constructor: ValidationError,
      message,
    });
  });

  it.each<[string, Partial<CatalogEntry>, string]>([
    ['blank model number', { modelNumber: ' ' }, 'entry.modelNumber: must not be empty'],
    [
      'unknown category',
      { category: 'drone' as 'camera' },
      'entry.category: must be one of camera, recorder, accessory, bracket, sd_card, part',
    ],
    [
      'repair scheme on an unrepairable model',
      { repairable: false, onCoveredList: false },
      'entry.repairScheme: must be set exactly when the model is repairable',
    ],
    [
      'unrepairable model on the covered list',
      { repairable: false, repairScheme: null, onCoveredList: true },
      'entry.onCoveredList: an unrepairable model cannot be on the covered list',
    ],
  ])('refuses an entry with a %s', (_, overrides, message) => {
    expect(refusal(() => validateCatalogEntry(entry(overrides)))).toMatchObject({
      constructor: ValidationError,
      message,
    });
  });
});

describe('catalogKnowsModel', () => {
  const state = stateOf(version('v1', '2023-05-01', ['WV-1']), version('v2', '2024-01-01', ['WV-2', 'WV-4']));

  it('knows a model of any published version, compared normalised', () => {
    expect([catalogKnowsModel(state, 'w v-1'), catalogKnowsModel(state, 'WV-2')]).toEqual([true, true]);
  });

  it('knows a model listed after other entries of its version', () => {
    expect(catalogKnowsModel(state, 'wv-4')).toBe(true);
  });

  it('does not know a model of no version', () => {
    expect(catalogKnowsModel(state, 'WV-3')).toBe(false);
    expect(catalogKnowsModel(initialCatalogState, 'WV-1')).toBe(false);
  });
});

describe('catalogInForce', () => {
  it('is in force from the day it is published', () => {
    const state = stateOf(version('v1', '2023-05-01'), version('v2', '2024-01-01'));
    expect(catalogInForce(state, '2024-01-01')?.version).toBe('v2');
    expect(catalogInForce(state, '2023-12-31')?.version).toBe('v1');
  });

  it('takes the latest publication date, whatever the order of recording', () => {
    const state = stateOf(version('v2', '2024-01-01'), version('v1', '2023-05-01'));
    expect(catalogInForce(state, '2025-01-01')?.version).toBe('v2');
  });

  it('takes the last recorded of versions published the same day', () => {
    const state = stateOf(version('a', '2024-01-01'), version('b', '2024-01-01'));
    expect(catalogInForce(state, '2024-01-01')?.version).toBe('b');
  });
});
