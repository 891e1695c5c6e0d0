/**
 * Chaos 2: every backend of the api terminated (`pg_terminate_backend`) again and again under a bounded keyed
 * load, the api process never restarted. Claims checked: no 500 for a command whose events were committed
 * (and no bare 500 at all: connection loss is 503 + Retry-After), every retry with the key answered with the
 * original result, no duplicates, and the api recovers by itself: healthy, serving, LISTEN re-established.
 *
 * Finding the api's own backends (ChaosDatabase.backends): the suite starts it with PGAPPNAME=chaos-api-<random>,
 * which node-postgres sends as `application_name` on every connection (the event store's pool and LISTEN
 * client, TypeORM's pool) as long as the service names none itself, which it does not today; in case it
 * starts to, the client ports of the sockets the api's pid owns (`ss -tnp`) select the same backends.
 */
import { send } from './support/http';
import { waitUntil } from './support/processes';
import { sleep } from './support/prng';
import { chaosScenario } from './support/scenario';
import { filingCommand, runWorkload, sendUntilAnswered } from './support/workload';

const TICKETS = 120;
const TERMINATION_ROUNDS = 40;
const RETRY_WINDOW_MS = 20_000;
/** The issue asks for LISTEN back within a second; one more for a loaded 2-core machine. */
const LISTEN_BACK_MS = 2_000;

describe('chaos 2: the api’s database connections terminated under keyed load', () => {
  const scenario = chaosScenario(2);
  const listening = async (): Promise<number> =>
    (await scenario.db.backends(scenario.api)).filter((b) => /^\s*LISTEN\b/i.test(b.query)).length;

  it('never answers 500 for committed work, replays retries and recovers without a restart', async () => {
    const { api, db, prng } = scenario;
    const options = scenario.load({
      tickets: TICKETS,
      retryWindowMs: RETRY_WINDOW_MS,
      keepTrying: () => api.process?.alive() ?? false,
    });
    const listeningAtStart = await listening();
    const backendsAtStart = (await db.backends(api)).length;
    const socketsAtStart = api.clientPorts().length;

    let loadDone = false;
    let terminated = 0;
    let rounds = 0;
    const load = runWorkload(options).finally(() => (loadDone = true));
    const terminator = (async () => {
      for (let i = 0; i < TERMINATION_ROUNDS && !loadDone; i++) {
        await sleep(prng.between(50, 250));
        terminated += await db.terminateBackends(api);
        rounds++;
      }
    })();
    const outcomes = await load;
    await terminator;

    // One last round with the load over, then the api must heal on its own.
    terminated += await db.terminateBackends(api);
    rounds++;
    const listenBack = await waitUntil(
      'LISTEN back',
      async () => (await listening()) > 0,
      LISTEN_BACK_MS,
      50,
    ).then(
      () => 'yes',
      () => `no LISTEN backend ${LISTEN_BACK_MS} ms after the last termination`,
    );
    const healthy = await waitUntil(
      'healthy',
      async () => (await send(api.port, { method: 'GET', path: '/health', timeoutMs: 2_000 })).status === 200,
      5_000,
    ).then(
      () => 'yes',
      (e: Error) => e.message,
    );
    const fresh = await sendUntilAnswered(
      { ...options, retryWindowMs: 5_000 },
      filingCommand(scenario.runId, TICKETS),
      undefined,
    );

    const verdict = await scenario.judge(outcomes);
    process.stdout.write(
      scenario.verdictLine(
        verdict,
        `backends terminated ${terminated} in ${rounds} rounds, seed ${prng.seed}`,
      ),
    );

    const bare500 = outcomes.flatMap((o) =>
      o.answers
        .filter((a) => a.status >= 500 && !(a.status === 503 && a.headers['retry-after'] !== undefined))
        .map((a) => `${o.command.key}: ${a.status} ${JSON.stringify(a.body).slice(0, 100)}`),
    );
    expect({
      // The scenario measured something only if connections died many times under load.
      underLoad: rounds >= 10,
      precondition: {
        listeningAtStart: listeningAtStart > 0,
        backendsAtStart: backendsAtStart > 0,
        socketsFoundBySs: socketsAtStart > 0,
      },
      ...verdict.problems,
      bare500,
      recovery: {
        sameProcess: api.starts === 1 && (api.process?.alive() ?? false),
        listenBack,
        healthy,
        freshFiling: fresh.answers.at(-1)?.status,
      },
    }).toEqual({
      underLoad: true,
      precondition: { listeningAtStart: true, backendsAtStart: true, socketsFoundBySs: true },
      unacknowledged: [],
      lost: [],
      duplicates: [],
      notOriginal: [],
      committedAnswered5xx: [],
      bare500: [],
      recovery: { sameProcess: true, listenBack: 'yes', healthy: 'yes', freshFiling: 201 },
    });
  }, 120_000);
});
