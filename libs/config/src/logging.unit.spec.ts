import { Writable } from 'node:stream';

import { appLoggerOf, createRootLogger, type LogSettings } from './logging';

function captured(settings: LogSettings) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createRootLogger(settings, stream), lines };
}

const JSON_INFO: LogSettings = { level: 'info', format: 'json' };

describe('the root logger', () => {
  it('JSON: one object per line, the level by name, an ISO timestamp', () => {
    const { logger, lines } = captured(JSON_INFO);
    logger.info({ ticketId: 'T-1' }, 'filed');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', msg: 'filed', ticketId: 'T-1' });
    expect(entry['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts credentials whoever logs them: Authorization, Cookie, Set-Cookie, tokens, passwords, secrets', () => {
    const { logger, lines } = captured(JSON_INFO);
    logger.info(
      {
        req: {
          headers: { authorization: 'Bearer eyJ.secret.sig', cookie: 'sid=abc', accept: 'application/json' },
        },
        res: { headers: { 'set-cookie': 'sid=def; HttpOnly' } },
        headers: { authorization: 'Basic dXNlcjpwdw==' },
        token: 'tok-1',
        password: 'pw-1',
        user: { password: 'pw-2', name: 'tanaka' },
        config: { secret: 'sec-1' },
      },
      'with credentials',
    );
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      req: { headers: { authorization: '[Redacted]', cookie: '[Redacted]', accept: 'application/json' } },
      res: { headers: { 'set-cookie': '[Redacted]' } },
      headers: { authorization: '[Redacted]' },
      token: '[Redacted]',
      password: '[Redacted]',
      user: { password: '[Redacted]', name: 'tanaka' },
      config: { secret: '[Redacted]' },
    });
    for (const value of ['eyJ', 'sid=', 'dXNlcjpwdw', 'tok-1', 'pw-1', 'pw-2', 'sec-1'])
      expect(lines[0]).not.toContain(value);
  });

  it('LOG_LEVEL=warn: info lines are not written, warnings and errors are', () => {
    const { logger, lines } = captured({ level: 'warn', format: 'json' });
    logger.info('request');
    logger.debug('detail');
    logger.warn('slow');
    logger.error('failed');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['slow', 'failed']);
  });

  it('LOG_FORMAT=text: one readable line per entry, with its ISO time and level', () => {
    const { logger, lines } = captured({ level: 'info', format: 'text' });
    logger.info({ method: 'GET', path: '/tickets', status: 200, authorization: 'Bearer x' }, 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] INFO: request \{.*"status":200.*\}$/,
    );
    expect(lines[0]).toContain('"authorization":"[Redacted]"');
  });
});

describe("Nest's logger on it (nestjs-pino)", () => {
  it("Nest's bootstrap chatter goes to debug; other contexts stay at info", () => {
    const { logger, lines } = captured(JSON_INFO);
    const nest = appLoggerOf({ pinoHttp: { logger } });
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    nest.log('Mapped {/tickets, GET} route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    nest.log('relay started', 'relay');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'info', context: 'relay', msg: 'relay started' }),
    ]);
  });
});
