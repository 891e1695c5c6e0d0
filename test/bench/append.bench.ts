/**
 * `npm run bench:append` — append throughput/latency of the PostgreSQL adapter against two baselines measured
 * in the same run on the same server, then readAll replay speed over 1M events.
 *   (a) raw INSERT of the same row shape, one per transaction: the ceiling;
 *   (b) PostgresEventStore.appendToStream with the exact expected revision;
 *   (c) @event-driven-io/emmett-postgresql appendToStream with the exact expected stream version.
 * Rounds run a, b, c, c, b, a so drift (checkpoints, autovacuum) hits every contender alike.
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_WRITERS (8),
 * BENCH_SECONDS per round (6), BENCH_STREAMS per writer (50), BENCH_REPLAY_EVENTS (1000000),
 * BENCH_ONLY=append|replay to run one part.
 * Targets (2-core machine): b/a >= 0.75, b/c >= 1.5, replay >= 100k events/s.
 * (b) can beat (a): the adapter groups concurrent appends into one transaction (one WAL flush), while (a) is by
 * definition one INSERT per transaction. Replay is also compared with a plain SELECT of the same pages.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';

import { Client, Pool } from 'pg';

import { PostgresEventStore } from '@app/event-store';

import { appendSummary, formatRate, type LatencyStats } from './append-stats';

const url = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const writers = Number(process.env['BENCH_WRITERS'] ?? 8);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 6);
const streamsPerWriter = Number(process.env['BENCH_STREAMS'] ?? 50);
const replayEvents = Number(process.env['BENCH_REPLAY_EVENTS'] ?? 1_000_000);
const only = process.env['BENCH_ONLY'];
const suffix = randomUUID().slice(0, 8);
const schema = `bench_append_${suffix}`;
const emmettSchema = `bench_emmett_${suffix}`;
const replaySchema = `bench_replay_${suffix}`;

type AppendOnce = (writer: number, stream: number) => Promise<void>;

/**
 * An AppendOnce over streams `<prefix>-<writer>-<stream>`: `append` gets the stream, what it returned for that
 * stream last time (the expected revision or version; undefined for a new stream) and the event's number.
 */
function perStream<R>(
  prefix: string,
  append: (stream: string, last: R | undefined, n: number) => Promise<R>,
): AppendOnce {
  const lastOf = new Map<string, R>();
  let seq = 0;
  return async (w, s) => {
    const stream = `${prefix}-${w}-${s}`;
    lastOf.set(stream, await append(stream, lastOf.get(stream), seq++));
  };
}

const data = (n: number): { serial: string; amount: number; note: string } => ({
  serial: `SN-${n}`,
  amount: n,
  note: 'カメラ故障 replaced under Partners Circle warranty',
});
const metadata = (): { correlationId: string; actor: string } => ({
  correlationId: randomUUID(),
  actor: 'partner:P-001',
});

