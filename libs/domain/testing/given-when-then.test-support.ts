/**
 * Given / when / then for deciders (Emmett style):
 *   spec.given([events]).when(command).then([events])
 *   spec.given([events]).when(command).thenThrows(ErrorClass, { field: 'x' })
 *   spec.refuses([[name, () => [events], command, ErrorClass, { field: 'x' }], …])   (one test per row)
 */
export interface Decider<C, E, S> {
  readonly decide: (command: C, state: S) => E[];
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}

export type ErrorClass<T extends Error = Error> = abstract new (...args: never[]) => T;

/** A command the decider must refuse: [test name, the history before it, the command, the error, its fields]. */
export type Refusal<C, E> = readonly [
  name: string,
  given: () => readonly E[],
  when: C,
  error: ErrorClass,
  fields?: Readonly<Record<string, unknown>>,
];

export interface WhenClause<E, S> {
  then(expected: readonly E[]): void;
  /** Runs decide, applies the events, and hands the resulting state to an assertion. */
  thenState(assert: (state: S, events: readonly E[]) => void): void;
  thenThrows<T extends Error>(errorClass: ErrorClass<T>, expectedFields?: Partial<T>): void;
}

export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  const spec = {
    /** One test per row, named by its first column: given the history, the command throws that error. */
    refuses(rows: readonly Refusal<C, E>[]): void {
      // Each row goes whole, as one argument: Jest would take a missing last column for a done callback.
      it.each(rows.map((row) => [row[0], row] as const))('%s', (_name, [, given, command, error, fields]) =>
        spec.given(given()).when(command).thenThrows(error, fields),
      );
    },
    given(history: readonly E[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        when(command: C): WhenClause<E, S> {
          return {
            then(expected) {
              expect(decider.decide(command, state)).toEqual(expected);
            },
            thenState(assert) {
              const events = decider.decide(command, state);
              assert(events.reduce(decider.evolve, state), events);
            },
            thenThrows(errorClass, expectedFields) {
              let thrown: unknown;
              try {
                decider.decide(command, state);
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorClass);
              if (expectedFields !== undefined) expect(thrown).toMatchObject(expectedFields);
            },
          };
        },
      };
    },
  };
  return spec;
}

/** What `fn` throws (undefined when it returns): for checking a refusal's class, code, field and words at once. */
export function refusalOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
