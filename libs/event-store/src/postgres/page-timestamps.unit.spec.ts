import { epochTextToIso } from './postgres-event-store';

describe('epochTextToIso (page reads)', () => {
  it.each([
    ['1764032400.123456', '2025-11-25T01:00:00.123Z'],
    ['1764032400.123999', '2025-11-25T01:00:00.123Z'], // truncated, as to_char MS
    ['1764032400.120000', '2025-11-25T01:00:00.120Z'],
    ['1764032400.1', '2025-11-25T01:00:00.100Z'],
    ['1764032400', '2025-11-25T01:00:00.000Z'],
    ['1709251199.999999', '2024-02-29T23:59:59.999Z'],
  ])('%s -> %s', (text, iso) => {
    expect(epochTextToIso(text)).toBe(iso);
  });

  it('formats each value on its own when seconds alternate (the per-second cache)', () => {
    const a = '1764032400.5';
    const b = '1764032401.25';
    expect([a, a, b, a, b].map(epochTextToIso)).toEqual([
      '2025-11-25T01:00:00.500Z',
      '2025-11-25T01:00:00.500Z',
      '2025-11-25T01:00:01.250Z',
      '2025-11-25T01:00:00.500Z',
      '2025-11-25T01:00:01.250Z',
    ]);
  });
});
