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
  const because = (field: string, reason: string) => ({
    code: 'validation_failed',
    field,
    message: `${field}: ${reason}`,
  });
  // prettier-ignore
  ticket.refuses([
    ['refuses a catalog entry of another model', () => [], request({ model: 'WV-S1136', catalog: stories.catalogFact('WV-X1574LN') }), ValidationError, because('catalog.entry.modelNumber', 'must be the catalog entry of the unit model')],
    ['refuses a recorder HDD fault of a camera', () => [], request({ model: 'WV-S1136', failure: { component: 'recorder_hdd' } }), ValidationError, because('failure.component', 'recorder_hdd applies to recorders only')],
    ['refuses a membership record of another partner', () => [], request({ membership: { partnerId: 'P-777' } }), ValidationError, because('membership.partnerId', 'must be the partner the unit was sold to')],
    ['refuses a membership record for another sale date', () => [], request({ membership: { saleDate: '2026-01-01' } }), ValidationError, because('membership.saleDate', 'must be the sale date of the unit')],
    ['refuses a request dated after today', () => [], request({ requestDate: '2026-11-26' }), ValidationError, because('requestDate', 'must not be after today (2026-11-25)')],
    ['refuses a sale after the delivery', () => [], request({ unit: { saleDate: '2026-03-11' } }), ValidationError, because('unit.saleDate', 'must not be after the delivery date')],
    ['refuses a failure before the delivery', () => [], request({ failure: { failureDate: '2026-03-09' } }), ValidationError, because('failure.failureDate', 'must not be before the delivery date')],
    ['refuses a failure after the request', () => [], request({ failure: { failureDate: '2026-11-25' }, requestDate: '2026-11-24' }), ValidationError, because('failure.failureDate', 'must not be after the request date')],
  ]);
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
