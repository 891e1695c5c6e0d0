import { sampleCatalog } from '@app/domain';
import fc from 'fast-check';
import { signToken } from '../../apps/api/src/auth/token';
import { daysAgo } from '../support/dates';
import { loadReferenceData, PARTNER_A, repairRequest, UNITS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Fuzz suite generated from the service's own `/openapi.json`: every operation of the document, first as a valid
 * request, then mutated (wrong types, missing and extra fields, hostile text, huge and deep values, impossible
 * dates, forged cursors, bad tokens, broken transport). Never a 5xx; every 400 names a request field; a refused
 * request stores nothing; `/health` keeps answering during the run. Seeded and bounded.
 */

const SEED = 1414;
const MUTATIONS = 1000;

interface Schema {
  readonly type?: string;
  readonly $ref?: string;
  readonly allOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly nullable?: boolean;
}
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema?: Schema;
}
interface Operation {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly bodySchema?: Schema;
}
interface OpenApi {
  readonly paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Body = { [k: string]: Json };

/** A request as the fuzzer sends it: a body is either JSON data or raw text (to send what JSON.stringify cannot). */
interface FuzzRequest {
  readonly label: string;
  readonly method: string;
  readonly url: string;
  readonly token: string | null;
  readonly body?: Json;
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const HOSTILE_STRINGS = [
  'SN\u0000X',
  '\u0000',
  'a\uD800b',
  '\uDC00',
  '\uD83D',
  '📷🔧👍🏽',
  '\u202Eevil\u202C',
  'שלום עולם',
  '',
  ' ',
  'x'.repeat(5000),
  '../../etc/passwd',
  "'; DROP TABLE events; --",
  '%00',
  '__proto__',
];
const IMPOSSIBLE_DATES = [
  '2025-02-30',
  '2025-13-45',
  '0000-00-00',
  '0000-01-01',
  '9999-12-31',
  '2025-W01',
  '2025-W01-1',
  '+275760-09-13',
  '2025-1-1',
  '1899-12-31',
  '3000-01-01',
  '2025-02-29T00:00:00Z',
];
const WRONG_TYPES: Json[] = [null, true, 0, -1, 1.5, 1e308, [], {}, ['a'], { a: 1 }, 'not-the-type'];
const base64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const FORGED_CURSORS = [
  base64url(['1', 'x']),
  base64url(['2025-02-30', 'x']),
  base64url(['+275760-09-13T00:00:00.000Z', 'x']),
  base64url(['2025-01-01T00:00:00.000Z', 'x\u0000']),
  base64url(['2025-01-01T00:00:00.000Z\u0000', 'x']),
  base64url([1, 2]),
  base64url({ at: 'x' }),
  base64url(['2025-01-01T00:00:00.000Z', 'x'.repeat(300)]),
  'not-base64!!',
  '',
];
const PATH_IDS = [
  '%00',
  '%ff',
  '%ED%A0%80',
  'x%00y',
  '..',
  '%2e%2e',
  '%F0%9F%93%B7',
  'a'.repeat(300),
  'NOPE',
];

/** encodeURIComponent, except that a lone surrogate is sent as its WTF-8 bytes (hostile, not refused here). */
function encodeQuery(v: string): string {
  return Array.from(v)
    .map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      return encodeURIComponent(ch);
    })
    .join('');
}

function resolve(doc: OpenApi, s: Schema): Schema {
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.split('/').pop() ?? ''] ?? {});
  if (s.allOf?.[0]) return { ...resolve(doc, s.allOf[0]), nullable: s.nullable };
  return s;
}

/** A value from the document's schema: its example, its first enum value, or a plain value of its type. */
function exampleOf(doc: OpenApi, schema: Schema): Json {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example as Json;
  if (s.enum?.length) return s.enum[0] as Json;
  switch (s.type) {
    case 'object': {
      const out: Body = {};
      for (const [k, p] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k)) out[k] = exampleOf(doc, p);
      return out;
    }
    case 'array':
      return s.items ? [exampleOf(doc, s.items)] : [];
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return 1;
    case 'string':
    case undefined:
    default:
      return 'x';
  }
}

