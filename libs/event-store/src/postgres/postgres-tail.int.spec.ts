import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

import { anEvent } from '../contract/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { dropSchemas, randomSchema } from '../testing';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('PostgreSQL readTail: no gap-safety wait (server)', () => {
  const schema = randomSchema('tail');
  let store: PostgresEventStore;
  const open = new Client({ connectionString: url });

  beforeAll(async () => {
    store = await PostgresEventStore.create({ connectionString: url, schema, maxConnections: 4 });
    await open.connect();
  });
  afterAll(async () => {
    await open.query('ROLLBACK').catch(() => undefined);
    await open.end();
    await store?.close();
    await dropSchemas(url, schema);
  });

  it('counts an event committed above the horizon while an older transaction stays open', async () => {
    const before = await store.appendToStream(`t-${randomUUID()}`, [anEvent()]);
    // An open transaction with a transaction id: the horizon stays below it until the test ends it.
    await open.query('BEGIN');
    await open.query('SELECT pg_current_xact_id()');
    try {
      const later = await store.appendToStream(`t-${randomUUID()}`, [anEvent(), anEvent()]);
      const tail = await store.readTail({ after: before.lastGlobalPosition });
      expect(tail).toMatchObject({ headPosition: later.lastGlobalPosition, eventsAfter: 2 });
      // A reader by position (subscriptions) does not see those events yet: readTail is for lag only.
      const page = await store.readPage(before.lastGlobalPosition, 10, undefined);
      expect(page.events).toEqual([]);
      expect(page.hiddenCommitted).toBe(true);
    } finally {
      await open.query('ROLLBACK');
    }
  });
});
