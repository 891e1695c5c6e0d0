import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { evolve, initialState, type RepairTicketEvent, type RepairTicketState } from '@app/domain';
import type { EventStore, PostgresEventStore } from '@app/event-store';
import { oneOfEveryTicketEvent, replacementStory } from '@app/domain/testing';
import { scratchSchemas, toStoredEvents } from '@app/event-store/testing';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openReadModelDataSource } from '../data-source';
import { ReferenceProjection } from '../reference/reference.projection';
import type { ReplaySession, ReplaySessionOptions } from '../runner/projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { openShadow, rebuildAside, ShadowReplayer } from '../runner/rebuild-aside';
import { closeRunnerSuite, openSuiteStore } from '../runner/runner-suite.test-support';
import { AS_OF_STEPS_SQL, type AsOfStepRow, foldHistory, SNAPSHOT_EVERY, toHistoryStep } from './snapshots';
import { TicketsProjection } from './tickets.projection';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** 4 + 2×9 = 22 events: past one snapshot revision (15), ending cancelled (a final state). */
function longStory(ticketId: string): RepairTicketEvent[] {
  const e = oneOfEveryTicketEvent(ticketId, 'P-long');
  const rounds = Array.from({ length: 9 }, () => [e.QuoteIssued, e.QuoteDeclined]).flat();
  return [e.RepairRequested, e.WarrantyAssessed, e.Escalated, e.ExclusionFound, ...rounds, e.TicketCancelled];
}

/** The store without `location()`: rebuilds then take the generic path (rows through the client). */
function hideLocation(store: PostgresEventStore): EventStore {
  return {
    appendToStream: (...a) => store.appendToStream(...a),
    readStream: (...a) => store.readStream(...a),
    readAll: (...a) => store.readAll(...a),
    readTail: (...a) => store.readTail(...a),
    subscribeToAll: (...a) => store.subscribeToAll(...a),
    streamRevision: (...a) => store.streamRevision(...a),
    verifyChains: (...a) => store.verifyChains(...a),
    readChained: (...a) => store.readChained(...a),
    close: () => Promise.resolve(),
  };
}

/** A replay session that forgets every ticket after each page (exercises the read-back path). */
class ForgetfulTickets extends TicketsProjection {
  override replaySession(options: ReplaySessionOptions = {}): ReplaySession {
    return super.replaySession(options, 0);
  }
}

