import { ApiUnderTest } from './api';
import { ChaosDatabase } from './database';
import { seededPrng, type Prng } from './prng';
import { judge, type Verdict } from './verdict';
import type { CommandOutcome, WorkloadOptions } from './workload';

/** Ticket chains driven at once by every scenario's load. */
const CONCURRENCY = 8;

/** What every chaos scenario shares: one database handle, one seeded PRNG, one api started for it. */
export interface ChaosScenario {
  readonly db: ChaosDatabase;
  readonly prng: Prng;
  /** The api `beforeAll` started (ready: reference data loaded, projections caught up). */
  readonly api: ApiUnderTest;
  /** Unique per run (`c<scenario><api suffix>`): the load's serial numbers and keys carry it. */
  readonly runId: string;
  /** The load's options: this api's port and tokens, the run id, `CONCURRENCY` chains at a time. */
  load(options: Omit<WorkloadOptions, 'port' | 'tokens' | 'runId' | 'concurrency'>): WorkloadOptions;
  /** The outcomes checked against what the api's event store holds now. */
  judge(outcomes: readonly CommandOutcome[]): Promise<Verdict>;
  /** The figures line of a scenario that judges its load (README "Latest run"); `extra` ends it. */
  verdictLine(verdict: Verdict, extra: string): string;
}

/**
 * Registers the scenario's `beforeAll` (the api started) and `afterAll` (`beforeDispose` first, e.g. relays
 * killed, then the api killed and its schemas dropped); call it inside the scenario's `describe`.
 */
export function chaosScenario(scenario: number, beforeDispose?: () => Promise<void>): ChaosScenario {
  const db = new ChaosDatabase();
  let started: ApiUnderTest | undefined;
  const api = (): ApiUnderTest => {
    if (!started) throw new Error('the api is not started: use the scenario inside its tests');
    return started;
  };

  beforeAll(async () => {
    started = await ApiUnderTest.ready(db);
  });

  afterAll(async () => {
    await beforeDispose?.();
    await ApiUnderTest.dispose(started, db);
  });

  return {
    db,
    prng: seededPrng(),
    get api() {
      return api();
    },
    get runId() {
      return `c${scenario}${api().suffix}`;
    },
    load(options) {
      return {
        ...options,
        port: api().port,
        tokens: api().tokens,
        runId: this.runId,
        concurrency: CONCURRENCY,
      };
    },
    judge: async (outcomes) => {
      const schema = api().schemas.events;
      return judge(
        outcomes,
        await db.ticketsByFilingKey(schema),
        await db.ticketEvents(schema),
        await db.committedCorrelationIds(schema),
      );
    },
    verdictLine: (verdict, extra) => {
      const { acknowledged, found, duplicated, retried, replayed, fiveXx } = verdict;
      return (
        `chaos scenario ${scenario}: commands acknowledged ${acknowledged} / found ${found} / duplicated ${duplicated}, ` +
        `retries ${retried} replayed ${replayed}, 5xx ${fiveXx} (500 for committed work ${verdict.problems.committedAnswered5xx.length}), ` +
        `${extra}\n`
      );
    },
  };
}
