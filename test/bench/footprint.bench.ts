/**
 * `npm run bench:footprint` — the memory of `npm start`'s default (no database configured: the api plus its
 * embedded PGlite child) as `ps -o rss` shows it, against the target of issue #16: <= 300 MB RSS for both
 * processes together at idle with the sample data.
 *
 * Runs the compiled build, as `npm start` does (`nest build api` first unless BENCH_NO_BUILD=1), in a clean
 * environment for the database (DATABASE_URL, EVENTSTORE_URL, EMBEDDED_PG_DATA_DIR unset; DEMO_DATA unset, so
 * the sample data is loaded) and samples both processes:
 *   spawned  — as soon as the PGlite child exists (the api has started it; PGlite is still initialising);
 *   peak     — the largest total of the samples taken every 100 ms until then (PGlite's initdb runs in a
 *              throw-away instance whose memory lasts until the child's first full GC);
 *   healthy  — the first 200 from /health: migrations done, sample data loaded, the api listening;
 *   idle     — BENCH_IDLE_SECONDS (10) later, nothing but the api's 50 ms polls in between.
 * Exits 1 when the idle total is above the target. Not a Jest test: the figure depends on the machine's Node
 * and C library (README, "Embedded default: footprint"); the int test `embedded-postgres-footprint.int.spec.ts`
 * holds the child to a looser bound instead.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TARGET_MB = 300;
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const root = join(__dirname, '..', '..');

/** RSS in MB as `ps -o rss=` reports it (kB); undefined once the process is gone. */
function rssMb(pid: number): number | undefined {
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function childOf(pid: number): number | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
    const first = out.split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined; // no child yet (ps exits 1)
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_NO_BUILD !== '1') {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'api'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
  }
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_FORMAT: 'text',
  };
  for (const k of [
    'DATABASE_URL',
    'EVENTSTORE_URL',
    'EMBEDDED_PG_DATA_DIR',
    'DEMO_DATA',
    'RELAY_IN_PROCESS',
  ]) {
    delete env[k];
  }
  const started = Date.now();
  const api = spawn(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  api.stdout.on('data', (d: Buffer) => (output += d.toString()));
  api.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const apiPid = api.pid;
  if (apiPid === undefined) throw new Error('api did not start');
  const rows: { phase: string; seconds: number; api: number; pglite: number }[] = [];
  const sample = (phase: string, pglitePid: number): void => {
    const a = rssMb(apiPid);
    const p = rssMb(pglitePid);
    if (a === undefined || p === undefined) throw new Error(`a process is gone at ${phase}:\n${output}`);
    rows.push({ phase, seconds: (Date.now() - started) / 1000, api: a, pglite: p });
  };
  try {
    let pglitePid: number | undefined;
    for (let i = 0; i < 600 && pglitePid === undefined; i++) {
      pglitePid = childOf(apiPid);
      if (pglitePid === undefined) await sleep(50);
    }
    if (pglitePid === undefined) throw new Error(`the api started no PGlite child:\n${output}`);
    sample('spawned', pglitePid);
    const health = `http://127.0.0.1:${port}/health`;
    let peak = { seconds: 0, api: 0, pglite: 0 };
    for (let i = 0; !(await healthy(health)); i++) {
      if (i > 1200 || api.exitCode !== null) throw new Error(`no healthy /health:\n${output}`);
      const a = rssMb(apiPid) ?? 0;
      const p = rssMb(pglitePid) ?? 0;
      if (a + p > peak.api + peak.pglite)
        peak = { seconds: (Date.now() - started) / 1000, api: a, pglite: p };
      await sleep(100);
    }
    rows.push({ phase: 'peak', ...peak });
    sample('healthy', pglitePid);
    await sleep(idleSeconds * 1000);
    sample(`idle +${idleSeconds} s`, pglitePid);
  } finally {
    api.kill('SIGTERM');
    await new Promise<void>((resolve) =>
      api.exitCode !== null ? resolve() : api.once('exit', () => resolve()),
    );
  }
  const mb = (n: number): string => `${n.toFixed(0).padStart(5)} MB`;
  process.stdout.write(`\nfootprint of npm start's embedded default (ps -o rss), node ${process.version}\n`);
  process.stdout.write('phase          at        api       PGlite    total\n');
  for (const r of rows) {
    process.stdout.write(
      `${r.phase.padEnd(12)} ${r.seconds.toFixed(1).padStart(5)} s ${mb(r.api)} ${mb(r.pglite)} ${mb(r.api + r.pglite)}\n`,
    );
  }
  const banner = /^memory: .*$/m.exec(output)?.[0];
  if (banner) process.stdout.write(`start banner: ${banner}\n`);
  const idle = rows[rows.length - 1];
  const total = idle ? idle.api + idle.pglite : Number.POSITIVE_INFINITY;
  const verdict = total <= TARGET_MB ? 'within' : 'ABOVE';
  process.stdout.write(`idle total ${total.toFixed(0)} MB: ${verdict} the target of ${TARGET_MB} MB\n`);
  if (total > TARGET_MB) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
