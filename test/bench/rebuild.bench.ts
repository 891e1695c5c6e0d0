/**
 * `npm run bench:rebuild` — rebuilding every projection (tickets + reference) from BENCH_REBUILD_EVENTS stored
 * events (default 1,000,000) with the CLI's rebuild-aside path, against a baseline measured in the same run:
 * a naive projection that handles one event at a time (the ticket's state read back from its history rows as
 * the projection reads it, then TypeORM `save` of the summary and of the history row, each save in its own
 * transaction), on the first BENCH_NAIVE_EVENTS (50,000) events of the same log. Since issue #15 the summary no
 * longer holds the state, so the baseline's read-back folds up to SNAPSHOT_EVERY rows instead of one `findOneBy`.
 *
 * Data: ticket stories built from @app/domain's event types with a real warranty assessment (the messaging
 * fixtures: replacement, pickup and onsite flows of 6–9 events), BENCH_SEED_TICKETS of them appended through
 * the real PostgresEventStore (plus partners, unit sales and a catalog version), then replicated in SQL with
 * fresh stream names, event ids and ticket ids up to the target count. Positions are renumbered so that a page
 * interleaves many tickets (revision-major within each copy), as a live log would. The copies' hash column is
 * copied, not recomputed: this bench measures projections, never `verify`.
 * It also prints the CPU time the rebuild took in this process and in PostgreSQL (from /proc), and the rate the
 * machine's cores could give at that cost per event: the bound on the rate whatever the overlap.
 * BENCH_CPU_PROF=dir writes a CPU profile of the rebuild to dir/rebuild.cpuprofile.
 * Target (2-core machine): >= 50,000 events/s and >= 20x the naive path.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  CATALOG_STREAM,
  evolve,
  initialState,
  partnerStream,
  type RepairTicketEvent,
  repairTicketEvents,
  type RepairTicketState,
  sampleCatalog,
  ticketBilling,
  ticketIdOfStream,
  ticketStream,
  unitSaleStream,
} from '@app/domain';
import { PostgresEventStore, type RecordedEvent } from '@app/event-store';
import { oneOfEveryTicketEvent } from '@app/domain/testing';
import { dropSchemas, scratchSchemas, toStoredEvents } from '@app/event-store/testing';
import {
  DEFAULT_LANES,
  foldHistory,
  isSnapshotRevision,
  LATEST_STEPS_SQL,
  type LatestStepRow,
  openReadModelDataSource,
  rebuildAside,
  ReferenceProjection,
  TicketEventEntity,
  TicketsProjection,
  TicketSummaryEntity,
  toHistoryStep,
  toTicketDetails,
} from '@app/read-models';
import { Client } from 'pg';
import { PhaseProfiler } from './phase-profiler';
import { postgresCpuMs } from './postgres-cpu';

const url = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const targetEvents = Number(process.env['BENCH_REBUILD_EVENTS'] ?? 1_000_000);
const naiveEvents = Number(process.env['BENCH_NAIVE_EVENTS'] ?? 50_000);
const seedTickets = Number(process.env['BENCH_SEED_TICKETS'] ?? 3000);
const lanes = Number(process.env['BENCH_LANES'] ?? DEFAULT_LANES);
const pageSize = Number(process.env['BENCH_PAGE_SIZE'] ?? 5000 * lanes);
const schemas = scratchSchemas('bench_rb', { seed: 'seed', events: 'es', live: 'rm', naive: 'naive' });

function story(ticketId: string, kind: number): RepairTicketEvent[] {
  const e = oneOfEveryTicketEvent(ticketId, `P-${kind % 7}`);
  const opening = [e.RepairRequested, e.WarrantyAssessed, e.Escalated];
  switch (kind % 3) {
    case 0:
      return [...opening, e.ReplacementShipped, e.ReplacementDelivered, e.FailedUnitReturned, e.TicketClosed];
    case 1:
      return [
        ...opening,
        e.FailedUnitSent,
        e.FailedUnitReceived,
        e.RepairCompleted,
        e.RepairedUnitShipped,
        e.RepairedUnitDelivered,
        e.TicketClosed,
      ];
    default:
      return [...opening, e.OnsiteDispatched, e.OnsiteRepairCompleted, e.TicketClosed];
  }
}

async function seed(store: PostgresEventStore): Promise<void> {
  const meta = { correlationId: randomUUID(), actor: 'system:bench' };
  const at = '2026-01-05T00:00:00.000Z';
  const catalog = sampleCatalog();
  await store.appendToStream(CATALOG_STREAM, [
    {
      id: randomUUID(),
      type: 'CatalogVersionPublished',
      schemaVersion: 1,
      data: {
        version: catalog.version,
        publishedAt: catalog.publishedAt,
        entries: catalog.entries.map((e) => ({ ...e })),
        at,
        by: 'system:bench',
      },
      metadata: meta,
    },
  ]);
  for (let p = 0; p < 7; p++) {
    await store.appendToStream(partnerStream(`P-${p}`), [
      {
        id: randomUUID(),
        type: 'PartnerRegistered',
        schemaVersion: 1,
        data: { partnerId: `P-${p}`, name: `Partner ${p}`, at, by: 'system:bench' },
        metadata: meta,
      },
    ]);
  }
  const tickets = Array.from({ length: seedTickets }, (_, i) => ({ id: randomUUID(), kind: i }));
  // One append per ticket story, eight at a time (the store groups concurrent appends into one transaction).
  for (let i = 0; i < tickets.length; i += 8) {
    await Promise.all(
      tickets.slice(i, i + 8).map(async (t) => {
        await store.appendToStream(ticketStream(t.id), toStoredEvents(story(t.id, t.kind)), {
          expectedRevision: 'no_stream',
        });
        // Unit sales: one per ten tickets (reference events are few next to ticket events, and the reference
        // projection applies them one by one).
        if (t.kind % 10 !== 0) return;
        await store.appendToStream(unitSaleStream(`SN-${t.id}`), [
          {
            id: randomUUID(),
            type: 'UnitSaleRecorded',
            schemaVersion: 1,
            data: {
              serialNumber: `SN-${t.id}`,
              modelNumber: 'WV-S1136',
              partnerId: `P-${t.kind % 7}`,
              saleDate: '2025-01-10',
              soldInJapan: true,
              at,
              by: 'system:bench',
            },
            metadata: meta,
          },
        ]);
      }),
    );
  }
}

/** Replicates the seed up to `targetEvents` rows of the bench store, positions 1..N. */
async function replicate(admin: Client): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${schemas.seed}".events WHERE stream LIKE 'ticket-%'`,
  );
  const perCopy = Number(rows[0]?.n ?? 0);
  const copies = Math.ceil(targetEvents / perCopy);
  await admin.query(`ALTER TABLE "${schemas.events}".events SET UNLOGGED`);
  // Reference events once, first; then `copies` copies of the ticket streams, each copy ordered revision-major.
  await admin.query(
    `INSERT INTO "${schemas.events}".events (global_position, event_id, stream, revision, type, schema_version, data,
                                            metadata, recorded_at, transaction_id, hash)
     SELECT row_number() OVER (ORDER BY global_position), event_id, stream, revision, type, schema_version, data,
            metadata, recorded_at, transaction_id, hash
       FROM "${schemas.seed}".events WHERE stream NOT LIKE 'ticket-%'`,
  );
  const { rows: ref } = await admin.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${schemas.events}".events`,
  );
  const offset = Number(ref[0]?.n ?? 0);
  await admin.query(
    `INSERT INTO "${schemas.events}".events (global_position, event_id, stream, revision, type, schema_version, data,
                                            metadata, recorded_at, transaction_id, hash)
     SELECT $1::bigint + k.k * $2::bigint + s.rn, md5(s.event_id::text || k.k)::uuid,
            'ticket-' || md5(s.stream || k.k)::uuid, s.revision, s.type, s.schema_version,
            jsonb_set(s.data, '{ticketId}', to_jsonb(md5(s.stream || k.k)::uuid::text)),
            s.metadata, s.recorded_at, s.transaction_id, s.hash
       FROM (SELECT e.*, row_number() OVER (ORDER BY revision, global_position) AS rn
               FROM "${schemas.seed}".events e WHERE stream LIKE 'ticket-%') s
      CROSS JOIN generate_series(0, $3::int - 1) AS k(k)
      WHERE k.k * $2::bigint + s.rn <= $4::bigint - $1::bigint`,
    [offset, perCopy, copies, targetEvents],
  );
  await admin.query(`ALTER TABLE "${schemas.events}".events SET LOGGED`);
  await admin.query(`ANALYZE "${schemas.events}".events`);
  const { rows: all } = await admin.query<{ n: string }>(
    `SELECT count(*) AS n FROM "${schemas.events}".events`,
  );
  return Number(all[0]?.n ?? 0);
}

