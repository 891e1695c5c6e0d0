import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { AppModule } from './app.module';
import { AuthConfig } from './auth/auth.config';
import { signToken } from './auth/token';
import { configureApp } from './configure-app';
import { DEMO_PARTNERS, loadDemoDataIfEmpty } from './demo/demo-data';
import { runtimeConfigFromEnv, startRuntime } from './infrastructure/create-runtime';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger({ json: process.env.LOG_FORMAT !== 'text' });
  const started = await startRuntime(runtimeConfigFromEnv());
  const app = await NestFactory.create(AppModule.forRoot(started.runtime), { logger });
  configureApp(app);
  app.enableShutdownHooks();
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    await started.stop();
  };

  await app.init(); // registers the CQRS handlers, needed by the demo loader below
  const now = new Date().toISOString();
  const auth = app.get(AuthConfig);
  if (process.env.DEMO_DATA !== 'false') {
    const loaded = await loadDemoDataIfEmpty(started.runtime.store, app.get(CommandBus), {
      principal: { role: 'support', subject: 'demo-loader' },
      correlationId: randomUUID(),
      now,
    });
    if (loaded) logger.log('loaded SAMPLE demo data (not the official covered list)', 'demo');
  }

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  const base = `http://${host}:${port}`;
  const lines = [
    `i-PRO repair service listening on ${base}`,
    `database: ${started.embedded ? 'embedded PGlite (in memory unless EMBEDDED_PG_DATA_DIR is set)' : 'PostgreSQL server (DATABASE_URL)'}`,
    `API docs: ${base}/docs   OpenAPI: ${base}/openapi.json   health: ${base}/health   metrics: ${base}/metrics`,
  ];
  if (auth.isDevSecret) {
    const t = Math.floor(Date.now() / 1000);
    const day = 24 * 3600;
    lines.push('demo bearer tokens (dev secret; valid 24 h):');
    lines.push(`  support: ${signToken({ role: 'support', subject: 'demo-support' }, auth.secret, t, day)}`);
    lines.push(`  ops:     ${signToken({ role: 'ops', subject: 'demo-ops' }, auth.secret, t, day)}`);
    lines.push(`  auditor: ${signToken({ role: 'auditor', subject: 'demo-auditor' }, auth.secret, t, day)}`);
    for (const p of DEMO_PARTNERS) {
      lines.push(
        `  partner ${p.partnerId}: ${signToken({ role: 'partner', subject: `demo-${p.partnerId}`, partnerId: p.partnerId }, auth.secret, t, day)}`,
      );
    }
  }
  // Plain stdout, not the JSON logger: this block is for the person who just ran `npm start`.
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
