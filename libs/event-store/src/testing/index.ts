// Test helpers of the event store (`@app/event-store/testing`), for tests and benchmarks only.
export * from './scratch-schemas';
export * from './stored-events';
export * from './until';
