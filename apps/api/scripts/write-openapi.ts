import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { configureApp, openApiDocumentOf } from '../src/configure-app';
import { startRuntime } from '../src/infrastructure/create-runtime';

/**
 * Writes the document the api serves at /openapi.json to a file (default libs/api-client/openapi.json), from
 * an app on a throwaway embedded PGlite: `npm run openapi:client` then generates the TypeScript client types
 * from it (openapi-typescript → libs/api-client/schema.d.ts), which `npm run typecheck` compiles with
 * libs/api-client/client.ts. The e2e suite fails when the file differs from the served document.
 */
async function main(out = 'libs/api-client/openapi.json'): Promise<void> {
  const started = await startRuntime({});
  const app = await NestFactory.create(AppModule.forRoot(started.runtime), { logger: false });
  configureApp(app);
  await app.init();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(openApiDocumentOf(app), null, 2)}\n`);
  await app.close();
  await started.stop();
  process.stdout.write(`wrote ${out}\n`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
