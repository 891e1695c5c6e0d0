import {
  BadRequestException,
  type CallHandler,
  ConflictException,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, type Observable } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { auditActor } from '../infrastructure/command-context';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;
/** A claim left pending this long (the process died mid-request) may be taken over by a retry. */
const ABANDONED_AFTER = '60 seconds';
const REPLAYED_HEADERS = ['etag', 'location'];

/**
 * `Idempotency-Key` on a command: the first request claims (caller, key); its successful answer is stored
 * and replayed for retries, which append nothing. The same key with a different request → 422; a retry while
 * the first is still running → 409. A failed first attempt releases the key, so a retry runs again.
 * The record table is a response cache, not a read model: it is not rebuilt from events.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly db: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest & Request>();
    const res = http.getResponse<Response>();
    const key = req.header('idempotency-key');
    if (key === undefined || req.method !== 'POST' || !req.principal) return next.handle();
    if (!KEY.test(key)) {
      throw new BadRequestException({
        code: 'validation_failed',
        field: 'Idempotency-Key',
        message: 'Idempotency-Key: 1–200 characters of A–Z a–z 0–9 . _ : -',
      });
    }
    const principal = auditActor(req.principal);
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl} ${JSON.stringify(req.body ?? null)}`)
      .digest('hex');

    return from(this.claim(principal, key, fingerprint)).pipe(
      mergeMap((claimed) => {
        if (claimed) {
          return next.handle().pipe(
            mergeMap(async (body: unknown) => {
              const headers: Record<string, string> = {};
              for (const h of REPLAYED_HEADERS) {
                const v = res.getHeader(h);
                if (typeof v === 'string') headers[h] = v;
              }
              await this.db.query(
                `UPDATE idempotency_record SET status = $3, body = $4::jsonb, headers = $5::jsonb WHERE principal = $1 AND key = $2`,
                [principal, key, res.statusCode, JSON.stringify(body ?? null), JSON.stringify(headers)],
              );
              return body;
            }),
            catchError(async (error: unknown) => {
              await this.db.query(
                `DELETE FROM idempotency_record WHERE principal = $1 AND key = $2 AND status = 0`,
                [principal, key],
              );
              throw error;
            }),
          );
        }
        return from(this.replay(principal, key, fingerprint, res));
      }),
    );
  }

  private async claim(principal: string, key: string, fingerprint: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO idempotency_record (principal, key, fingerprint, status, body, headers)
       VALUES ($1, $2, $3, 0, 'null', '{}')
       ON CONFLICT (principal, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now()
         WHERE idempotency_record.status = 0 AND idempotency_record.created_at < now() - interval '${ABANDONED_AFTER}'
       RETURNING key`,
      [principal, key, fingerprint],
    );
    return rows.length > 0;
  }

  private async replay(principal: string, key: string, fingerprint: string, res: Response): Promise<unknown> {
    const rows: { fingerprint: string; status: number; body: unknown; headers: Record<string, string> }[] =
      await this.db.query(
        `SELECT fingerprint, status, body, headers FROM idempotency_record WHERE principal = $1 AND key = $2`,
        [principal, key],
      );
    const row = rows[0];
    if (!row) throw new ConflictException({ code: 'idempotency_conflict', message: 'retry the request' });
    if (row.fingerprint !== fingerprint) {
      throw new UnprocessableEntityException({
        code: 'idempotency_key_reused',
        field: 'Idempotency-Key',
        message: 'Idempotency-Key was already used for a different request',
      });
    }
    if (row.status === 0) {
      throw new ConflictException({
        code: 'request_in_progress',
        field: 'Idempotency-Key',
        message: 'a request with this Idempotency-Key is still running',
      });
    }
    res.status(row.status);
    for (const [h, v] of Object.entries(row.headers)) res.setHeader(h, v);
    res.setHeader('Idempotent-Replayed', 'true');
    return row.body;
  }
}
