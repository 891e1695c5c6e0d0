import { deciderSpec } from '../../testing/given-when-then.test-support';
import { type Actor } from '../shared/actor';
import {
  IllegalTransitionError,
  NotAllowedError,
  PartnerNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import {
  decidePartner,
  evolvePartner,
  initialPartnerState,
  isCertified,
  membershipAt,
  type PartnerCommand,
  type PartnerEvent,
  type RegisterPartner,
} from './partner.decider';

const NOW = '2026-11-25T01:00:00.000Z';
const ops: Actor = { kind: 'support', userId: 'ops' };
const partner = deciderSpec({
  decide: decidePartner,
  evolve: evolvePartner,
  initialState: initialPartnerState,
});

const c = {
  register: (name = 'Tokyo Security', actor: Actor = ops): RegisterPartner => ({
    type: 'RegisterPartner',
    data: { partnerId: 'P-001', name },
    metadata: { now: NOW, actor },
  }),
  join: (date: string): PartnerCommand => ({
    type: 'JoinPartnersCircle',
    data: { partnerId: 'P-001', date },
    metadata: { now: NOW, actor: ops },
  }),
  leave: (date: string): PartnerCommand => ({
    type: 'LeavePartnersCircle',
    data: { partnerId: 'P-001', date },
    metadata: { now: NOW, actor: ops },
  }),
  certify: (date: string): PartnerCommand => ({
    type: 'CertifyPartner',
    data: { partnerId: 'P-001', date },
    metadata: { now: NOW, actor: ops },
  }),
};

function events(...commands: PartnerCommand[]): PartnerEvent[] {
  const out: PartnerEvent[] = [];
  let state = initialPartnerState;
  for (const command of commands) {
    const produced = decidePartner(command, state);
    out.push(...produced);
    state = produced.reduce(evolvePartner, state);
  }
  return out;
}
const stateOf = (...commands: PartnerCommand[]) =>
  events(...commands).reduce(evolvePartner, initialPartnerState);

describe('partner reference data', () => {
  it('registers a partner', () => {
    partner
      .given([])
      .when(c.register())
      .then([
        {
          type: 'PartnerRegistered',
          schemaVersion: 1,
          data: { partnerId: 'P-001', name: 'Tokyo Security', at: NOW, by: 'support:ops' },
        },
      ]);
  });

  it('refuses registering twice', () => {
    partner.given(events(c.register())).when(c.register()).thenThrows(IllegalTransitionError);
  });

  it('names the name when empty', () => {
    partner.given([]).when(c.register(' ')).thenThrows(ValidationError, { field: 'name' });
  });

  it('names the partner id when empty', () => {
    partner
      .given([])
      .when({ ...c.register(), data: { partnerId: '', name: 'X' } })
      .thenThrows(ValidationError, { field: 'partnerId' });
  });

  it('is maintained by i-PRO, not by partners', () => {
    partner
      .given([])
      .when(c.register('X', { kind: 'partner', partnerId: 'P-001' }))
      .thenThrows(NotAllowedError);
  });

  it('refuses a time that is not an instant', () => {
    partner
      .given([])
      .when({ ...c.register(), metadata: { now: 'x', actor: ops } })
      .thenThrows(ValidationError, { field: 'metadata.now' });
  });

  it('refuses membership changes and certification of an unregistered partner as not found', () => {
    partner.given([]).when(c.join('2020-01-01')).thenThrows(PartnerNotFoundError);
    partner.given([]).when(c.leave('2020-01-01')).thenThrows(PartnerNotFoundError);
    partner.given([]).when(c.certify('2020-01-01')).thenThrows(PartnerNotFoundError);
  });

  it('records joining the Partners Circle', () => {
    partner
      .given(events(c.register()))
      .when(c.join('2020-04-01'))
      .then([
        {
          type: 'PartnersCircleJoined',
          schemaVersion: 1,
          data: { partnerId: 'P-001', date: '2020-04-01', at: NOW, by: 'support:ops' },
        },
      ]);
  });

  it('refuses joining twice', () => {
    partner
      .given(events(c.register(), c.join('2020-04-01')))
      .when(c.join('2021-01-01'))
      .thenThrows(IllegalTransitionError);
  });

  it('refuses rejoining before the previous membership ended', () => {
    partner
      .given(events(c.register(), c.join('2020-04-01'), c.leave('2022-04-01')))
      .when(c.join('2022-03-01'))
      .thenThrows(ValidationError, { field: 'date' });
  });

  it('names the date when it is not a date', () => {
    partner.given(events(c.register())).when(c.join('April')).thenThrows(ValidationError, { field: 'date' });
  });

  it('refuses leaving when not a member', () => {
    partner.given(events(c.register())).when(c.leave('2022-04-01')).thenThrows(IllegalTransitionError);
  });

  it('refuses leaving on or before the join date', () => {
    partner
      .given(events(c.register(), c.join('2020-04-01')))
      .when(c.leave('2020-04-01'))
      .thenThrows(ValidationError);
  });

  it('certifies a partner once', () => {
    partner
      .given(events(c.register(), c.certify('2024-01-01')))
      .when(c.certify('2025-01-01'))
      .thenThrows(IllegalTransitionError);
  });

  it('knows from when a partner is certified', () => {
    const state = stateOf(c.register(), c.certify('2024-01-01'));
    expect([isCertified(state, '2023-12-31'), isCertified(state, '2024-01-01')]).toEqual([false, true]);
    expect(isCertified(stateOf(c.register()), '2024-01-01')).toBe(false);
  });
});

describe('membershipAt', () => {
  const state = stateOf(c.register(), c.join('2020-04-01'), c.leave('2022-04-01'), c.join('2023-01-01'));

  it('is a member from the join date', () => {
    expect(membershipAt(state, '2020-04-01')).toEqual({
      partnerId: 'P-001',
      saleDate: '2020-04-01',
      memberAtSaleDate: true,
      period: { joinedOn: '2020-04-01', leftOn: '2022-04-01' },
      recordVersion: 4,
    });
  });

  it('is a member on the day before leaving', () => {
    expect(membershipAt(state, '2022-03-31').memberAtSaleDate).toBe(true);
  });

  it('is no member from the leave date', () => {
    expect(membershipAt(state, '2022-04-01')).toMatchObject({ memberAtSaleDate: false, period: null });
  });

  it('is a member again in a later open membership', () => {
    expect(membershipAt(state, '2026-01-01').period).toEqual({ joinedOn: '2023-01-01', leftOn: null });
  });

  it('closes only the open membership when leaving again', () => {
    const twice = stateOf(
      c.register(),
      c.join('2020-04-01'),
      c.leave('2022-04-01'),
      c.join('2023-01-01'),
      c.leave('2024-01-01'),
    );
    expect(twice.memberships).toEqual([
      { joinedOn: '2020-04-01', leftOn: '2022-04-01' },
      { joinedOn: '2023-01-01', leftOn: '2024-01-01' },
    ]);
  });

  it('of an unknown partner is no membership', () => {
    expect(membershipAt(initialPartnerState, '2026-01-01')).toMatchObject({
      partnerId: '',
      memberAtSaleDate: false,
      recordVersion: 0,
    });
  });
});
