import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule, type Params } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import type { AppRuntime } from './infrastructure/runtime';
import { RuntimeModule } from './infrastructure/runtime.module';
import { OperationsModule } from './operations/operations.module';
import { ReferenceModule } from './reference/reference.module';
import { TicketsModule } from './tickets/tickets.module';

/**
 * The api: its feature modules on one runtime. The runtime (event store, read-model database, projections) is
 * built by the caller: see main.ts. The command and query buses are global (CqrsModule.forRoot), so each
 * feature registers its own handlers.
 */
@Module({})
export class AppModule {
  /** `logging`: nestjs-pino's parameters (main.ts, logging.params.ts); the tests' apps run without. */
  static forRoot(runtime: AppRuntime, options: { readonly logging?: Params } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(options.logging ? [LoggerModule.forRoot(options.logging)] : []),
        CqrsModule.forRoot(),
        RuntimeModule.forRoot(runtime),
        AuthModule,
        TicketsModule,
        ReferenceModule,
        OperationsModule,
      ],
    };
  }
}
