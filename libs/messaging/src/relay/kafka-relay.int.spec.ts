import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { PostgresEventStore } from '@app/event-store';

import { TICKET_INTEGRATION_EVENTS } from '../contracts/ticket-integration-events';
import {
  appendInterleavedStories,
  byKey,
  consumeUntil,
  createTestTopic,
  deleteTestTopic,
  firstDeliveries,
  randomSuffix,
  testKafka,
  testMessagingConfig,
  testTopic,
  ticketStream,
} from '../testing';
import { replacementStory } from '@app/domain/testing';
import { toStoredEvents, until as poll } from '@app/event-store/testing';
import { createKafkaRelay, type RunningRelay } from './create-relay';
import { KafkaRelay } from './kafka-relay';
import { PostgresRelayCheckpoints, type RelayCheckpoints } from './relay-checkpoint';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

let statusOf: (() => unknown) | undefined;

/** Polls until `check` holds (at most 20 s); a time-out names the relay's status at that moment. */
const until = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> =>
  poll(check, what, { timeoutMs, detail: () => statusOf?.() });

/**
 * One suite's event store (a schema of its own) and topic. The store opens before the suite's own beforeAll;
 * after its tests, what `closing` lists (relays, checkpoints) is closed first, then the store, and the schema
 * and topic are dropped.
 */
function relaySuite(name: string, closing: () => readonly { close(): Promise<void> }[]) {
  const suite = {
    schema: `msg_${name}_${randomSuffix()}`,
    topic: testTopic(name, 3),
    store: undefined as unknown as PostgresEventStore,
  };
  beforeAll(async () => {
    suite.store = await PostgresEventStore.create({
      connectionString: url,
      schema: suite.schema,
      maxConnections: 6,
    });
  });
  afterAll(async () => {
    for (const c of closing()) await c.close();
    await suite.store.close();
    await suite.store.pool.query(`DROP SCHEMA IF EXISTS "${suite.schema}" CASCADE`).catch(() => undefined);
    await deleteTestTopic(suite.topic);
  }, 30_000);
  return suite;
}

