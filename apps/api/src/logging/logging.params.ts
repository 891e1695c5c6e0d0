import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';

import type { CorrelatedRequest } from '../http/correlation.middleware';

/**
 * nestjs-pino's parameters for the api, on the process's root logger (createRootLogger). Its pino-http
 * middleware gives every log written while a request is handled (any Nest `Logger`) the request's correlation
 * id. pino-http's own request line is off: the one line per request is written by requestLogMiddleware, from
 * the same numbers as the metrics (the status the client got, including guard and pipe rejections, 499 for an
 * abandoned request).
 */
/**
 * The route nestjs-pino's middleware is mounted on (its own default, named here): Express records it as
 * `req.route` of a request no handler matched, so requestLogMiddleware reads it as "unmatched".
 */
export const LOGGER_MIDDLEWARE_ROUTE = '{/*splat}';

export function loggingParams(root: Pino): Params {
  return {
    forRoutes: [{ path: LOGGER_MIDDLEWARE_ROUTE, method: RequestMethod.ALL }],
    pinoHttp: {
      logger: root,
      autoLogging: false,
      quietReqLogger: true,
      // correlationMiddleware (app.use) ran before this module middleware: its id is the request's id.
      genReqId: (req: IncomingMessage) => (req as CorrelatedRequest).correlationId ?? randomUUID(),
      customAttributeKeys: { reqId: 'correlationId' },
    },
  };
}
