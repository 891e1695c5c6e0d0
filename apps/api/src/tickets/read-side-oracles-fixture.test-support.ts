import { randomBytes } from 'node:crypto';
import {
  decide,
  evolve,
  initialState,
  type RepairTicketCommand,
  type RepairTicketEvent,
  type RepairTicketState,
  sampleCatalog,
} from '@app/domain';
import { cmd } from '@app/domain/testing';
import { PostgresEventStore } from '@app/event-store';
import { toStoredEvents } from '@app/event-store/testing';
import { openReadModelDataSource, ProjectionRunner, rebuildAside, TicketsProjection } from '@app/read-models';
import { Client } from 'pg';
import { EXPECTED_HISTORY } from './read-side-oracles-rows.test-support';
import { correlation, stories, url } from './read-side-oracles-stories.test-support';

/** The stories' events in a private event store schema, projected into a private read-model schema. */
export interface ReadSideUnderTest {
  readonly schemas: { readonly events: string; readonly live: string };
  readonly admin: Client;
  store: PostgresEventStore;
  /** The read-model data source (its type taken from read-models, so this file imports no TypeORM). */
  db: Awaited<ReturnType<typeof openReadModelDataSource>>;
}

/**
 * Registers the set-up of an oracle suite: every story appended through decide as the api runs it, the
 * reference data the warranty view reads given as rows, the tickets projection run once. The handle's store
 * and db are there once beforeAll has run.
 */
export function readSideUnderTest(): ReadSideUnderTest {
  const suffix = randomBytes(5).toString('hex');
  const rs = {
    schemas: { events: `ro_es_${suffix}`, live: `ro_rm_${suffix}` },
    admin: new Client({ connectionString: url }),
  } as ReadSideUnderTest;

  beforeAll(async () => {
    await rs.admin.connect();
    rs.store = await PostgresEventStore.create({
      connectionString: url,
      schema: rs.schemas.events,
      maxConnections: 2,
    });
    for (const story of stories) {
      let state: RepairTicketState = initialState;
      const request = cmd.requestRepair({ ...story.request, ticketId: story.id }, story.requestedBy);
      const steps: (readonly [string, RepairTicketCommand])[] = [
        [story.requestedAt, request],
        ...story.steps,
      ];
      for (const [step, [now, command]] of steps.entries()) {
        // The owner acts for P-002's ticket where the fixture's default actor is P-001.
        const actor =
          story.requestedBy !== undefined && command.metadata.actor.kind === 'partner'
            ? story.requestedBy
            : command.metadata.actor;
        const events: RepairTicketEvent[] = decide({ ...command, metadata: { actor, now } }, state);
        state = events.reduce(evolve, state);
        await rs.store.appendToStream(
          `ticket-${story.id}`,
          toStoredEvents(events, correlation(story.id, step)),
          {
            expectedRevision: step === 0 ? 'no_stream' : 'any',
          },
        );
      }
    }
    rs.db = await openReadModelDataSource({ url, schema: rs.schemas.live, poolSize: 2 });
    // Reference data for the warranty view (given, not projected: only the tickets projection is under test).
    const catalog = sampleCatalog();
    await rs.db.query(
      `INSERT INTO partner_view (partner_id, name, certified_on, memberships, revision) VALUES
         ('P-001', 'Member Co', NULL, '[{"joinedOn":"2020-04-01","leftOn":null}]', 1),
         ('P-002', 'Other Co', NULL, '[]', 0)`,
    );
    await rs.db.query(
      `INSERT INTO unit_sale_view (serial, model_number, partner_id, sale_date, sold_in_japan) VALUES
         ('OR-REPL', 'WV-S1136', 'P-001', '2026-02-01', true),
         ('OR-PICK', 'WV-X1574LN', 'P-001', '2023-05-01', true),
         ('OR-PAID-A', 'WV-X1574LN', 'P-001', '2020-05-01', true),
         ('OR-NVR-2', 'WJ-NX400', 'P-002', '2026-06-01', true),
         ('OR-LEAP', 'WV-X1574LN', 'P-001', '2024-02-01', true)`,
    );
    await rs.db.query(
      `INSERT INTO catalog_version_view (version, published_at, recorded_at, entries, entry_count)
       VALUES ($1, $2, now(), $3, $4)`,
      [catalog.version, catalog.publishedAt, JSON.stringify(catalog.entries), catalog.entries.length],
    );
    const runner = new ProjectionRunner(
      rs.store,
      rs.db,
      [new TicketsProjection()],
      { error: () => undefined },
      4,
    );
    await runner.start();
    await runner.stop();
  });

  afterAll(async () => {
    await rs.db?.destroy();
    await rs.store?.close();
    for (const s of Object.values(rs.schemas)) await rs.admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await rs.admin.end();
  });

  return rs;
}

/** The same checks after the live projection and again after a rebuild-aside of the same events. */
export function liveAndRebuilt(rs: ReadSideUnderTest, suite: (when: string) => void): void {
  describe('after the live projection', () => suite('live'));

  describe('after a rebuild-aside (replayed into a shadow schema, swapped in)', () => {
    beforeAll(async () => {
      const result = await rebuildAside({
        url,
        liveSchema: rs.schemas.live,
        store: rs.store,
        projections: [new TicketsProjection()],
        pageSize: 4,
        lanes: 2,
      });
      // Not vacuous: every event was replayed (2 + steps per story).
      expect(result.eventsRead).toBe(Object.values(EXPECTED_HISTORY).reduce((n, h) => n + h.length, 0));
    });
    suite('rebuilt');
  });
}
