import { evolve, initialState, type RepairTicketState } from '@app/domain';
import { oneOfEveryTicketEvent } from '@app/domain/testing';
import type { Principal } from '../auth/token';
import { eventDataFor } from './partner-isolation';
import { toTicketView, visibleTo } from './ticket-view';

const e = oneOfEveryTicketEvent('T-1', 'P-001');
/** T-1 filed by P-001 on a unit sold to P-001, assessed and escalated. */
const escalated: RepairTicketState = [e.RepairRequested, e.WarrantyAssessed, e.Escalated].reduce(
  evolve,
  initialState,
);
/** The same ticket on a unit i-PRO sold to another partner (P-SELLER), membership read from its record. */
const soldByAnother: RepairTicketState = {
  ...escalated,
  assessmentInput: {
    ...escalated.assessmentInput!,
    unit: { ...escalated.assessmentInput!.unit, soldToPartnerId: 'P-SELLER' },
  },
  assessment: {
    ...escalated.assessment!,
    basis: {
      ...escalated.assessment!.basis,
      membership: { ...escalated.assessment!.basis.membership, partnerId: 'P-SELLER' },
    },
  },
};

const filer: Principal = { role: 'partner', subject: 'u1', partnerId: 'P-001' };
const otherPartner: Principal = { role: 'partner', subject: 'u9', partnerId: 'P-009' };
const support: Principal = { role: 'support', subject: 'tanaka' };
const auditor: Principal = { role: 'auditor', subject: 'mori' };
const ops: Principal = { role: 'ops', subject: 'sato' };

describe('ticket view (ticket-view.ts)', () => {
  it('shows the state with its revision, as the filing partner sees it', () => {
    const view = toTicketView('T-1', escalated, 2, filer);
    expect(view).toMatchObject({
      ticketId: 'T-1',
      revision: 2,
      status: 'escalated',
      partnerId: 'P-001',
      scheme: 'replacement',
      coverage: 'product_warranty',
      unit: {
        serialNumber: 'SN-0001',
        modelNumber: 'WV-S1136',
        soldToPartnerId: 'P-001',
        saleDate: '2026-02-01',
        soldInJapan: true,
      },
      failure: { failureDate: '2026-11-20', description: 'No video', component: 'main_unit' },
      site: { prefecture: 'Tokyo', remoteArea: false },
      quotes: [],
      exclusion: null,
      onsite: null,
      repair: null,
      rejection: null,
      cancellationReason: null,
      openedAt: '2026-11-25T01:00:00.000Z',
      updatedAt: '2026-11-25T01:00:00.000Z',
      closedAt: null,
      allowedActions: [{ action: 'cancel-ticket', method: 'POST', path: '/tickets/T-1/cancel-ticket' }],
    });
    expect(view.assessment?.basis.membership).toEqual({
      partnerId: 'P-001',
      saleDate: '2026-02-01',
      memberAtSaleDate: false,
      period: null,
      recordVersion: null,
    });
    expect(view.shipments).toEqual({
      replacement: null,
      failedUnit: null,
      repairedUnit: null,
      unrepairedReturn: null,
    });
  });

  it('support sees the actions support may take, each as a client calls it', () => {
    expect(toTicketView('T-1', escalated, 2, support).allowedActions).toEqual([
      { action: 'ship-replacement', method: 'POST', path: '/tickets/T-1/ship-replacement' },
      { action: 'reject-repair', method: 'POST', path: '/tickets/T-1/reject-repair' },
      { action: 'cancel-ticket', method: 'POST', path: '/tickets/T-1/cancel-ticket' },
    ]);
  });

  it('another partner is offered no action on the ticket', () => {
    expect(toTicketView('T-1', escalated, 2, otherPartner).allowedActions).toEqual([]);
  });

  it.each([
    ['auditor', auditor],
    ['ops', ops],
  ])('%s, a read-only role, is offered no action', (_, principal) => {
    // Assessed, not yet escalated: the portal (a system actor, as read-only roles map to) could escalate it.
    const assessed = [e.RepairRequested, e.WarrantyAssessed].reduce(evolve, initialState);
    expect(toTicketView('T-1', assessed, 1, principal).allowedActions).toEqual([]);
    expect(toTicketView('T-1', assessed, 1, support).allowedActions).toContainEqual({
      action: 'escalate',
      method: 'POST',
      path: '/tickets/T-1/escalate',
    });
  });

  it('withholds another partner’s sale and membership from the filing partner', () => {
    const view = toTicketView('T-1', soldByAnother, 2, filer);
    expect(view.unit).toEqual({
      serialNumber: 'SN-0001',
      modelNumber: 'WV-S1136',
      deliveryDate: '2026-03-10',
      soldToPartnerId: null,
      saleDate: null,
      soldInJapan: null,
      usedInJapan: true,
    });
    expect(view.assessment?.basis.membership).toBeNull();
    // The decision itself stays visible.
    expect(view.assessment?.coverage).toBe('product_warranty');
    expect(view.assessment?.basis.catalogVersion).toBe('sample-2023-05');
  });

  it('staff see the seller’s facts', () => {
    const view = toTicketView('T-1', soldByAnother, 2, support);
    expect(view.unit?.soldToPartnerId).toBe('P-SELLER');
    expect(view.unit?.saleDate).toBe('2026-02-01');
    expect(view.assessment?.basis.membership?.partnerId).toBe('P-SELLER');
  });

  it('a ticket not yet filed has no unit, failure, site, assessment or partner', () => {
    expect(toTicketView('T-0', initialState, -1, support)).toMatchObject({
      status: 'not_requested',
      partnerId: '',
      unit: null,
      failure: null,
      site: null,
      assessment: null,
    });
  });

  describe('visibleTo', () => {
    it('a partner sees its own tickets only', () => {
      expect(visibleTo(escalated, filer)).toBe(true);
      expect(visibleTo(escalated, otherPartner)).toBe(false);
    });

    it.each([
      ['support', support],
      ['auditor', auditor],
      ['ops', ops],
    ])('%s sees every ticket', (_, principal) => {
      expect(visibleTo(escalated, principal)).toBe(true);
    });
  });
});

