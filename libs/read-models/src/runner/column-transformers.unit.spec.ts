import { bigintNumber, jsonText } from './column-transformers';

describe('column transformers', () => {
  it('BIGINT text from pg becomes a number; null stays null; numbers are written as they are', () => {
    expect(bigintNumber.from('9007199254740991')).toBe(9007199254740991);
    expect(bigintNumber.from(null)).toBeNull();
    expect(bigintNumber.to(42)).toBe(42);
  });

  it('JSON text is parsed on read and written as text; null and undefined are not documents', () => {
    expect(jsonText.from('{"a":[1,"b"]}')).toEqual({ a: [1, 'b'] });
    expect(jsonText.from(null)).toBeNull();
    expect(jsonText.to({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
    expect(jsonText.to('x')).toBe('"x"');
    expect(jsonText.to(null)).toBeNull();
    expect(jsonText.to(undefined)).toBeUndefined();
  });
});
