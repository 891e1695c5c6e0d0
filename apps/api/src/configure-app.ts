import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { correlationMiddleware } from './http/correlation.middleware';
import { ErrorFilter } from './http/error.filter';
import { validationPipe } from './http/validation';

/** Request bodies above this size are refused with 413: the largest legitimate command is a few KB. */
export const BODY_LIMIT = '64kb';

/** Everything an app instance needs at the edge; shared by main.ts and the e2e tests. */
export function configureApp(app: INestApplication): INestApplication {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: BODY_LIMIT });
  express.disable('x-powered-by');
  // Security headers on every response (the dashboard page replaces the CSP with its own nonce-based one).
  app.use(helmet());
  app.use(correlationMiddleware);
  app.useGlobalPipes(validationPipe);
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}
