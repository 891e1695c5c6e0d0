import type { SchemaObject } from '@nestjs/swagger';
import { OPERATIONS_SCHEMAS } from './operations-schemas';
import { REFERENCE_SCHEMAS } from './reference-schemas';
import { TICKET_SCHEMAS } from './ticket-schemas';

export { COVERAGES, SCHEMES } from './schema-kit';

/**
 * The named schemas of every success body (and the one error body), added to the document's components by
 * contract.ts. Written against the read shapes (TicketView, TicketPage, TicketAsOf, WarrantyStatus,
 * DashboardSummary, the reference read models); the e2e suites validate every answer against them
 * (test/support/openapi-validator.ts), so a shape that drifts fails a test. Enums are the domain's constants.
 */
export const RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  ...OPERATIONS_SCHEMAS,
  ...TICKET_SCHEMAS,
  ...REFERENCE_SCHEMAS,
};
