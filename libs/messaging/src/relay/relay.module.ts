import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { createKafkaRelay, type RelayDeps, type RunningRelay } from './create-relay';
import { KafkaRelay } from './kafka-relay';

const RUNNING_RELAY = Symbol('RUNNING_RELAY');

/** Starts the relay when the application has booted and stops it (checkpoint intact) on shutdown. */
class RelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(RUNNING_RELAY) private readonly running: RunningRelay) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.running.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running.close();
  }
}

/**
 * Runs the Kafka relay inside a Nest application: the api imports `RelayModule.register(...)` when
 * `RELAY_IN_PROCESS=true` (its store, its database), and can inject `KafkaRelay` for `/health`
 * (`relay.report()`) . The standalone `apps/relay` process uses the same module.
 */
@Module({})
export class RelayModule {
  static register(deps: RelayDeps | (() => Promise<RelayDeps> | RelayDeps)): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        {
          provide: RUNNING_RELAY,
          useFactory: async () => createKafkaRelay(typeof deps === 'function' ? await deps() : deps),
        },
        {
          provide: KafkaRelay,
          useFactory: (running: RunningRelay) => running.relay,
          inject: [RUNNING_RELAY],
        },
        RelayLifecycle,
      ],
      exports: [KafkaRelay],
    };
  }
}
