import {
  addDays,
  anniversary,
  compareDates,
  isCalendarDate,
  isInstant,
  isWithin,
  tokyoDateOf,
} from './calendar';

describe('calendar dates', () => {
  it.each(['2024-02-29', '2026-12-31', '2000-01-01'])('accepts the real day %s', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });

  it.each(['1900-01-01', '2999-12-31'])('accepts %s, at the ends of the years it handles', (d) => {
    expect(isCalendarDate(d)).toBe(true);
  });

  it.each(['2023-02-29', '2026-13-01', '2026-1-01', '20260101', '', 20260101, '2025-W01', '2025-02-30'])(
    'refuses %p',
    (d) => {
      expect(isCalendarDate(d)).toBe(false);
    },
  );

  it.each(['0000-01-01', '0099-01-01', '1899-12-31', '3000-01-01', '9999-12-31'])(
    'refuses %s, outside 1900–2999',
    (d) => {
      expect(isCalendarDate(d)).toBe(false);
    },
  );

  it('adds days across a year end', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('subtracts days across a leap day', () => {
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('rolls a Feb 29 anniversary in a common year over to Mar 1', () => {
    expect(anniversary('2024-02-29', 1)).toBe('2025-03-01');
  });

  it('keeps a Feb 29 anniversary in a leap year', () => {
    expect(anniversary('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('throws on a malformed date rather than computing garbage', () => {
    expect(() => addDays('soon', 1)).toThrow(RangeError);
    expect(() => anniversary('soon', 1)).toThrow(RangeError);
  });

  it('orders dates', () => {
    expect([
      compareDates('2026-01-02', '2026-01-01'),
      compareDates('2026-01-01', '2026-01-02'),
      compareDates('2026-01-01', '2026-01-01'),
    ]).toEqual([1, -1, 0]);
  });

  it('treats periods as inclusive at both ends', () => {
    const period = { start: '2026-01-01', end: '2026-01-31' };
    expect(['2025-12-31', '2026-01-01', '2026-01-31', '2026-02-01'].map((d) => isWithin(d, period))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('instants', () => {
  it.each(['2026-11-25T01:00:00.000Z', '2026-11-25T10:00:00+09:00', '2026-11-25T01:00Z'])(
    'accepts %s',
    (i) => {
      expect(isInstant(i)).toBe(true);
    },
  );

  it.each(['2026-11-25', '2026-11-25T01:00:00', '2026-02-30T00:00:00Z', 'now', 0])('refuses %p', (i) => {
    expect(isInstant(i)).toBe(false);
  });

  it('gives the Japan calendar day of an instant late in the UTC day', () => {
    expect(tokyoDateOf('2026-11-24T15:00:00.000Z')).toBe('2026-11-25');
  });

  it('gives the same Japan day just before midnight Tokyo time', () => {
    expect(tokyoDateOf('2026-11-24T14:59:59.999Z')).toBe('2026-11-24');
  });

  it('throws on something that is not an instant', () => {
    expect(() => tokyoDateOf('never')).toThrow(RangeError);
  });
});
