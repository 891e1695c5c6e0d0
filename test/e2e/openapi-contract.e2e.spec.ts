import { readFileSync } from 'node:fs';
import { loadReferenceData, PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import {
  ContractViolation,
  type OpenApiDocument,
  OpenApiResponseValidator,
} from '../support/openapi-validator';
import { checkedAgainst, startTestApp, type TestApp } from '../support/test-app';

/**
 * /openapi.json as the contract: every operation documents its success body as a named schema and its errors as
 * problem+json, with the headers clients need; and the response validator every e2e suite runs (test-app.ts)
 * really fails a deviating answer, both on its own and through the e2e client.
 */

interface Doc {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: {
    readonly schemas: Record<string, Record<string, unknown>>;
    readonly responses: Record<string, Response>;
  };
}
interface Response {
  readonly $ref?: string;
  readonly headers?: Record<string, unknown>;
  readonly content?: Record<string, { schema?: Record<string, unknown> }>;
}
interface Operation {
  readonly operationId: string;
  readonly security?: unknown[];
  readonly parameters?: { name: string; in: string; schema?: { type?: string } }[];
  readonly responses: Record<string, Response>;
}

const PUBLIC = ['GET /health'];

describe('OpenAPI as the contract (PGlite)', () => {
  let t: TestApp;
  let doc: Doc;
  const operations = (): [string, string, Operation][] =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) => [`${method.toUpperCase()} ${path}`, path, op] as [string, string, Operation],
      ),
    );

  /** A response, or the one its `#/components/responses/<name>` reference names. */
  const resolved = (r: Response | undefined): Response | undefined =>
    r?.$ref ? doc.components.responses[r.$ref.replace('#/components/responses/', '')] : r;

  beforeAll(async () => {
    t = await startTestApp('pglite');
    await loadReferenceData(t);
    doc = (await t.http.get('/openapi.json')).body as Doc;
  });
  afterAll(async () => t?.close());

  it('every operation has a named success body, and every error is the one problem+json schema', () => {
    for (const [key, , op] of operations()) {
      const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
      expect([key, success.length]).toEqual([key, 1]);
      const [, ok] = success[0]!;
      const [type, media] = Object.entries(ok.content ?? {})[0] ?? [];
      if (type === 'text/plain') continue;
      expect([key, type]).toEqual([key, 'application/json']);
      const schema = media!.schema as { $ref?: string; items?: { $ref?: string } };
      expect([key, schema.$ref ?? schema.items?.$ref]).toEqual([
        key,
        expect.stringMatching(/^#\/components\/schemas\/\w+$/),
      ]);
      for (const [status, response] of Object.entries(op.responses)) {
        // /health answers 503 in its own shape; /metrics refuses a missing METRICS_TOKEN in text/plain.
        if (status.startsWith('2') || key === 'GET /health' || (key === 'GET /metrics' && status === '401'))
          continue;
        const content = resolved(response)?.content ?? {};
        expect([key, status, Object.keys(content), content['application/problem+json']?.schema]).toEqual([
          key,
          status,
          ['application/problem+json'],
          { $ref: '#/components/schemas/Problem' },
        ]);
      }
    }
  });

  it('guarded operations document 401 and 403; public ones have `security: []` and no 401', () => {
    for (const [key, , op] of operations()) {
      if (key === 'GET /metrics') {
        // Public unless METRICS_TOKEN is set (then its static token; a refusal is text/plain).
        expect(op.security).toEqual([{}, { metricsToken: [] }]);
        expect(Object.keys(op.responses['401']!.content ?? {})).toEqual(['text/plain']);
      } else if (PUBLIC.includes(key)) {
        expect([key, op.security]).toEqual([key, []]);
        expect(op.responses['401']).toBeUndefined();
      } else {
        expect([key, op.security]).toEqual([key, undefined]);
        expect([key, Object.keys(op.responses)]).toEqual([
          key,
          expect.arrayContaining(['401', '403', '503']),
        ]);
        expect(resolved(op.responses['503'])!.headers).toHaveProperty('Retry-After');
        expect(resolved(op.responses['401'])!.headers).toHaveProperty('WWW-Authenticate');
      }
    }
  });

  it('ticket commands take If-Match and answer with ETag; Idempotency-Key only on commands', () => {
    for (const [key, path, op] of operations()) {
      const names = (op.parameters ?? []).map((p) => p.name);
      if (key.startsWith('GET')) expect([key, names]).not.toContainEqual('Idempotency-Key');
      if (key.startsWith('POST /tickets/{id}/')) {
        expect([key, names]).toEqual([key, expect.arrayContaining(['If-Match', 'Idempotency-Key'])]);
        expect(Object.keys(op.responses['200']!.headers ?? {})).toEqual(['ETag', 'Idempotent-Replayed']);
        expect(resolved(op.responses['409'])!.headers).toHaveProperty('ETag');
        expect(Object.keys(op.responses)).toEqual(
          expect.arrayContaining(['400', '404', '409', '413', '422']),
        );
      }
      if (path.includes('{'))
        expect([key, Object.keys(op.responses)]).toEqual([key, expect.arrayContaining(['404'])]);
    }
    expect(doc.paths['/tickets']!.post!.responses['201']!.headers).toHaveProperty('Location');
    expect(doc.paths['/tickets/{id}']!.get!.responses['200']!.headers).toHaveProperty('ETag');
  });

  it('the document the client types are generated from (libs/api-client/openapi.json) is the served one', () => {
    // On a difference: `npm run openapi:client` rewrites it and regenerates schema.d.ts (typechecked).
    const committed = JSON.parse(readFileSync('libs/api-client/openapi.json', 'utf8')) as unknown;
    expect(committed).toEqual(doc);
  });

  it('the error examples are valid problems', () => {
    const examples = Object.values(doc.components.responses).flatMap((r) =>
      Object.values(r.content ?? {}).flatMap((m) => ((m as { example?: unknown }).example ? [m] : [])),
    ) as { example: { status: number } }[];
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const { example } of examples) {
      // An undocumented path: the validator holds an error answer there to the Problem schema alone.
      const answer = {
        method: 'GET',
        url: '/no-such-route',
        headers: { 'content-type': 'application/problem+json' },
      };
      expect(() => t.contract.check({ ...answer, status: example.status, body: example })).not.toThrow();
    }
  });

  it('text fields the API wants as strings are strings', () => {
    const s = doc.components.schemas as Record<string, { properties: Record<string, { type?: string }> }>;
    expect(s.NoteDto!.properties.note!.type).toBe('string');
    expect(s.IssueQuoteDto!.properties.validUntil!.type).toBe('string');
    expect(s.QuoteDecisionDto!.properties.reason!.type).toBe('string');
    expect(s.FileRepairRequestDto!.properties.endUserReference!.type).toBe('string');
  });

  it('errors are RFC 9457 problem details, keeping the members clients read', async () => {
    const res = await t.http
      .post('/tickets')
      .set('authorization', `Bearer ${t.tokens.partner(PARTNER_A)}`)
      .send({ ...repairRequest(UNITS.cameraReplacement), serialNumber: 42 });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({
      type: `urn:ipro-repair:problem:${res.body.code}`,
      title: 'Bad Request',
      status: 400,
      detail: res.body.message,
      field: 'serialNumber',
      correlationId: expect.any(String),
    });
  });

  describe('the response validator', () => {
    const ticketId = '00000000-0000-4000-8000-000000000000';
    let view: Record<string, unknown>;
    beforeAll(async () => {
      const filed = await t.http
        .post('/tickets')
        .set('authorization', `Bearer ${t.tokens.support}`)
        .send({ ...repairRequest(UNITS.cameraPickup), partnerId: PARTNER_A });
      expect(filed.status).toBe(201);
      view = filed.body as Record<string, unknown>;
    });
    const answer = (status: number, body: unknown, contentType = 'application/json; charset=utf-8') => ({
      method: 'GET',
      url: `/tickets/${ticketId}`,
      status,
      headers: { 'content-type': contentType, etag: '"2"' },
      body,
    });

    it('accepts the real answer', () => {
      expect(() => t.contract.check(answer(200, view))).not.toThrow();
    });

    it('fails a field of the wrong type, a missing field, an unknown enum value', () => {
      expect(() => t.contract.check(answer(200, { ...view, revision: '3' }))).toThrow(ContractViolation);
      expect(() => t.contract.check(answer(200, { ...view, revision: '3' }))).toThrow(
        /\/revision must be integer/,
      );
      const { allowedActions: _, ...missing } = view;
      expect(() => t.contract.check(answer(200, missing))).toThrow(/allowedActions/);
      expect(() => t.contract.check(answer(200, { ...view, status: 'lost' }))).toThrow(/\/status/);
      expect(() => t.contract.check(answer(200, { ...view, unit: { serialNumber: 7 } }))).toThrow(
        ContractViolation,
      );
    });

    it('fails an undocumented status, a wrong content type, an error that is not a problem', () => {
      expect(() => t.contract.check(answer(418, {}))).toThrow(/status 418 is not documented/);
      expect(() =>
        t.contract.check({ ...answer(200, view), headers: { 'content-type': 'application/json' } }),
      ).toThrow(/required header ETag missing/);
      expect(() => t.contract.check(answer(200, view, 'text/html'))).toThrow(/content type "text\/html"/);
      expect(() => t.contract.check(answer(404, { code: 'not_found', message: 'x' }))).toThrow(
        /content type "application\/json"/,
      );
      expect(() => t.contract.check(answer(404, { code: 'not_found' }, 'application/problem+json'))).toThrow(
        /must have required property/,
      );
    });

    it('through the e2e client: an answer that deviates from the document fails the request', async () => {
      // The same document with TicketView.revision declared a string: the app's real answer now deviates.
      const wrong = JSON.parse(JSON.stringify(doc)) as Doc;
      const props = wrong.components.schemas.TicketView!.properties as Record<string, unknown>;
      props.revision = { type: 'string' };
      const http = checkedAgainst(
        new OpenApiResponseValidator(wrong as unknown as OpenApiDocument),
        t.rawHttp,
      );
      await expect(
        http.get(`/tickets/${String(view.ticketId)}`).set('authorization', `Bearer ${t.tokens.support}`),
      ).rejects.toThrow(/TicketQueriesController_get.*\/revision must be string/);
      // …and the client every suite uses lets the same answer through.
      const ok = await t.http
        .get(`/tickets/${String(view.ticketId)}`)
        .set('authorization', `Bearer ${t.tokens.support}`);
      expect(ok.status).toBe(200);
    });
  });
});
