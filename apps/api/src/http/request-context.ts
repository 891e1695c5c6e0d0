import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../infrastructure/command-context';
import type { CorrelatedRequest } from './correlation.middleware';
import type { IdempotentRequest } from './idempotency.interceptor';

/**
 * The command context of an authenticated request: principal, correlation id, the time of receipt, and the
 * Idempotency-Key with the outcome flag that IdempotencyInterceptor put on the request.
 */
export function commandContextOf(req: IdempotentRequest & CorrelatedRequest): CommandContext {
  if (!req.principal || !req.correlationId) throw new Error('Ctx used on an unauthenticated route');
  return {
    principal: req.principal,
    correlationId: req.correlationId,
    now: new Date().toISOString(),
    ...(req.idempotency ? { idempotency: req.idempotency } : {}),
    ...(req.commandOutcome ? { outcome: req.commandOutcome } : {}),
  };
}

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext =>
  commandContextOf(ctx.switchToHttp().getRequest<IdempotentRequest & CorrelatedRequest>()),
);
