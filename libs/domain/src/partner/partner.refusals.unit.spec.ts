import { deciderSpec } from '../../testing/given-when-then.test-support';
import { type Actor } from '../shared/actor';
import { IllegalTransitionError, NotAllowedError, ValidationError } from '../shared/domain-errors';
import {
  decidePartner,
  evolvePartner,
  initialPartnerState,
  type PartnerCommand,
  type PartnerEvent,
} from './partner.decider';

/** Refusals of the partner decider: the exact class, code, field, reason and message a client sees. */

const NOW = '2026-11-25T01:00:00.000Z';
const ops: Actor = { kind: 'support', userId: 'ops' };
const importJob: Actor = { kind: 'system', component: 'partner-import' };
const partner = deciderSpec({
  decide: decidePartner,
  evolve: evolvePartner,
  initialState: initialPartnerState,
});

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

describe('partner refusals', () => {
  it('lets an import job (a system actor) register a partner', () => {
    partner
      .given([])
      .when(register('Osaka Systems', importJob))
      .then([
        {
          type: 'PartnerRegistered',
          schemaVersion: 1,
          data: { partnerId: 'P-001', name: 'Osaka Systems', at: NOW, by: 'system:partner-import' },
        },
      ]);
  });

  it('tells a partner that partner records are maintained by i-PRO', () => {
    partner
      .given([])
      .when(register('X', { kind: 'partner', partnerId: 'P-001' }))
      .thenThrows(NotAllowedError, {
        code: 'not_allowed',
        actor: 'partner:P-001',
        command: 'RegisterPartner',
        reason: 'partner records are maintained by i-PRO',
        message: 'partner:P-001 may not RegisterPartner: partner records are maintained by i-PRO',
      });
  });

  it('says why a time that is not an instant is refused', () => {
    partner
      .given([])
      .when({ ...register(), metadata: { now: '2026-11-25', actor: ops } })
      .thenThrows(ValidationError, {
        code: 'validation_failed',
        field: 'metadata.now',
        message: 'metadata.now: must be an ISO-8601 instant',
      });
  });

  it('says a second registration is refused because the partner is already registered', () => {
    partner.given(events(register())).when(register()).thenThrows(IllegalTransitionError, {
      code: 'illegal_transition',
      currentStatus: 'registered',
      attemptedCommand: 'RegisterPartner',
      message: 'RegisterPartner is not allowed in status registered: already registered',
    });
  });

  it('refuses a partner id of blanks as empty', () => {
    partner
      .given([])
      .when(cmd('RegisterPartner', { partnerId: '   ', name: 'X' }))
      .thenThrows(ValidationError, { field: 'partnerId', message: 'partnerId: must not be empty' });
  });

  it('refuses a name of blanks as empty', () => {
    partner
      .given([])
      .when(register('  '))
      .thenThrows(ValidationError, { field: 'name', message: 'name: must not be empty' });
  });

  it('says a date must be a calendar date', () => {
    partner
      .given(events(register()))
      .when(certify('2024-1-1'))
      .thenThrows(ValidationError, { field: 'date', message: 'date: must be a YYYY-MM-DD date' });
  });

  it('says a second join is refused because the partner is already a member', () => {
    partner
      .given(events(register(), join('2020-04-01')))
      .when(join('2021-01-01'))
      .thenThrows(IllegalTransitionError, {
        currentStatus: 'member',
        attemptedCommand: 'JoinPartnersCircle',
        message: 'JoinPartnersCircle is not allowed in status member: already a member',
      });
  });

  it('lets a partner rejoin on the day the previous membership ended', () => {
    partner
      .given(events(register(), join('2020-04-01'), leave('2022-04-01')))
      .when(join('2022-04-01'))
      .then([
        {
          type: 'PartnersCircleJoined',
          schemaVersion: 1,
          data: { partnerId: 'P-001', date: '2022-04-01', at: NOW, by: 'support:ops' },
        },
      ]);
  });

  it('says why a rejoin before the previous membership ended is refused', () => {
    partner
      .given(events(register(), join('2020-04-01'), leave('2022-04-01')))
      .when(join('2022-03-31'))
      .thenThrows(ValidationError, {
        field: 'date',
        message: 'date: must not be before the end of the previous membership',
      });
  });

  it('says leaving is refused for a partner who is not a member', () => {
    partner.given(events(register())).when(leave('2022-04-01')).thenThrows(IllegalTransitionError, {
      currentStatus: 'not_member',
      attemptedCommand: 'LeavePartnersCircle',
      message: 'LeavePartnersCircle is not allowed in status not_member: not a member',
    });
  });

  it('says leaving must come after the join date', () => {
    partner
      .given(events(register(), join('2020-04-01')))
      .when(leave('2020-03-01'))
      .thenThrows(ValidationError, { field: 'date', message: 'date: must be after the join date' });
  });

  it('says a second certification is refused because the partner is already certified', () => {
    partner
      .given(events(register(), certify('2024-01-01')))
      .when(certify('2025-01-01'))
      .thenThrows(IllegalTransitionError, {
        currentStatus: 'certified',
        attemptedCommand: 'CertifyPartner',
        message: 'CertifyPartner is not allowed in status certified: already certified',
      });
  });

  it('counts every applied event in the record version', () => {
    const state = events(register(), join('2020-04-01'), certify('2024-01-01')).reduce(
      evolvePartner,
      initialPartnerState,
    );
    expect(state.version).toBe(3);
  });
});
