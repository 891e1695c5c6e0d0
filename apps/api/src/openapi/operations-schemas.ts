import type { SchemaObject } from '@nestjs/swagger';
import { array, bool, date, instant, int, object, oneOf, ref, str } from './schema-kit';

/** The error body (RFC 9457 problem details) and the operations views: health, dashboard, lag. */
export const OPERATIONS_SCHEMAS: Record<string, SchemaObject> = {
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details (`application/problem+json`) with the service’s own members: `code` (stable, ' +
      'machine-readable), `message` (= `detail`), `field` (the request field at fault, 400), `rule` (the ' +
      'business rule refused, 422), `currentRevision` (the ticket’s revision, 409 revision_conflict) and the ' +
      '`correlationId` of the request (also in the X-Correlation-Id header).',
    properties: {
      type: {
        type: 'string',
        description: 'URI reference naming the problem type',
        example: 'urn:ipro-repair:problem:validation_failed',
      },
      title: { type: 'string', description: 'Short summary of the status', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'serialNumber: must be a string' },
      code: { type: 'string', example: 'validation_failed' },
      message: { type: 'string', description: 'Same as `detail` (kept for existing clients)' },
      field: { type: 'string', example: 'serialNumber' },
      rule: { type: 'string' },
      currentRevision: { type: 'integer', nullable: true },
      correlationId: { type: 'string' },
      openTicketId: { type: 'string', description: '409 open_ticket_exists: the open ticket of the unit' },
      currentStatus: { type: 'string', description: '409 illegal_transition: the ticket’s status' },
      attempted: { type: 'string', description: '409 illegal_transition: the command refused' },
      errors: { type: 'array', items: {}, description: 'Every field refused (400), when more than one' },
    },
    required: ['type', 'title', 'status', 'detail', 'code', 'message'],
  },

  ProjectionLag: {
    type: 'object',
    properties: { eventsBehind: int, msBehind: { type: 'number' }, position: int, running: bool },
    required: ['eventsBehind', 'msBehind', 'running'],
  },
  DashboardSummary: object({
    generatedAt: instant,
    openTickets: array(object({ scheme: str, status: str, count: int })),
    openTotal: int,
    aging: array(object({ bucket: str, count: int })),
    meanTimeToResolution: array(object({ scheme: str, closed: int, meanHours: { type: 'number' } })),
    replacementsInTransit: int,
    onsiteVisitsScheduled: object({ count: int, byDate: array(object({ visitDate: date, count: int })) }),
    projectionLag: ref('ProjectionLag'),
  }),
  Health: {
    type: 'object',
    description: 'Overall status, the projections’ lag and each other part (e.g. `relay`) by name',
    properties: {
      status: oneOf(['ok', 'degraded', 'down']),
      projections: {
        type: 'object',
        properties: {
          status: oneOf(['ok', 'degraded', 'down']),
          eventsBehind: int,
          msBehind: { type: 'number' },
          position: int,
          running: bool,
          lastError: str,
        },
        required: ['status', 'running'],
      },
    },
    required: ['status', 'projections'],
    additionalProperties: {
      type: 'object',
      properties: { status: oneOf(['ok', 'degraded', 'down']) },
      required: ['status'],
    },
  },
};
