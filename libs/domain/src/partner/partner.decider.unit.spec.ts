import { deciderSpec } from '../../testing/given-when-then.test-support';
import { type Actor } from '../shared/actor';
import {
  IllegalTransitionError,
  NotAllowedError,
  PartnerNotFoundError,
  ValidationError,
} from '../shared/domain-errors';
import {
  initialPartnerState,
  isCertified,
  membershipAt,
  type PartnerCommand,
  type PartnerEvent,
} from './partner.decider';
import { partnerDecider } from './partner.stream';

const NOW = '2026-11-25T01:00:00.000Z';
const ops: Actor = { kind: 'support', userId: 'ops' };

const partner = deciderSpec(partnerDecider);
/** The events a sequence of commands records, and the state they leave. */
const events = partner.history;
const stateOf = partner.stateAfter;

/** A command on partner P-001, issued now, by ops unless said otherwise. */
const cmd = (
  type: PartnerCommand['type'],
  data: Record<string, string>,
  actor: Actor = ops,
): PartnerCommand =>
  ({ type, data: { partnerId: 'P-001', ...data }, metadata: { now: NOW, actor } }) as PartnerCommand;
const register = (name = 'Tokyo Security', actor: Actor = ops) => cmd('RegisterPartner', { name }, actor);
const join = (date: string) => cmd('JoinPartnersCircle', { date });
const leave = (date: string) => cmd('LeavePartnersCircle', { date });
const certify = (date: string) => cmd('CertifyPartner', { date });

/** An expected event of partner P-001, recorded now, by ops unless said otherwise. */
const recorded = (
  type: PartnerEvent['type'],
  data: Record<string, string>,
  by = 'support:ops',
): PartnerEvent =>
  ({ type, schemaVersion: 1, data: { partnerId: 'P-001', ...data, at: NOW, by } }) as PartnerEvent;

describe('partner reference data', () => {
  // prettier-ignore
  partner.records([
    ['registers a partner', () => [], register(), [recorded('PartnerRegistered', { name: 'Tokyo Security' })]],
    ['records joining the Partners Circle', () => events(register()), join('2020-04-01'), [recorded('PartnersCircleJoined', { date: '2020-04-01' })]],
  ]);

  // prettier-ignore
  partner.refuses([
    ['refuses registering twice', () => events(register()), register(), IllegalTransitionError],
    ['names the name when empty', () => [], register(' '), ValidationError, { field: 'name' }],
    ['names the partner id when empty', () => [], cmd('RegisterPartner', { partnerId: '', name: 'X' }), ValidationError, { field: 'partnerId' }],
    ['is maintained by i-PRO, not by partners', () => [], register('X', { kind: 'partner', partnerId: 'P-001' }), NotAllowedError],
    ['refuses a time that is not an instant', () => [], { ...register(), metadata: { now: 'x', actor: ops } }, ValidationError, { field: 'metadata.now' }],
    ['refuses joining twice', () => events(register(), join('2020-04-01')), join('2021-01-01'), IllegalTransitionError],
    ['refuses rejoining before the previous membership ended', () => events(register(), join('2020-04-01'), leave('2022-04-01')), join('2022-03-01'), ValidationError, { field: 'date' }],
    ['names the date when it is not a date', () => events(register()), join('April'), ValidationError, { field: 'date' }],
    ['refuses leaving when not a member', () => events(register()), leave('2022-04-01'), IllegalTransitionError],
    ['refuses leaving on or before the join date', () => events(register(), join('2020-04-01')), leave('2020-04-01'), ValidationError],
    ['certifies a partner once', () => events(register(), certify('2024-01-01')), certify('2025-01-01'), IllegalTransitionError],
  ]);

  it('refuses membership changes and certification of an unregistered partner as not found', () => {
    partner.given([]).when(join('2020-01-01')).thenThrows(PartnerNotFoundError);
    partner.given([]).when(leave('2020-01-01')).thenThrows(PartnerNotFoundError);
    partner.given([]).when(certify('2020-01-01')).thenThrows(PartnerNotFoundError);
  });

  it('knows from when a partner is certified', () => {
    const state = stateOf(register(), certify('2024-01-01'));
    expect([isCertified(state, '2023-12-31'), isCertified(state, '2024-01-01')]).toEqual([false, true]);
    expect(isCertified(stateOf(register()), '2024-01-01')).toBe(false);
  });
});

