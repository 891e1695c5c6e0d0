import { evolve, initialState } from '@app/domain';
import { oneOfEveryTicketEvent } from '@app/domain/testing';
import { type AsOfStepRow, foldHistory, toHistoryStep } from './snapshots';

const row = (snapshot: string | null): AsOfStepRow => ({
  revision: 15,
  type: 'QuoteDeclined',
  schema_version: 1,
  data: { quoteId: 'Q-1' },
  recorded_at: new Date('2026-11-25T02:00:15.000Z'),
  snapshot,
});

describe('as-of rows to history steps', () => {
  it('a row without a snapshot maps its columns and keeps no snapshot', () => {
    expect(toHistoryStep(row(null))).toStrictEqual({
      revision: 15,
      type: 'QuoteDeclined',
      schemaVersion: 1,
      data: { quoteId: 'Q-1' },
      snapshot: null,
    });
  });

  it('a snapshot arrives as JSON text and is parsed into a state', () => {
    const state = { ...initialState, status: 'quote_declined', partnerId: 'P-001' };
    expect(toHistoryStep(row(JSON.stringify(state))).snapshot).toEqual(state);
  });
});

describe('folding history rows', () => {
  it('only the first row may start from a snapshot; a later snapshot column is not a restart', () => {
    const e = oneOfEveryTicketEvent('T-1');
    const requested = evolve(initialState, e.RepairRequested);
    const stray = { ...requested, status: 'closed' as const, partnerId: 'NOT-USED' };
    const state = foldHistory([
      {
        revision: 0,
        type: e.RepairRequested.type,
        schemaVersion: 1,
        data: e.RepairRequested.data,
        snapshot: null,
      },
      { revision: 1, type: e.Escalated.type, schemaVersion: 1, data: e.Escalated.data, snapshot: stray },
    ]);
    expect(state.status).toBe('escalated');
    expect(state.partnerId).toBe('P-001');
  });
});
