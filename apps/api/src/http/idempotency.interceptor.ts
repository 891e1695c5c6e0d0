import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs/operators';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { IdempotencyKey } from '../infrastructure/idempotency';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/** The header in the OpenAPI document of every command controller: what portal builders must know. */
export const IdempotencyKeyHeader = (): ClassDecorator & MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Send one on every command (1–200 of A–Z a–z 0–9 . _ : -, e.g. a UUID per user action) and reuse it for retries: ' +
      'a retry gets the first answer (Idempotent-Replayed: true) and acts once, even after a crash or a lost answer; ' +
      'without a key a retried filing files a second ticket. The same key on another request → 422.',
  });

/** What the command edge hangs on a request: the caller's key, and whether the answer was a replay. */
export type IdempotentRequest = AuthenticatedRequest & {
  idempotency?: IdempotencyKey;
  commandOutcome?: { replayed: boolean };
};

/**
 * `Idempotency-Key` on a command: checks the header, fingerprints the request (method, path, body) and hands
 * both to the handler through the command context (request-context.ts). The handler derives the command's
 * event ids from the key, so the event store itself decides whether the command already ran
 * (infrastructure/idempotency.ts); this only marks a replayed answer with `Idempotent-Replayed: true`.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<IdempotentRequest & Request>();
    const res = http.getResponse<Response>();
    const key = req.header('idempotency-key');
    req.commandOutcome = { replayed: false };
    if (key !== undefined && req.method === 'POST' && req.principal) {
      if (!KEY.test(key)) {
        throw new BadRequestException({
          code: 'validation_failed',
          field: 'Idempotency-Key',
          message: 'Idempotency-Key: 1–200 characters of A–Z a–z 0–9 . _ : -',
        });
      }
      const fingerprint = createHash('sha256')
        .update(`${req.method} ${req.originalUrl} ${JSON.stringify(req.body ?? null)}`)
        .digest('hex');
      req.idempotency = { key, fingerprint };
    }
    return next.handle().pipe(
      tap(() => {
        if (req.commandOutcome?.replayed) res.setHeader('Idempotent-Replayed', 'true');
      }),
    );
  }
}
