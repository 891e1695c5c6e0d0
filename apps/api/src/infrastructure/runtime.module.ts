import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { DashboardReadModel, FilingFactsReader, ReferenceReadModel, TicketReadModel } from '@app/read-models';
import { AUTH_SETTINGS, authSettingsFromEnv } from '../auth/auth.config';
import { CommandPipeline } from './command-pipeline';
import { APP_RUNTIME, type AppRuntime, EVENT_STORE, PROJECTIONS, READ_MODEL_SQL } from './runtime';

/**
 * What every feature runs on: the event store, the read side's query ports (their abstract classes are the
 * tokens), the projection runner, a plain SQL connection for the dashboard's own session table (all built
 * outside Nest, see main.ts and create-runtime.ts), and the configuration parsed from the environment at start (config/api.config.ts).
 * Global, so that a feature module names its features, not its plumbing.
 */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: AppRuntime): DynamicModule {
    const values: Provider[] = [
      { provide: APP_RUNTIME, useValue: runtime },
      { provide: EVENT_STORE, useValue: runtime.store },
      { provide: PROJECTIONS, useValue: runtime.projections },
      { provide: TicketReadModel, useValue: runtime.readSide.tickets },
      { provide: ReferenceReadModel, useValue: runtime.readSide.reference },
      { provide: DashboardReadModel, useValue: runtime.readSide.dashboard },
      { provide: FilingFactsReader, useValue: runtime.readSide.filingFacts },
      { provide: READ_MODEL_SQL, useValue: runtime.readModelSql },
      // The settings parsed at start (main.ts); with none (tests), the dev secret as with nothing configured.
      { provide: AUTH_SETTINGS, useValue: runtime.auth ?? authSettingsFromEnv({}) },
    ];
    const tokens = [
      APP_RUNTIME,
      EVENT_STORE,
      PROJECTIONS,
      TicketReadModel,
      ReferenceReadModel,
      DashboardReadModel,
      FilingFactsReader,
      READ_MODEL_SQL,
      AUTH_SETTINGS,
    ];
    return {
      module: RuntimeModule,
      providers: [...values, CommandPipeline],
      exports: [...tokens, CommandPipeline],
    };
  }
}
