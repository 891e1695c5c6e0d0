import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { AppModule } from './app.module';
import { AUTH_SETTINGS, type AuthSettings, signingOf } from './auth/auth.config';
import { type Principal, signToken } from './auth/token';
import { configureApp } from './configure-app';
import { DEMO_PARTNERS, loadDemoDataIfEmpty } from './demo/demo-data';
import { appLoggerOf, configOrExit, createRootLogger } from '@app/config';
import { parseApiConfig } from './config/api.config';
import { footprintLine, startRuntime } from './infrastructure/create-runtime';
import { loggingParams } from './logging/logging.params';

async function bootstrap(): Promise<void> {
  // Every variable, parsed before anything connects: a bad one ends the process here (one line each, exit 78).
  const config = configOrExit(() => parseApiConfig(process.env));
  // pino through nestjs-pino (LOG_LEVEL, LOG_FORMAT; README "Logs"), from the first line on: the runtime logs
  // before Nest exists, so the static Logger is pointed at it now.
  const root = createRootLogger(config.log);
  const logging = loggingParams(root);
  const logger = appLoggerOf(logging);
  Logger.overrideLogger(logger);
  const started = await startRuntime(config.runtime);
  const app = await NestFactory.create(AppModule.forRoot(started.runtime, { logging }), { logger });
  configureApp(app, { requestLog: root });
  app.enableShutdownHooks();
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await started.stop();
  };

  await app.init(); // registers the CQRS handlers, needed by the demo loader below
  const now = new Date().toISOString();
  const auth = app.get<symbol, AuthSettings>(AUTH_SETTINGS);
  let sampleLoaded = false;
  if (config.demoData) {
    sampleLoaded = await loadDemoDataIfEmpty(started.runtime.store, app.get(CommandBus), {
      principal: { role: 'support', subject: 'demo-loader' },
      correlationId: randomUUID(),
      now,
    });
  }

  const { port, host } = config;
  await app.listen(port, host);
  const base = `http://${host}:${port}`;
  const lines = [
    `i-PRO repair service listening on ${base}`,
    // The embedded database's address, so the CLI can read it while the api runs (README, "The same history from
    // the CLI"); a server's URL is not repeated (it may carry a password).
    `database: ${started.embedded ? `embedded PGlite at ${started.databaseUrl} (in memory unless EMBEDDED_PG_DATA_DIR is set; the CLI reads it with DATABASE_URL=${started.databaseUrl})` : 'PostgreSQL server (DATABASE_URL)'}`,
    ...(sampleLoaded
      ? ['data: SAMPLE demo data loaded now (not the official covered list; DEMO_DATA=false skips it)']
      : []),
    `API docs: ${base}/docs   OpenAPI: ${base}/openapi.json   health: ${base}/health   metrics: ${base}/metrics`,
    await footprintLine(started),
  ];
  if (auth.isDevSecret) {
    const t = Math.floor(Date.now() / 1000);
    const ttl = Math.min(24 * 3600, auth.maxTokenLifetimeSeconds);
    const { key, issuer, audience } = signingOf(auth);
    const sign = (p: Principal): string => signToken(p, key, t, ttl, { issuer, audience });
    lines.push(`demo bearer tokens (dev secret, iss ${issuer}, aud ${audience}; valid ${ttl / 3600} h):`);
    lines.push(`  support: ${sign({ role: 'support', subject: 'demo-support' })}`);
    lines.push(`  ops:     ${sign({ role: 'ops', subject: 'demo-ops' })}`);
    lines.push(`  auditor: ${sign({ role: 'auditor', subject: 'demo-auditor' })}`);
    for (const p of DEMO_PARTNERS) {
      lines.push(
        `  partner ${p.partnerId}: ${sign({ role: 'partner', subject: `demo-${p.partnerId}`, partnerId: p.partnerId })}`,
      );
    }
  }
  // Plain stdout, not the JSON logger: this block is for the person who just ran `npm start`. Nothing is logged
  // before it at the default level (Nest's start-up lines are debug): it is the first thing they read.
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
