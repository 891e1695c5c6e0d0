export * from './kafka-testing';
export * from './ticket-stream-fixtures';