const importJob: Actor = { kind: 'system', component: 'partner-import' };
const partnerP001: Actor = { kind: 'partner', partnerId: 'P-001' };
/** Refusals of the partner decider: the exact class, code, field, reason and message a client sees. */
describe('partner refusals', () => {
  // prettier-ignore
  partner.records([
    ['lets an import job (a system actor) register a partner', () => [], register('Osaka Systems', importJob), [recorded('PartnerRegistered', { name: 'Osaka Systems' }, 'system:partner-import')]],
    ['lets a partner rejoin on the day the previous membership ended', () => events(register(), join('2020-04-01'), leave('2022-04-01')), join('2022-04-01'), [recorded('PartnersCircleJoined', { date: '2022-04-01' })]],
  ]);

  // prettier-ignore
  partner.refuses([
    ['tells a partner that partner records are maintained by i-PRO', () => [], register('X', partnerP001), NotAllowedError, { code: 'not_allowed', actor: 'partner:P-001', command: 'RegisterPartner', reason: 'partner records are maintained by i-PRO', message: 'partner:P-001 may not RegisterPartner: partner records are maintained by i-PRO' }],
    ['says why a time that is not an instant is refused', () => [], { ...register(), metadata: { now: '2026-11-25', actor: ops } }, ValidationError, { code: 'validation_failed', field: 'metadata.now', message: 'metadata.now: must be an ISO-8601 instant' }],
    ['says a second registration is refused because the partner is already registered', () => events(register()), register(), IllegalTransitionError, { code: 'illegal_transition', currentStatus: 'registered', attemptedCommand: 'RegisterPartner', message: 'RegisterPartner is not allowed in status registered: already registered' }],
    ['refuses a partner id of blanks as empty', () => [], cmd('RegisterPartner', { partnerId: '   ', name: 'X' }), ValidationError, { field: 'partnerId', message: 'partnerId: must not be empty' }],
    ['refuses a name of blanks as empty', () => [], register('  '), ValidationError, { field: 'name', message: 'name: must not be empty' }],
    ['says a date must be a calendar date', () => events(register()), certify('2024-1-1'), ValidationError, { field: 'date', message: 'date: must be a YYYY-MM-DD date' }],
    ['says a second join is refused because the partner is already a member', () => events(register(), join('2020-04-01')), join('2021-01-01'), IllegalTransitionError, { currentStatus: 'member', attemptedCommand: 'JoinPartnersCircle', message: 'JoinPartnersCircle is not allowed in status member: already a member' }],
    ['says why a rejoin before the previous membership ended is refused', () => events(register(), join('2020-04-01'), leave('2022-04-01')), join('2022-03-31'), ValidationError, { field: 'date', message: 'date: must not be before the end of the previous membership' }],
    ['says leaving is refused for a partner who is not a member', () => events(register()), leave('2022-04-01'), IllegalTransitionError, { currentStatus: 'not_member', attemptedCommand: 'LeavePartnersCircle', message: 'LeavePartnersCircle is not allowed in status not_member: not a member' }],
    ['says leaving must come after the join date', () => events(register(), join('2020-04-01')), leave('2020-03-01'), ValidationError, { field: 'date', message: 'date: must be after the join date' }],
    ['says a second certification is refused because the partner is already certified', () => events(register(), certify('2024-01-01')), certify('2025-01-01'), IllegalTransitionError, { currentStatus: 'certified', attemptedCommand: 'CertifyPartner', message: 'CertifyPartner is not allowed in status certified: already certified' }],
  ]);

  it('counts every applied event in the record version', () => {
    expect(stateOf(register(), join('2020-04-01'), certify('2024-01-01')).version).toBe(3);
  });
});

describe('membershipAt', () => {
  const state = stateOf(register(), join('2020-04-01'), leave('2022-04-01'), join('2023-01-01'));

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
      register(),
      join('2020-04-01'),
      leave('2022-04-01'),
      join('2023-01-01'),
      leave('2024-01-01'),
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
