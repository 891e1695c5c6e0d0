import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  Injectable,
  type NestInterceptor,
  RequestMapping,
  RequestMethod,
  type Type,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs/operators';
import { Roles } from '../auth/auth.decorators';
import { rolesFor } from '../auth/command-roles';
import { etag } from '../http/error-mapping';
import type { CorrelatedRequest } from '../http/correlation.middleware';
import type { IdempotentRequest } from '../http/idempotency.interceptor';
import { ifMatchOf } from '../http/if-match';
import { commandContextOf } from '../http/request-context';
import { ticketIdOf } from '../http/ticket-id.pipe';
import type { CommandContext } from '../infrastructure/command-context';
import type { ExistingTicketCommand } from './execute-ticket-command.handler';
import { commandPath, TICKET_COMMAND_METHOD, type TicketCommandType } from './ticket-routes';
import type { TicketView } from './ticket-view';

export type { TicketCommandType } from './ticket-routes';

/** A command as the edge hands it over: its type with that type's own data (a correlated union, no casts). */
export type TicketCommandInput = ExistingTicketCommand extends infer C
  ? C extends ExistingTicketCommand
    ? Pick<C, 'type' | 'data'>
    : never
  : never;

export interface TicketCommandRoute {
  /** The OpenAPI summary. */
  readonly summary: string;
  /** The body may be left out (documented as optional). */
  readonly optionalBody?: true;
}

/** The ticket a command route acts on, with the caller's context and the revision it expects (If-Match). */
export interface TicketTarget {
  readonly ticketId: string;
  readonly ctx: CommandContext;
  readonly ifMatch: number | undefined;
}

/**
 * One parameter for the route's ticket, context and If-Match. Checked in the order the separate parameters
 * were: a malformed If-Match, then a malformed id (400s naming the header or `id`), before the body.
 */
export const Target = createParamDecorator((_: unknown, ec: ExecutionContext): TicketTarget => {
  const req = ec.switchToHttp().getRequest<Request & IdempotentRequest & CorrelatedRequest>();
  const ifMatch = ifMatchOf(req);
  return { ticketId: ticketIdOf(req.params.id), ctx: commandContextOf(req), ifMatch };
});

type CommandMethod<D> = (body: D, target: TicketTarget) => Promise<TicketView>;

/**
 * Declares a command route on an existing ticket: `POST /tickets/:id/<kebab-case command>` (ticket-routes.ts), 200, the roles
 * that may call it (from the domain's authority table COMMAND_ROLES, via rolesFor: the owner is a partner
 * token, and the domain checks it owns the ticket), and its OpenAPI operation, path parameter and body. The method's first parameter must take
 * the DTO named here (checked by the compiler), so the documented body is the validated one.
 */
export function TicketCommand<D>(
  type: TicketCommandType,
  body: Type<D>,
  route: TicketCommandRoute,
): (target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<CommandMethod<D>>) => void {
  return applyDecorators(
    // Method and path from the route table (ticket-routes.ts), which the view's allowedActions also reads.
    RequestMapping({ method: RequestMethod[TICKET_COMMAND_METHOD], path: `:id/${commandPath(type)}` }),
    HttpCode(200),
    Roles(...rolesFor(type)),
    ApiOperation({ summary: route.summary }),
    ApiParam({ name: 'id', type: String }),
    ApiBody({ type: body, required: route.optionalBody !== true }),
  );
}

/** Every ticket command answers with the ticket's new revision as its ETag (send it back as If-Match). */
@Injectable()
export class RevisionEtagInterceptor implements NestInterceptor<TicketView, TicketView> {
  intercept(context: ExecutionContext, next: CallHandler<TicketView>): Observable<TicketView> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(tap((view) => res.setHeader('ETag', etag(view.revision))));
  }
}