describe('history event data for a partner (partner-isolation.ts), odd shapes', () => {
  it('staff see an event type the table does not know as recorded', () => {
    const data = { note: 'from a newer version' };
    expect(eventDataFor(auditor, 'TicketReopened', data)).toBe(data);
    expect(eventDataFor(support, 'TicketReopened', data)).toBe(data);
  });

  it('an event the table shows as recorded is not inspected, whatever it carries', () => {
    const data = { assessment: { basis: { membership: { partnerId: 'P-SELLER' } } } };
    expect(eventDataFor(filer, 'Escalated', data)).toBe(data);
  });

  it('a request or an assessment without data shows nothing', () => {
    expect(eventDataFor(filer, 'RepairRequested', null)).toBeNull();
    expect(eventDataFor(filer, 'WarrantyAssessed', null)).toBeNull();
  });

  it('data that is not an object shows nothing', () => {
    expect(eventDataFor(filer, 'Escalated', 'text')).toBeNull();
    expect(eventDataFor(filer, 'Escalated', ['a'])).toBeNull();
    expect(eventDataFor(filer, 'Escalated', null)).toBeNull();
  });

  it('a type named like an inherited property is not in the table', () => {
    expect(eventDataFor(filer, 'toString', { a: 1 })).toBeNull();
  });

  it('a request without a unit object loses the unit and the membership', () => {
    expect(
      eventDataFor(filer, 'RepairRequested', { partnerId: 'P-001', unit: 'SN-1', membership: { x: 1 } }),
    ).toEqual({
      partnerId: 'P-001',
      unit: null,
      membership: null,
    });
  });

  it('an assessment without a basis is shown as recorded', () => {
    const data = { assessment: { coverage: 'none' } };
    expect(eventDataFor(filer, 'WarrantyAssessed', data)).toBe(data);
    const noAssessment = { trigger: 'request' };
    expect(eventDataFor(filer, 'WarrantyAssessed', noAssessment)).toBe(noAssessment);
  });

  it('an assessment whose membership is not a record is withheld', () => {
    expect(
      eventDataFor(filer, 'WarrantyAssessed', { assessment: { basis: { membership: 'P-001' } } }),
    ).toEqual({
      assessment: { basis: { membership: null } },
    });
  });
});
