import { refusalOf as refusal } from '../../testing/given-when-then.test-support';
import { ValidationError } from './domain-errors';
import { optionalText, requireBoolean, requireDate, requireOneOf, requireText } from './validation';

/** The guards name the field and say what was expected: the text a client reads in a 400. */

describe('validation guards', () => {
  it.each<[string, () => unknown, string, string]>([
    ['requireText, blank', () => requireText('  ', 'detail'), 'detail', 'must be a non-empty string'],
    ['requireText, not a string', () => requireText(7, 'detail'), 'detail', 'must be a non-empty string'],
    [
      'requireDate',
      () => requireDate('2025-02-30', 'saleDate'),
      'saleDate',
      'must be a YYYY-MM-DD calendar date',
    ],
    ['requireBoolean', () => requireBoolean('true', 'soldInJapan'), 'soldInJapan', 'must be true or false'],
    [
      'requireOneOf',
      () => requireOneOf('lost', ['camera', 'recorder'], 'category'),
      'category',
      'must be one of camera, recorder',
    ],
    [
      'requireOneOf, not a string',
      () => requireOneOf(1, ['camera', 'recorder'], 'category'),
      'category',
      'must be one of camera, recorder',
    ],
  ])('%s names the field and the expectation', (_, guard, field, reason) => {
    expect(refusal(guard)).toMatchObject({
      constructor: ValidationError,
      code: 'validation_failed',
      field,
      reason,
      message: `${field}: ${reason}`,
    });
  });

  it('hands back accepted values unchanged', () => {
    expect([
      requireText('SN-1', 'serialNumber'),
      requireDate('2025-01-10', 'saleDate'),
      requireBoolean(false, 'soldInJapan'),
      requireOneOf('camera', ['camera', 'recorder'], 'category'),
    ]).toEqual(['SN-1', '2025-01-10', false, 'camera']);
  });
});

describe('optionalText', () => {
  it('reads a missing, empty or blank note as no note', () => {
    expect([optionalText(undefined), optionalText(null), optionalText(''), optionalText(' \t ')]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('keeps a note with text', () => {
    expect(optionalText('lens cracked')).toBe('lens cracked');
  });
});
