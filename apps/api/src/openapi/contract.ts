import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
} from '@nestjs/swagger';
import { IS_PUBLIC } from '../auth/auth.decorators';
import { RESPONSE_SCHEMAS } from './response-schemas';

/**
 * Completes the document @nestjs/swagger builds from the controllers (requests only) into the contract clients
 * generate from: each operation's success body as a named schema, its headers, and the error answers it can
 * really give, as one `application/problem+json` schema. The error statuses are derived from what the edge
 * does with a route (guarded or public, parameters, body, ticket command), not written per operation: the
 * table below is that derivation, and the e2e suites hold every answer to it (test/support/openapi-validator.ts).
 */

/**
 * The success body of each operation, by the operation id Nest gives it (`<Controller>_<method>`): a schema
 * name, `Name[]` for a list, `text` for text/plain.
 */
const SUCCESS: Readonly<Record<string, string>> = {
  TicketQueriesController_list: 'TicketPage',
  TicketQueriesController_get: 'TicketView',
  TicketQueriesController_history: 'TicketHistory',
  TicketQueriesController_asOf: 'TicketAsOf',
  WarrantyController_status: 'WarrantyStatus',
  // A reference write answers with the record it created or changed, as its GET shows it.
  ReferenceController_register: 'Partner',
  ReferenceController_join: 'Partner',
  ReferenceController_leave: 'Partner',
  ReferenceController_certify: 'Partner',
  ReferenceController_recordSale: 'UnitSale',
  ReferenceController_publish: 'CatalogVersion',
  ReferenceController_partners: 'Partner[]',
  ReferenceController_partner: 'Partner',
  ReferenceController_sale: 'UnitSale',
  ReferenceController_versions: 'CatalogVersionSummary[]',
  ReferenceController_version: 'CatalogVersion',
  HealthController_health: 'Health',
  HealthController_prometheus: 'text',
  DashboardController_summary: 'DashboardSummary',
};
/** Creations answer 201 with `Location`: where the new resource is read. */
const CREATED_AT: Readonly<Record<string, string>> = {
  TicketCommandsController_file: 'The new ticket: `/tickets/{id}`',
  ReferenceController_register: 'The new partner: `/partners/{partnerId}`',
  ReferenceController_recordSale: 'The sales record: `/unit-sales/{serial}`',
  ReferenceController_publish: 'The new catalog version: `/catalog/versions/{version}`',
};
/** Every ticket command answers with the ticket's new view (and its revision as ETag). */
const TICKET_COMMANDS = 'TicketCommandsController_';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request: malformed JSON, a wrong or unknown field, a malformed id, If-Match or Idempotency-Key (`field` names it)',
  401: 'Unauthorized: no bearer token, or an invalid or expired one',
  403: 'Forbidden: the token’s role may not call this operation',
  404: 'Not Found: no such resource (a partner asking for another partner’s ticket gets this too)',
  409: 'Conflict: `revision_conflict` (stale If-Match or a concurrent writer; `currentRevision` and ETag), `illegal_transition` (not a move the ticket’s status allows), `open_ticket_exists` (`openTicketId`, Location)',
  413: 'Payload Too Large: the body exceeds 64 KB',
  415: 'Unsupported Media Type: the body’s charset or encoding',
  422: 'Unprocessable: a business rule refuses valid input (`rule`), or an Idempotency-Key reused for another request',
  500: 'Internal error',
  503: 'Service Unavailable: the database is unreachable; retry after Retry-After with the same Idempotency-Key',
};

const header = (description: string, schema: HeaderObject['schema'] = { type: 'string' }): HeaderObject => ({
  description,
  schema,
});
const ETAG = header('The ticket’s revision, quoted (`"3"`): send it back as If-Match', {
  type: 'string',
  example: '"3"',
});
const RETRY_AFTER = header('Seconds to wait before retrying', { type: 'integer', example: 1 });
const REPLAYED = header(
  '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
  {
    type: 'string',
    enum: ['true'],
  },
);
const IF_MATCH: ParameterObject = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The revision the caller last saw (the ETag, `"3"`): the command is refused with 409 `revision_conflict` ' +
    'if the ticket has changed since. Without it the command acts on the current revision.',
  schema: { type: 'string', example: '"3"' },
};

