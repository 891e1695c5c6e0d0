/**
 * Given / when / then for deciders (Emmett style):
 *   spec.given([events]).when(command).then([events])
 *   spec.given([events]).when(command).thenThrows(ErrorClass, { field: 'x' })
 *   spec.refuses([[name, () => [events], command, ErrorClass, { field: 'x' }], …])   (one test per row)
 *   spec.records([[name, () => [events], command, [events]], …])                     (one test per row)
 *   spec.leadsTo([[name, () => [events], command, { status: 'x' }], …])              (one test per row)
 * and the histories to start from: spec.history(...commands), spec.stateAfter(...commands).
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

/** A command the decider must accept: [test name, the history before it, the command, the events it records]. */
export type Recording<C, E> = readonly [name: string, given: () => readonly E[], when: C, then: readonly E[]];

/** [test name, the history before it, the command, what the state then holds (`toMatchObject`)]. */
export type Outcome<C, E> = readonly [
  name: string,
  given: () => readonly E[],
  when: C,
  state: Readonly<Record<string, unknown>>,
];

export interface WhenClause<E, S> {
  then(expected: readonly E[]): void;
  /** Runs decide, applies the events, and hands the resulting state to an assertion. */
  thenState(assert: (state: S, events: readonly E[]) => void): void;
  thenThrows<T extends Error>(errorClass: ErrorClass<T>, expectedFields?: Partial<T>): void;
}

export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  // Each row goes whole, as one argument: Jest would take a missing last column for a done callback.
  const eachRow = <R extends readonly [string, ...unknown[]]>(rows: readonly R[], test: (row: R) => void) =>
    it.each(rows.map((row) => [row[0], row] as const))('%s', (_name, row) => test(row));
  const spec = {
    /** One test per row, named by its first column: given the history, the command throws that error. */
    refuses(rows: readonly Refusal<C, E>[]): void {
      eachRow(rows, ([, given, command, error, fields]) =>
        spec.given(given()).when(command).thenThrows(error, fields),
      );
    },
    /** One test per row: given the history, the command records exactly these events. */
    records(rows: readonly Recording<C, E>[]): void {
      eachRow(rows, ([, given, command, expected]) => spec.given(given()).when(command).then(expected));
    },
    /** One test per row: given the history, the events of the command leave a state that holds these fields. */
    leadsTo(rows: readonly Outcome<C, E>[]): void {
      eachRow(rows, ([, given, command, expected]) =>
        spec
          .given(given())
          .when(command)
          .thenState((state) => expect(state).toMatchObject(expected)),
      );
    },
    /** The events a sequence of commands records, each step through decide as in production. */
    history: (...commands: readonly C[]): E[] => {
      const events: E[] = [];
      let state = decider.initialState;
      for (const command of commands) {
        const produced = decider.decide(command, state);
        events.push(...produced);
        state = produced.reduce(decider.evolve, state);
      }
      return events;
    },
    stateAfter: (...commands: readonly C[]): S =>
      spec.history(...commands).reduce(decider.evolve, decider.initialState),
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
