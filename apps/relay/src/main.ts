/**
 * The Kafka relay as its own process: event store (PostgreSQL) → Kafka, from the environment
 * (`DATABASE_URL`, `EVENT_STORE_SCHEMA`, `KAFKA_BROKERS`, `KAFKA_TOPIC`, `KAFKA_TOPIC_PARTITIONS`, `RELAY_NAME`,
 * …; every variable in relay.config.ts, parsed before anything connects). `RELAY_HTTP_PORT` serves `/health`
 * (503 unless ok) and `/metrics`.
 * A plain Node process rather than a Nest application: it has one job and no HTTP API; the api runs the same
 * relay (`createKafkaRelay`) in-process when `RELAY_IN_PROCESS=true`, started and stopped with its runtime
 * (apps/api/src/infrastructure/create-runtime.ts), with the relay's report among the api's `/health` parts.
 */
import { createServer, type Server } from 'node:http';

import { Logger } from '@nestjs/common';
import { register } from 'prom-client';

import { appLoggerOf, configOrExit, createRootLogger } from '@app/config';
import { createEventStore } from '@app/event-store';
import { createKafkaRelay, type KafkaRelay, type RunningRelay } from '@app/messaging';

import { parseRelayConfig, type RelayProcessConfig } from './relay.config';

function serveHttp(relay: KafkaRelay, port: number): Server {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      register.metrics().then(
        (body) => res.writeHead(200, { 'content-type': register.contentType }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    if (req.url === '/health') {
      void relay.report().then((report) => {
        res
          .writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(report));
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, '127.0.0.1');
  return server;
}

/** The event store and the relay on it; `close` stops both. */
async function openRelay(config: RelayProcessConfig): Promise<RunningRelay> {
  const store = config.eventStoreUrl
    ? await createEventStore({ kind: 'eventstoredb', url: config.eventStoreUrl })
    : await createEventStore({ kind: 'postgres', url: config.databaseUrl, schema: config.eventStoreSchema });
  try {
    const running = await createKafkaRelay({
      store,
      connectionString: config.databaseUrl,
      checkpointSchema: config.checkpointSchema,
      config: config.messaging,
      relay: {
        ...(config.name === undefined ? {} : { name: config.name }),
        ...(config.batchSize === undefined ? {} : { batchSize: config.batchSize }),
      },
    });
    return {
      relay: running.relay,
      close: async () => {
        await running.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit(() => parseRelayConfig(process.env));
  // Nest's Logger (the relay's and kafkajs's lines) on pino, with LOG_LEVEL and LOG_FORMAT as in the api.
  Logger.overrideLogger(appLoggerOf({ pinoHttp: { logger: createRootLogger(config.log) } }));
  const logger = new Logger('relay');
  const running = await openRelay(config);
  await running.relay.start();
  const server = config.httpPort === undefined ? undefined : serveHttp(running.relay, config.httpPort);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping (checkpoint kept)`);
    server?.close();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(String(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  new Logger('relay').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