const schemaOf = (name: string) =>
  name.endsWith('[]')
    ? { type: 'array' as const, items: { $ref: `#/components/schemas/${name.slice(0, -2)}` } }
    : { $ref: `#/components/schemas/${name}` };

/** An example problem body, as the error filter writes it. */
const example = (status: number, title: string, code: string, detail: string, more: object = {}) => ({
  type: `urn:ipro-repair:problem:${code}`,
  title,
  status,
  detail,
  code,
  message: detail,
  ...more,
  correlationId: '0b6f2c6e-7d1c-4f55-9d59-1f0f0c3c2a11',
});
const EXAMPLES: Readonly<Record<number, object>> = {
  400: example(400, 'Bad Request', 'validation_failed', 'serialNumber: must be a string', {
    field: 'serialNumber',
  }),
  401: example(401, 'Unauthorized', 'unauthenticated', 'missing bearer token'),
  403: example(403, 'Forbidden', 'forbidden', 'role partner may not call this endpoint'),
  404: example(404, 'Not Found', 'ticket_not_found', 'ticket 6f1c… not found'),
  409: example(
    409,
    'Conflict',
    'revision_conflict',
    'the ticket changed since you read it; reload and retry',
    {
      currentRevision: 4,
    },
  ),
  422: example(422, 'Unprocessable Entity', 'business_rule_violated', 'the quote has expired', {
    rule: 'quote_expired',
  }),
  503: example(503, 'Service Unavailable', 'store_unavailable', 'the database is unavailable; retry shortly'),
};

const problem = (status: number, headers?: Record<string, HeaderObject>): ResponseObject => ({
  description: STATUS_TEXT[status] ?? 'Error',
  ...(headers ? { headers } : {}),
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/Problem' },
      ...(EXAMPLES[status] ? { example: EXAMPLES[status] } : {}),
    },
  },
});

/** The error answers, named once in components.responses and referred to by every operation that gives them. */
const PROBLEMS = {
  BadRequest: problem(400),
  Unauthorized: problem(401, {
    'WWW-Authenticate': header('`Bearer` (RFC 6750), with `error="invalid_token"` when a token was refused'),
  }),
  Forbidden: problem(403),
  NotFound: problem(404),
  Conflict: problem(409),
  TicketConflict: problem(409, { ETag: ETAG }),
  FilingConflict: problem(409, { Location: header('The unit’s open ticket (open_ticket_exists)') }),
  PayloadTooLarge: problem(413),
  UnsupportedMediaType: problem(415),
  Unprocessable: problem(422),
  InternalError: problem(500),
  ServiceUnavailable: problem(503, { 'Retry-After': RETRY_AFTER }),
} satisfies Record<string, ResponseObject>;
const use = (name: keyof typeof PROBLEMS): ReferenceObject => ({ $ref: `#/components/responses/${name}` });

/** Which operations are public (`@Public()`), by operation id, from the metadata the auth guard reads. */
function publicOperations(app: INestApplication): Set<string> {
  const out = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const isPublic =
          (Reflect.getMetadata(IS_PUBLIC, handler) as boolean | undefined) ??
          (Reflect.getMetadata(IS_PUBLIC, controller) as boolean | undefined);
        if (isPublic) out.add(`${controller.name}_${name}`);
      }
    }
  }
  return out;
}

export function completeContract(app: INestApplication, document: OpenAPIObject): OpenAPIObject {
  const open = publicOperations(app);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...RESPONSE_SCHEMAS },
    responses: { ...document.components?.responses, ...PROBLEMS },
    securitySchemes: {
      ...document.components?.securitySchemes,
      metricsToken: {
        type: 'http',
        scheme: 'bearer',
        description: '/metrics only, when METRICS_TOKEN is set: that static token (not a user’s JWT)',
      },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      const op = item[method];
      if (op) completeOperation(op, method, path, open.has(op.operationId ?? ''));
    }
  }
  return document;
}

