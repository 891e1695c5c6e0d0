export * from './kafka-testing';
export * from './ticket-streams';