describe('TicketsProjection: live batches, rebuild (copied in the server or through the client) agree', () => {
  const schemas = scratchSchemas('tp', {
    events: 'es',
    live: 'live',
    copied: 'copy',
    generic: 'gen',
    forgetful: 'fgt',
  });
  let store: PostgresEventStore;
  let live: DataSource;
  let runner: ProjectionRunner;
  const longId = randomUUID();
  const long = longStory(longId);
  /** recorded_at of each event of the long ticket, by revision. */
  const recordedAt: Date[] = [];
  const admin = new Client({ connectionString: url });

  beforeAll(async () => {
    await admin.connect();
    store = await openSuiteStore(url, schemas);
    // The long ticket one event per append (distinct recorded_at), interleaved with short tickets.
    for (const [revision, event] of long.entries()) {
      await store.appendToStream(`ticket-${longId}`, toStoredEvents([event]), {
        expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
      });
      if (revision % 4 === 0) {
        const id = randomUUID();
        await store.appendToStream(`ticket-${id}`, toStoredEvents(replacementStory(id)), {
          expectedRevision: 'no_stream',
        });
      }
      await sleep(3);
    }
    const stored = await store.readStream(`ticket-${longId}`);
    for (const e of stored) recordedAt[e.revision] = new Date(e.recordedAt);

    live = await openReadModelDataSource({ url, schema: schemas.live, poolSize: 2 });
    // Small batches: every ticket is continued from its stored summary many times.
    runner = new ProjectionRunner(
      store,
      live,
      [new TicketsProjection(), new ReferenceProjection()],
      { error: () => undefined },
      3,
    );
    await runner.start();
    await runner.stop();
  });
  afterAll(async () => {
    await closeRunnerSuite(url, schemas, { runner, readModels: live, store });
    await admin.end();
  });

  const rows = async (schema: string, table: string, key: string): Promise<unknown[]> =>
    (
      await admin.query<{ r: unknown }>(
        `SELECT to_jsonb(t) AS r FROM "${schema}"."${table}" t ORDER BY ${key}`,
      )
    ).rows.map((r) => r.r);

  const expectSameTablesAsLive = async (schema: string): Promise<void> => {
    for (const [table, key] of [
      ['ticket_summary', 'ticket_id'],
      ['ticket_event', 'global_position'],
    ] as const)
      expect(await rows(schema, table, key)).toEqual(await rows(schemas.live, table, key));
    // Not vacuous: the live tables hold every ticket and every event.
    expect(await rows(schemas.live, 'ticket_event', 'global_position')).toHaveLength(long.length + 6 * 7);
  };

  const rebuildInto = async (schema: string, from: EventStore, projection = new TicketsProjection()) => {
    const ds = await openReadModelDataSource({ url, schema, poolSize: 1 });
    await ds.destroy();
    return rebuildAside({
      url,
      liveSchema: schema,
      store: from,
      projections: [projection],
      pageSize: 7,
      lanes: 2,
    });
  };

  it('writes a snapshot on every SNAPSHOT_EVERY-th revision only, equal to the fold of the events so far', async () => {
    const snapshots = await admin.query<{ revision: number; snapshot: string }>(
      `SELECT revision, snapshot FROM "${schemas.live}".ticket_event WHERE snapshot IS NOT NULL ORDER BY revision`,
    );
    expect(snapshots.rows.map((r) => r.revision)).toEqual([SNAPSHOT_EVERY - 1]);
    const folded = long
      .slice(0, SNAPSHOT_EVERY)
      .reduce<RepairTicketState>((s, e) => evolve(s, e), initialState);
    expect(JSON.parse(snapshots.rows[0]?.snapshot ?? 'null')).toEqual(JSON.parse(JSON.stringify(folded)));
  });

  it('the as-of fold gives the state after each event, before and after the snapshot', async () => {
    for (const revision of [0, 3, SNAPSHOT_EVERY - 2, SNAPSHOT_EVERY - 1, SNAPSHOT_EVERY, long.length - 1]) {
      const steps = await live.query<AsOfStepRow[]>(AS_OF_STEPS_SQL, [longId, recordedAt[revision]]);
      const expected = long
        .slice(0, revision + 1)
        .reduce<RepairTicketState>((s, e) => evolve(s, e), initialState);
      expect(steps[steps.length - 1]?.revision).toBe(revision);
      // From the snapshot on, only the rows after it are read.
      expect(steps.length).toBe(
        revision >= SNAPSHOT_EVERY - 1 ? revision - (SNAPSHOT_EVERY - 1) + 1 : revision + 1,
      );
      const state = foldHistory(steps.map(toHistoryStep));
      expect(JSON.parse(JSON.stringify(state))).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    const before = new Date(recordedAt[0]!.getTime() - 1);
    expect(await live.query(AS_OF_STEPS_SQL, [longId, before])).toEqual([]);
  });

  it('a rebuild copying history inside the server writes exactly the live tables', async () => {
    await rebuildInto(schemas.copied, store);
    await expectSameTablesAsLive(schemas.copied);
  });

  it('a rebuild through the client (store in another database) writes exactly the live tables', async () => {
    await rebuildInto(schemas.generic, hideLocation(store));
    await expectSameTablesAsLive(schemas.generic);
  });

  it('a replay session that forgets tickets between pages reads them back and still matches', async () => {
    await rebuildInto(schemas.forgetful, store, new ForgetfulTickets());
    await expectSameTablesAsLive(schemas.forgetful);
  });

  it('the copied path is the one taken when store and read models share a database', async () => {
    const { schema, dataSource } = await openShadow(url, schemas.live);
    try {
      const seen: ReplaySessionOptions[] = [];
      class Spy extends TicketsProjection {
        override replaySession(options: ReplaySessionOptions = {}): ReplaySession {
          seen.push(options);
          return super.replaySession(options);
        }
      }
      await new ShadowReplayer(store, dataSource, [new Spy()], 50).catchUp();
      await new ShadowReplayer(hideLocation(store), dataSource, [new Spy()], 50).catchUp();
      expect(seen).toHaveLength(2);
      expect(seen[0]?.eventsTable).toBe(`"${schemas.events}".events`);
      expect(seen[1]?.eventsTable).toBeUndefined();
    } finally {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    }
  });
});