/** The baseline: one event at a time through TypeORM repositories, each `save` its own transaction. */
async function naive(store: PostgresEventStore): Promise<{ events: number; seconds: number }> {
  const ds = await openReadModelDataSource({ url, schema: schemas.naive, poolSize: 2 });
  const summaries = ds.getRepository(TicketSummaryEntity);
  const history = ds.getRepository(TicketEventEntity);
  let done = 0;
  let after = -1;
  const t0 = performance.now();
  try {
    while (done < naiveEvents) {
      const page: RecordedEvent[] = await store.readAll({
        ...(after >= 0 ? { after } : {}),
        maxCount: Math.min(1000, naiveEvents - done),
      });
      if (page.length === 0) break;
      for (const e of page) {
        const ticketId = ticketIdOfStream(e.stream);
        if (ticketId !== undefined) {
          // The state read back as the projection reads it: history rows since the last snapshot, folded.
          const steps: LatestStepRow[] = await ds.query(LATEST_STEPS_SQL, [[ticketId]]);
          const before: RepairTicketState =
            steps.length === 0 ? initialState : foldHistory(steps.map(toHistoryStep));
          const state = evolve(before, repairTicketEvents.decode(e));
          const input = state.assessmentInput;
          await summaries.save({
            ticketId,
            partnerId: state.partnerId ?? '',
            serial: input?.unit.serialNumber ?? '',
            modelNumber: input?.unit.modelNumber ?? '',
            status: state.status,
            scheme: state.scheme,
            coverage: state.coverage,
            chargeable: ticketBilling(state)?.chargeable ?? null,
            prefecture: input?.site.prefecture ?? null,
            requestedAt: new Date(state.openedAt ?? e.recordedAt),
            failureDate: input?.failure.failureDate ?? null,
            updatedAt: new Date(state.updatedAt ?? e.recordedAt),
            resolvedAt: state.status === 'closed' && state.closedAt ? new Date(state.closedAt) : null,
            visitDate: state.onsite?.visitDate ?? null,
            revision: e.revision,
            lastPosition: e.globalPosition,
            details: toTicketDetails(ticketId, state, e.revision),
            deliveryDate: input?.unit.deliveryDate ?? null,
          });
          await history.save({
            globalPosition: e.globalPosition,
            eventId: e.id,
            ticketId,
            revision: e.revision,
            type: e.type,
            schemaVersion: e.schemaVersion,
            recordedAt: new Date(e.recordedAt),
            actor: e.metadata.actor,
            correlationId: e.metadata.correlationId,
            causationId: e.metadata.causationId ?? null,
            data: e.data,
            snapshot: isSnapshotRevision(e.revision) ? state : null,
          });
        }
        after = e.globalPosition;
        done++;
      }
    }
    return { events: done, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await ds.destroy();
  }
}

async function walLsn(admin: Client): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? '0/0';
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const seedStore = await PostgresEventStore.create({
    connectionString: url,
    schema: schemas.seed,
    notifications: 'poll',
  });
  const store = await PostgresEventStore.create({
    connectionString: url,
    schema: schemas.events,
    notifications: 'poll',
  });
  try {
    let t = performance.now();
    await seed(seedStore);
    const total = await replicate(admin);
    console.log(
      `loaded ${total} events (${seedTickets} seed tickets replicated) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // Live read models exist first, as in production (the api migrated them); the rebuild swaps them.
    const live = await openReadModelDataSource({ url, schema: schemas.live, poolSize: 1 });
    await live.destroy();

    const baseline = await naive(store);
    const naiveRate = baseline.events / baseline.seconds;
    console.log(
      `naive per-event TypeORM save: ${baseline.events} events in ${baseline.seconds.toFixed(1)} s = ${Math.round(naiveRate)} events/s`,
    );

    // Start the timed rebuild from a fresh checkpoint: the load above wrote ~1 GB of WAL, and a checkpoint it
    // triggered would otherwise land in the middle of the rebuild (full-page images of every page touched next)
    // in some runs and not in others.
    await admin.query('CHECKPOINT');
    const wal0 = await walLsn(admin);
    const profiler = process.env['BENCH_CPU_PROF']
      ? new PhaseProfiler(process.env['BENCH_CPU_PROF'])
      : undefined;
    await profiler?.start('rebuild');
    t = performance.now();
    const pgCpuAtStart = postgresCpuMs();
    const cpuAtStart = process.cpuUsage();
    let lastLog = 0;
    const result = await rebuildAside({
      url,
      liveSchema: schemas.live,
      store,
      projections: [new TicketsProjection(), new ReferenceProjection()],
      pageSize,
      lanes,
      onProgress: (p) => {
        const now = performance.now();
        if (now - lastLog > 5000 || p.phase !== 'replay' || process.env['BENCH_VERBOSE']) {
          lastLog = now;
          const s = (now - t) / 1000;
          console.log(
            `  ${p.phase.padEnd(7)} ${p.eventsRead} events, ${Math.round(p.eventsRead / s)} events/s, at ${s.toFixed(1)} s`,
          );
        }
      },
    });
    const cpu = process.cpuUsage(cpuAtStart);
    const nodeCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const pgCpuSeconds = (postgresCpuMs() - pgCpuAtStart) / 1000;
    await profiler?.stop();
    const rate = result.eventsRead / result.seconds;
    const { rows } = await admin.query<{ tickets: string; history: string }>(
      `SELECT (SELECT count(*) FROM "${schemas.live}".ticket_summary) AS tickets,
              (SELECT count(*) FROM "${schemas.live}".ticket_event) AS history`,
    );
    console.log(
      `rebuild-aside (all projections, page ${pageSize}, ${lanes} lane(s)): ${result.eventsRead} events in ${result.seconds.toFixed(1)} s = ` +
        `${Math.round(rate)} events/s (incl. index build and swap); tables: ${rows[0]?.tickets} tickets, ${rows[0]?.history} history rows`,
    );
    const wal = await admin.query<{ mb: string }>(
      `SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), $1) / 1048576) AS mb`,
      [wal0],
    );
    console.log(`WAL written during the rebuild: ${wal.rows[0]?.mb} MB`);
    // Both processes share the machine's cores: the CPU an event costs bounds the rate whatever the overlap.
    const cpuPerEvent = (nodeCpuSeconds + pgCpuSeconds) / Math.max(1, result.eventsRead);
    console.log(
      `CPU during the rebuild: this process ${nodeCpuSeconds.toFixed(1)} s, PostgreSQL ${pgCpuSeconds.toFixed(1)} s ` +
        `(${(cpuPerEvent * 1e6).toFixed(1)} µs per event; ${availableParallelism()} cores at that cost: at most ` +
        `${Math.round(availableParallelism() / cpuPerEvent)} events/s)`,
    );
    const ratio = rate / naiveRate;
    console.log(
      `ratio vs naive: ${ratio.toFixed(1)}x   targets: >= 50000 events/s ${rate >= 50_000 ? 'MET' : 'NOT MET'}, >= 20x ${ratio >= 20 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    await seedStore.close();
    await store.close();
    if (!process.env['BENCH_KEEP']) await dropSchemas(url, ...Object.values(schemas));
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
