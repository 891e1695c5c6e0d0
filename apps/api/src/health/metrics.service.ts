import { Injectable } from '@nestjs/common';
import type { ProjectionLag } from '@app/read-models';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance (tests start several in one process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly lagEvents = new Gauge({
    name: 'repair_projection_lag_events',
    help: 'Events committed but not yet projected (capped)',
    registers: [this.registry],
  });
  private readonly lagSeconds = new Gauge({
    name: 'repair_projection_lag_seconds',
    help: 'Age of the oldest unprojected event',
    registers: [this.registry],
  });
  private readonly position = new Gauge({
    name: 'repair_projection_position',
    help: 'Global position projected by the slowest projection',
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'repair_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  refreshProjectionLag(lag: ProjectionLag): Promise<void> {
    this.lagEvents.set(lag.eventsBehind);
    this.lagSeconds.set(lag.msBehind / 1000);
    this.position.set(lag.position);
    return Promise.resolve();
  }
}
