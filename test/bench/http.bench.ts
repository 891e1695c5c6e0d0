/**
 * `npm run bench:http` — the real HTTP api under load (autocannon, programmatic), next to a ceiling measured in
 * the same run:
 *   (c) CEILING: a bare Nest route on the same express stack (same body parser, correlation middleware and
 *       bearer-token guard) doing ONE autocommitted INSERT of the body on the same database, pool of 10
 *       (the event store's default); measured before, between and after the api phases, and each api phase
 *       is compared with the mean of the two ceilings around it;
 *   (f) FILING: `POST /tickets` as a partner (three reference lookups, decide, append, read-your-writes wait);
 *   (u) FOLLOW-UP: commands on the tickets filed in (f), each connection walking its own ticket through
 *       ship-replacement → confirm-replacement-delivered → return-failed-unit → close-ticket, so every request
 *       is a legal command on its own ticket (load stream, decide, append at the expected revision, wait).
 * During (f) and (u) the server samples ProjectionRunner.lag() every 200 ms: events behind and ms behind.
 * The servers run in a CHILD process (http-bench-server.ts) so the load generator does not share their event
 * loop; on a 2-core machine the load generator, the server and PostgreSQL still share the cores.
 * Env: BENCH_SECONDS per phase (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (16), BENCH_DATABASE_URL,
 * BENCH_CPU_PROF=dir (the server writes a CPU profile of each api phase there: filing, follow-up).
 * Targets (2 cores): each command route >= 0.5 × the ceiling's req/s, p99 <= 50 ms.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEV_AUTH_SECRET } from '../../apps/api/src/auth/auth.config';
import { signToken } from '../../apps/api/src/auth/token';
import { daysAgo } from '../support/dates';
import { PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import type { FromServer, LagSample, ToServer } from './http-bench-server';
import { postgresCpuMs } from './postgres-cpu';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);

const now = Math.floor(Date.now() / 1000);
const partnerToken = signToken(
  { role: 'partner', subject: 'bench-partner', partnerId: PARTNER_A },
  DEV_AUTH_SECRET,
  now,
  3600,
);
const supportToken = signToken({ role: 'support', subject: 'bench-support' }, DEV_AUTH_SECRET, now, 3600);
const headers = (token: string): Record<string, string> => ({
  'content-type': 'application/json',
  authorization: `Bearer ${token}`,
});
const fileBody = JSON.stringify(repairRequest(UNITS.cameraReplacement));
/** One open ticket per unit: every filing of the phase names a serial of its own (no sales record: filed as sold
 * to the partner on its delivery date, the same path as any unrecorded unit). */
let filed = 0;
const nextFileBody = (): string =>
  JSON.stringify(
    repairRequest({ ...UNITS.cameraReplacement, serialNumber: `BENCH-${process.pid}-${filed++}` }),
  );
const ship = { carrier: 'Yamato Transport', trackingNumber: '4455-6677-8899' };
const FOLLOW_UP: readonly { action: string; body: string }[] = [
  { action: 'ship-replacement', body: JSON.stringify({ ...ship, replacementSerial: 'RPL-BENCH' }) },
  { action: 'confirm-replacement-delivered', body: JSON.stringify({ deliveredOn: daysAgo(0) }) },
  { action: 'return-failed-unit', body: JSON.stringify(ship) },
  { action: 'close-ticket', body: JSON.stringify({ note: 'exchange complete' }) },
];

interface PhaseResult {
  readonly label: string;
  readonly ok: number;
  readonly failed: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

class Server {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiPort: number,
    readonly ceilingPort: number,
  ) {}

  static start(): Promise<Server> {
    const child = fork(join(__dirname, 'http-bench-server.ts'), [], {
      execArgv: ['-r', '@swc-node/register'],
      // The server's JSON request log goes to /dev/null: it is still produced, as in production.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
      child.once('message', (m: FromServer) => {
        if (m.type === 'ready') resolve(new Server(child, m.apiPort, m.ceilingPort));
        else reject(new Error(`unexpected message ${m.type}`));
      });
    });
  }

