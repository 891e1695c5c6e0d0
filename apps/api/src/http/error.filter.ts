import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { CorrelatedRequest } from './correlation.middleware';
import { toHttpError } from './error-mapping';

/** The one place where errors become HTTP responses (domain and store errors are mapped in error-mapping.ts). */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<CorrelatedRequest>();
    const mapped = toHttpError(exception);
    if (mapped.status >= 500) {
      this.logger.error({
        msg: 'unhandled error',
        correlationId: req.correlationId,
        error: exception instanceof Error ? exception.stack : String(exception),
      });
    }
    for (const [k, v] of Object.entries(mapped.headers ?? {})) res.setHeader(k, v);
    res.status(mapped.status).json({ ...mapped.body, correlationId: req.correlationId });
  }
}

export { HttpException };
