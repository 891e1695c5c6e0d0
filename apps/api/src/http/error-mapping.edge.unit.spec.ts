// Errors from the framework and the body parser, and anything unknown; domain and store errors are in
// error-mapping.unit.spec.ts.
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { toHttpError } from './error-mapping';

/** An http-errors error as body-parser (and input-guard.ts) throws it. */
const bodyParserError = (status: number, type: string, message: string, expose = true): unknown =>
  Object.assign(new Error(message), { status, statusCode: status, type, expose });

describe('errors mapped to HTTP (error-mapping.ts)', () => {
  describe('Nest HTTP exceptions', () => {
    it('a body that already carries a code is sent as it is', () => {
      const body = { code: 'identity_provider_unavailable', message: 'identity provider keys timed out' };
      expect(toHttpError(new ServiceUnavailableException(body))).toStrictEqual({ status: 503, body });
    });

    it.each([
      [401, 'unauthenticated', 'missing bearer token', new UnauthorizedException('missing bearer token')],
      [403, 'forbidden', 'role auditor may not', new ForbiddenException('role auditor may not')],
      [404, 'not_found', 'Cannot GET /nowhere', new NotFoundException('Cannot GET /nowhere')],
      [409, 'conflict', 'busy', new ConflictException('busy')],
      [413, 'payload_too_large', 'too big', new PayloadTooLargeException('too big')],
      [422, 'unprocessable', 'no', new UnprocessableEntityException('no')],
      [500, 'internal_error', 'boom', new InternalServerErrorException('boom')],
      [503, 'internal_error', 'down', new ServiceUnavailableException('down')],
    ])(
      'a %i exception without a code of its own gets code %s and keeps its message',
      (status, code, message, e) => {
        expect(toHttpError(e)).toStrictEqual({ status, body: { code, message } });
      },
    );

    it('a 4xx status without its own code is a generic error', () => {
      expect(toHttpError(new HttpException('slow down', 429))).toStrictEqual({
        status: 429,
        body: { code: 'error', message: 'slow down' },
      });
    });

    it('a status just below 500 is not an internal error', () => {
      expect(toHttpError(new HttpException('client closed request', 499)).body.code).toBe('error');
    });

    it('a response object without a message falls back to the exception message', () => {
      expect(toHttpError(new HttpException({ error: 'teapot' }, 418))).toStrictEqual({
        status: 418,
        body: { code: 'error', message: 'Http Exception' },
      });
    });

    it("Nest's plain 400 for a body it could not parse says the body is not JSON", () => {
      expect(toHttpError(new BadRequestException('Unexpected token } in JSON at position 9'))).toStrictEqual({
        status: 400,
        body: {
          code: 'malformed_body',
          field: 'body',
          message: 'request body is not valid JSON: Unexpected token } in JSON at position 9',
        },
      });
    });
  });

  describe('body-parser errors', () => {
    it('a body over the limit is a 413 that does not echo the limit', () => {
      const e = bodyParserError(413, 'entity.too.large', 'request entity too large: 1048577 > 1048576');
      expect(toHttpError(e)).toStrictEqual({
        status: 413,
        body: { code: 'payload_too_large', field: 'body', message: 'request body too large' },
      });
    });

    it.each(['charset.unsupported', 'encoding.unsupported'])('%s is a 415', (type) => {
      expect(toHttpError(bodyParserError(415, type, 'unsupported charset "LATIN-2"'))).toStrictEqual({
        status: 415,
        body: { code: 'unsupported_media_type', field: 'body', message: 'unsupported charset "LATIN-2"' },
      });
    });

    it('a body nested too deep is a 400 with the reason', () => {
      const e = bodyParserError(400, 'entity.too.deep', 'request body nested deeper than 32 levels');
      expect(toHttpError(e)).toStrictEqual({
        status: 400,
        body: { code: 'malformed_body', field: 'body', message: 'request body nested deeper than 32 levels' },
      });
    });

    it('a parse failure is a 400 that does not echo the parser', () => {
      const e = bodyParserError(400, 'entity.parse.failed', 'Unexpected token x in JSON at position 0');
      expect(toHttpError(e)).toStrictEqual({
        status: 400,
        body: { code: 'malformed_body', field: 'body', message: 'request body is not valid JSON' },
      });
    });

    it('the highest 4xx status still counts as a client error', () => {
      expect(toHttpError(bodyParserError(499, 'entity.verify.failed', 'x')).status).toBe(400);
    });

    it.each([
      ['a 5xx status', bodyParserError(500, 'entity.parse.failed', 'x')],
      ['a 3xx status', bodyParserError(399, 'entity.parse.failed', 'x')],
      ['an error not meant to be exposed', bodyParserError(400, 'entity.parse.failed', 'x', false)],
      ['a status that is not a number', bodyParserError(Number.NaN, 'x', 'x')],
      ['a status given as text', Object.assign(new Error('x'), { status: '400', expose: true })],
    ])('%s is not a client error: internal', (_, e) => {
      expect(toHttpError(e)).toStrictEqual({
        status: 500,
        body: { code: 'internal_error', message: 'internal error' },
      });
    });
  });

  describe('anything else', () => {
    it.each([
      ['an Error', new Error('secret detail')],
      ['a thrown string', 'secret detail'],
      ['null', null],
      ['undefined', undefined],
    ])('%s is a 500 that says nothing of it', (_, e) => {
      expect(toHttpError(e)).toStrictEqual({
        status: 500,
        body: { code: 'internal_error', message: 'internal error' },
      });
    });
  });
});