describe('Kafka relay (real broker, real PostgreSQL)', () => {
  let running: RunningRelay;
  const suite = relaySuite('relay', () => [running]);
  const { schema, topic } = suite;

  beforeAll(async () => {
    running = await createKafkaRelay({
      store: suite.store,
      connectionString: url,
      checkpointSchema: schema,
      config: testMessagingConfig(topic),
      relay: { batchSize: 20 },
    });
    statusOf = () => running.relay.status();
  });

  it('publishes every stored ticket event keyed by ticket id, with CloudEvents headers, in per-ticket order', async () => {
    const appended = await appendInterleavedStories(suite.store, 6);
    // A stream that is not a ticket is not published.
    await suite.store.appendToStream(`partner-${randomSuffix()}`, [
      {
        id: randomUUID(),
        type: 'PartnerRegistered',
        schemaVersion: 1,
        data: {},
        metadata: { correlationId: 'c', actor: 'x' },
      },
    ]);
    await running.relay.start();

    const total = [...appended.values()].reduce((n, ids) => n + ids.length, 0);
    const received = await consumeUntil(topic.name, total);
    expect(received).toHaveLength(total);

    const stored = await suite.store.readAll({ filter: { streamPrefixes: ['ticket-'] }, maxCount: 10_000 });
    const storedById = new Map(stored.map((e) => [e.id, e]));
    for (const [ticketId, messages] of byKey(received)) {
      // Same partition for every event of a ticket, ids in append order.
      expect(new Set(messages.map((m) => m.partition)).size).toBe(1);
      expect(messages.map((m) => m.headers['ce_id'])).toEqual(appended.get(ticketId));
      expect(messages.map((m) => Number(m.headers['ce_ticketrevision']))).toEqual(messages.map((_, i) => i));
      for (const m of messages) {
        const event = storedById.get(m.headers['ce_id']!)!;
        expect(m.headers).toMatchObject({
          ce_specversion: '1.0',
          ce_source: '/ipro/repair-service',
          ce_subject: ticketId,
          ce_time: event.recordedAt,
          'content-type': 'application/json',
          ce_partitionkey: ticketId,
        });
        const definition = TICKET_INTEGRATION_EVENTS.find((d) => d.domainType === event.type)!;
        expect(m.headers['ce_type']).toBe(definition.type);
        expect(m.headers['ce_dataschema']).toBe(`urn:ipro:repair:schema:${definition.type}`);
        expect(m.body).toMatchObject({ ticketId, occurredAt: (event.data as { at: string }).at });
      }
    }
    const first = received.find((m) => m.headers['ce_type'] === 'ipro.repair.ticket.repair-requested.v1')!;
    expect(first.body).toMatchObject({
      modelNumber: 'WV-S1136',
      serialNumber: 'SN-0001',
      proofOfDeliveryProvided: true,
    });
    // The partner is added to events that do not carry it in the domain (here from the ticket's first event).
    const shipped = received.find(
      (m) => m.headers['ce_type'] === 'ipro.repair.ticket.replacement-shipped.v1',
    )!;
    expect(shipped.body).toMatchObject({ carrier: 'Yamato', trackingNumber: '1234-5678-9012' });
    expect(typeof shipped.body['partnerId']).toBe('string');

    await until(() => running.relay.status().caughtUp, 'caught up');
    const status = running.relay.status();
    expect(status.state).toBe('running');
    // The checkpoint moves past skipped (non-ticket) events too.
    expect(status.checkpoint).toBe((await suite.store.readAll({ maxCount: 10_000 })).at(-1)!.globalPosition);
  });

  it('publishes events appended while it runs (live tail), the partner taken from the store', async () => {
    const ticketId = `T-live-${randomSuffix()}`;
    const events = toStoredEvents(replacementStory(ticketId, 'P-LIVE'));
    await suite.store.appendToStream(ticketStream(ticketId), events.slice(0, 3));
    await until(async () => (await suite.store.streamRevision(ticketStream(ticketId))) === 2, 'append');
    // A later event of a ticket whose opening event the relay published in an earlier batch.
    await until(
      () => running.relay.status().checkpoint !== undefined && running.relay.status().published >= 3,
      'first part',
    );
    await suite.store.appendToStream(ticketStream(ticketId), events.slice(3));

    const all = await consumeUntil(topic.name, 6 * 7 + events.length);
    const ours = all.filter((m) => m.key === ticketId);
    expect(ours.map((m) => m.headers['ce_id'])).toEqual(events.map((e) => e.id));
    expect(new Set(ours.map((m) => m.body['partnerId']))).toEqual(new Set(['P-LIVE']));
  });

  it('is read the same by an independent client (kcat)', () => {
    const out = execFileSync(
      'kcat',
      [
        '-C',
        '-b',
        process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
        '-t',
        topic.name,
        '-f',
        '%k\t%h\t%s\n',
        '-e',
        '-q',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6 * 7 + 7);
    const requested = lines
      .map((l) => l.split('\t'))
      .filter(([, headers]) => headers?.includes('ce_type=ipro.repair.ticket.repair-requested.v1'));
    expect(requested.length).toBe(7);
    for (const [key, headers, body] of requested) {
      expect(headers).toContain('ce_specversion=1.0');
      expect(headers).toContain(`ce_subject=${key}`);
      expect(headers).toMatch(/ce_id=[0-9a-f-]{36}/);
      expect(JSON.parse(body!)).toMatchObject({ ticketId: key });
    }
  });

  it('delivers nothing twice when it stops cleanly and starts again from its checkpoint', async () => {
    await running.relay.stop();
    const before = running.relay.status().checkpoint;
    const ticketId = `T-restart-${randomSuffix()}`;
    const events = toStoredEvents(replacementStory(ticketId));
    await suite.store.appendToStream(ticketStream(ticketId), events);
    await running.relay.start();
    await until(
      () => (running.relay.status().checkpoint ?? 0) > (before ?? 0) && running.relay.status().caughtUp,
      'caught up',
    );

    const all = await consumeUntil(topic.name, 6 * 7 + 7 + events.length);
    expect(all).toHaveLength(firstDeliveries(all).length);
    expect(all.filter((m) => m.key === ticketId).map((m) => m.headers['ce_id'])).toEqual(
      events.map((e) => e.id),
    );
  });
});

it('creates the topic it is configured with, with the configured partition count', async () => {
  const topic = testTopic('create', 4);
  await createTestTopic(topic);
  const { testKafka } = await import('../testing');
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic.name] });
    expect(metadata.topics[0]?.partitions).toHaveLength(4);
  } finally {
    await admin.disconnect();
    await deleteTestTopic(topic);
  }
});

