import { fieldDifferences } from './verify-projections.command';

describe('verify-projections: field-level differences', () => {
  it('names the differing leaf of a long JSON column with both full values, whatever its depth', () => {
    const filler = 'x'.repeat(400); // the old output clipped at 160 characters, before the differing field
    const live = { a: filler, assessment: { billing: 'free', lines: [{ amount: 1000 }, { amount: 2000 }] } };
    const replayed = {
      a: filler,
      assessment: { billing: 'chargeable', lines: [{ amount: 1000 }, { amount: 2500 }] },
    };
    expect(fieldDifferences('state', live, replayed)).toEqual([
      { path: 'state.assessment.billing', live: 'free', replayed: 'chargeable' },
      { path: 'state.assessment.lines[1].amount', live: 2000, replayed: 2500 },
    ]);
  });

  it('reports fields present on one side only, array length changes, and plain columns', () => {
    expect(fieldDifferences('state', { a: 1, b: [1] }, { a: 1, c: 'new', b: [1, 2] })).toEqual([
      { path: 'state.b[1]', live: undefined, replayed: 2 },
      { path: 'state.c', live: undefined, replayed: 'new' },
    ]);
    expect(fieldDifferences('status', 'closed', 'escalated')).toEqual([
      { path: 'status', live: 'closed', replayed: 'escalated' },
    ]);
    expect(fieldDifferences('status', 'closed', 'closed')).toEqual([]);
    expect(fieldDifferences('state', { a: { b: 1 } }, null)).toEqual([
      { path: 'state', live: { a: { b: 1 } }, replayed: null },
    ]);
  });
});