  private ask(message: ToServer, answer: FromServer['type']): Promise<FromServer> {
    return new Promise((resolve) => {
      const on = (m: FromServer): void => {
        if (m.type !== answer) return;
        this.child.off('message', on);
        resolve(m);
      };
      this.child.on('message', on);
      this.child.send(message);
    });
  }

  startPhase(phase: string, api: boolean): void {
    this.child.send({ type: 'phase-start', phase, api } satisfies ToServer);
  }

  async stopPhase(): Promise<{
    samples: LagSample[];
    statements: number;
    samplerStatements: number;
    cpuMs: number;
  }> {
    const m = await this.ask({ type: 'phase-stop' }, 'phase');
    return m.type === 'phase' ? m : { samples: [], statements: 0, samplerStatements: 0, cpuMs: 0 };
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.removeAllListeners('exit');
    await this.ask({ type: 'stop' }, 'stopped');
    await exited;
  }

  kill(): void {
    this.child.kill();
  }
}

function run(
  label: string,
  options: autocannon.Options,
  duration: number,
  onInstance?: (i: autocannon.Instance) => void,
): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections, duration, ...options }, (error, r) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      const ok = r['2xx'];
      resolve({
        label,
        ok,
        failed: r.non2xx + r.errors + r.timeouts,
        rps: ok / r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
      });
    });
    onInstance?.(instance);
  });
}

function ceiling(server: Server, label: string, duration: number): Promise<PhaseResult> {
  return run(
    label,
    {
      url: `http://127.0.0.1:${server.ceilingPort}`,
      requests: [{ method: 'POST', path: '/ceiling', headers: headers(partnerToken), body: fileBody }],
    },
    duration,
  );
}

function filing(server: Server, duration: number, ids: string[]): Promise<PhaseResult> {
  return run(
    'filing   POST /tickets',
    {
      url: `http://127.0.0.1:${server.apiPort}`,
      requests: [
        {
          method: 'POST',
          path: '/tickets',
          headers: headers(partnerToken),
          setupRequest: (req: autocannon.Request) => ({ ...req, body: nextFileBody() }),
          onResponse: (status, body) => {
            if (status === 201) ids.push((JSON.parse(body) as { ticketId: string }).ticketId);
          },
        },
      ],
    },
    duration,
  );
}

type Ctx = { ticketId?: string };

