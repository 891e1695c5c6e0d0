/**
 * (d) of `npm run bench:relay`: end-to-end latency from a command's HTTP response to a downstream consumer's
 * receipt of the command's last event. The real api (same module and edge as main.ts) runs with its Kafka
 * relay in-process (RELAY_IN_PROCESS), on private schemas of the PostgreSQL server; partners file repair
 * requests one after another at a fixed rate over a real socket.
 * The api answers only once its read models show the events, so the relay may already have published them:
 * a negative figure means the consumer had the event before the HTTP response reached the client.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';
import { ensureTopics, type MessagingConfig, type TopicSpec } from '@app/messaging';
import { loadReferenceData, PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp } from '../support/test-app';

export async function httpToConsumerLatency(
  kafka: Kafka,
  brokers: readonly string[],
  spec: TopicSpec,
  commands: number,
  ratePerSecond: number,
): Promise<number[]> {
  await ensureTopics(kafka, [spec]);
  const relay: MessagingConfig = {
    brokers,
    clientId: `bench-api-${randomUUID().slice(0, 8)}`,
    topics: { tickets: spec },
    source: '/ipro/repair-service',
  };
  const t = await startTestApp('server', { relay });
  const server = t.app.getHttpServer() as import('node:http').Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const received = new Map<string, number>(); // `${ticketId}#${revision}` → receipt time
  const consumer = kafka.consumer({ groupId: `bench-http-${randomUUID()}`, maxWaitTimeInMs: 10 });
  try {
    await loadReferenceData(t);
    await consumer.connect();
    await consumer.subscribe({ topic: spec.name, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const at = performance.now();
        received.set(`${message.key?.toString()}#${message.headers?.['ce_ticketrevision']?.toString()}`, at);
        return Promise.resolve();
      },
    });
    const token = t.tokens.partner(PARTNER_A);
    const answered: { key: string; at: number }[] = [];
    for (let i = 0; i < commands; i++) {
      const res = await fetch(`${base}/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        // One open ticket per unit: a serial of its own for each filing.
        body: JSON.stringify(
          repairRequest({ ...UNITS.cameraReplacement, serialNumber: `LATENCY-${process.pid}-${i}` }),
        ),
      });
      const at = performance.now();
      const body = (await res.json()) as { ticketId: string; revision: number };
      if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${JSON.stringify(body)}`);
      answered.push({ key: `${body.ticketId}#${body.revision}`, at });
      await new Promise((r) => setTimeout(r, 1000 / ratePerSecond));
    }
    const deadline = Date.now() + 30_000;
    while (answered.some((a) => !received.has(a.key)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    return answered
      .filter((a) => received.has(a.key))
      .map((a) => received.get(a.key)! - a.at)
      .sort((x, y) => x - y);
  } finally {
    await consumer.disconnect();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  }
}
