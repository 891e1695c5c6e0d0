import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadReferenceData } from '../../../test/support/fixtures';
import { suiteFixture } from '../../../test/support/suite-fixture';
import { SERVER_URL, startTestApp, storedEventCount, type TestApp } from '../../../test/support/test-app';
import { type CliRun, runCli } from './run-cli';

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
  /** The real CLI run against this api's schemas (`runCli` with `env`). */
  run(args: readonly string[], options?: Parameters<typeof runCli>[2]): Promise<CliRun>;
  close(): Promise<void>;
}

export async function startCliTestApp(): Promise<CliTestApp> {
  const t = await startTestApp('server');
  const dir = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
  await loadReferenceData(t);
  const env = cliEnv(t);
  return {
    t,
    env,
    dir,
    eventCount: () => storedEventCount(t),
    run: (args, options) => runCli(args, env, options),
    close: async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The CliTestApp of the describe block it is called in: started in `beforeAll` (then `setUp`), closed after. */
export function useCliTestApp(setUp?: (cli: CliTestApp) => Promise<void>): CliTestApp {
  return suiteFixture(
    async () => {
      const cli = await startCliTestApp();
      await setUp?.(cli);
      return cli;
    },
    (cli) => cli.close(),
  );
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