function followUp(server: Server, duration: number, ids: string[]): Promise<PhaseResult> {
  let instance: autocannon.Instance | undefined;
  let exhausted = false;
  return run(
    'follow-up POST /tickets/:id/<action>',
    {
      url: `http://127.0.0.1:${server.apiPort}`,
      requests: FOLLOW_UP.map(({ action, body }, step) => ({
        method: 'POST' as const,
        headers: headers(supportToken),
        body,
        setupRequest: (req: autocannon.Request, context: Ctx) => {
          if (step === 0) {
            const next = ids.shift();
            // Out of filed tickets (never seen with the default durations): end the phase early.
            if (next === undefined && !exhausted) {
              exhausted = true;
              instance?.stop();
            }
            context.ticketId = next ?? context.ticketId;
          }
          return { ...req, path: `/tickets/${context.ticketId ?? 'none'}/${action}` };
        },
      })),
    },
    duration,
    (i) => (instance = i),
  );
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function lagLine(samples: readonly LagSample[], samplerStatements: number): string {
  const events = samples.map((s) => s.eventsBehind);
  const ms = samples.map((s) => s.msBehind);
  return (
    `projection lag (${samples.length} samples, ${samplerStatements} SQL): events behind max ${Math.max(0, ...events)} p99 ${quantile(events, 0.99)}; ` +
    `ms behind max ${Math.max(0, ...ms)} p99 ${quantile(ms, 0.99)}`
  );
}

interface Measured extends PhaseResult {
  readonly lag: LagSample[];
  /** SQL statements the server sent per successful request (lag sampling excluded). */
  readonly statementsPerRequest: number;
  /** SQL statements of the lag sampling itself (its readAll re-reads while commits are in flight). */
  readonly samplerStatements: number;
  /** CPU time (user + system, all threads) of the server process per successful request. */
  readonly cpuMsPerRequest: number;
  /** CPU time of all PostgreSQL processes per successful request (see postgresCpuMs). */
  readonly postgresCpuMsPerRequest: number;
  /** CPU time of this process (the load generator) per successful request. */
  readonly generatorCpuMsPerRequest: number;
}

async function phase(
  server: Server,
  api: boolean,
  name: string,
  measure: () => Promise<PhaseResult>,
): Promise<Measured> {
  server.startPhase(name, api);
  const pgAtStart = postgresCpuMs();
  const generatorAtStart = process.cpuUsage();
  const result = await measure();
  const pgMs = postgresCpuMs() - pgAtStart;
  const generator = process.cpuUsage(generatorAtStart);
  const { samples, statements, samplerStatements, cpuMs } = await server.stopPhase();
  return {
    ...result,
    lag: samples,
    statementsPerRequest: statements / Math.max(1, result.ok),
    samplerStatements,
    cpuMsPerRequest: cpuMs / Math.max(1, result.ok),
    postgresCpuMsPerRequest: pgMs / Math.max(1, result.ok),
    generatorCpuMsPerRequest: (generator.user + generator.system) / 1000 / Math.max(1, result.ok),
  };
}

const fmt = (r: Measured): string =>
  `${r.label.padEnd(38)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  ` +
  `p99 ${String(r.p99).padStart(4)} ms  ${r.statementsPerRequest.toFixed(2).padStart(5)} SQL/req  ` +
  `cpu ms/req: server ${r.cpuMsPerRequest.toFixed(2)} postgres ${r.postgresCpuMsPerRequest.toFixed(2)} ` +
  `load ${r.generatorCpuMsPerRequest.toFixed(2)}` +
  (r.failed > 0 ? `  (${r.failed} failed!)` : '');

async function main(): Promise<void> {
  const server = await Server.start();
  try {
    console.log(
      `bench:http — ${connections} connections, ${seconds} s per phase, pools of ${process.env.BENCH_POOL_SIZE ?? 10}, ` +
        'server in a child process (load generator in this one), 127.0.0.1',
    );
    const ids: string[] = [];
    if (warmupSeconds > 0) {
      await ceiling(server, 'warm-up', warmupSeconds);
      await filing(server, warmupSeconds, ids);
    }
    // Ceilings around each api phase, compared with the mean of its two neighbours: the database and the cores
    // are shared (other work on the machine drifts), so the baseline is taken right where the phase runs.
    const c1 = await phase(server, false, 'ceiling-1', () =>
      ceiling(server, 'ceiling  bare route + 1 INSERT (1)', seconds),
    );
    const filed = await phase(server, true, 'filing', () => filing(server, seconds, ids));
    const c2 = await phase(server, false, 'ceiling-2', () =>
      ceiling(server, 'ceiling  bare route + 1 INSERT (2)', seconds),
    );
    const followed = await phase(server, true, 'follow-up', () => followUp(server, seconds, ids));
    const c3 = await phase(server, false, 'ceiling-3', () =>
      ceiling(server, 'ceiling  bare route + 1 INSERT (3)', seconds),
    );

    for (const c of [c1, c2, c3]) console.log(fmt(c));
    for (const [r, around] of [
      [filed, [c1, c2]],
      [followed, [c2, c3]],
    ] as const) {
      const baseline = (around[0].rps + around[1].rps) / 2;
      const ratio = r.rps / baseline;
      const verdict = ratio >= 0.5 && r.p99 <= 50 ? 'meets' : 'MISSES';
      console.log(fmt(r));
      console.log(
        `  ratio ${ratio.toFixed(2)} to the ceiling around it (${baseline.toFixed(0)} req/s; target >= 0.50), ` +
          `p99 ${r.p99} ms (target <= 50): ${verdict} target`,
      );
      console.log(`  ${lagLine(r.lag, r.samplerStatements)}`);
    }
  } finally {
    await server.stop().catch(() => server.kill());
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
