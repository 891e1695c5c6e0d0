import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { sleep } from './prng';

export const ROOT = join(__dirname, '..', '..', '..');

/** A child process of the suite with the tail of its output (shown when it fails to start). */
export interface RunningProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  alive(): boolean;
  output(): string;
}

const TAIL = 8_000;

export function startProcess(args: readonly string[], env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
  return {
    pid: child.pid,
    child,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => tail,
  };
}

/** The suite's environment without what would change the children's behaviour behind its back. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AUTH_SECRET', 'PGAPPNAME', 'RELAY_IN_PROCESS', 'KAFKA_TOPIC', 'PORT', 'NODE_ENV'])
    delete base[name];
  return { ...base, ...env };
}

/** kill -9, then wait until the OS has reaped it. */
export async function kill9(p: RunningProcess): Promise<void> {
  if (!p.alive()) return;
  process.kill(p.pid, 'SIGKILL');
  await p.exited;
}

/** SIGTERM, SIGKILL after `graceMs`. */
export async function stopProcess(p: RunningProcess, graceMs = 5_000): Promise<void> {
  if (!p.alive()) return;
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const stopped = await Promise.race([p.exited.then(() => true), late]);
  clearTimeout(timer);
  if (!stopped) await kill9(p);
}

/** Shared with the e2e suites that start real processes (test/support/ports.ts). */
export { freePort } from '../../support/ports';

/** Polls `probe` until it says yes, or fails after `timeoutMs` (bounded loop). */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/**
 * Local ports of the TCP connections process `pid` holds to PostgreSQL on 127.0.0.1:5432, from `ss -tnp`
 * (the kernel's socket table names the owning pid). Matched against `pg_stat_activity.client_port`.
 */
export function postgresClientPorts(pid: number): number[] {
  let out = '';
  try {
    out = execFileSync('ss', ['-tnpH', 'dst', '127.0.0.1:5432'], { encoding: 'utf8', timeout: 5_000 });
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const line of out.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const local = fields[3];
    if (local === undefined || !line.includes(`pid=${pid},`)) continue;
    ports.push(Number(local.slice(local.lastIndexOf(':') + 1)));
  }
  return ports;
}
