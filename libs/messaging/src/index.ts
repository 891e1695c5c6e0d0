// Public API of @app/messaging: versioned integration contracts, their Kafka mapping, the relay.
export * from './contracts/json-schema';
export * from './contracts/ticket-integration-events';
export * from './contracts/ticket-message.mapper';
export * from './kafka/kafka-config';
export * from './relay/kafka-relay';
export * from './relay/relay-checkpoint';
export * from './relay/relay-metrics';
export * from './relay/create-relay';
export * from './consumer/ticket-event-consumer';
export * from './contracts/asyncapi';
