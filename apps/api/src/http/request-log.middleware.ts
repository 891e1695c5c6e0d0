import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { MetricsService } from '../health/metrics.service';
import { LOGGER_MIDDLEWARE_ROUTE } from '../logging/logging.params';
import type { CorrelatedRequest } from './correlation.middleware';

/** Route label of requests no route matched (404/405 from the edge): never the raw path, which a caller picks. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The one log line of a request. Never headers or bodies: what a caller sends may hold credentials. */
export interface RequestLogLine {
  readonly method: string;
  readonly path: string;
  /** The route template (`/tickets/:id`), or UNMATCHED_ROUTE; the metric's label. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly correlationId: string | undefined;
  /** `role:subject` of an authenticated caller. */
  readonly actor: string | undefined;
}

/**
 * Where request lines go: the process's root pino logger (main.ts; `error` for 5xx, `info` otherwise, so
 * LOG_LEVEL=warn keeps only the failures), or Nest's logger when none is given (the tests' apps, silent).
 */
export function requestLogWriter(root: Pino | undefined): (line: RequestLogLine) => void {
  if (root) {
    const http = root.child({ context: 'http' });
    return (line) => (line.status >= 500 ? http.error(line, 'request') : http.info(line, 'request'));
  }
  const logger = new Logger('http');
  return (line) => logger.log({ msg: 'request', ...line });
}

/**
 * One structured log line and one histogram sample per response, taken when the response is finished: the
 * status is the one the client got, whoever set it (the handler, the error filter, a guard's 401/403, a pipe's
 * 400, the edge middlewares' 405/413). An interceptor would miss guard rejections (guards run before
 * interceptors) and see 200 for errors the filter maps later. Requests the client abandons are logged with
 * status 499, as nginx does, and counted so.
 */
export function requestLogMiddleware(
  metrics: MetricsService,
  write: (line: RequestLogLine) => void = requestLogWriter(undefined),
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = (aborted: boolean): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const r = req as Request & AuthenticatedRequest & CorrelatedRequest;
      // A request no handler took has no route, or that of the logger's catch-all middleware (main.ts).
      const matched = (r.route as { path?: string } | undefined)?.path;
      const route = matched === undefined || matched === LOGGER_MIDDLEWARE_ROUTE ? UNMATCHED_ROUTE : matched;
      const status = aborted ? 499 : res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      write({
        method: req.method,
        // The log names the path asked for (the metric label may not: unbounded values); no query string.
        path: req.path,
        route,
        status,
        durationMs: Math.round(seconds * 1000),
        correlationId: r.correlationId,
        actor: r.principal ? `${r.principal.role}:${r.principal.subject}` : undefined,
      });
    };
    res.on('finish', () => record(false));
    res.on('close', () => record(!res.writableFinished));
    next();
  };
}
