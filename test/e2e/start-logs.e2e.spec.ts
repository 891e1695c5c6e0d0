import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { dropSchemas, scratchSchemas } from '@app/event-store/testing';

import { freePort } from '../support/ports';
import { SERVER_URL } from '../support/test-app';

/**
 * The api as `npm start` runs it (main.ts), on private schemas of the PostgreSQL server: what its output looks
 * like from the first line on, at the default LOG_LEVEL and at LOG_LEVEL=warn.
 */
const ROOT = join(__dirname, '..', '..');
const BANNER = 'i-PRO repair service listening on';

interface Started {
  readonly port: number;
  stdout(): string;
  stop(): Promise<void>;
}

async function startApi(
  env: Record<string, string>,
  schemas: { events: string; readModels: string },
): Promise<Started> {
  const port = await freePort();
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base))
    if (/^(AUTH_|LOG_|RELAY_|NODE_ENV|PORT$)/.test(name)) delete base[name];
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...base,
      DATABASE_URL: SERVER_URL,
      EVENT_STORE_SCHEMA: schemas.events,
      READ_MODEL_SCHEMA: schemas.readModels,
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  while (!out.includes(BANNER)) {
    if (child.exitCode !== null) throw new Error(`api exited: ${err}`);
    if (Date.now() > deadline) throw new Error(`api did not start: ${out}${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // The banner is written after listen: the api answers from here on.
  return {
    port,
    stdout: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function get(port: number, path: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  await res.arrayBuffer();
  return res.status;
}

/** Resolves once the api's output contains `text`; fails after 10 s. */
async function logged(api: Started, text: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !api.stdout().includes(text);) {
    if (Date.now() > deadline) throw new Error(`no log line with ${text} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The JSON log lines of an output (the banner's lines are plain text). */
const jsonLines = (out: string): Record<string, unknown>[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the api process: banner first, request lines, LOG_LEVEL', () => {
  const schemas = scratchSchemas('logs', { events: 'es', readModels: 'rm' });
  /** Marks this run's requests and its fake credential in the api's output. */
  const suffix = randomBytes(4).toString('hex');
  afterAll(() => dropSchemas(SERVER_URL, ...Object.values(schemas)));

  it('default level: nothing before the banner; one JSON line per request, Authorization never in it', async () => {
    const api = await startApi({}, schemas);
    try {
      expect(api.stdout().trimStart().startsWith(BANNER)).toBe(true);
      expect(api.stdout()).toContain('data: SAMPLE demo data loaded now');
      const secret = `Bearer not-a-token-${suffix}`;
      expect(
        await get(api.port, '/health', { authorization: secret, 'x-correlation-id': `h-${suffix}` }),
      ).toBe(200);
      expect(
        await get(api.port, '/tickets', { authorization: secret, 'x-correlation-id': `t-${suffix}` }),
      ).toBe(401);
      // A request's line is written when the server has finished the response, which can be just after the
      // client has read it: wait for both lines before stopping the process (a bounded wait, not a timing check).
      await logged(api, `"correlationId":"h-${suffix}"`);
      await logged(api, `"correlationId":"t-${suffix}"`);
    } finally {
      await api.stop();
    }
    const out = api.stdout();
    const requests = jsonLines(out).filter((e) => e['msg'] === 'request');
    expect(requests.filter((e) => e['correlationId'] === `h-${suffix}`)).toEqual([
      expect.objectContaining({ level: 'info', method: 'GET', path: '/health', status: 200 }),
    ]);
    expect(requests.filter((e) => e['correlationId'] === `t-${suffix}`)).toEqual([
      expect.objectContaining({ level: 'info', method: 'GET', path: '/tickets', status: 401 }),
    ]);
    expect(out).not.toContain(`not-a-token-${suffix}`);
  });

  it('LOG_LEVEL=warn: no info line at all, requests included; the banner still printed', async () => {
    const api = await startApi({ LOG_LEVEL: 'warn' }, schemas);
    try {
      expect(await get(api.port, '/health', { 'x-correlation-id': `w-${suffix}` })).toBe(200);
      expect(await get(api.port, '/tickets', {})).toBe(401);
    } finally {
      await api.stop();
    }
    const out = api.stdout();
    expect(out.trimStart().startsWith(BANNER)).toBe(true);
    expect(jsonLines(out).filter((e) => e['level'] === 'info' || e['level'] === 'debug')).toEqual([]);
  });
});
