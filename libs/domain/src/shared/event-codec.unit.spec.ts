import { eventCodec, streamDecider, streamNames, UndecodableEventError } from './event-codec';

type Ev =
  | { readonly type: 'Opened'; readonly schemaVersion: 2; readonly data: { readonly name: string } }
  | { readonly type: 'Closed'; readonly schemaVersion: 1; readonly data: { readonly at: string } };

/** `Opened` v1 stored `{ title }`; v2 calls it `name`. */
const codec = eventCodec<Ev>(
  ['Opened', 'Closed'],
  { Opened: 2 },
  {
    Opened: { 1: (data) => ({ name: (data as { title: string }).title }) },
  },
);

describe('event codec: the one seam from stored events to domain events', () => {
  it('decodes a current event as it is', () => {
    expect(codec.decode({ type: 'Closed', schemaVersion: 1, data: { at: 'x' } })).toEqual({
      type: 'Closed',
      schemaVersion: 1,
      data: { at: 'x' },
    });
  });

  it('upcasts an older stored version to the current one', () => {
    expect(codec.decode({ type: 'Opened', schemaVersion: 1, data: { title: 'a' } })).toEqual({
      type: 'Opened',
      schemaVersion: 2,
      data: { name: 'a' },
    });
  });

  it('refuses an unknown type and a version newer than it knows', () => {
    expect(() => codec.decode({ type: 'Renamed', schemaVersion: 1, data: {} })).toThrow(
      UndecodableEventError,
    );
    expect(() => codec.decode({ type: 'Closed', schemaVersion: 2, data: {} })).toThrow(
      /unknown schema version/,
    );
    expect(codec.canDecode({ type: 'Opened', schemaVersion: 3, data: {} })).toBe(false);
    expect(codec.canDecode({ type: 'Opened', schemaVersion: 1, data: {} })).toBe(true);
  });

  it('says why: an unknown type, or a version it cannot read (not a whole number, below 1, newer)', () => {
    expect(codec.canDecode({ type: 'Renamed', schemaVersion: 1, data: {} })).toBe(false);
    expect(() => codec.decode({ type: 'Renamed', schemaVersion: 1, data: {} })).toThrow(
      'cannot decode stored event Renamed v1: unknown type',
    );
    for (const schemaVersion of [Number.NaN, 3]) {
      expect(codec.canDecode({ type: 'Opened', schemaVersion, data: {} })).toBe(false);
      expect(() => codec.decode({ type: 'Opened', schemaVersion, data: {} })).toThrow(
        `cannot decode stored event Opened v${schemaVersion}: unknown schema version`,
      );
    }
    // Version 0 is refused as such, even where an upcaster (wrongly) claims it.
    const fromZero = eventCodec<Ev>(
      ['Opened', 'Closed'],
      { Opened: 2 },
      { Opened: { 0: (d) => d, 1: (d) => d } },
    );
    expect(fromZero.canDecode({ type: 'Opened', schemaVersion: 0, data: {} })).toBe(false);
    expect(fromZero.canDecode({ type: 'Opened', schemaVersion: 1, data: {} })).toBe(true);
  });

  it('throws an UndecodableEventError by that name, carrying the stored type and version', () => {
    let thrown: unknown;
    try {
      codec.decode({ type: 'Renamed', schemaVersion: 4, data: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UndecodableEventError);
    expect(thrown).toMatchObject({ name: 'UndecodableEventError', type: 'Renamed', schemaVersion: 4 });
  });

  it('refuses an old version no upcaster reaches', () => {
    const strict = eventCodec<Ev>(['Opened', 'Closed'], { Opened: 2 });
    expect(() => strict.decode({ type: 'Opened', schemaVersion: 1, data: { title: 'a' } })).toThrow(
      UndecodableEventError,
    );
  });
});

describe('a stream family and its decider', () => {
  it('names a stream by prefix and id', () => {
    expect(streamNames('partner-')('P-001')).toBe('partner-P-001');
  });

  it('reads stored events through the codec and decides with the aggregate', () => {
    const decide = (command: string): Ev[] => [{ type: 'Closed', schemaVersion: 1, data: { at: command } }];
    const evolve = (count: number): number => count + 1;
    const decider = streamDecider(codec, decide, evolve, 0);
    expect(decider.decode({ type: 'Opened', schemaVersion: 1, data: { title: 't' } })).toEqual({
      type: 'Opened',
      schemaVersion: 2,
      data: { name: 't' },
    });
    expect(decider.decide('now', 0)).toEqual([{ type: 'Closed', schemaVersion: 1, data: { at: 'now' } }]);
    expect(decider.evolve(decider.initialState, decide('x')[0]!)).toBe(1);
  });
});