function operationsOf(doc: OpenApi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined;
      ops.push({
        method: method as 'get' | 'post',
        path,
        parameters: op.parameters ?? [],
        bodySchema: body?.content?.['application/json']?.schema,
      });
    }
  return ops;
}

/** Every leaf and inner path of a JSON value (`a`, `a.b`, `lines.0.kind`). */
function pathsOf(v: Json, prefix: string[] = []): string[][] {
  if (v === null || typeof v !== 'object') return prefix.length ? [prefix] : [];
  const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
  return [...(prefix.length ? [prefix] : []), ...entries.flatMap(([k, x]) => pathsOf(x, [...prefix, k]))];
}

function setAt(v: Json, path: readonly string[], value: Json | undefined): Json {
  const copy = structuredClone(v);
  let at: Json = copy;
  for (const k of path.slice(0, -1)) at = (at as Record<string, Json>)[k] as Json;
  const last = path.at(-1) as string;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete (at as Record<string, Json>)[last];
  } else (at as Record<string, Json>)[last] = value;
  return copy;
}

describe('fuzz from /openapi.json (server)', () => {
  let t: TestApp;
  let doc: OpenApi;
  let ticketId: string;
  const catalog = sampleCatalog();

  beforeAll(async () => {
    t = await startTestApp('server');
    await loadReferenceData(t);
    const filed = await t.http
      .post('/tickets')
      .set('authorization', `Bearer ${t.tokens.partner(PARTNER_A)}`)
      .send(repairRequest(UNITS.recorderYear1));
    ticketId = (filed.body as { ticketId: string }).ticketId;
    doc = (await t.http.get('/openapi.json')).body as OpenApi;
  });
  afterAll(async () => t?.close());

  const eventCount = async (): Promise<number> =>
    Number((await t.sql<{ n: string }>(`SELECT count(*) AS n FROM "${t.schemas.events}".events`))[0]?.n);

  /** Where the document is too thin (no formats, no date patterns), a known-good body per operation. */
  const knownGood = (): Record<string, Body> => ({
    'POST /tickets': repairRequest(UNITS.recorderYear1) as Body,
    'POST /tickets/{id}/submit-proof-of-delivery': {
      proof: { kind: 'invoice', reference: 'INV-1' },
      deliveryDate: UNITS.recorderYear1.deliveryDate,
    },
    'POST /tickets/{id}/confirm-replacement-delivered': { deliveredOn: daysAgo(0) },
    'POST /tickets/{id}/confirm-repaired-unit-delivered': { deliveredOn: daysAgo(0) },
    'POST /tickets/{id}/receive-failed-unit': { receivedOn: daysAgo(0), serialNumber: 'E2E-NVR-1' },
    'POST /tickets/{id}/dispatch-onsite': {
      technicianName: 'Sato',
      visitDate: daysAgo(0),
      parts: [{ partNumber: 'HDD-4T', description: 'disk', quantity: 1 }],
    },
    'POST /tickets/{id}/complete-onsite-repair': { completedOn: daysAgo(0), workSummary: 'swapped the disk' },
    'POST /tickets/{id}/complete-repair': {
      workSummary: 'board replaced',
      partsReplaced: [{ partNumber: 'PCB-1', description: 'main board', quantity: 1 }],
    },
    'POST /tickets/{id}/issue-quote': {
      lines: [{ kind: 'repair', description: 'repair', amountJpy: 12000 }],
      validUntil: daysAgo(-30),
    },
    'POST /tickets/{id}/accept-quote': { quoteId: 'Q-1' },
    'POST /tickets/{id}/decline-quote': { quoteId: 'Q-1', reason: 'too expensive' },
    'POST /partners': { partnerId: 'P-FUZZ', name: 'Fuzz partner' },
    'POST /partners/{partnerId}/join-partners-circle': { date: daysAgo(10) },
    'POST /partners/{partnerId}/leave-partners-circle': { date: daysAgo(5) },
    'POST /partners/{partnerId}/certify': { date: daysAgo(3) },
    'POST /unit-sales': {
      serialNumber: 'FUZZ-1',
      modelNumber: 'WV-S1136',
      partnerId: PARTNER_A,
      saleDate: daysAgo(30),
      soldInJapan: true,
    },
    'POST /catalog/versions': {
      version: 'fuzz-1',
      publishedAt: daysAgo(400),
      entries: catalog.entries.slice(0, 3) as unknown as Json[],
    },
  });
  const goodQuery: Record<string, string> = {
    at: new Date().toISOString(),
    deliveryDate: UNITS.recorderYear1.deliveryDate,
    limit: '5',
    status: 'escalated',
    scheme: 'replacement',
    coverage: 'product_warranty',
    requestedFrom: daysAgo(30),
    requestedTo: daysAgo(-1),
  };
  const pathValue = (name: string): string =>
    ({
      id: ticketId,
      partnerId: PARTNER_A,
      serial: UNITS.recorderYear1.serialNumber,
      serialNumber: UNITS.recorderYear1.serialNumber,
      version: catalog.version,
    })[name] ?? 'x';

  interface Template {
    readonly op: Operation;
    readonly key: string;
    readonly token: string | null;
    readonly path: Record<string, string>;
    readonly query: Record<string, string>;
    readonly body?: Json;
  }

  const urlOf = (tpl: Template, path = tpl.path, query = tpl.query): string => {
    const p = tpl.op.path.replace(/\{(\w+)\}/g, (_, n: string) => path[n] ?? 'x');
    const q = Object.entries(query)
      .map(([k, v]) => `${encodeQuery(k)}=${encodeQuery(v)}`)
      .join('&');
    return q ? `${p}?${q}` : p;
  };

  async function send(r: FuzzRequest): Promise<{ status: number; body: unknown; ms: number }> {
    const started = performance.now();
    const http = t.http as unknown as Record<string, (url: string) => import('supertest').Test>;
    let req = (http[r.method] as (url: string) => import('supertest').Test)(r.url);
    if (r.token !== null) req = req.set('authorization', `Bearer ${r.token}`);
    for (const [k, v] of Object.entries(r.headers ?? {})) req = req.set(k, v);
    if (r.raw !== undefined)
      req = req.set('content-type', r.headers?.['content-type'] ?? 'application/json').send(r.raw);
    else if (r.body !== undefined) req = req.send(r.body as object);
    const res = await req;
    return { status: res.status, body: res.body as unknown, ms: performance.now() - started };
  }

  /** The valid request of each operation, sent as the role that may send it (the first one not refused). */
  async function templates(): Promise<Template[]> {
    const good = knownGood();
    const roles = [t.tokens.support, t.tokens.partner(PARTNER_A), t.tokens.auditor, t.tokens.ops];
    const out: Template[] = [];
    for (const op of operationsOf(doc)) {
      const key = `${op.method.toUpperCase()} ${op.path}`;
      const path = Object.fromEntries(
        op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, pathValue(p.name)]),
      );
      const query = Object.fromEntries(
        op.parameters
          .filter((p) => p.in === 'query' && (p.required || p.name in goodQuery))
          .filter((p) => !['status', 'scheme', 'coverage'].includes(p.name) || p.required)
          .map((p) => [p.name, goodQuery[p.name] ?? JSON.stringify(exampleOf(doc, p.schema ?? {}))]),
      );
      const body = op.bodySchema ? (good[key] ?? exampleOf(doc, op.bodySchema)) : undefined;
      const base = { op, key, path, query, ...(body !== undefined ? { body } : {}) };
      let token: string | null = null;
      for (const candidate of roles) {
        const res = await send({
          label: 'probe',
          method: op.method,
          url: urlOf({ ...base, token: candidate }),
          token: candidate,
          ...(body !== undefined ? { body } : {}),
        });
        if (res.status !== 401 && res.status !== 403) {
          token = candidate;
          break;
        }
      }
      out.push({ ...base, token });
    }
    return out;
  }

  /** The mutations of one valid request, as fast-check arbitraries. */
  function mutations(tpl: Template): fc.Arbitrary<FuzzRequest>[] {
    const hostile = fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS),
      fc.constantFrom(...IMPOSSIBLE_DATES),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    const value = fc.oneof(hostile as fc.Arbitrary<Json>, fc.constantFrom(...WRONG_TYPES));
    const req = (label: string, over: Partial<FuzzRequest>): FuzzRequest => ({
      label: `${tpl.key} ${label}`,
      method: tpl.op.method,
      url: urlOf(tpl),
      token: tpl.token,
      ...(tpl.body !== undefined ? { body: tpl.body } : {}),
      ...over,
    });
    const arbs: fc.Arbitrary<FuzzRequest>[] = [
      fc.constantFrom(
        req('no token', { token: null }),
        req('garbage token', { token: 'not.a.token' }),
        req('token of another secret', {
          token: signToken({ role: 'support', subject: 'm' }, 'other', Math.floor(Date.now() / 1000), 600),
        }),
        req('wrong method', { method: tpl.op.method === 'get' ? 'delete' : 'put' }),
      ),
    ];
    const pathNames = Object.keys(tpl.path);
    if (pathNames.length)
      arbs.push(
        fc
          .tuple(fc.constantFrom(...pathNames), fc.constantFrom(...PATH_IDS))
          .map(([n, v]) => req(`path ${n}=${v.slice(0, 20)}`, { url: urlOf(tpl, { ...tpl.path, [n]: v }) })),
      );
    const queryNames = tpl.op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
    if (queryNames.length)
      arbs.push(
        fc
          .tuple(
            fc.constantFrom(...queryNames),
            fc.oneof(hostile, fc.constantFrom(...FORGED_CURSORS), fc.constantFrom('0', '-1', '1e3', '201')),
          )
          .map(([n, v]) =>
            req(`query ${n}=${JSON.stringify(v).slice(0, 30)}`, {
              url: urlOf(tpl, tpl.path, { ...tpl.query, [n]: v }),
            }),
          ),
        fc
          .constantFrom(...FORGED_CURSORS)
          .map((c) => req('cursor', { url: urlOf(tpl, tpl.path, { ...tpl.query, cursor: c }) })),
      );
    if (tpl.op.method === 'post') {
      const body = (tpl.body ?? {}) as Json;
      const fields = pathsOf(body);
      const deep = (n: number, open: string, close: string): string =>
        JSON.stringify(body).replace(/^\{/, `{"deep":${open.repeat(n)}${close.repeat(n)},`);
      if (fields.length)
        arbs.push(
          fc
            .tuple(fc.constantFrom(...fields), value)
            .map(([p, v]) =>
              req(`${p.join('.')}=${JSON.stringify(v).slice(0, 30)}`, { body: setAt(body, p, v) }),
            ),
          fc
            .constantFrom(...fields)
            .map((p) => req(`without ${p.join('.')}`, { body: setAt(body, p, undefined) })),
          fc.constantFrom(...fields).map((p) =>
            req(`${p.join('.')} 15000 × {}`, {
              raw: JSON.stringify(setAt(body, p, 0)).replace(/:0([,}])/, `:[${'{},'.repeat(14_999)}{}]$1`),
            }),
          ),
          fc
            .tuple(
              fc.constantFrom(...fields),
              fc.constantFrom('9007199254740993', '1e400', '-0', '123456789012345678901234567890'),
            )
            .map(([p, n]) =>
              req(`${p.join('.')}=${n}`, {
                raw: JSON.stringify(setAt(body, p, 0)).replace(/:0([,}])/, `:${n}$1`),
              }),
            ),
        );
      arbs.push(
        fc
          .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'toString'), value)
          .map(([k, v]) =>
            req(`extra ${k}`, {
              raw: JSON.stringify(body).replace(/^\{/, `{${JSON.stringify(k)}:${JSON.stringify(v)},`),
            }),
          ),
        fc.constantFrom(
          req('deep arrays', { raw: deep(20_000, '[', ']') }),
          req('deep objects', { raw: deep(5_000, '{"a":', '}') }),
          req('whole body array', { body: [body] }),
          req('whole body string', { raw: '"x"' }),
          req('whole body null', { raw: 'null' }),
          req('truncated JSON', { raw: JSON.stringify(body).slice(0, -3) }),
          req('6000 unknown keys', {
            raw: `{${Array.from({ length: 6_000 }, (_, i) => `"k${i}":1`).join(',')}}`,
          }),
          req('bogus charset', {
            raw: JSON.stringify(body),
            headers: { 'content-type': 'application/json; charset=bogus' },
          }),
          req('gzip that is not gzip', {
            raw: JSON.stringify(body),
            headers: { 'content-encoding': 'gzip' },
          }),
          req('br that is not br', { raw: JSON.stringify(body), headers: { 'content-encoding': 'br' } }),
          req('unknown encoding', { raw: JSON.stringify(body), headers: { 'content-encoding': 'zz' } }),
          req('text/plain', { raw: JSON.stringify(body), headers: { 'content-type': 'text/plain' } }),
        ),
      );
    }
    return arbs;
  }

  it('never answers 5xx, names the field of every 400 and stores nothing it refuses', async () => {
    const tpls = await templates();
    expect(tpls.length).toBeGreaterThanOrEqual(operationsOf(doc).length);
    const valid: FuzzRequest[] = tpls.map((tpl) => ({
      label: `${tpl.key} valid`,
      method: tpl.op.method,
      url: urlOf(tpl),
      token: tpl.token,
      ...(tpl.body !== undefined ? { body: tpl.body } : {}),
    }));
    const mutated = fc.sample(fc.oneof(...tpls.flatMap(mutations)), { seed: SEED, numRuns: MUTATIONS });
    // Every operation gets its own deterministic share of mutations besides the random mix.
    const perOperation = tpls.flatMap((tpl) =>
      fc.sample(fc.oneof(...mutations(tpl)), { seed: SEED, numRuns: 8 }),
    );
    const inputs = [...valid, ...perOperation, ...mutated];

    const healthMs: number[] = [];
    const healthStatuses = new Set<number>();
    let running = true;
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        const res = await t.http.get('/health');
        healthMs.push(performance.now() - started);
        healthStatuses.add(res.status);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const fiveHundreds: string[] = [];
    const unnamed: string[] = [];
    const stored: string[] = [];
    try {
      for (const input of inputs) {
        const before = await eventCount();
        const res = await send(input);
        const line = `${input.label} → ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`;
        if (res.status >= 500) fiveHundreds.push(line);
        if (res.status === 400) {
          const field = (res.body as { field?: unknown }).field;
          if (typeof field !== 'string' || field === '' || field.startsWith('events[')) unnamed.push(line);
        }
        if (res.status >= 400 && (await eventCount()) !== before) stored.push(line);
      }
    } finally {
      running = false;
      await probe;
    }
    healthMs.sort((a, b) => a - b);
    const at = (q: number): string => (healthMs[Math.floor(q * (healthMs.length - 1))] ?? NaN).toFixed(0);
    process.stdout.write(`fuzz: ${inputs.length} inputs, ${fiveHundreds.length} 5xx\n`);
    // Printed, not asserted: on the shared 2-core machines the worst probe ranged 68–933 ms between runs.
    process.stdout.write(
      `fuzz: seed ${SEED}; /health during the run: ${healthMs.length} probes, median ${at(0.5)} ms, p99 ${at(0.99)} ms, worst ${at(1)} ms\n`,
    );
    expect(fiveHundreds).toEqual([]);
    expect(unnamed).toEqual([]);
    expect(stored).toEqual([]);
    // The service stayed healthy while it was fuzzed. Its response times are printed above, not asserted (speed
    // lives in benchmarks); the stall the probe once showed (six bodies of 15,000 × {} held /health for 5.9 s) is
    // held off by refusing such bodies before any recursive work, checked without a clock in hostile-input.e2e.
    expect(healthMs.length).toBeGreaterThan(0);
    expect([...healthStatuses]).toEqual([200]);
  });
});
