import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuthModule } from '../auth/auth.module';
import { DashboardController, GetDashboardHandler } from '../dashboard/dashboard';
import {
  DashboardPageController,
  SIGN_IN_THROTTLE,
  SignInThrottlerGuard,
} from '../dashboard/dashboard-page.controller';
import { HealthController } from '../health/health.controller';
import { MetricsService } from '../health/metrics.service';

/**
 * What operators use: health and Prometheus metrics (public), the dashboard figures, and the dashboard page
 * with its sign-in. The throttler guards the sign-in only (@UseGuards there), not the API.
 */
@Module({
  imports: [AuthModule, ThrottlerModule.forRoot({ throttlers: [SIGN_IN_THROTTLE] })],
  controllers: [HealthController, DashboardController, DashboardPageController],
  providers: [MetricsService, GetDashboardHandler, SignInThrottlerGuard],
  exports: [MetricsService],
})
export class OperationsModule {}
