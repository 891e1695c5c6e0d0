import { Test } from '@nestjs/testing';

import { PostgresEventStore } from '@app/event-store';

import {
  appendInterleavedStories,
  consumeUntil,
  deleteTestTopic,
  randomSuffix,
  testMessagingConfig,
  testTopic,
} from '../testing';
import { KafkaRelay } from './kafka-relay';
import { RelayModule } from './relay.module';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('RelayModule (the relay inside a Nest application, as the api runs it with RELAY_IN_PROCESS=true)', () => {
  const schema = `msg_nest_${randomSuffix()}`;
  const topic = testTopic('nest', 2);
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await PostgresEventStore.create({ connectionString: url, schema, maxConnections: 4 });
  });

  afterAll(async () => {
    await store.close();
    await store.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await deleteTestTopic(topic);
  });

  it('starts with the application, reports health, and stops with it', async () => {
    const appended = await appendInterleavedStories(store, 2);
    const app = await Test.createTestingModule({
      imports: [
        RelayModule.register({
          store,
          connectionString: url,
          checkpointSchema: schema,
          config: testMessagingConfig(topic),
        }),
      ],
    }).compile();
    await app.init();
    const relay = app.get(KafkaRelay);

    const total = [...appended.values()].reduce((n, ids) => n + ids.length, 0);
    const received = await consumeUntil(topic.name, total);
    expect(received).toHaveLength(total);
    expect(await relay.report()).toMatchObject({ name: 'kafka-tickets', status: 'ok' });

    await app.close();
    expect(relay.status().state).toBe('stopped');
    expect(await relay.report()).toMatchObject({ status: 'down' });
  });
});
