/**
 * The AsyncAPI 3 document of everything this service publishes, generated from the contract registry (so
 * it cannot miss a contract the mapper produces). `libs/messaging/asyncapi.yaml` is its committed output:
 * `npm run messaging:asyncapi` rewrites it, and a unit test fails when it is stale or invalid.
 */
import { DEFAULT_TICKETS_TOPIC } from '../kafka/kafka-config';
import { object, str, type JsonSchema } from './json-schema';
import { TICKET_INTEGRATION_EVENTS } from './ticket-integration-events';
import { DEFAULT_CE_SOURCE, dataSchemaUri } from './ticket-message.mapper';

const KAFKA_BINDING_VERSION = '0.5.0';

function ceHeaders(type: string): JsonSchema {
  return object(
    {
      ce_specversion: { type: 'string', const: '1.0' },
      ce_id: str('The stored event id (UUID): stable across re-deliveries; drop duplicates by it'),
      ce_source: str(`Producing service, ${DEFAULT_CE_SOURCE}`),
      ce_type: { type: 'string', const: type },
      ce_subject: str('Ticket id (= Kafka key)'),
      ce_time: {
        type: 'string',
        format: 'date-time',
        description: 'When the event store recorded the event',
      },
      ce_dataschema: { type: 'string', const: dataSchemaUri(type) },
      'content-type': { type: 'string', const: 'application/json' },
      ce_partitionkey: str('CloudEvents partitioning extension: the ticket id'),
      ce_ticketrevision: str("The event's revision in its ticket (0, 1, 2…), as a decimal string"),
      ce_correlationid: str('Correlation id of the request that caused the event'),
    },
    'CloudEvents 1.0 attributes in binary content mode (Kafka protocol binding)',
  );
}

export function buildAsyncApiDocument(
  topic: { name: string; partitions: number } = { name: DEFAULT_TICKETS_TOPIC, partitions: 6 },
): Record<string, unknown> {
  const messages: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const channelMessages: Record<string, unknown> = {};
  for (const d of TICKET_INTEGRATION_EVENTS) {
    schemas[d.messageName] = d.schema;
    messages[d.messageName] = {
      name: d.type,
      title: d.messageName,
      summary: d.summary,
      contentType: 'application/json',
      headers: ceHeaders(d.type),
      payload: { $ref: `#/components/schemas/${d.messageName}` },
      bindings: {
        kafka: {
          key: str('Ticket id: all events of a ticket share a partition, in order'),
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    channelMessages[d.messageName] = { $ref: `#/components/messages/${d.messageName}` };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'i-PRO repair service: ticket integration events',
      version: '1.0.0',
      description: [
        'Events of repair tickets, published by the repair service relay from its event store.',
        'Delivery is at least once: drop duplicates by ce_id. Events of one ticket are in order (Kafka key = ticket id).',
        'Contracts are versioned in their type (….v1); a breaking change publishes a .v2 next to the .v1.',
        'Consumers must ignore unknown message types and unknown payload fields.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'Local single-node broker (scripts/kafka/kafka.sh)',
      },
    },
    channels: {
      ticketEvents: {
        address: topic.name,
        title: 'Repair ticket events',
        description: 'Every integration event of every repair ticket (topic name configurable: KAFKA_TOPIC).',
        messages: channelMessages,
        bindings: {
          kafka: { topic: topic.name, partitions: topic.partitions, bindingVersion: KAFKA_BINDING_VERSION },
        },
      },
    },
    operations: {
      publishTicketEvents: {
        action: 'send',
        title: 'The relay publishes ticket events',
        channel: { $ref: '#/channels/ticketEvents' },
        messages: TICKET_INTEGRATION_EVENTS.map((d) => ({
          $ref: `#/channels/ticketEvents/messages/${d.messageName}`,
        })),
      },
    },
    components: { messages, schemas },
  };
}

/** Minimal YAML for JSON data: every string double-quoted (valid YAML), keys quoted when not plain. */
export function toYaml(value: unknown, indent = ''): string {
  const key = (k: string): string => (/^[A-Za-z_$][\w$.-]*$/.test(k) ? k : JSON.stringify(k));
  const scalar = (v: unknown): string => JSON.stringify(v);
  const isEmpty = (v: unknown): boolean =>
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        if (typeof item === 'object' && item !== null && !isEmpty(item)) {
          const body = toYaml(item, `${indent}  `);
          return `${indent}- ${body.slice(indent.length + 2)}`;
        }
        return `${indent}- ${isEmpty(item) ? JSON.stringify(item) : scalar(item)}\n`;
      })
      .join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => {
        if (typeof v === 'object' && v !== null && !isEmpty(v))
          return `${indent}${key(k)}:\n${toYaml(v, `${indent}  `)}`;
        return `${indent}${key(k)}: ${isEmpty(v) ? JSON.stringify(v) : scalar(v)}\n`;
      })
      .join('');
  }
  return `${indent}${scalar(value)}\n`;
}

export function renderAsyncApiYaml(): string {
  return `# GENERATED from libs/messaging/src/contracts (npm run messaging:asyncapi). Do not edit by hand.\n${toYaml(buildAsyncApiDocument())}`;
}
