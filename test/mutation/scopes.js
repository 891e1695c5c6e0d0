// The code under mutation testing (issue #18), by scope, with the score each must reach. One list read by
// stryker.config.mjs (what to mutate) and by scores.js (how the report is split and judged), so the two agree.
// A scope is a list of files or directories (a trailing '/' means every .ts file below it, specs excluded).
module.exports = [
  {
    name: 'domain',
    target: 85,
    paths: ['libs/domain/src/'],
    // index.ts only re-exports; sample-catalog.ts is invented demo data, not behaviour.
    exclude: ['libs/domain/src/index.ts', 'libs/domain/src/catalog/sample-catalog.ts'],
  },
  {
    // The pure parts of the read side: the tickets projection's fold and row mapping (its SQL text is checked
    // against PostgreSQL by the int tier, see the Stryker disable comments there), the as-of history fold, the
    // reference projection's rows, the column transformers, and the ticket view the API builds from a state.
    name: 'read-models',
    target: 70,
    paths: [
      'libs/read-models/src/tickets/tickets.projection.ts',
      'libs/read-models/src/tickets/snapshots.ts',
      'libs/read-models/src/reference/reference.projection.ts',
      'libs/read-models/src/runner/column-transformers.ts',
      'apps/api/src/tickets/ticket-view.ts',
      'apps/api/src/tickets/partner-isolation.ts',
    ],
    exclude: [],
  },
  {
    // Errors → HTTP (the one table, and the filter that writes it) and authentication/authorisation.
    name: 'http-errors-auth',
    target: 70,
    paths: [
      'apps/api/src/http/error-mapping.ts',
      'apps/api/src/http/error.filter.ts',
      'apps/api/src/auth/auth.guard.ts',
      'apps/api/src/auth/token-verifier.ts',
      'apps/api/src/auth/token.ts',
      'apps/api/src/auth/auth.decorators.ts',
    ],
    exclude: [],
  },
];
