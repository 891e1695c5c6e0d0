/**
 * The README's "Quickstart (curl)" runs as written (issue #16). Its ```bash blocks are taken from README.md as
 * they stand and run, in order, in one `bash -euo pipefail` at the repository root against the service started
 * as a real OS process from its entry point `apps/api/src/main.ts` (what `npm start` builds and runs; swc instead
 * of a full `nest build` to keep this quick), on a free port, with nothing configured:
 *   - the embedded default (no DATABASE_URL): every block but "The same history from the CLI", which the README
 *     itself says needs the api on the PostgreSQL server;
 *   - the api on the PostgreSQL server (private schemas, dropped afterwards): every block, the CLI's included.
 * An HTTP error stops the script (the README's curl calls use --fail-with-body). Then the service is asked, as
 * support, whether the tickets really ended where the README says they do.
 *
 * Under test/clock/run-at.js (npm run test:time-of-day) the clock of every Node process is moved, the api's and
 * `npm run token`'s included; `date` in the README is moved by as much with a shim on PATH, so that the README's
 * "today in Japan" is checked at 23:30 and at 00:30 in Japan. Traffic goes to 127.0.0.1 only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { DEV_AUTH_SECRET } from '../../apps/api/src/auth/auth.config';
import { signToken } from '../../apps/api/src/auth/token';
import { freePort, waitUntil } from '../chaos/support/processes';

const ROOT = join(__dirname, '..', '..');
const SECTION = '## Quickstart (curl)';
const CLI_PART = '### The same history from the CLI';
/** The PostgreSQL server of the tests (README); override with TEST_DATABASE_URL. */
const SERVER_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const START_TIMEOUT_MS = 120_000;
const SCRIPT_TIMEOUT_MS = 180_000;
const TAIL = 12_000;

/**
 * Environment that would make the service, `npm run token` or `npm run cli` behave otherwise than on a machine
 * where nothing is configured (the README's premise), or that the README's blocks set themselves.
 */
const NOT_INHERITED = [
  'NODE_ENV',
  'AUTH_SECRET',
  'AUTH_SECRETS',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_MAX_TOKEN_LIFETIME',
  'AUTH_CLOCK_TOLERANCE',
  'DATABASE_URL',
  'EVENTSTORE_URL',
  'EVENT_STORE_SCHEMA',
  'READ_MODEL_SCHEMA',
  'EMBEDDED_PG_DATA_DIR',
  'DEMO_DATA',
  'RELAY_IN_PROCESS',
  'PORT',
  'HOST',
  'PGAPPNAME',
  'BASE',
];

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of NOT_INHERITED) delete env[name];
  return { ...env, ...extra };
}

interface Block {
  readonly heading: string;
  readonly line: number;
  readonly code: string;
}

/** The ```bash blocks of the quickstart section, in order, each with the ### heading it stands under. */
function quickstartBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(SECTION);
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`);
  const blocks: Block[] = [];
  let heading = SECTION;
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const line = lines[i]!;
    if (line.startsWith('### ')) heading = line;
    if (line.trim() !== '```bash') continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === '```');
    if (end === -1) throw new Error(`README.md line ${i + 1}: the code block is not closed`);
    blocks.push({ heading, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/**
 * One script of the blocks. A failing command names its line (an ERR trap prints `$LINENO`), which
 * `readmeLines` turns into the README's own line number.
 */
function script(blocks: readonly Block[]): { text: string; readmeLines(stderr: string): string } {
  const lines = [`trap 'echo "quickstart: failed at line $LINENO: $BASH_COMMAND" >&2' ERR`];
  const toReadme = new Map<number, number>();
  for (const b of blocks) {
    lines.push(`# README.md line ${b.line} (${b.heading})`);
    b.code.split('\n').forEach((code, i) => {
      lines.push(code);
      toReadme.set(lines.length, b.line + 1 + i);
    });
  }
  return {
    text: `${lines.join('\n')}\n`,
    readmeLines: (stderr) =>
      stderr.replace(/failed at line (\d+)/g, (all, n: string) => {
        const line = toReadme.get(Number(n));
        return line === undefined ? all : `failed at README.md line ${line}`;
      }),
  };
}

interface Started {
  readonly pid: number;
  readonly exited: Promise<number | null>;
  alive(): boolean;
  output(): string;
}

/** A child in its own process group (the api forks the embedded database; npm runs node), so all of it can be ended. */
function start(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-TAIL);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return {
    pid: child.pid,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => out,
  };
}

