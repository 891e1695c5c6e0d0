import { utcTextToIso } from './postgres-event-store';

describe('utcTextToIso (page reads)', () => {
  it.each([
    ['2026-11-25 01:00:00.123456', '2026-11-25T01:00:00.123Z'],
    ['2026-11-25 01:00:00.123999', '2026-11-25T01:00:00.123Z'], // truncated, as to_char MS
    ['2026-11-25 01:00:00.12', '2026-11-25T01:00:00.120Z'], // the server trims trailing zeros
    ['2026-11-25 01:00:00.1', '2026-11-25T01:00:00.100Z'],
    ['2026-11-25 01:00:00', '2026-11-25T01:00:00.000Z'],
    ['2024-02-29 23:59:59.999999', '2024-02-29T23:59:59.999Z'],
  ])('%s -> %s', (text, iso) => {
    expect(utcTextToIso(text)).toBe(iso);
    expect(new Date(iso).toISOString()).toBe(iso);
  });
});
