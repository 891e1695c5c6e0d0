import { InvalidEventStoreInputError } from '../errors';
import type { JsonValue } from '../event-store.port';
import { canonicalJson } from './canonical-json';
import { chainHash, eventContent, findBrokenLink, type StoredEventWithHash } from './hash-chain';
import { checkJson, checkNewEvents } from './validate-input';

const fieldOf = (act: () => void): string | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    return error instanceof InvalidEventStoreInputError ? error.field : `unexpected ${String(error)}`;
  }
};

describe('canonical JSON', () => {
  it('is independent of key order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 2, f: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 'x', a: [true, 1.5, 'é\n'] })).toBe('{"a":[true,1.5,"é\\n"],"b":"x"}');
  });
});

describe('JSON input checks name the offending field', () => {
  const cyclic: Record<string, unknown> = { a: [] };
  (cyclic['a'] as unknown[]).push(cyclic);
  it.each<[string, unknown, string]>([
    ['a BigInt', { amount: 1n }, 'data.amount'],
    ['a cycle', cyclic, 'data.a[0]'],
    ['NaN', { x: [NaN] }, 'data.x[0]'],
    ['a function', { f: () => 1 }, 'data.f'],
    ['undefined in an array', [undefined], 'data[0]'],
    ['a Date (not plain JSON)', { at: new Date(0) }, 'data.at'],
    ['a NUL character', { s: 'a\u0000b' }, 'data.s'],
  ])('%s', (_label, value, field) => {
    expect(fieldOf(() => checkJson('data', value))).toBe(field);
  });

  it('accepts plain JSON and absent (undefined) properties', () => {
    expect(
      fieldOf(() => checkJson('data', { a: [1, 'x', null, { b: false }], optional: undefined })),
    ).toBeUndefined();
  });

  it('refuses the same id twice in one append', () => {
    const e = {
      id: '6f1c5f7e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
      type: 'T',
      schemaVersion: 1,
      data: null,
      metadata: { correlationId: 'c', actor: 'a' },
    };
    expect(fieldOf(() => checkNewEvents([e, e]))).toBe('events[1].id');
  });
});

describe('hash chain', () => {
  const event = (revision: number, data: JsonValue, previous: string): StoredEventWithHash => {
    const base = {
      id: `id-${revision}`,
      type: 'T',
      schemaVersion: 1,
      data,
      metadata: { correlationId: 'c', actor: 'a' },
      stream: 's',
      revision,
      globalPosition: revision,
      recordedAt: '2026-01-01T00:00:00.000Z',
    };
    return { ...base, hash: chainHash(previous, 's', revision, eventContent(base)) };
  };

  it('accepts an intact chain and points at the first altered event', () => {
    const e0 = event(0, { a: 1 }, '');
    const e1 = event(1, { a: 2 }, e0.hash);
    const e2 = event(2, { a: 3 }, e1.hash);
    expect(findBrokenLink([e0, e1, e2])).toBeUndefined();
    expect(findBrokenLink([e0, { ...e1, data: { a: 9 } }, e2])?.event.revision).toBe(1);
    expect(findBrokenLink([e0, e2])?.reason).toBe('revision-gap');
  });
});
