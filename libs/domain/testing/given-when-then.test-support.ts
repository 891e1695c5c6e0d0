/**
 * Given / when / then for deciders (Emmett style):
 *   spec.given([events]).when(command).then([events])
 *   spec.given([events]).when(command).thenThrows(ErrorClass, { field: 'x' })
 */
export interface Decider<C, E, S> {
  readonly decide: (command: C, state: S) => E[];
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
}

type ErrorClass<T extends Error> = abstract new (...args: never[]) => T;

export interface WhenClause<E, S> {
  then(expected: readonly E[]): void;
  /** Runs decide, applies the events, and hands the resulting state to an assertion. */
  thenState(assert: (state: S, events: readonly E[]) => void): void;
  thenThrows<T extends Error>(errorClass: ErrorClass<T>, expectedFields?: Partial<T>): void;
}

export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
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
}
