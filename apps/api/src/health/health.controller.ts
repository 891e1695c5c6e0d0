import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PostgresEventStore } from '@app/event-store';
import type { ProjectionRunner } from '@app/read-models';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { register } from 'prom-client';
import { Public } from '../auth/auth.decorators';
import { APP_RUNTIME, type AppRuntime, PROJECTIONS } from '../infrastructure/runtime';
import { MetricsService } from './metrics.service';

/**
 * Health is public: load balancers probe it without a token. Metrics are public too unless METRICS_TOKEN is set,
 * then Prometheus sends that token (a static scrape credential, not a user's JWT). Both reveal counts and lag
 * only, never ticket data.
 */
@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(PROJECTIONS) private readonly projections: ProjectionRunner,
    @Inject(APP_RUNTIME) private readonly runtime: AppRuntime,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  @ApiOperation({
    summary: 'Liveness plus projection lag and downstream relay state; 503 when a part is down',
  })
  async health(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    // lag() probes the store (at most once a second, ProjectionRunner.lag): with the database unreachable it
    // throws. That is this report's answer (the projections cannot run), not an error of the endpoint: the
    // other parts (the relay) are still reported.
    const projections = await this.projections.lag().then(
      (lag) => ({ status: lag.running ? 'ok' : 'down', ...lag }),
      (e: unknown) => ({
        status: 'down',
        running: false,
        lastError: `store unreadable: ${e instanceof Error ? e.message : String(e)}`,
      }),
    );
    const others = await Promise.all(
      (this.runtime.healthReporters ?? []).map(async (r) => [r.name, await r.report()] as const),
    );
    const parts = [projections.status, ...others.map(([, r]) => r.status)];
    const status = parts.includes('down') ? 'down' : parts.includes('degraded') ? 'degraded' : 'ok';
    if (status === 'down') res.status(503);
    return { status, projections, ...Object.fromEntries(others) };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics (projection lag, HTTP, process)' })
  async prometheus(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const expected = this.runtime.metricsToken;
    if (expected !== undefined && !bearerMatches(req.headers.authorization, expected)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return 'metrics need Authorization: Bearer <METRICS_TOKEN>\n';
    }
    // With the database unreachable, /metrics still answers (process, HTTP, relay figures are what an
    // operator needs then); repair_event_store_readable 0 says the lag could not be read (a probe younger than
    // a second may still answer for it: ProjectionRunner.lag).
    await this.projections.lag().then(
      (lag) => this.metrics.refreshProjectionLag(lag),
      () => this.metrics.projectionLagUnknown(),
    );
    const store = this.runtime.store as Partial<PostgresEventStore>;
    this.metrics.refreshNotifications(store.connectionStatus?.());
    // The in-process Kafka relay (if any) registers its metrics in prom-client's global registry.
    return `${await this.metrics.registry.metrics()}\n${await register.metrics()}`;
  }
}

/** `Bearer <token>` equal to `expected`, compared in constant time (over digests, so lengths do not leak). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  if (!match) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!), digest(expected));
}
