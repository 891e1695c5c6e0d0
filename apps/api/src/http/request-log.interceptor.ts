import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { finalize } from 'rxjs/operators';
import { MetricsService } from '../health/metrics.service';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { CorrelatedRequest } from './correlation.middleware';

/** One structured log line and one histogram sample per request, with the correlation id and the caller. */
@Injectable()
export class RequestLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('http');
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & AuthenticatedRequest & CorrelatedRequest>();
    const res = http.getResponse<Response>();
    const started = process.hrtime.bigint();
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
    return next.handle().pipe(
      finalize(() => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.httpDuration.observe(
          { method: req.method, route, status: String(res.statusCode) },
          seconds,
        );
        this.logger.log({
          msg: 'request',
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
          correlationId: req.correlationId,
          actor: req.principal ? `${req.principal.role}:${req.principal.subject}` : undefined,
        });
      }),
    );
  }
}
