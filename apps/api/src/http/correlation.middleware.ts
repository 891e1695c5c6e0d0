import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_HEADER = 'x-correlation-id';
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export type CorrelatedRequest = Request & { correlationId?: string };

/** Takes the caller's correlation id (or makes one), echoes it, and hangs it on the request for commands/logs. */
export function correlationMiddleware(req: CorrelatedRequest, res: Response, next: NextFunction): void {
  const given = req.header(CORRELATION_HEADER);
  const id = given && VALID.test(given) ? given : randomUUID();
  req.correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
  next();
}
