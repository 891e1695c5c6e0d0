import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Logger as Pino } from 'pino';
import { MetricsService } from './health/metrics.service';
import { correlationMiddleware } from './http/correlation.middleware';
import { ErrorFilter } from './http/error.filter';
import { InputGuardPipe, refuseDeepJson } from './http/input-guard';
import { methodAndPathMiddleware } from './http/method-and-path.middleware';
import { requestLogMiddleware, requestLogWriter } from './http/request-log.middleware';
import { validationPipe } from './http/validation';
import { completeContract } from './openapi/contract';

/** Request bodies above this size are refused with 413: the largest legitimate command is a few KB. */
export const BODY_LIMIT = '64kb';

const documents = new WeakMap<INestApplication, OpenAPIObject>();

/** The OpenAPI document an app configured by configureApp serves at /openapi.json. */
export function openApiDocumentOf(app: INestApplication): OpenAPIObject {
  const document = documents.get(app);
  if (!document) throw new Error('configureApp has not been called on this app');
  return document;
}

export interface EdgeOptions {
  /** The root logger request lines go to (main.ts); unset, Nest's logger (silent in the tests' apps). */
  readonly requestLog?: Pino;
}

/** Everything an app instance needs at the edge; shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication, options: EdgeOptions = {}): INestApplication {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  // Express's weak ETags on error bodies look like ticket revisions to a client; only ticket routes set one.
  express.set('etag', false);
  // Security headers on every response (the dashboard page replaces the CSP with its own nonce-based one).
  app.use(helmet());
  // Order matters: the correlation id first (every error carries it), then method and path, then the body.
  app.use(correlationMiddleware);
  // Logged and counted when the response finishes, so every status is the one sent (guards, pipes, filters).
  app.use(requestLogMiddleware(app.get(MetricsService), requestLogWriter(options.requestLog)));
  app.use(methodAndPathMiddleware(express.getHttpAdapter().getInstance()));
  express.useBodyParser('json', { limit: BODY_LIMIT, verify: refuseDeepJson });
  app.useGlobalPipes(new InputGuardPipe(), validationPipe);
  app.useGlobalFilters(new ErrorFilter());
  app.enableShutdownHooks();

  const config = new DocumentBuilder()
    .setTitle('i-PRO warranty and repair service')
    .setDescription(
      'Partners file repair requests; i-PRO support routes them through replacement, pickup or onsite repair. ' +
        'Every step is an event. Authenticate with a bearer token (roles: partner, support, auditor, ops).',
    )
    .setVersion('1')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  const document = completeContract(app, SwaggerModule.createDocument(app, config));
  documents.set(app, document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}
