import { ValidationError } from '../shared/domain-errors';
import {
  actors,
  cmd,
  type RequestOverrides,
  requestData,
  stories,
  ticket,
} from '../../testing/repair-ticket-fixtures.test-support';

/**
 * RequestRepair's consistency rules: the words a refused request carries, the dates that tell a possible story
 * at their boundaries (same day is possible), and missing groups of facts refused as invalid input.
 */

// Filed by support, so that the partner-name check does not answer first.
const request = (o: RequestOverrides) => cmd.requestRepair(o, actors.support);

describe('RequestRepair refusals say why', () => {
  it.each<[string, RequestOverrides, string, string]>([
    [
      'a catalog entry of another model',
      { model: 'WV-S1136', catalog: stories.catalogFact('WV-X1574LN') },
      'catalog.entry.modelNumber',
      'must be the catalog entry of the unit model',
    ],
    [
      'a recorder HDD fault of a camera',
      { model: 'WV-S1136', failure: { component: 'recorder_hdd' } },
      'failure.component',
      'recorder_hdd applies to recorders only',
    ],
    [
      'a membership record of another partner',
      { membership: { partnerId: 'P-777' } },
      'membership.partnerId',
      'must be the partner the unit was sold to',
    ],
    [
      'a membership record for another sale date',
      { membership: { saleDate: '2026-01-01' } },
      'membership.saleDate',
      'must be the sale date of the unit',
    ],
    [
      'a request dated after today',
      { requestDate: '2026-11-26' },
      'requestDate',
      'must not be after today (2026-11-25)',
    ],
    [
      'a sale after the delivery',
      { unit: { saleDate: '2026-03-11' } },
      'unit.saleDate',
      'must not be after the delivery date',
    ],
    [
      'a failure before the delivery',
      { failure: { failureDate: '2026-03-09' } },
      'failure.failureDate',
      'must not be before the delivery date',
    ],
    [
      'a failure after the request',
      { failure: { failureDate: '2026-11-25' }, requestDate: '2026-11-24' },
      'failure.failureDate',
      'must not be after the request date',
    ],
  ])('refuses %s', (_, overrides, field, reason) => {
    ticket
      .given([])
      .when(request(overrides))
      .thenThrows(ValidationError, { code: 'validation_failed', field, message: `${field}: ${reason}` });
  });
});

describe('RequestRepair dates on the same day tell a possible story', () => {
  it.each<[string, RequestOverrides]>([
    ['sold on the delivery day', { unit: { saleDate: '2026-03-10' } }],
    ['failed on the delivery day', { failure: { failureDate: '2026-03-10' } }],
    ['failed on the request day', { failure: { failureDate: '2026-11-24' }, requestDate: '2026-11-24' }],
  ])('accepts a unit %s', (_, overrides) => {
    const d = requestData(overrides);
    ticket
      .given([])
      .when(request(overrides))
      .thenState((state, events) => {
        expect(events.map((e) => e.type)).toEqual(['RepairRequested', 'WarrantyAssessed']);
        expect(events[0]?.data).toMatchObject({
          unit: d.unit,
          failure: d.failure,
          requestDate: d.requestDate,
        });
      });
  });

  it('accepts a recorder HDD fault of a recorder', () => {
    ticket
      .given([])
      .when(request({ model: 'WJ-NX400', failure: { component: 'recorder_hdd' } }))
      .thenState((state, events) => {
        expect(events[0]).toMatchObject({
          type: 'RepairRequested',
          data: { failure: { component: 'recorder_hdd' } },
        });
      });
  });
});

describe('RequestRepair with a group of facts missing', () => {
  const without = (key: 'catalog' | 'membership' | 'site' | 'proofOfDelivery') => {
    const command = request({});
    return { ...command, data: { ...command.data, [key]: undefined } } as typeof command;
  };

  it.each<[Parameters<typeof without>[0], string]>([
    ['catalog', 'catalog.version'],
    ['membership', 'membership.partnerId'],
    ['proofOfDelivery', 'proofOfDelivery.kind'],
    ['site', 'site.prefecture'],
  ])('refuses a request without %s, naming %s', (key, field) => {
    ticket.given([]).when(without(key)).thenThrows(ValidationError, { field });
  });
});
