import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthConfig } from './auth/auth.config';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { DashboardController, GetDashboardHandler } from './dashboard/dashboard';
import {
  DashboardPageController,
  SIGN_IN_THROTTLE,
  SignInThrottlerGuard,
} from './dashboard/dashboard-page.controller';
import { DashboardSessions } from './dashboard/dashboard-sessions';
import { HealthController } from './health/health.controller';
import { MetricsService } from './health/metrics.service';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { DashboardReadModel, FilingFactsReader, ReferenceReadModel, TicketReadModel } from '@app/read-models';
import {
  APP_RUNTIME,
  type AppRuntime,
  EVENT_STORE,
  PROJECTIONS,
  READ_MODEL_SQL,
} from './infrastructure/runtime';
import { ExecuteReferenceCommandHandler } from './reference/reference-commands';
import { ReferenceController } from './reference/reference.controller';
import { ExecuteTicketCommandHandler } from './tickets/execute-ticket-command.handler';
import { FileRepairRequestHandler } from './tickets/file-repair-request.handler';
import { TicketCommandsController } from './tickets/ticket-commands.controller';
import { TicketCommitService } from './tickets/ticket-commit.service';
import { UnitClaims } from './tickets/unit-claims';
import { TicketQueriesController } from './tickets/ticket-queries.controller';
import {
  GetTicketAsOfHandler,
  GetTicketHandler,
  GetTicketHistoryHandler,
  ListTicketsHandler,
} from './tickets/ticket-queries';
import { GetWarrantyStatusHandler, WarrantyController } from './warranty/warranty-status';

@Module({})
export class AppModule {
  /** The runtime (event store, read-model database, projections) is built by the caller: see main.ts. */
  static forRoot(runtime: AppRuntime): DynamicModule {
    return {
      module: AppModule,
      // The throttler guards the dashboard sign-in only (@UseGuards there), not the API.
      imports: [CqrsModule.forRoot(), ThrottlerModule.forRoot({ throttlers: [SIGN_IN_THROTTLE] })],
      controllers: [
        HealthController,
        TicketCommandsController,
        TicketQueriesController,
        ReferenceController,
        WarrantyController,
        DashboardController,
        DashboardPageController,
      ],
      providers: [
        { provide: APP_RUNTIME, useValue: runtime },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: PROJECTIONS, useValue: runtime.projections },
        // The read side's query ports (their abstract classes are the tokens) and the sessions' own table.
        { provide: TicketReadModel, useValue: runtime.readSide.tickets },
        { provide: ReferenceReadModel, useValue: runtime.readSide.reference },
        { provide: DashboardReadModel, useValue: runtime.readSide.dashboard },
        { provide: FilingFactsReader, useValue: runtime.readSide.filingFacts },
        { provide: READ_MODEL_SQL, useValue: runtime.readModelSql },
        AuthConfig,
        TokenVerifier,
        DashboardSessions,
        SignInThrottlerGuard,
        { provide: APP_GUARD, useClass: AuthGuard },
        MetricsService,
        IdempotencyInterceptor,
        TicketCommitService,
        UnitClaims,
        FileRepairRequestHandler,
        ExecuteTicketCommandHandler,
        ExecuteReferenceCommandHandler,
        ListTicketsHandler,
        GetTicketHandler,
        GetTicketHistoryHandler,
        GetTicketAsOfHandler,
        GetWarrantyStatusHandler,
        GetDashboardHandler,
      ],
    };
  }
}
