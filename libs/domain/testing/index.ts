// Test helpers of the domain (`@app/domain/testing`), for tests and benchmarks only (.dependency-cruiser.cjs
// keeps running code away from them). They import only the domain itself.
export * from './given-when-then.test-support';
export * from './repair-ticket-fixtures.test-support';
export * from './ticket-event-fixtures.test-support';
export * from './ticket-billing-oracles.test-support';