/** SIGTERM to the group (the api closes and stops its embedded database), SIGKILL after 5 s. */
async function stop(p: Started | undefined): Promise<void> {
  if (!p) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-p.pid, s);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000)));
  const stopped = await Promise.race([p.exited.then(() => true), late]);
  clearTimeout(timer);
  if (stopped) return;
  signal('SIGKILL');
  await p.exited;
}

/** The api as `npm start` runs it (entry point main.ts), listening on `port`; resolves once it is healthy and caught up. */
async function startApi(port: number, env: Record<string, string>): Promise<Started> {
  const api = start(
    process.execPath,
    ['-r', '@swc-node/register', 'apps/api/src/main.ts'],
    cleanEnv({ ...env, PORT: String(port) }),
  );
  try {
    await waitUntil(
      `api on port ${port}`,
      async () => {
        if (!api.alive()) throw new Error(`api exited while starting:\n${api.output()}`);
        const health = await get(port, '/health').catch(() => undefined);
        const body = health?.body as { status?: string; projections?: { eventsBehind?: number } } | undefined;
        return health?.status === 200 && body?.status === 'ok' && body.projections?.eventsBehind === 0;
      },
      START_TIMEOUT_MS,
      250,
    );
  } catch (error) {
    await stop(api);
    throw error;
  }
  return api;
}

async function get(port: number, path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(5_000),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * PATH for the README's shell. Under run-at.js, a `date` that answers the shifted time (GNU date: the README
 * calls it only as `date +FORMAT`), so that the shell's "today" is the api's.
 */
