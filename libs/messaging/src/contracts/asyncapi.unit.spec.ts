import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DiagnosticSeverity, Parser } from '@asyncapi/parser';

import type { RecordedEvent } from '@app/event-store';

import { oneOfEveryTicketEvent } from '@app/domain/testing';
import { renderAsyncApiYaml } from './asyncapi';
import type { JsonSchema } from './json-schema';
import { toTicketMessage } from './ticket-message.mapper';

const committed = readFileSync(join(__dirname, '..', '..', 'asyncapi.yaml'), 'utf8');

/**
 * Checks a value against the JSON Schema subset the contracts use, CLOSED: a property the schema does not
 * declare is an error here (the published schema stays open for consumers), so mapper and schema cannot
 * drift apart.
 */
function violations(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if (Array.isArray(schema['oneOf'])) {
    const matches = (schema['oneOf'] as JsonSchema[]).filter((s) => violations(s, value, path).length === 0);
    return matches.length === 1 ? [] : [`${path}: matches ${matches.length} of oneOf`];
  }
  if ('const' in schema && value !== schema['const'])
    return [`${path}: not ${JSON.stringify(schema['const'])}`];
  if (Array.isArray(schema['enum']) && !(schema['enum'] as unknown[]).includes(value))
    return [`${path}: ${JSON.stringify(value)} not in enum`];
  switch (schema['type']) {
    case 'null':
      return value === null ? [] : [`${path}: not null`];
    case 'string':
      if (typeof value !== 'string') return [`${path}: not a string`];
      if (schema['format'] === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return [`${path}: not a date`];
      if (schema['format'] === 'date-time' && Number.isNaN(Date.parse(value)))
        return [`${path}: not a date-time`];
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) => violations(schema['items'] as JsonSchema, item, `${path}[${i}]`))
        : [`${path}: not an array`];
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${path}: not an object`];
      const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      const record = value as Record<string, unknown>;
      return [
        ...((schema['required'] ?? []) as string[])
          .filter((k) => !(k in record))
          .map((k) => `${path}.${k}: missing`),
        ...Object.keys(record)
          .filter((k) => !(k in properties))
          .map((k) => `${path}.${k}: not in the schema`),
        ...Object.entries(properties).flatMap(([k, s]) =>
          k in record ? violations(s, record[k], `${path}.${k}`) : [],
        ),
      ];
    }
    default:
      return [`${path}: unsupported schema ${JSON.stringify(schema)}`];
  }
}

function recorded(
  event: { type: string; schemaVersion: number; data: unknown },
  revision: number,
): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data as RecordedEvent['data'],
    metadata: { correlationId: 'corr-1', actor: 'partner:P-001' },
    stream: 'ticket-T-0001',
    revision,
    globalPosition: 1000 + revision,
    recordedAt: '2026-11-25T01:00:01.000Z',
  };
}

describe('AsyncAPI document', () => {
  it('is up to date with the contract registry (npm run messaging:asyncapi)', () => {
    expect(committed).toBe(renderAsyncApiYaml());
  });

  it('is a valid AsyncAPI 3 document', async () => {
    const { document, diagnostics } = await new Parser().parse(committed);
    // Spectral severities: 0 = error.
    const errors = diagnostics.filter((d) => (d.severity as number) === (DiagnosticSeverity.Error as number));
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(['ipro.repair.tickets.v1']);
  });

  it('describes every message the mapper produces, and each payload and header set fits its schema', async () => {
    const { document } = await new Parser().parse(committed);
    const messages = new Map(
      document!
        .allMessages()
        .all()
        .map((m) => [m.name(), m]),
    );
    const events = Object.values(oneOfEveryTicketEvent());
    expect(events).toHaveLength(23);
    for (const [revision, event] of events.entries()) {
      const result = toTicketMessage(recorded(event, revision), { partnerId: 'P-001' });
      if (result.kind !== 'message') throw new Error(`${event.type} not mapped`);
      const type = result.message.headers['ce_type']!;
      const message = messages.get(type);
      expect({ type, described: message !== undefined }).toEqual({ type, described: true });
      const payloadSchema = message!.payload()!.json<JsonSchema>();
      const headersSchema = message!.headers()!.json<JsonSchema>();
      expect({ type, errors: violations(payloadSchema, JSON.parse(result.message.value)) }).toEqual({
        type,
        errors: [],
      });
      expect({ type, errors: violations(headersSchema, result.message.headers) }).toEqual({
        type,
        errors: [],
      });
    }
    expect(messages.size).toBe(events.length);
  });

  it('the closed-schema check catches a payload field the schema does not declare', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    expect(violations(schema, { a: 'x', extra: 1 })).toEqual(['$.extra: not in the schema']);
  });
});
