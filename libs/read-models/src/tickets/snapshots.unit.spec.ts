import { evolve, initialState, type RepairTicketState } from '@app/domain';
import { oneOfEveryTicketEvent } from '@app/domain/testing';
import { foldHistory, type HistoryStep, isSnapshotRevision, SNAPSHOT_EVERY } from './snapshots';

const e = oneOfEveryTicketEvent('T-1');
const events = [e.RepairRequested, e.WarrantyAssessed, e.Escalated, e.ReplacementShipped];
const step = (revision: number, snapshot: RepairTicketState | null = null): HistoryStep => {
  const ev = events[revision]!;
  return { revision, type: ev.type, schemaVersion: ev.schemaVersion, data: ev.data, snapshot };
};
const fold = (n: number): RepairTicketState =>
  events.slice(0, n).reduce((s, x) => evolve(s, x), initialState);

describe('history snapshots', () => {
  it('marks exactly every SNAPSHOT_EVERY-th revision', () => {
    const marked = Array.from({ length: 3 * SNAPSHOT_EVERY }, (_, r) => r).filter(isSnapshotRevision);
    expect(marked).toEqual([SNAPSHOT_EVERY - 1, 2 * SNAPSHOT_EVERY - 1, 3 * SNAPSHOT_EVERY - 1]);
  });

  it('folds from revision 0 without a snapshot', () => {
    expect(foldHistory([step(0), step(1), step(2), step(3)])).toEqual(fold(4));
  });

  it('starts from a snapshot row and applies only the rows after it', () => {
    // The snapshot stands for the state after revision 1; its own event is not applied again.
    const snapshot = { ...fold(2), partnerId: 'FROM-SNAPSHOT' };
    const state = foldHistory([step(1, snapshot), step(2), step(3)]);
    expect(state.partnerId).toBe('FROM-SNAPSHOT');
    expect(state.status).toBe(fold(4).status);
  });

  it('refuses a gap instead of returning a wrong state', () => {
    expect(() => foldHistory([step(0), step(2)])).toThrow('gap before revision 2');
    expect(() => foldHistory([step(1)])).toThrow('gap before revision 1');
  });

  it('an empty history is the initial state', () => {
    expect(foldHistory([])).toBe(initialState);
  });
});
