import type { ValueTransformer } from 'typeorm';

/** pg returns BIGINT as string; positions stay below 2^53 so a JS number is exact. */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
