import { Writable } from 'node:stream';

import { createRootLogger } from '@app/config';

import { startTestApp, type TestApp } from '../support/test-app';

/**
 * The api logging as main.ts sets it up (nestjs-pino, JSON at info, request lines to the root logger), captured:
 * one line per request with method, path, status, duration and correlation id; nothing of the credentials.
 */
describe('request log lines', () => {
  let t: TestApp;
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const entries = (): Record<string, unknown>[] => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const requestLines = (correlationId: string): Record<string, unknown>[] =>
    entries().filter((e) => e['msg'] === 'request' && e['correlationId'] === correlationId);

  beforeAll(async () => {
    t = await startTestApp('server', { log: createRootLogger({ level: 'info', format: 'json' }, capture) });
  });
  afterAll(async () => t?.close());

  it('a request is one JSON line: method, path, route, status, duration, correlation id, actor; ISO time', async () => {
    await t.http
      .get('/tickets?limit=5')
      .set('authorization', `Bearer ${t.tokens.support}`)
      .set('x-correlation-id', 'log-ok-1')
      .expect(200);
    const [line, ...more] = requestLines('log-ok-1');
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 'info',
      context: 'http',
      method: 'GET',
      path: '/tickets',
      route: '/tickets',
      status: 200,
      correlationId: 'log-ok-1',
      actor: 'support:tanaka',
    });
    expect(line?.['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof line?.['durationMs']).toBe('number');
  });

  it('a refused token: the 401 the client got, and neither the token nor the header anywhere in the log', async () => {
    const bad = `${t.tokens.support}x`;
    await t.rawHttp
      .get('/tickets')
      .set('authorization', `Bearer ${bad}`)
      .set('cookie', 'dashboard_session=s3cr3t-session')
      .set('x-correlation-id', 'log-401-1')
      .expect(401);
    expect(requestLines('log-401-1')).toEqual([expect.objectContaining({ status: 401, path: '/tickets' })]);
    const all = lines.join('\n');
    expect(all).not.toContain(t.tokens.support);
    expect(all).not.toContain('s3cr3t-session');
    expect(all.toLowerCase()).not.toContain('authorization');
  });

  it('a path no route takes: logged with its path, counted under (unmatched), not under the logger’s own route', async () => {
    await t.rawHttp.get('/no/such/thing').set('x-correlation-id', 'log-404-1').expect(404);
    expect(requestLines('log-404-1')).toEqual([
      expect.objectContaining({ status: 404, path: '/no/such/thing', route: '(unmatched)' }),
    ]);
    const metrics = await t.rawHttp.get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\(unmatched\)"[^}]*status="404"/,
    );
    expect(metrics.text).not.toContain('splat');
  });
});
