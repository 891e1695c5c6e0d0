/**
 * Example for downstream teams: consume the ticket topic in a consumer group, drop duplicates by `ce_id`,
 * react per event type. Run: `KAFKA_BROKERS=127.0.0.1:9092 node -r @swc-node/register apps/relay/src/example-consumer.ts`
 * (`KAFKA_TOPIC`, `CONSUMER_GROUP` optional). The contract of every message: libs/messaging/asyncapi.yaml.
 */
import { Logger } from '@nestjs/common';

import { configOrExit } from '@app/config';
import { createKafka, runTicketEventConsumer } from '@app/messaging';

import { parseConsumerConfig } from './relay.config';

async function main(): Promise<void> {
  const { messaging, groupId } = configOrExit(() => parseConsumerConfig(process.env));
  const logger = new Logger('example-consumer');
  const consumer = await runTicketEventConsumer({
    kafka: createKafka({ brokers: messaging.brokers, clientId: 'example-consumer' }),
    topic: messaging.topics.tickets.name,
    groupId,
    fromBeginning: true,
    handle: (event) => {
      switch (event.type) {
        case 'ipro.repair.ticket.replacement-shipped.v1':
          logger.log(
            `ticket ${event.ticketId}: replacement on its way, ${String(event.data['carrier'])} ${String(event.data['trackingNumber'])}`,
          );
          break;
        case 'ipro.repair.ticket.quote-issued.v1':
          logger.log(
            `ticket ${event.ticketId}: quote of ${String(event.data['totalJpy'])} JPY for partner ${String(event.data['partnerId'])}`,
          );
          break;
        default:
          // Unknown or newer types are skipped, never fatal: new contracts appear without notice to old consumers.
          logger.log(`ticket ${event.ticketId} #${event.ticketRevision}: ${event.type}`);
      }
      return Promise.resolve();
    },
  });
  const stop = (): void => {
    consumer.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  new Logger('example-consumer').error(String(error));
  process.exit(1);
});
