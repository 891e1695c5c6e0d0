import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** `If-Match: "3"` (or W/"3", or 3) → 3; absent → undefined; anything else → 400 naming the header. */
export function ifMatchOf(req: Request): number | undefined {
  const raw = req.header('if-match');
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m?.[1]) {
    throw new BadRequestException({
      code: 'validation_failed',
      field: 'If-Match',
      message: 'If-Match: must be a ticket revision such as "3"',
    });
  }
  return Number(m[1]);
}

export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): number | undefined =>
  ifMatchOf(ctx.switchToHttp().getRequest<Request>()),
);
