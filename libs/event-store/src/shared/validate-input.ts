import { InvalidEventStoreInputError } from '../errors';
import type {
  AppendOptions,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
} from '../event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * At most this many events per append. The PostgreSQL adapter numbers events `xid * 1024 + index`
 * (see `postgres-event-store.ts`); EventStoreDB's own limit (1 MB per append by default) is usually lower.
 */
export const MAX_EVENTS_PER_APPEND = 1024;

// ES2024's String.prototype.isWellFormed, without raising the repo's `lib` setting: no lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badText(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

function fail(field: string, message: string): never {
  throw new InvalidEventStoreInputError(field, message);
}

function checkText(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) fail(field, 'must be a non-empty string');
  // PostgreSQL text and jsonb cannot hold NUL; lone surrogates are not UTF-8: reject rather than mangle.
  if (badText(value)) fail(field, 'must be well-formed text without NUL');
}

/** Walks a value the caller claims is JSON: rejects what JSON.stringify would drop, mangle or throw on. */
export function checkJson(field: string, value: unknown, ancestors: Set<object> = new Set()): void {
  switch (typeof value) {
    case 'string':
      if (badText(value)) fail(field, 'strings must be well-formed without NUL');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(field, `${value} is not representable in JSON`);
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) fail(field, 'contains a cycle');
      ancestors.add(value);
      if (Array.isArray(value)) {
        value.forEach((item, i) => checkJson(`${field}[${i}]`, item, ancestors));
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null)
          fail(field, 'must be a plain object, array or primitive');
        for (const [k, v] of Object.entries(value)) {
          // An undefined property is simply absent in JSON (optional fields); undefined in an array is not.
          if (v === undefined) continue;
          if (badText(k)) fail(field, 'keys must be well-formed without NUL');
          checkJson(`${field}.${k}`, v, ancestors);
        }
      }
      ancestors.delete(value);
      return;
    }
    case 'bigint':
    case 'undefined':
    case 'function':
    case 'symbol':
      fail(field, `a ${typeof value} is not JSON-serialisable`);
  }
}

/** The JSON value the store keeps: undefined properties dropped, as JSON.stringify does. Call after checkJson. */
export function normaliseJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function checkStream(stream: unknown, field = 'stream'): asserts stream is string {
  checkText(field, stream);
}

export function checkExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected !== 'number' || !Number.isSafeInteger(expected) || expected < 0) {
    fail('expectedRevision', "must be 'any', 'no_stream', 'stream_exists' or a revision >= 0");
  }
}

/** The input of an append, checked as every adapter checks it; the expected revision it asks for. */
export function checkAppend(stream: unknown, events: unknown, options: AppendOptions): ExpectedRevision {
  checkStream(stream);
  const expected = options.expectedRevision ?? 'any';
  checkExpectedRevision(expected);
  checkNewEvents(events);
  return expected;
}

export function checkNewEvents(events: unknown): asserts events is readonly NewEvent[] {
  if (!Array.isArray(events)) fail('events', 'must be an array');
  // An empty append is refused rather than treated as an expectation check: it always signals a caller bug.
  if (events.length === 0) fail('events', 'must contain at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND)
    fail('events', `at most ${MAX_EVENTS_PER_APPEND} events per append`);
  const ids = new Set<string>();
  events.forEach((event: unknown, i) => {
    const at = `events[${i}]`;
    if (typeof event !== 'object' || event === null) fail(at, 'must be an object');
    const e = event as Partial<Record<keyof NewEvent, unknown>>;
    if (typeof e.id !== 'string' || !UUID.test(e.id)) fail(`${at}.id`, 'must be a UUID');
    const id = e.id.toLowerCase();
    if (ids.has(id)) fail(`${at}.id`, 'is used twice in this append');
    ids.add(id);
    checkText(`${at}.type`, e.type);
    if (
      typeof e.schemaVersion !== 'number' ||
      !Number.isInteger(e.schemaVersion) ||
      e.schemaVersion < 1 ||
      e.schemaVersion > 2 ** 31 - 1
    ) {
      fail(`${at}.schemaVersion`, 'must be an integer >= 1');
    }
    if (e.data === undefined) fail(`${at}.data`, 'is required (use null for no data)');
    checkJson(`${at}.data`, e.data);
    const md = e.metadata as Record<string, unknown> | undefined;
    if (typeof md !== 'object' || md === null || Array.isArray(md))
      fail(`${at}.metadata`, 'must be an object');
    checkText(`${at}.metadata.correlationId`, md['correlationId']);
    checkText(`${at}.metadata.actor`, md['actor']);
    if (md['causationId'] !== undefined) checkText(`${at}.metadata.causationId`, md['causationId']);
    checkJson(`${at}.metadata`, md);
  });
}

function checkCount(field: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)) {
    fail(field, 'must be an integer >= 1');
  }
}

function checkPosition(field: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
    fail(field, 'must be an integer >= 0');
  }
}

export function checkReadStream(stream: unknown, options: ReadStreamOptions): void {
  checkStream(stream);
  checkPosition('fromRevision', options.fromRevision);
  checkCount('maxCount', options.maxCount);
  if (
    options.direction !== undefined &&
    options.direction !== 'forwards' &&
    options.direction !== 'backwards'
  ) {
    fail('direction', "must be 'forwards' or 'backwards'");
  }
}

export function checkReadAll(options: ReadAllOptions & { readonly batchSize?: number }): void {
  checkPosition('after', options.after);
  checkCount('maxCount', options.maxCount);
  checkCount('batchSize', options.batchSize);
  options.filter?.eventTypes?.forEach((t, i) => checkText(`filter.eventTypes[${i}]`, t));
  options.filter?.streamPrefixes?.forEach((p, i) => checkText(`filter.streamPrefixes[${i}]`, p));
}