function shellPath(dir: string): string {
  const offsetMs = Number(process.env['TEST_CLOCK_OFFSET_MS'] ?? '');
  const path = process.env['PATH'] ?? '';
  if (!Number.isFinite(offsetMs) || offsetMs === 0) return path;
  const real = spawnSync('sh', ['-c', 'command -v date'], { encoding: 'utf8' }).stdout.trim();
  if (!real) throw new Error('no date(1) on PATH');
  const shim = join(dir, 'date');
  writeFileSync(
    shim,
    `#!/bin/sh\nexec ${real} -d "@$(( $(${real} +%s) + ${Math.round(offsetMs / 1000)} ))" "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return `${dir}:${path}`;
}

interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the blocks with `bash -euo pipefail` at the repository root, BASE pointing at the api; bounded in time. */
async function runBlocks(
  blocks: readonly Block[],
  port: number,
  env: Record<string, string>,
): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'readme-quickstart-'));
  try {
    const file = join(dir, 'quickstart.sh');
    const quickstart = script(blocks);
    writeFileSync(file, quickstart.text);
    const child = spawn('bash', ['-euo', 'pipefail', file], {
      cwd: ROOT,
      env: cleanEnv({ ...env, BASE: `http://127.0.0.1:${port}`, PATH: shellPath(dir) }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      stderr += `\n[test] killed after ${SCRIPT_TIMEOUT_MS} ms`;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }, SCRIPT_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    clearTimeout(timer);
    return { code, stdout, stderr: quickstart.readmeLines(stderr.slice(-TAIL)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the README says each ticket ends as, read back from the service (as support) after the script. */
const EXPECTED_TICKETS = [
  {
    serialNumber: 'DEMO-S1136-0001',
    status: 'closed',
    scheme: 'replacement',
    coverage: 'partners_circle_extension',
  },
  {
    serialNumber: 'DEMO-X1574-0001',
    status: 'closed',
    scheme: 'pickup_repair',
    coverage: 'partners_circle_extension',
  },
  {
    serialNumber: 'DEMO-NX400-0001',
    status: 'closed',
    scheme: 'onsite_repair',
    coverage: 'product_warranty',
  },
  { serialNumber: 'DEMO-S2136-0001', status: 'closed', scheme: 'replacement', coverage: 'out_of_warranty' },
];

/** The tickets of those serials from the list (a read model: polled for a few seconds until it shows them so). */
async function settledTickets(port: number): Promise<unknown[]> {
  let tickets: unknown[] = [];
  await waitUntil(
    'tickets as the README says',
    async () => {
      tickets = await ticketsBySerial(port);
      return JSON.stringify(tickets) === JSON.stringify(EXPECTED_TICKETS);
    },
    10_000,
  ).catch(() => undefined); // the caller's expectation shows what differs
  return tickets;
}

async function ticketsBySerial(port: number): Promise<unknown[]> {
  const support = signToken(
    { role: 'support', subject: 'readme-quickstart-test' },
    DEV_AUTH_SECRET,
    Math.floor(Date.now() / 1000),
    600,
  );
  const found: unknown[] = [];
  for (const { serialNumber } of EXPECTED_TICKETS) {
    const res = await get(port, `/tickets?serialNumber=${serialNumber}`, support);
    const items = (
      res.body as { items?: { serialNumber: string; status: string; scheme: string; coverage: string }[] }
    ).items;
    found.push(
      ...(items ?? []).map(({ serialNumber: s, status, scheme, coverage }) => ({
        serialNumber: s,
        status,
        scheme,
        coverage,
      })),
    );
  }
  return found;
}

/** Lines every full run prints (the statuses `act` reports, the replayed filing, the history and the as-of). */
function expectTheWalkThrough(stdout: string): void {
  expect(stdout.match(/^closed {2}\(revision \d+\)$/gm)).toHaveLength(4);
  expect(stdout).toMatch(/^Idempotent-Replayed: true\r?$/im);
  expect(stdout).toMatch(/^2 {2}Escalated {2}by system:portal$/m);
  for (const status of ['onsite_completed', 'delivered', 'awaiting_quote_decision', 'failed_unit_returned'])
    expect(stdout).toMatch(new RegExp(`^${status} {2}\\(revision \\d+\\)$`, 'm'));
  expect(stdout).toContain('"totalJpy":38000');
  expect(stdout).toContain('{"revision":2,"lastEventType":"Escalated","status":"escalated"}');
}

describe('README quickstart (curl) runs as written', () => {
  const blocks = quickstartBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('has the set-up, the three schemes, the paid repair, history and the CLI part as bash blocks', () => {
    const headings = [...new Set(blocks.map((b) => b.heading))];
    expect(headings).toEqual([
      '### Set up the shell',
      '### ① Replacement',
      '### ② Pickup repair',
      '### ③ Onsite repair',
      '### A paid repair: quote and accept',
      '### History, and a ticket as it was',
      CLI_PART,
    ]);
  });

  it(
    'against `npm start` with nothing configured (embedded PGlite, sample data): every block, the CLI on the banner’s address',
    async () => {
      const port = await freePort();
      const api = await startApi(port, {});
      try {
        const embedded =
          /database: embedded PGlite at (postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres) /.exec(
            api.output(),
          );
        expect(embedded).not.toBeNull();
        await expectEveryBlockToRun(blocks, port, { DATABASE_URL: embedded![1]! });
      } finally {
        await stop(api);
      }
    },
    START_TIMEOUT_MS + SCRIPT_TIMEOUT_MS + 30_000,
  );

  it(
    'against the api on the PostgreSQL server: every block, the CLI history included',
    async () => {
      const suffix = randomBytes(5).toString('hex');
      const env = {
        DATABASE_URL: SERVER_URL,
        EVENT_STORE_SCHEMA: `readme_es_${suffix}`,
        READ_MODEL_SCHEMA: `readme_rm_${suffix}`,
      };
      const port = await freePort();
      let api: Started | undefined;
      try {
        api = await startApi(port, env);
        expect(api.output()).toContain('database: PostgreSQL server');
        await expectEveryBlockToRun(blocks, port, env);
      } finally {
        await stop(api);
        const db = new Client({ connectionString: SERVER_URL });
        await db.connect();
        try {
          await db.query(`DROP SCHEMA IF EXISTS "${env.EVENT_STORE_SCHEMA}" CASCADE`);
          await db.query(`DROP SCHEMA IF EXISTS "${env.READ_MODEL_SCHEMA}" CASCADE`);
        } finally {
          await db.end();
        }
      }
    },
    START_TIMEOUT_MS + SCRIPT_TIMEOUT_MS + 30_000,
  );
});

/** Runs every block of the quickstart against the api on `port`; checks the walk-through, the CLI and the data. */
async function expectEveryBlockToRun(
  blocks: readonly Block[],
  port: number,
  env: Record<string, string>,
): Promise<void> {
  const run = await runBlocks(blocks, port, env);
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  expectTheWalkThrough(run.stdout);
  expectTheCliHistory(run.stdout);
  expect(await settledTickets(port)).toEqual(EXPECTED_TICKETS);
}

/** The CLI replayed the tickets from the event store: ① closed, then ① as of its escalation, then ②. */
function expectTheCliHistory(stdout: string): void {
  expect(stdout).toMatch(/^state: status=closed scheme=replacement /m);
  expect(stdout).toMatch(/^state: status=escalated scheme=replacement /m);
  expect(stdout).toMatch(/later event\(s\) not shown/);
  expect(stdout).toContain('{"events":9,"status":"closed"}');
}
