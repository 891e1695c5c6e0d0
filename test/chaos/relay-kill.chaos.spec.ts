/**
 * Chaos 3: the relay process killed with SIGKILL mid-publish against the real Kafka broker, restarted, again
 * and again. Claim checked: a kafkajs consumer that drops duplicates by `ce_id` sees every stored ticket event
 * exactly once, each ticket's events in stream order (messages keyed by ticket id).
 */
import { consumeUntil, deleteTestTopic, firstDeliveries, testTopic } from '@app/messaging/testing';

import { kill9, stopProcess, waitUntil, type RunningProcess } from './support/processes';
import { sleep } from './support/prng';
import { startRelay } from './support/relay';
import { chaosScenario } from './support/scenario';
import { runWorkload } from './support/workload';

const TICKETS = 40;
const RELAY_KILLS = 3;
/** Small batches: many sends per run, so a kill lands between a send and its checkpoint more often. */
const BATCH = 5;

describe('chaos 3: kill -9 of the relay mid-publish', () => {
  const topic = testTopic('chaos-relay', 3);
  const relays: RunningProcess[] = [];
  const scenario = chaosScenario(3, async () => {
    for (const r of relays) await kill9(r);
  });

  afterAll(async () => {
    await deleteTestTopic(topic);
  });

  it('delivers every stored event exactly once after dedup by ce_id, in order per ticket', async () => {
    const { api, db, prng } = scenario;
    const outcomes = await runWorkload(scenario.load({ tickets: TICKETS, retryWindowMs: 20_000 }));
    expect(outcomes.filter((o) => (o.answers.at(-1)?.status ?? 0) >= 300)).toEqual([]);
    const stored = await db.ticketEvents(api.schemas.events);
    const last = await db.lastPosition(api.schemas.events);
    const relay = (): RunningProcess => {
      const r = startRelay({
        eventSchema: api.schemas.events,
        topic,
        batchSize: BATCH,
        applicationName: `chaos-relay-${api.suffix}`,
      });
      relays.push(r);
      return r;
    };
    const checkpoint = async (): Promise<number> => (await db.relayCheckpoint(api.schemas.events)) ?? -1;

    let midStream = 0;
    for (let k = 0; k < RELAY_KILLS; k++) {
      const from = await checkpoint();
      const r = relay();
      // Kill once this run has acknowledged a batch, a random few ms later: often in the middle of a send.
      await waitUntil('relay publishing', async () => !r.alive() || (await checkpoint()) > from, 30_000, 5);
      await sleep(prng.between(0, 40));
      await kill9(r);
      if ((await checkpoint()) < last) midStream++;
    }
    const final = relay();
    await waitUntil('relay caught up', async () => (await checkpoint()) >= last, 60_000, 50);
    await stopProcess(final);

    const consumed = await consumeUntil(topic.name, stored.length, {
      quietMs: 1_500,
      timeoutMs: 30_000,
    }).catch((error: Error) => error);
    if (consumed instanceof Error) {
      process.stdout.write(
        `chaos scenario 3: events stored ${stored.length} / ${consumed.message}, relay kills ${RELAY_KILLS} ` +
          `(mid-stream ${midStream}), seed ${prng.seed}\n`,
      );
      throw consumed;
    }
    const received = consumed;
    const unique = firstDeliveries(received);
    const storedIds = new Set(stored.map((e) => e.id));
    const deliveredIds = new Set(unique.map((m) => m.headers['ce_id']));
    const missing = stored.filter((e) => !deliveredIds.has(e.id)).map((e) => `${e.stream}#${e.revision}`);
    const unexpected = unique
      .filter((m) => !storedIds.has(m.headers['ce_id'] ?? ''))
      .map((m) => m.headers['ce_id']);
    const streamOrder = new Map<string, string[]>();
    for (const e of stored) streamOrder.set(e.stream, [...(streamOrder.get(e.stream) ?? []), e.id]);
    const outOfOrder = [...streamOrder].filter(([stream, ids]) => {
      const ticketId = stream.replace(/^ticket-/, '');
      const seen = unique.filter((m) => m.key === ticketId).map((m) => m.headers['ce_id']);
      return JSON.stringify(seen) !== JSON.stringify(ids);
    });
    process.stdout.write(
      `chaos scenario 3: events stored ${stored.length} / delivered after dedup ${unique.length} / ` +
        `duplicates dropped ${received.length - unique.length}, missing ${missing.length}, ` +
        `tickets out of order ${outOfOrder.length}, relay kills ${RELAY_KILLS} (mid-stream ${midStream}), seed ${prng.seed}\n`,
    );

    expect({
      missing,
      unexpected,
      outOfOrder: outOfOrder.map(([s]) => s),
      someKillMidStream: midStream > 0,
    }).toEqual({ missing: [], unexpected: [], outOfOrder: [], someKillMidStream: true });
  }, 150_000);
});
