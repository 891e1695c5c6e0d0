import type { ValueTransformer } from 'typeorm';

/** pg returns BIGINT as string; positions stay below 2^53 so a JS number is exact. */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** JSON kept as text (documents the database never looks into): parsed on read, stringified on write. */
export const jsonText: ValueTransformer = {
  // Stryker disable next-line ConditionalExpression: equivalent, JSON.stringify(undefined) is undefined too
  to: (v: unknown) => (v === null || v === undefined ? v : JSON.stringify(v)),
  from: (v: string | null) => (v === null ? null : (JSON.parse(v) as unknown)),
};
