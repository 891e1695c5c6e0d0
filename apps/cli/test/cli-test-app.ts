import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReferenceData } from '../../../test/support/fixtures';
import { SERVER_URL, startTestApp, type TestApp } from '../../../test/support/test-app';

/** The environment that points the CLI at a test api's private schemas on the PostgreSQL server. */
export function cliEnv(t: TestApp): Record<string, string> {
  return {
    DATABASE_URL: SERVER_URL,
    EVENT_STORE_SCHEMA: t.schemas.events,
    READ_MODEL_SCHEMA: t.schemas.readModels,
  };
}

/** A test api (server) with the reference data loaded, the CLI's environment for it and a scratch folder. */
export interface CliTestApp {
  readonly t: TestApp;
  readonly env: Record<string, string>;
  readonly dir: string;
  /** Events in the api's store: what an all-or-nothing command must leave unchanged. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

export async function startCliTestApp(): Promise<CliTestApp> {
  const t = await startTestApp('server');
  const dir = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
  await loadReferenceData(t);
  return {
    t,
    env: cliEnv(t),
    dir,
    eventCount: async () =>
      Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM "${t.schemas.events}".events`))[0]?.n),
    close: async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Read models follow the events asynchronously (the CLI appends, the api's projection applies). */
export async function poll<R extends { status: number }>(
  get: () => PromiseLike<R>,
  timeoutMs = 5000,
): Promise<R> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await get();
    if (res.status === 200 || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}
