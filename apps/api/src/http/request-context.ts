import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { CommandContext } from '../infrastructure/command-context';
import type { CorrelatedRequest } from './correlation.middleware';

/** The command context of an authenticated request: principal, correlation id and the time of receipt. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest & CorrelatedRequest>();
  if (!req.principal || !req.correlationId) throw new Error('Ctx used on an unauthenticated route');
  return { principal: req.principal, correlationId: req.correlationId, now: new Date().toISOString() };
});
