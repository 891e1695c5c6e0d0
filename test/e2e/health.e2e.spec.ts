import { createServer } from 'node:net';
import { createTestTopic, deleteTestTopic, testMessagingConfig, testTopic } from '@app/messaging/testing';
import { loadReferenceData, PARTNER_A, registerUnit, repairRequest, UNITS } from '../support/fixtures';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { SERVER_URL, startTestApp, type TestApp } from '../support/test-app';
import { TicketClient } from './ticket-client';

/**
 * `/health` answers what load balancers and operators act on: 200 `ok`, 200 `degraded` (the Kafka relay cannot
 * publish; the api still serves), 503 `down` (the projections do not run: reads go stale, commands cannot wait
 * for their read models). The failures are made on purpose: the database behind a TCP proxy the test cuts, and
 * a relay pointed at a port where no broker listens.
 */

interface Health {
  status: string;
  projections: { status: string; running: boolean; lastError?: string };
  relay?: { status: string; state: string; lastError: string | null; published: number; checkpoint?: number };
}

/** Polls `/health` until `done` holds (bounded), returning the last answer. */
async function healthUntil(
  t: TestApp,
  done: (status: number, body: Health) => boolean,
  timeoutMs = 30_000,
): Promise<{ status: number; body: Health }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get('/health');
    const answer = { status: res.status, body: res.body as Health };
    if (done(answer.status, answer.body) || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('/health when the database goes away and comes back (server through a proxy, relay in process)', () => {
  const topic = testTopic('health-e2e', 1);
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    await createTestTopic(topic);
    const server = new URL(SERVER_URL);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    server.host = `127.0.0.1:${proxy.port}`;
    t = await startTestApp('server', {
      relay: testMessagingConfig(topic),
      appDatabaseUrl: server.toString(),
    });
    await loadReferenceData(t);
  });
  afterAll(async () => {
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
    await deleteTestTopic(topic);
  });

  it('ok while everything runs', async () => {
    const res = await healthUntil(t, (_, b) => b.relay?.state === 'running');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      projections: { status: 'ok', running: true },
      relay: { status: 'ok', state: 'running', lastError: null },
    });
  });

  it('503 down while the database is unreachable (the relay degraded), then ok again once it is back', async () => {
    await proxy.cut();
    const down = await healthUntil(t, (s, b) => s === 503 && b.relay?.status === 'degraded');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'down',
      projections: { status: 'down', running: false, lastError: expect.any(String) as string },
      relay: { status: 'degraded', state: 'degraded', lastError: expect.any(String) as string },
    });

    await proxy.restore();
    const up = await healthUntil(t, (s, b) => s === 200 && b.status === 'ok', 60_000);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', projections: { status: 'ok', running: true } });

    // Back for real: a filing is stored, projected (its answer waits for the read model) and published.
    const published = up.body.relay!.published;
    const filed = await new TicketClient(t, t.tokens.partner(PARTNER_A)).file(
      repairRequest(await registerUnit(t, UNITS.cameraReplacement, 'health')),
    );
    expect(filed.status).toBe('escalated');
    const after = await healthUntil(t, (_, b) => (b.relay?.published ?? 0) >= published + 3);
    expect(after.body.relay).toMatchObject({ status: 'ok', state: 'running', published: published + 3 });
  });

  it('503 down while the projections are stopped (the store readable), ok once they run again', async () => {
    await t.started.runtime.projections.stop();
    try {
      const res = await t.http.get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: 'down',
        projections: { status: 'down', running: false, eventsBehind: 0 },
        relay: { status: 'ok' },
      });
    } finally {
      await t.started.runtime.projections.start();
    }
    const res = await t.http.get('/health');
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
  });
});

describe('/health with the Kafka broker unreachable (server, relay in process)', () => {
  let t: TestApp;

  beforeAll(async () => {
    const config = testMessagingConfig(testTopic('health-dead-broker', 1), [`127.0.0.1:${await deadPort()}`]);
    t = await startTestApp('server', { relay: config });
    await loadReferenceData(t);
  });
  afterAll(async () => t?.close());

  it('200 degraded: the api still takes commands, the relay reports why it cannot publish', async () => {
    const filed = await new TicketClient(t, t.tokens.partner(PARTNER_A)).file(
      repairRequest(UNITS.cameraReplacement),
    );
    expect(filed.status).toBe('escalated');
    const res = await healthUntil(t, (_, b) => b.relay?.status === 'degraded');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      projections: { status: 'ok', running: true },
      relay: { status: 'degraded', state: 'degraded', published: 0, lastError: expect.any(String) as string },
    });
  });
});
