/**
 * What a describe block's `beforeAll` makes and its `afterAll` disposes, handed out at once: the object returned
 * stands for the value, which it reads when a test touches it (before `beforeAll` has run there is none, and
 * touching it throws). So a suite writes `const app = useX()` once, instead of `let` variables and two hooks.
 */
export function suiteFixture<T extends object>(
  start: () => Promise<T>,
  dispose: (value: T) => Promise<void>,
): T {
  let value: T | undefined;
  const current = (): T => {
    if (value === undefined)
      throw new Error('suite fixture read before beforeAll made it: use it inside tests');
    return value;
  };
  beforeAll(async () => {
    value = await start();
  });
  afterAll(async () => {
    if (value !== undefined) await dispose(value);
  });
  return new Proxy({} as T, { get: (_, property) => Reflect.get(current(), property) as unknown });
}
