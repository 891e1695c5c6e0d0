import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

/**
 * The real processes (api, relay, CLI; from their TypeScript entry points as the tests run them) started with
 * bad variables: one line per bad variable on stderr, the documented exit code, and the database they were
 * pointed at never contacted. The "database" is a TCP listener that counts connections; a run with good
 * variables shows that it does count them.
 */
const ROOT = join(__dirname, '..', '..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(entry: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base))
    if (/^(AUTH_|DATABASE_URL|EVENTSTORE_URL|PORT$|NODE_ENV|LOG_|RELAY_|KAFKA_|DB_POOL)/.test(name))
      delete base[name];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A listener that counts the connections made to it and closes each at once. */
async function countingListener(): Promise<{
  url: string;
  port: number;
  connections(): number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    port: address.port,
    url: `postgres://postgres:pw@127.0.0.1:${address.port}/test`,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('bad configuration stops each process before it connects to anything', () => {
  let database: Awaited<ReturnType<typeof countingListener>>;
  beforeEach(async () => (database = await countingListener()));
  afterEach(async () => database.close());

  it('api: PORT=abc, DB_POOL_SIZE=0 and NODE_ENV=production without a key: three lines, exit 78, no connection', async () => {
    const result = await run('apps/api/src/main.ts', [], {
      DATABASE_URL: database.url,
      PORT: 'abc',
      DB_POOL_SIZE: '0',
      NODE_ENV: 'production',
    });
    expect(result).toEqual({
      code: 78,
      stdout: '',
      stderr:
        'invalid configuration: DB_POOL_SIZE: expected an integer from 1 to 1000, got "0"\n' +
        'invalid configuration: PORT: expected an integer from 1 to 65535, got "abc"\n' +
        'invalid configuration: AUTH_SECRET: expected a key of at least 32 bytes, or AUTH_SECRETS or AUTH_JWKS_URL ' +
        '(one must be set in production), got nothing\n',
    });
    expect(database.connections()).toBe(0);
  });

  it('api: a secret that is too short is described by its length, never printed', async () => {
    const result = await run('apps/api/src/main.ts', [], {
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      AUTH_SECRET: 'hunter2-hunter2',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toBe(
      'invalid configuration: AUTH_SECRET: expected at least 32 bytes in production, got 15 bytes (not shown)\n',
    );
    expect(database.connections()).toBe(0);
  });

  it('relay: RELAY_BATCH_SIZE=0, a password in a bad DATABASE_URL masked: exit 78, neither database nor broker contacted', async () => {
    const broker = await countingListener();
    try {
      const result = await run('apps/relay/src/main.ts', [], {
        DATABASE_URL: `mysql://root:hunter2@127.0.0.1:${database.port}/x`,
        KAFKA_BROKERS: `127.0.0.1:${broker.port}`,
        RELAY_BATCH_SIZE: '0',
      });
      expect(result).toEqual({
        code: 78,
        stdout: '',
        stderr:
          `invalid configuration: DATABASE_URL: expected a postgres://user@host:port/database URL, got "mysql://root:***@127.0.0.1:${database.port}/x"\n` +
          'invalid configuration: RELAY_BATCH_SIZE: expected an integer from 1 to 10000, got "0"\n',
      });
      expect(broker.connections()).toBe(0);
    } finally {
      await broker.close();
    }
    expect(database.connections()).toBe(0);
  });

  it('cli: a bad schema name is one line and exit 2 (bad input), nothing opened', async () => {
    const result = await run('apps/cli/src/main.ts', ['verify'], {
      DATABASE_URL: database.url,
      EVENT_STORE_SCHEMA: 'event-store',
    });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'invalid configuration: EVENT_STORE_SCHEMA: expected a schema name (letters, digits, _; at most 63), got "event-store"\n',
    });
    expect(database.connections()).toBe(0);
  });

  it('control: with good variables the same CLI command does contact the listener', async () => {
    const result = await run('apps/cli/src/main.ts', ['verify'], { DATABASE_URL: database.url });
    expect(result.code).not.toBe(0);
    expect(database.connections()).toBeGreaterThan(0);
  });
});
