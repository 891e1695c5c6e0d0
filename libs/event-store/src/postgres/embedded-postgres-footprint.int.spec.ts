import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Client } from 'pg';

import { anEvent } from '../contract/event-store.contract';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The embedded database's memory (README, "Embedded default: footprint"). `npm run bench:footprint` measures
 * `npm start` itself (api + PGlite child, compiled build) against the 300 MB target; this test holds the child
 * alone to a bound a regression would cross (PGlite's defaults, or a child that never collects, idle at
 * 450-750 MB), with room for the machine: here the child runs from TypeScript sources (swc-node loaded in it
 * too) and measured 150-165 MB idle on the 2-core machine of issue #16.
 */
const CHILD_IDLE_BOUND_MB = 250;
const MB = 1024 * 1024;

async function show(connectionString: string, settings: readonly string[]): Promise<Record<string, string>> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const shown: Record<string, string> = {};
    for (const s of settings) {
      const { rows } = await client.query<Record<string, string>>(`SHOW ${s}`);
      shown[s] = rows[0]?.[s] ?? '?';
    }
    return shown;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL footprint', () => {
  describe('in memory (the default)', () => {
    let embedded: EmbeddedPostgres;
    beforeAll(async () => {
      embedded = await startEmbeddedPostgres();
    });
    afterAll(async () => {
      await embedded.stop();
    });

    it('runs with the memory settings', async () => {
      expect(
        await show(embedded.connectionString, [
          'shared_buffers',
          'wal_segment_size',
          'min_wal_size',
          'max_wal_size',
        ]),
      ).toEqual({ shared_buffers: '8MB', wal_segment_size: '1MB', min_wal_size: '2MB', max_wal_size: '8MB' });
    });

    it(`stays under ${CHILD_IDLE_BOUND_MB} MB RSS once idle after migrations and some appends`, async () => {
      const store = await PostgresEventStore.create({
        connectionString: embedded.connectionString,
        schema: 'event_store',
        maxConnections: 4,
      });
      try {
        for (let i = 0; i < 100; i++) {
          await store.appendToStream(`footprint-${i}`, [anEvent(), anEvent(), anEvent()]);
        }
      } finally {
        await store.close();
      }
      // The child checks every 2 s whether to collect; the first checks free initdb's instance.
      let rss = await embedded.rss();
      for (let i = 0; i < 20 && rss > CHILD_IDLE_BOUND_MB * MB; i++) {
        await sleep(500);
        rss = await embedded.rss();
      }
      process.stderr.write(`embedded PGlite child idle RSS: ${Math.round(rss / MB)} MB\n`);
      expect(Math.round(rss / MB)).toBeLessThanOrEqual(CHILD_IDLE_BOUND_MB);
    });
  });

  describe('in a data directory', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'pglite-footprint-'));
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('keeps its data across a restart, with PostgreSQL’s WAL sizes and the smaller shared_buffers', async () => {
      const first = await startEmbeddedPostgres({ dataDir });
      try {
        const client = new Client({ connectionString: first.connectionString });
        await client.connect();
        await client.query('CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');
        await client.end();
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres({ dataDir });
      try {
        const client = new Client({ connectionString: second.connectionString });
        await client.connect();
        const { rows } = await client.query<{ x: number }>('SELECT x FROM kept');
        await client.end();
        expect(rows).toEqual([{ x: 42 }]);
        expect(
          await show(second.connectionString, ['shared_buffers', 'wal_segment_size', 'min_wal_size']),
        ).toEqual({ shared_buffers: '8MB', wal_segment_size: '16MB', min_wal_size: '80MB' });
      } finally {
        await second.stop();
      }
    });
  });
});
