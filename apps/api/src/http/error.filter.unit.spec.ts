import { type ArgumentsHost, BadRequestException, HttpException, Logger } from '@nestjs/common';
import { WrongExpectedRevisionError } from '@app/event-store';
import { ErrorFilter, PROBLEM_JSON } from './error.filter';

/** The response as the filter writes it: headers, status and the JSON body. */
class RecordedResponse {
  readonly headers: Record<string, string> = {};
  statusCode: number | undefined;
  body: Record<string, unknown> | undefined;
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  json(body: Record<string, unknown>): this {
    this.body = body;
    return this;
  }
}

/** The RFC 9457 members the filter adds to every body (problem+json). */
const problem = (code: string, status: number, title: string, detail: string) => ({
  type: `urn:ipro-repair:problem:${code}`,
  title,
  status,
  detail,
});

function respond(exception: unknown, correlationId = 'c-1'): RecordedResponse {
  const res = new RecordedResponse();
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ correlationId }) }),
  } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return res;
}

const bytes = (body: unknown): number => Buffer.byteLength(JSON.stringify(body));

describe('error filter (error.filter.ts)', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('writes the mapped status, headers and body, with the correlation id', () => {
    const res = respond(new WrongExpectedRevisionError('ticket-T-1', '3', 4), 'corr-42');
    expect(res.statusCode).toBe(409);
    expect(res.headers).toStrictEqual({ ETag: '"4"', 'Content-Type': PROBLEM_JSON });
    expect(res.body).toStrictEqual({
      ...problem(
        'revision_conflict',
        409,
        'Conflict',
        'the ticket changed since you read it; reload and retry',
      ),
      code: 'revision_conflict',
      message: 'the ticket changed since you read it; reload and retry',
      currentRevision: 4,
      correlationId: 'corr-42',
    });
  });

  it('an error without headers sets only the problem+json content type', () => {
    const res = respond(new BadRequestException({ code: 'validation_failed', message: 'm' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers).toStrictEqual({ 'Content-Type': 'application/problem+json; charset=utf-8' });
  });

  it('logs a 500 with the stack and the correlation id, and answers without either', () => {
    const boom = new Error('secret detail');
    const res = respond(boom, 'corr-7');
    expect(res.statusCode).toBe(500);
    expect(res.body).toStrictEqual({
      ...problem('internal_error', 500, 'Internal Server Error', 'internal error'),
      code: 'internal_error',
      message: 'internal error',
      correlationId: 'corr-7',
    });
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith({
      msg: 'unhandled error',
      correlationId: 'corr-7',
      error: boom.stack,
    });
  });

  it('logs a thrown non-error as text', () => {
    respond('plain string thrown');
    expect(logged).toHaveBeenCalledWith({
      msg: 'unhandled error',
      correlationId: 'c-1',
      error: 'plain string thrown',
    });
  });

  it('logs every 5xx, not only 500', () => {
    respond(new HttpException({ code: 'store_unavailable', message: 'down' }, 503));
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('does not log a client error, even the highest 4xx', () => {
    respond(new HttpException('client closed request', 499));
    expect(logged).not.toHaveBeenCalled();
  });

  describe('error bodies stay within 8 KB', () => {
    // The body without a message: the message appears twice (`message` and the problem's `detail`); the
    // correlation id's length makes the rest even.
    const corr = 'c-10';
    const overhead = bytes(respond(new BadRequestException({ code: 'c', message: '' }), corr).body);

    it('a body of exactly 8192 bytes is sent untouched, long message included', () => {
      expect((8192 - overhead) % 2).toBe(0);
      const message = 'x'.repeat((8192 - overhead) / 2);
      const res = respond(new BadRequestException({ code: 'c', message }), corr);
      expect(bytes(res.body)).toBe(8192);
      expect(res.body?.message).toBe(message);
    });

    it('one byte more and long strings are cut to 500 characters and an ellipsis', () => {
      const message = 'x'.repeat((8192 - overhead) / 2 + 1);
      const res = respond(new BadRequestException({ code: 'c', message }), corr);
      const cut = `${'x'.repeat(500)}…`;
      expect(res.body).toStrictEqual({
        ...problem('c', 400, 'Bad Request', cut),
        code: 'c',
        message: cut,
        correlationId: corr,
      });
    });

    it('strings of at most 500 characters are kept whole', () => {
      const res = respond(
        new BadRequestException({ code: 'c', message: 'y'.repeat(500), hint: 'z'.repeat(8000) }),
      );
      expect(res.body?.message).toBe('y'.repeat(500));
      expect(res.body?.hint).toBe(`${'z'.repeat(500)}…`);
    });

    it('keeps as many of the listed errors as fit, in order', () => {
      // Each item {"field":"<88 characters>"} is 100 bytes; n items make an array of 101n + 1 bytes, and the
      // rest of {"code":"validation_failed","message":"m","errors":[…],"correlationId":"c-1", + the problem's
      // "type":"urn:ipro-repair:problem:validation_failed","title":"Bad Request","status":400,"detail":"m"} is
      // 74 + 100 bytes: 175 + 101n <= 8192 keeps n = 79.
      const errors = Array.from({ length: 200 }, (_, i) => ({ field: String(i).padStart(88, '0') }));
      const res = respond(new BadRequestException({ code: 'validation_failed', message: 'm', errors }));
      expect(res.body?.errors).toStrictEqual(errors.slice(0, 79));
      expect(res.body?.message).toBe('m');
    });

    it('drops the error list when the body is still too large without it', () => {
      const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'w'.repeat(1000)]));
      const res = respond(
        new BadRequestException({ code: 'c', message: 'm', ...fields, errors: [{ field: 'a' }] }),
      );
      expect(res.body).not.toHaveProperty('errors');
      expect(res.body?.f0).toBe(`${'w'.repeat(500)}…`);
      expect(res.body?.f19).toBe(`${'w'.repeat(500)}…`);
    });

    it('a non-list errors field is left to the string rule', () => {
      const res = respond(new BadRequestException({ code: 'c', message: 'm', errors: 'e'.repeat(9000) }));
      expect(res.body?.errors).toBe(`${'e'.repeat(500)}…`);
    });
  });
});
