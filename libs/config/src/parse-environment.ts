import type { ValueOf, Variable } from './variable';

/** A set of variables by name: the part of the environment one process reads. */
export type Variables = Readonly<Record<string, Variable<unknown>>>;
export type ValuesOf<S extends Variables> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** The environment as a process receives it (process.env, or a test's record). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Bad configuration, one line per bad variable: `NAME: expected <shape>, got <what was given>`. Thrown (or
 * returned) before anything connects; the process's main prints the lines and exits (see `configOrExit`).
 */
export class InvalidConfigurationError extends Error {
  override readonly name = 'InvalidConfigurationError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * What was given, as an error line may show it: a secret by its length only, a URL without its password.
 * Values are quoted (JSON) so that blanks and odd characters show.
 */
export function describeGiven(raw: string | undefined, secret = false): string {
  if (raw === undefined || raw.trim() === '') return 'nothing';
  if (secret) return `a value of ${raw.length} characters (not shown)`;
  return JSON.stringify(raw.replace(/(\/\/[^:/@]*:)[^@/]*@/g, '$1***@'));
}

export function problemLine(name: string, expected: string, raw: string | undefined, secret = false): string {
  return `${name}: expected ${expected}, got ${describeGiven(raw, secret)}`;
}

/**
 * Parses every variable of `variables` from `env`. Collects one problem line per bad variable (all of them, not
 * only the first) into `problems`; the values of bad variables are their fallbacks, so that cross-variable rules
 * can still run and add their own lines.
 */
export function parseVariables<S extends Variables>(
  variables: S,
  env: Environment,
  problems: string[],
): ValuesOf<S> {
  const values: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(variables)) {
    const raw = env[name];
    const trimmed = raw?.trim();
    if (trimmed === undefined || trimmed === '') {
      values[name] = v.fallback;
      continue;
    }
    const parsed = v.schema.safeParse(trimmed);
    if (parsed.success) values[name] = parsed.data;
    else {
      problems.push(problemLine(name, v.expected, raw, v.secret));
      values[name] = v.fallback;
    }
  }
  return values as ValuesOf<S>;
}