function completeOperation(
  op: OperationObject,
  method: 'get' | 'post',
  path: string,
  isPublic: boolean,
): void {
  const id = op.operationId ?? '';
  const isTicketCommand = id.startsWith(TICKET_COMMANDS);
  const success = isTicketCommand ? 'TicketView' : SUCCESS[id];
  if (!success) throw new Error(`contract.ts: no success body declared for operation ${id}`);
  // The Idempotency-Key header is declared on whole controllers; only commands (POST) read it.
  op.parameters = (op.parameters ?? []).filter(
    (p) => method === 'post' || !('name' in p) || p.name !== 'Idempotency-Key',
  );
  const params = op.parameters as ParameterObject[];
  const idempotent = params.some((p) => p.name === 'Idempotency-Key');
  const onTicket = isTicketCommand && path.includes('{id}');
  if (onTicket) params.push(IF_MATCH);

  const [code, existing] = Object.entries(op.responses).find(([s]) => s.startsWith('2')) ?? ['200', {}];
  const headers: Record<string, HeaderObject> = {};
  // Always sent on these answers: required, so the e2e validator checks it is there.
  if (isTicketCommand || id === 'TicketQueriesController_get') headers.ETag = { ...ETAG, required: true };
  if (idempotent) headers['Idempotent-Replayed'] = REPLAYED;
  const createdAt = CREATED_AT[id];
  if (createdAt !== undefined) headers.Location = { ...header(createdAt), required: true };
  const ok: ResponseObject = {
    ...(existing as ResponseObject),
    description: (existing as ResponseObject).description || descriptionOf(success),
    ...(Object.keys(headers).length ? { headers } : {}),
    content:
      success === 'text'
        ? { 'text/plain': { schema: { type: 'string' }, example: 'repair_projection_lag_events 0' } }
        : { 'application/json': { schema: schemaOf(success) } },
  };
  const responses: OperationObject['responses'] = { [code]: ok };

  const hasInput = params.length > 0 || op.requestBody !== undefined;
  if (hasInput) responses['400'] = use('BadRequest');
  if (!isPublic) {
    responses['401'] = use('Unauthorized');
    responses['403'] = use('Forbidden');
  }
  if (path.includes('{')) responses['404'] = use('NotFound');
  if (method === 'post') {
    responses['409'] = use(
      id === 'TicketCommandsController_file' ? 'FilingConflict' : onTicket ? 'TicketConflict' : 'Conflict',
    );
    responses['413'] = use('PayloadTooLarge');
    responses['415'] = use('UnsupportedMediaType');
    responses['422'] = use('Unprocessable');
  }
  responses['500'] = use('InternalError');
  if (id === 'HealthController_health') {
    responses['503'] = {
      description: 'A part is down (the body says which)',
      content: { 'application/json': { schema: schemaOf('Health') } },
    };
  } else if (!isPublic) {
    responses['503'] = use('ServiceUnavailable');
  }
  if (id === 'HealthController_prometheus') {
    // Public unless METRICS_TOKEN is set: then a static scrape token, refused in text/plain.
    responses['401'] = {
      description: 'METRICS_TOKEN is set and the request does not carry it',
      headers: { 'WWW-Authenticate': header('`Bearer realm="metrics"`') },
      content: { 'text/plain': { schema: { type: 'string' } } },
    };
  }
  op.responses = responses;
  if (isPublic) op.security = id === 'HealthController_prometheus' ? [{}, { metricsToken: [] }] : [];
}

function descriptionOf(schema: string): string {
  if (schema === 'text') return 'Prometheus text exposition';
  return schema.endsWith('[]') ? `A list of ${schema.slice(0, -2)}` : schema;
}
