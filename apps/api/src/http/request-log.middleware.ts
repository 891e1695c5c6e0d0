import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { MetricsService } from '../health/metrics.service';
import type { CorrelatedRequest } from './correlation.middleware';

/** Route label of requests no route matched (404/405 from the edge): never the raw path, which a caller picks. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * One structured log line and one histogram sample per response, taken when the response is finished: the
 * status is the one the client got, whoever set it (the handler, the error filter, a guard's 401/403, a pipe's
 * 400, the edge middlewares' 405/413). An interceptor would miss guard rejections (guards run before
 * interceptors) and see 200 for errors the filter maps later. Requests the client abandons are logged with
 * status 499, as nginx does, and counted so.
 */
export function requestLogMiddleware(metrics: MetricsService, logger = new Logger('http')) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = (aborted: boolean): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const r = req as Request & AuthenticatedRequest & CorrelatedRequest;
      const route = (r.route as { path?: string } | undefined)?.path ?? UNMATCHED_ROUTE;
      const status = aborted ? 499 : res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      logger.log({
        msg: 'request',
        method: req.method,
        route,
        // The log may name what an unmatched request asked for (the metric label may not: unbounded values).
        ...(route === UNMATCHED_ROUTE ? { path: req.path } : {}),
        status,
        ms: Math.round(seconds * 1000),
        correlationId: r.correlationId,
        actor: r.principal ? `${r.principal.role}:${r.principal.subject}` : undefined,
      });
    };
    res.on('finish', () => record(false));
    res.on('close', () => record(!res.writableFinished));
    next();
  };
}
