import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { CorrelatedRequest } from './correlation.middleware';
import { type HttpError, toHttpError } from './error-mapping';

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
    res.setHeader('Content-Type', PROBLEM_JSON);
    res.status(mapped.status).json(capped({ ...problemOf(mapped), correlationId: req.correlationId }));
  }
}

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * RFC 9457 problem details: `type` (one per `code`), `title` (the status's reason phrase), `status`, `detail`
 * (the message), then the members clients already read (`code`, `message`, `field`, `rule`, `currentRevision`…).
 */
export function problemOf(mapped: HttpError): Record<string, unknown> {
  const { code, message } = mapped.body;
  return {
    ...mapped.body,
    type: `${PROBLEM_TYPE_PREFIX}${code}`,
    title: STATUS_CODES[mapped.status] ?? 'Error',
    status: mapped.status,
    detail: message,
  };
}

/** Problem types are URNs named by the error's code (they identify the problem; nothing to dereference). */
export const PROBLEM_TYPE_PREFIX = 'urn:ipro-repair:problem:';

/** Error bodies stay small whatever the request echoed into them (field names, ids, messages). */
export const MAX_ERROR_BODY_BYTES = 8 * 1024;

function capped(body: Record<string, unknown>): Record<string, unknown> {
  const size = (b: unknown): number => Buffer.byteLength(JSON.stringify(b));
  if (size(body) <= MAX_ERROR_BODY_BYTES) return body;
  const out: Record<string, unknown> = { ...body };
  const errors = Array.isArray(out.errors) ? [...(out.errors as unknown[])] : undefined;
  while (errors?.length && size({ ...out, errors }) > MAX_ERROR_BODY_BYTES) errors.pop();
  if (errors) out.errors = errors;
  for (const [k, v] of Object.entries(out))
    if (typeof v === 'string' && v.length > 500) out[k] = `${v.slice(0, 500)}…`;
  if (size(out) > MAX_ERROR_BODY_BYTES) delete out.errors;
  return out;
}

export { HttpException };