describe('two relays on one checkpoint (api in-process + standalone, or replicas)', () => {
  const relays: RunningRelay[] = [];
  const suite = relaySuite('lead', () => relays);
  const { schema, topic } = suite;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      relays.push(
        await createKafkaRelay({
          store: suite.store,
          connectionString: url,
          checkpointSchema: schema,
          config: testMessagingConfig(topic),
          relay: { batchSize: 20, standbyPollMs: 100 },
        }),
      );
    }
  });

  it('publishes through one of them only; the standby takes over when the active one stops', async () => {
    const [a, b] = relays.map((r) => r.relay) as [RunningRelay['relay'], RunningRelay['relay']];
    const first = await appendInterleavedStories(suite.store, 4);
    await a.start();
    await until(() => a.status().state === 'running', 'a running');
    await b.start();
    await until(() => b.status().state === 'standby', 'b in standby');
    await until(() => a.status().caughtUp, 'a caught up');

    await a.stop();
    await until(() => b.status().state === 'running', 'b taking over');
    const second = await appendInterleavedStories(suite.store, 4);
    const stored = await suite.store.readAll({ filter: { streamPrefixes: ['ticket-'] }, maxCount: 10_000 });
    await until(() => b.status().checkpoint === stored.at(-1)!.globalPosition, 'b caught up');

    const received = await consumeUntil(topic.name, stored.length);
    // Exactly once each here: never two relays publishing side by side, a clean hand-over.
    expect(received).toHaveLength(stored.length);
    expect(firstDeliveries(received)).toHaveLength(stored.length);
    const expected = new Map([...first, ...second]);
    for (const [ticketId, messages] of byKey(received))
      expect(messages.map((m) => m.headers['ce_id'])).toEqual(expected.get(ticketId));
    expect(a.status().published + b.status().published).toBe(stored.length);
  });
});

describe('a relay stopped while a checkpoint write is pending', () => {
  let checkpoints: PostgresRelayCheckpoints;
  const suite = relaySuite('gate', () => [checkpoints]);
  const { schema, topic } = suite;

  beforeAll(async () => {
    checkpoints = await PostgresRelayCheckpoints.create({ connectionString: url, schema });
  });

  it('sends no batch beyond an unwritten checkpoint; stopped then and started again, it publishes everything after it', async () => {
    const appended = await appendInterleavedStories(suite.store, 6);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let blocked: () => void = () => undefined;
    const firstSaveBlocked = new Promise<void>((resolve) => (blocked = resolve));
    let saves = 0;
    // The first checkpoint write waits until the test lets it go; the batches after it queue up meanwhile.
    const gated: RelayCheckpoints = {
      load: (name) => checkpoints.load(name),
      save: async (name, position) => {
        if (saves++ === 0) {
          blocked();
          await gate;
        }
        await checkpoints.save(name, position);
      },
    };
    // Counts the batches sent (Kafka requests of the relay's producer).
    const kafka = testKafka();
    let sends = 0;
    const producerOf = kafka.producer.bind(kafka);
    kafka.producer = (...args) => {
      const producer = producerOf(...args);
      const send = producer.send.bind(producer);
      producer.send = (record) => {
        sends++;
        return send(record);
      };
      return producer;
    };
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const relay = new KafkaRelay({
      store: suite.store,
      checkpoints: gated,
      kafka,
      topic,
      batchSize: 5,
      logger: quiet,
    });
    statusOf = () => relay.status();
    const stored = await suite.store.readAll({ filter: { streamPrefixes: ['ticket-'] }, maxCount: 10_000 });
    try {
      await relay.start();
      await firstSaveBlocked;
      // Batch 2 waits for the checkpoint of batch 1: never more than one batch beyond the checkpoint (what a
      // crash would re-send).
      await sleep(200);
      expect(sends).toBe(1);
      const stopping = relay.stop();
      release();
      await stopping;
      expect(relay.status().checkpoint).toBeLessThan(stored.at(-1)!.globalPosition);

      await relay.start();
      await until(
        () => relay.status().checkpoint === stored.at(-1)!.globalPosition,
        'caught up after the restart',
      );
    } finally {
      release();
      await relay.stop();
    }

    const received = await consumeUntil(topic.name, stored.length);
    const once = firstDeliveries(received);
    expect(once).toHaveLength(stored.length);
    for (const [ticketId, messages] of byKey(once))
      expect(messages.map((m) => m.headers['ce_id'])).toEqual(appended.get(ticketId));
  });
});