/** N writers, each looping over its own streams for `seconds`; returns per-call latencies. */
async function run(label: string, appendOnce: AppendOnce): Promise<LatencyStats> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        await appendOnce(w, i % streamsPerWriter);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return appendSummary(label, latencies, (performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const stores: { close(): Promise<void> }[] = [];
  try {
    if (only === 'replay') {
      await replay(admin);
      return;
    }
    // (b) the adapter; its schema also hosts (a)'s table, a copy of the events table with the same indexes.
    const store = await PostgresEventStore.create({
      connectionString: url,
      schema,
      maxConnections: writers,
      ...(process.env['BENCH_APPEND_CONCURRENCY']
        ? { appendConcurrency: Number(process.env['BENCH_APPEND_CONCURRENCY']) }
        : {}),
    });
    stores.push(store);
    await admin.query(`CREATE TABLE ${schema}.raw_events (LIKE ${schema}.events INCLUDING ALL)`);
    const rawPool = new Pool({ connectionString: url, max: writers });
    stores.push({ close: () => rawPool.end() });

    // (c) emmett, in its own schema through search_path (it creates unqualified emt_* tables and functions).
    await admin.query(`CREATE SCHEMA ${emmettSchema}`);
    const emmettUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${emmettSchema}`)}`;
    const emmettModule = await import('@event-driven-io/emmett-postgresql');
    const { STREAM_DOES_NOT_EXIST } = await import('@event-driven-io/emmett');
    const emmett = emmettModule.getPostgreSQLEventStore(emmettUrl);
    stores.push(emmett);

    const raw = perStream<number>('raw', async (stream, last, n) => {
      const revision = (last ?? -1) + 1;
      await rawPool.query(
        `INSERT INTO ${schema}.raw_events (global_position, event_id, stream, revision, type, schema_version, data,
           metadata, transaction_id, hash)
         VALUES (pg_current_xact_id()::text::bigint * 1024, $1, $2, $3, 'UnitReplaced', 1, $4, $5, pg_current_xact_id(), $6)`,
        [randomUUID(), stream, revision, JSON.stringify(data(n)), JSON.stringify(metadata()), 'f'.repeat(64)],
      );
      return revision;
    });

    const adapter = perStream<number>('ticket', async (stream, last, n) => {
      const event = {
        id: randomUUID(),
        type: 'UnitReplaced',
        schemaVersion: 1,
        data: data(n),
        metadata: metadata(),
      };
      const result = await store.appendToStream(stream, [event], { expectedRevision: last ?? 'no_stream' });
      return result.nextExpectedRevision;
    });

    const peer = perStream<bigint>('ticket', async (stream, last, n) => {
      const event = { type: 'UnitReplaced', data: data(n), metadata: metadata() };
      const result = await emmett.appendToStream(stream, [event], {
        expectedStreamVersion: last ?? STREAM_DOES_NOT_EXIST,
      });
      return result.nextExpectedStreamVersion;
    });

    console.log(
      `append bench: ${writers} writers, ${streamsPerWriter} streams each, ${seconds}s per round, one event per call`,
    );
    // Shared machine: the load average says how much of the 2 cores this run really had.
    console.log(
      `load average at start: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    // Warm-up: connections, plans, emmett's schema creation.
    for (const warmUp of [raw, adapter, peer])
      await Promise.all(Array.from({ length: writers }, (_, w) => warmUp(w, 0)));

    const results: Record<'a' | 'b' | 'c', LatencyStats[]> = { a: [], b: [], c: [] };
    for (const round of ['a', 'b', 'c', 'c', 'b', 'a'] as const) {
      const fn = round === 'a' ? raw : round === 'b' ? adapter : peer;
      const label = round === 'a' ? '(a) raw INSERT' : round === 'b' ? '(b) adapter' : '(c) emmett';
      const stats = await run(label, fn);
      results[round].push(stats);
      console.log(formatRate(stats));
    }
    const mean = (k: 'a' | 'b' | 'c'): number =>
      results[k].reduce((s, r) => s + r.eventsPerSecond, 0) / results[k].length;
    const a = mean('a');
    const b = mean('b');
    const c = mean('c');
    console.log(`mean events/s: a=${a.toFixed(0)} b=${b.toFixed(0)} c=${c.toFixed(0)}`);
    console.log(`ratio b/a = ${(b / a).toFixed(2)} (target >= 0.75)  ${b / a >= 0.75 ? 'MET' : 'MISSED'}`);
    console.log(`ratio b/c = ${(b / c).toFixed(2)} (target >= 1.5)   ${b / c >= 1.5 ? 'MET' : 'MISSED'}`);

    if (only !== 'append') await replay(admin);
  } finally {
    for (const s of stores.reverse()) await s.close().catch(() => undefined);
    for (const s of [schema, emmettSchema, replaySchema])
      await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.end();
  }
}

/**
 * Bulk-loads `replayEvents` valid events (10 per stream, hash chains computed in SQL by a recursive CTE) in
 * one INSERT … SELECT, then times reading them all through readAll in pages.
 */
async function replay(admin: Client): Promise<void> {
  const store = await PostgresEventStore.create({
    connectionString: url,
    schema: replaySchema,
    maxConnections: 2,
  });
  try {
    const perStream = 10;
    const streams = Math.ceil(replayEvents / perStream);
    const t0 = performance.now();
    // content = canonicalJson([type, schemaVersion, data, metadata]) with keys in sorted order, as the adapter does.
    await admin.query(
      `WITH RECURSIVE chain(s, rev, hash) AS (
         SELECT s, 0::bigint, encode(sha256(convert_to('' || E'\\n' || '"bench-' || s || '"' || E'\\n' || '0' || E'\\n' ||
                  '["UnitReplaced",1,{"amount":' || s || ',"serial":"SN-' || s || '"},{"actor":"system:bench","correlationId":"c-' || s || '"}]', 'UTF8')), 'hex')
           FROM generate_series(1, $1::int) s
         UNION ALL
         SELECT s, rev + 1, encode(sha256(convert_to(hash || E'\\n' || '"bench-' || s || '"' || E'\\n' || (rev + 1)::text || E'\\n' ||
                  '["UnitReplaced",1,{"amount":' || s || ',"serial":"SN-' || s || '"},{"actor":"system:bench","correlationId":"c-' || s || '"}]', 'UTF8')), 'hex')
           FROM chain WHERE rev + 1 < $2::int)
       INSERT INTO ${replaySchema}.events (global_position, event_id, stream, revision, type, schema_version, data, metadata, transaction_id, hash)
       SELECT rev * $1::bigint + s, gen_random_uuid(), 'bench-' || s, rev, 'UnitReplaced', 1,
              jsonb_build_object('amount', s, 'serial', 'SN-' || s),
              jsonb_build_object('actor', 'system:bench', 'correlationId', 'c-' || s),
              pg_current_xact_id(), hash
         FROM chain`,
      [streams, perStream],
    );
    await admin.query(`VACUUM ANALYZE ${replaySchema}.events`);
    const loaded = Number(
      (await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${replaySchema}.events`)).rows[0]?.n,
    );
    console.log(`replay: bulk-loaded ${loaded} events in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    const broken = await store.verifyStreamChain('bench-1');
    console.log(`replay: hash chain of bench-1 ${broken ? 'BROKEN' : 'verifies'}`);

    // Baseline in the same run: the same pages read with a plain SELECT through `pg` (rows parsed by the
    // driver, no horizon), i.e. what any client gets from this server right now.
    const plainStarted = performance.now();
    let plainAfter = -1;
    let plainCount = 0;
    for (;;) {
      const { rows } = await admin.query<{ global_position: string }>(
        `SELECT global_position, event_id, stream, revision, type, schema_version, data, metadata, recorded_at
           FROM ${replaySchema}.events WHERE global_position > $1 ORDER BY global_position LIMIT 5000`,
        [plainAfter],
      );
      if (rows.length === 0) break;
      plainCount += rows.length;
      plainAfter = Number(rows[rows.length - 1]?.global_position);
    }
    const plainRate = plainCount / ((performance.now() - plainStarted) / 1000);
    console.log(
      `replay plain SELECT (pages of 5000, baseline): ${plainCount} rows = ${plainRate.toFixed(0)} rows/s`,
    );

    for (const pageSize of [1000, 5000]) {
      const started = performance.now();
      let after: number | undefined;
      let count = 0;
      for (;;) {
        const page = await store.readAll({ ...(after === undefined ? {} : { after }), maxCount: pageSize });
        if (page.length === 0) break;
        count += page.length;
        after = page[page.length - 1]?.globalPosition;
      }
      const secs = (performance.now() - started) / 1000;
      const rate = count / secs;
      console.log(
        `replay readAll (pages of ${pageSize}): ${count} events in ${secs.toFixed(2)}s = ${rate.toFixed(0)} events/s ` +
          `(target >= 100000) ${rate >= 100_000 ? 'MET' : 'MISSED'}; ${(rate / plainRate).toFixed(2)}x the plain SELECT`,
      );
    }
    console.log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
