import { z } from 'zod';

/**
 * One environment variable: its zod schema (over the trimmed text), the shape it expects in words (the error
 * line says it), and whether its value may be printed. Unset and blank are the same: the default applies.
 */
export interface Variable<T> {
  readonly schema: z.ZodType<T, string>;
  /** What a good value looks like, for the error line: "an integer from 1 to 65535". */
  readonly expected: string;
  /** The value when unset or blank; undefined means "none" (the variable is optional). */
  readonly fallback: T | undefined;
  /** A key, token or password: an error line gives its length, never the value. */
  readonly secret: boolean;
}

export type ValueOf<V> = V extends Variable<infer T> ? T : never;

export interface VariableOptions<T> {
  readonly expected: string;
  readonly fallback?: T;
  readonly secret?: boolean;
}

export function variable<T>(
  schema: z.ZodType<T, string>,
  options: VariableOptions<T> & { fallback: T },
): Variable<T>;
export function variable<T>(
  schema: z.ZodType<T, string>,
  options: VariableOptions<T>,
): Variable<T | undefined>;
export function variable<T>(
  schema: z.ZodType<T, string>,
  options: VariableOptions<T>,
): Variable<T | undefined> {
  return {
    schema,
    expected: options.expected,
    fallback: options.fallback,
    secret: options.secret ?? false,
  };
}

const digits = z.string().regex(/^\d{1,9}$/);

/** A whole number in [min, max]. */
export function integer(min: number, max: number, fallback: number): Variable<number>;
export function integer(min: number, max: number): Variable<number | undefined>;
export function integer(min: number, max: number, fallback?: number): Variable<number | undefined> {
  const schema = digits.transform(Number).pipe(z.number().int().min(min).max(max));
  return variable(schema, {
    expected: `an integer from ${min} to ${max}`,
    ...(fallback === undefined ? {} : { fallback }),
  });
}

/** `true` or `false`, nothing else (a typo such as `flase` must not silently mean one of them). */
export function flag(fallback: boolean): Variable<boolean> {
  return variable(
    z.enum(['true', 'false']).transform((v) => v === 'true'),
    { expected: 'true or false', fallback },
  );
}

export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
): Variable<T[number]> {
  return variable(z.enum(values), { expected: `one of ${values.join(', ')}`, fallback });
}

export function text(fallback: string): Variable<string>;
export function text(
  fallback?: undefined,
  options?: { readonly secret?: boolean },
): Variable<string | undefined>;
export function text(
  fallback?: string,
  options: { readonly secret?: boolean } = {},
): Variable<string | undefined> {
  return variable(z.string().min(1), {
    expected: 'a non-empty text',
    ...(fallback === undefined ? {} : { fallback }),
    ...(options.secret ? { secret: true } : {}),
  });
}

/** A PostgreSQL schema name as this service quotes it: letters, digits and `_`, at most 63 bytes. */
export function sqlIdentifier(fallback: string): Variable<string> {
  return variable(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/), {
    expected: 'a schema name (letters, digits, _; at most 63)',
    fallback,
  });
}

/** A URL with one of the given schemes (`postgres`, `esdb`, …). */
export function url(schemes: readonly string[], expected: string): Variable<string | undefined> {
  const schema = z.string().refine((v) => {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\/[^/?#]/i.exec(v)?.[1]?.toLowerCase();
    return scheme !== undefined && schemes.includes(scheme);
  });
  return variable(schema, { expected });
}
